// Out of office: RFC 3834's "when not to reply" on real header blocks, the
// reply's headers (read back with the delivery parser), the store's
// setting and once-per-sender memory, and AnswerWhileAway inside a
// delivery transaction (queued for outsiders, delivered to local users,
// once per sender, nothing when off or outside the window).
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <string>

#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "core/mail/auto_reply.hpp"
#include "core/mail/auto_reply_message.hpp"
#include "core/mail/auto_reply_rules.hpp"
#include "core/mail/oof.hpp"
#include "core/util/base64.hpp"
#include "storage/store.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::core::mail {
namespace {

using storage::Must;

const std::vector<std::string> kAlice = {"alice@example.org", "a.smith@example.org"};

// A message to alice with `extra` header lines.
std::string Mail(const std::string& extra, const std::string& to = "Alice <alice@example.org>") {
  return "From: Bob <bob@elsewhere.example>\r\nTo: " + to +
         "\r\nSubject: Lunch?\r\nMessage-ID: <m1@elsewhere.example>\r\n" + extra +
         "\r\nAre you free?\r\n";
}

AutoReplyVerdict Decide(const std::string& raw, const std::string& sender = "bob@elsewhere.example") {
  MessageRecord record = Must(BuildMessageRecord(raw, 1000));
  return DecideAutoReply(sender, raw, record, kAlice);
}

storage::OofRecord GlobalOof() {
  storage::OofRecord oof;
  oof.state = kOofGlobal;
  oof.internal = {true, false, "Back Monday (internal)."};
  oof.external_unknown = {true, true, "<p>Back <b>Monday</b>.</p>"};
  return oof;
}

class AutoReplyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AutoReplyTest);
  CPPUNIT_TEST(testRepliesToAPerson);
  CPPUNIT_TEST(testNeverToSystemsOrLists);
  CPPUNIT_TEST(testAutoSubmittedAndSuppressed);
  CPPUNIT_TEST(testOnlyWhenAddressed);
  CPPUNIT_TEST(testReplyHeaders);
  CPPUNIT_TEST(testActiveWindow);
  CPPUNIT_TEST(testStoreKeepsSettingAndSenders);
  CPPUNIT_TEST(testAnswerWhileAway);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-auto-reply-test-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
  }
  void tearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(tmp_, ec);
  }

  void testRepliesToAPerson() {
    CPPUNIT_ASSERT(Decide(Mail("")) == AutoReplyVerdict::kReply);
    CPPUNIT_ASSERT(Decide(Mail(""), "<bob@elsewhere.example>") == AutoReplyVerdict::kReply);
    CPPUNIT_ASSERT(Decide(Mail("Auto-Submitted: no\r\n")) == AutoReplyVerdict::kReply);
    CPPUNIT_ASSERT(Decide(Mail("Precedence: first-class\r\n")) == AutoReplyVerdict::kReply);
    CPPUNIT_ASSERT(Decide(Mail("X-Auto-Response-Suppress: DR, NDR, RN\r\n")) ==
                   AutoReplyVerdict::kReply);
    // "Listed" is no List-* field.
    CPPUNIT_ASSERT(Decide(Mail("Listed: yes\r\n")) == AutoReplyVerdict::kReply);
  }

  void testNeverToSystemsOrLists() {
    CPPUNIT_ASSERT(Decide(Mail(""), "") == AutoReplyVerdict::kNullSender);
    CPPUNIT_ASSERT(Decide(Mail(""), "<>") == AutoReplyVerdict::kNullSender);
    CPPUNIT_ASSERT(Decide(Mail(""), "MAILER-DAEMON@elsewhere.example") ==
                   AutoReplyVerdict::kSystemSender);
    CPPUNIT_ASSERT(Decide(Mail(""), "owner-cooks@lists.example") == AutoReplyVerdict::kSystemSender);
    CPPUNIT_ASSERT(Decide(Mail(""), "cooks-request@lists.example") ==
                   AutoReplyVerdict::kSystemSender);
    CPPUNIT_ASSERT(Decide(Mail(""), "no-reply@shop.example") == AutoReplyVerdict::kSystemSender);
    CPPUNIT_ASSERT(Decide(Mail("List-Id: Cooks <cooks.lists.example>\r\n")) ==
                   AutoReplyVerdict::kMailingList);
    CPPUNIT_ASSERT(Decide(Mail("list-unsubscribe: <mailto:x@lists.example>\r\n")) ==
                   AutoReplyVerdict::kMailingList);
    CPPUNIT_ASSERT(Decide(Mail("Precedence: bulk\r\n")) == AutoReplyVerdict::kBulk);
    CPPUNIT_ASSERT(Decide(Mail("Precedence: JUNK\r\n")) == AutoReplyVerdict::kBulk);
    CPPUNIT_ASSERT(Decide(Mail("Precedence: list\r\n")) == AutoReplyVerdict::kBulk);
    CPPUNIT_ASSERT(Decide(Mail("Content-Type: multipart/report; report-type=delivery-status; "
                               "boundary=x\r\n")) == AutoReplyVerdict::kReport);
    CPPUNIT_ASSERT(Decide(Mail(""), "A.Smith@Example.org") == AutoReplyVerdict::kOwnMail);
  }

  void testAutoSubmittedAndSuppressed() {
    CPPUNIT_ASSERT(Decide(Mail("Auto-Submitted: auto-replied\r\n")) ==
                   AutoReplyVerdict::kAutoSubmitted);
    CPPUNIT_ASSERT(Decide(Mail("Auto-Submitted: Auto-Generated (cron)\r\n")) ==
                   AutoReplyVerdict::kAutoSubmitted);
    // Folded onto the next line.
    CPPUNIT_ASSERT(Decide(Mail("Auto-Submitted:\r\n auto-notified\r\n")) ==
                   AutoReplyVerdict::kAutoSubmitted);
    CPPUNIT_ASSERT(Decide(Mail("X-Auto-Response-Suppress: DR, OOF\r\n")) ==
                   AutoReplyVerdict::kSuppressed);
    CPPUNIT_ASSERT(Decide(Mail("X-Auto-Response-Suppress: All\r\n")) ==
                   AutoReplyVerdict::kSuppressed);
    // A header in the body is no header.
    const std::string body_only = Mail("") + "\r\nAuto-Submitted: auto-replied\r\n";
    CPPUNIT_ASSERT(Decide(body_only) == AutoReplyVerdict::kReply);
  }

  void testOnlyWhenAddressed() {
    CPPUNIT_ASSERT(Decide(Mail("", "team@example.org")) == AutoReplyVerdict::kNotAddressed);
    CPPUNIT_ASSERT(Decide(Mail("Cc: A.SMITH@example.org\r\n", "team@example.org")) ==
                   AutoReplyVerdict::kReply);
  }

  void testReplyHeaders() {
    const std::string original =
        "From: Bob <bob@elsewhere.example>\r\nTo: alice@example.org\r\n"
        "Subject: Gr\xc3\xbc\xc3\x9f" "e aus M\xc3\xbcnchen\r\n"
        "Message-ID: <m2@elsewhere.example>\r\nReferences: <m0@elsewhere.example>\r\n\r\nHallo\r\n";
    MessageRecord record = Must(BuildMessageRecord(original, 1000));
    storage::OofMessage text{true, false, "Zur\xc3\xbc" "ck am Montag."};
    const std::string reply = BuildAutoReply({"Alice Liddell", "alice@example.org"},
                                             "bob@elsewhere.example", record, text, 1700000000);
    CPPUNIT_ASSERT(reply.find("\r\nAuto-Submitted: auto-replied\r\n") != std::string::npos);
    CPPUNIT_ASSERT(reply.starts_with("From: \"Alice Liddell\" <alice@example.org>\r\n"));
    CPPUNIT_ASSERT(reply.find("\r\nTo: <bob@elsewhere.example>\r\n") != std::string::npos);
    CPPUNIT_ASSERT(reply.find("Content-Type: text/plain; charset=utf-8") != std::string::npos);

    // What a reader of the reply sees, through the delivery parser.
    MessageRecord back = Must(BuildMessageRecord(reply, 1700000000));
    CPPUNIT_ASSERT_EQUAL(std::string("Auto: Gr\xc3\xbc\xc3\x9f" "e aus M\xc3\xbcnchen"), back.subject);
    CPPUNIT_ASSERT_EQUAL(std::string("m2@elsewhere.example"), back.in_reply_to);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, back.references.size());
    CPPUNIT_ASSERT_EQUAL(std::string("m0@elsewhere.example"), back.references[0]);
    CPPUNIT_ASSERT_EQUAL(std::string("m2@elsewhere.example"), back.references[1]);
    CPPUNIT_ASSERT(back.text_body.find("Zur\xc3\xbc" "ck am Montag.") != std::string::npos);
    CPPUNIT_ASSERT(!back.message_id.empty());

    storage::OofMessage html{true, true, "<p>Back <b>Monday</b></p>"};
    MessageRecord as_html = Must(BuildMessageRecord(
        BuildAutoReply({"", "alice@example.org"}, "bob@elsewhere.example", record, html, 1), 1));
    CPPUNIT_ASSERT(as_html.html_body.find("<b>Monday</b>") != std::string::npos);

    // Long non-ASCII text becomes several encoded-words of at most 75 characters.
    const std::string folded = EncodeHeaderText(std::string(40, 'a') + std::string(30, 'b') + "\xc3\xbc");
    CPPUNIT_ASSERT(folded.find("\r\n =?UTF-8?B?") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("plain"), EncodeHeaderText("plain"));
  }

  void testActiveWindow() {
    storage::OofRecord oof;
    CPPUNIT_ASSERT(!OofActive(oof, 100));
    oof.state = kOofGlobal;
    CPPUNIT_ASSERT(OofActive(oof, 100));
    oof.state = kOofTimeBased;
    oof.start = 200;
    oof.end = 300;
    CPPUNIT_ASSERT(!OofActive(oof, 199));
    CPPUNIT_ASSERT(OofActive(oof, 200));
    CPPUNIT_ASSERT(!OofActive(oof, 300));
  }

  void testStoreKeepsSettingAndSenders() {
    auto store = storage::MustOpen(tmp_ + "/store");
    storage::UserRecord alice;
    ASSERT_OK(store->Write([&](storage::Txn& txn) -> Status {
      alice = Must(CreateUserWithDefaultFolders(txn, storage::NewUser("alice")));
      ASSERT_CODE(Code::kNotFound, txn.GetOof(alice.id).status());
      return txn.PutOof(alice.id, GlobalOof());
    }));
    ASSERT_OK(store->Write([&](storage::Txn& txn) -> Status {
      CPPUNIT_ASSERT(Must(txn.GetOof(alice.id)) == GlobalOof());
      CPPUNIT_ASSERT(Must(txn.NoteAutoReply(alice.id, "bob@x.example", 1000, 50)));
      CPPUNIT_ASSERT(!Must(txn.NoteAutoReply(alice.id, "bob@x.example", 1049, 50)));
      CPPUNIT_ASSERT(Must(txn.NoteAutoReply(alice.id, "carol@x.example", 1049, 50)));
      CPPUNIT_ASSERT(Must(txn.NoteAutoReply(alice.id, "bob@x.example", 1050, 50)));  // a new period
      ASSERT_CODE(Code::kInvalidArgument, txn.NoteAutoReply(alice.id, "", 1, 50).status());
      ASSERT_CODE(Code::kInvalidArgument,
                  txn.NoteAutoReply(alice.id, std::string(400, 'x'), 1, 50).status());
      // Setting it again forgets who was answered.
      ASSERT_OK(txn.PutOof(alice.id, GlobalOof()));
      CPPUNIT_ASSERT(Must(txn.NoteAutoReply(alice.id, "carol@x.example", 1051, 50)));
      CPPUNIT_ASSERT(Must(txn.GetOof(alice.id)) == GlobalOof());  // the setting stays
      return txn.DeleteUser("alice");
    }));
    ASSERT_OK(store->Read([&](storage::Txn& txn) -> Status {
      ASSERT_CODE(Code::kNotFound, txn.GetOof(alice.id).status());
      return Status::Ok();
    }));
  }

  void testAnswerWhileAway() {
    auto store = storage::MustOpen(tmp_ + "/store");
    storage::UserRecord alice, bob;
    ASSERT_OK(store->Write([&](storage::Txn& txn) -> Status {
      alice = Must(CreateUserWithDefaultFolders(txn, storage::NewUser("alice")));
      bob = Must(CreateUserWithDefaultFolders(txn, storage::NewUser("bob")));
      return Status::Ok();
    }));
    const std::string raw = Mail("");
    PreparedMessage message = Must(PrepareMessage(raw, 1000));
    auto answer = [&](const std::string& sender, uint64_t now) {
      return storage::WriteValue<std::string>(*store, [&](storage::Txn& txn) {
        return AnswerWhileAway(txn, alice, message, sender, now);
      });
    };

    CPPUNIT_ASSERT_EQUAL(std::string(), answer("far@elsewhere.example", 1000));  // never set
    ASSERT_OK(store->Write([&](storage::Txn& txn) { return txn.PutOof(alice.id, GlobalOof()); }));

    std::string line = answer("far@elsewhere.example", 1000);
    CPPUNIT_ASSERT_MESSAGE(line, line.find("queued") != std::string::npos);
    auto queue = storage::ReadValue<std::vector<storage::OutgoingRecord>>(
        *store, [](storage::Txn& txn) { return txn.ListOutgoing(true); });
    CPPUNIT_ASSERT_EQUAL(size_t{1}, queue.size());
    CPPUNIT_ASSERT_EQUAL(std::string(), queue[0].sender);  // null MAIL FROM
    CPPUNIT_ASSERT_EQUAL(std::string("far@elsewhere.example"), queue[0].recipients.at(0));
    CPPUNIT_ASSERT(queue[0].message.find("Content-Type: text/html") != std::string::npos);

    line = answer("FAR@elsewhere.example", 2000);  // any letter case is the same sender
    CPPUNIT_ASSERT_MESSAGE(line, line.find("answered already") != std::string::npos);

    // bob is a user here: the internal message, in his Inbox.
    line = answer("bob@example.org", 2000);
    CPPUNIT_ASSERT_MESSAGE(line, line.find("bob's Inbox") != std::string::npos);
    auto inbox = storage::ReadValue<std::vector<storage::ItemRecord>>(
        *store, [&](storage::Txn& txn) -> Result<std::vector<storage::ItemRecord>> {
          auto folder = DeliveryFolder(txn, bob, "");
          if (!folder.ok()) return folder.status();
          return txn.ItemsAfter(folder->id, 0, 10);
        });
    CPPUNIT_ASSERT_EQUAL(size_t{1}, inbox.size());

    // Time-based, outside its window: nothing.
    storage::OofRecord later = GlobalOof();
    later.state = kOofTimeBased;
    later.start = 5000;
    later.end = 6000;
    ASSERT_OK(store->Write([&](storage::Txn& txn) { return txn.PutOof(alice.id, later); }));
    CPPUNIT_ASSERT_EQUAL(std::string(), answer("new@elsewhere.example", 4999));
    line = answer("new@elsewhere.example", 5000);
    CPPUNIT_ASSERT_MESSAGE(line, line.find("queued") != std::string::npos);

    // A list message while on: a line saying why, nothing sent.
    const std::string list_raw = Mail("List-Id: <cooks.lists.example>\r\n");
    PreparedMessage list = Must(PrepareMessage(list_raw, 5001));
    line = storage::WriteValue<std::string>(*store, [&](storage::Txn& txn) {
      return AnswerWhileAway(txn, alice, list, "other@elsewhere.example", 5001);
    });
    CPPUNIT_ASSERT_MESSAGE(line, line.find("mailing list") != std::string::npos);
    queue = storage::ReadValue<std::vector<storage::OutgoingRecord>>(
        *store, [](storage::Txn& txn) { return txn.ListOutgoing(false); });
    CPPUNIT_ASSERT_EQUAL(size_t{2}, queue.size());
  }

 private:
  std::string tmp_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AutoReplyTest);

}  // namespace
}  // namespace eas::core::mail
