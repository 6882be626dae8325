// The server's meeting reply held for a client up to 14.1: nothing of it
// is delivered before its time; then the queue's run (with or without a
// relay) delivers it to a local organizer with a copy in Sent Items, or
// hands a remote organizer's to the relay as an ordinary entry; the user's
// own REPLY for the same meeting (inside multipart/alternative) drops it,
// one for another occurrence does not; answering again replaces it.
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <string>

#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "core/mail/delivery.hpp"
#include "core/mail/held_reply.hpp"
#include "core/mail/meeting_mail.hpp"
#include "core/mail/outgoing_queue.hpp"
#include "storage/store.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::core::mail {
namespace {

using storage::Must;

// A client's own REPLY as iOS sends it: text and calendar alternatives.
std::string ClientReply(const std::string& uid, const std::string& rid_line) {
  return "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: Accepted: Planning\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
         "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAccepted\r\n"
         "--b1\r\nContent-Type: text/calendar; charset=utf-8; method=REPLY\r\n\r\n"
         "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nMETHOD:REPLY\r\n"
         "BEGIN:VEVENT\r\nUID:" + uid + "\r\n" + rid_line +
         "DTSTAMP:20261203T120000Z\r\nDTSTART:20261211T090000Z\r\nDTEND:20261211T100000Z\r\n"
         "ORGANIZER:mailto:bob@example.org\r\n"
         "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.org\r\n"
         "END:VEVENT\r\nEND:VCALENDAR\r\n"
         "--b1--\r\n";
}

constexpr bool kInbox = false, kSent = true;

class HeldReplyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HeldReplyTest);
  CPPUNIT_TEST(testReleasedToLocalOrganizerWithoutRelay);
  CPPUNIT_TEST(testRemoteOrganizerGoesToTheRelay);
  CPPUNIT_TEST(testClientReplyDropsIt);
  CPPUNIT_TEST(testOtherOccurrenceKeepsIt);
  CPPUNIT_TEST(testAnsweringAgainReplaces);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-held-reply-test-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
    store_ = storage::MustOpen(tmp_ + "/store");
    alice_ = storage::WriteValue<storage::UserRecord>(*store_, [](storage::Txn& txn) {
      return CreateUserWithDefaultFolders(txn, storage::NewUser("alice"));
    });
    bob_ = storage::WriteValue<storage::UserRecord>(*store_, [](storage::Txn& txn) {
      return CreateUserWithDefaultFolders(txn, storage::NewUser("bob"));
    });
  }
  void tearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(tmp_, ec);
  }

  // alice's answer to `organizer`'s meeting, held from 1000 until 1120.
  HeldReply Hold(const std::string& organizer, int64_t rid = 0,
                 convert::ItipAnswer answer = convert::ItipAnswer::kAccepted) {
    convert::ItipReply r;
    r.uid = "planning@example.org";
    r.recurrence_id = rid;
    r.organizer_email = organizer;
    r.attendee_email = "alice@example.org";
    r.summary = "Planning";
    r.answer = answer;
    r.dtstamp = 1000;
    const SenderIdentity me = IdentityOf(alice_);
    auto ready = Must(ReadyToSend(MeetingReplyMessage(me, r, "", 1000), me, 1000));
    return storage::WriteValue<HeldReply>(*store_, [&](storage::Txn& txn) {
      return HoldReply(txn, alice_, *ready, {r.uid, rid}, 1000, 1120);
    });
  }
  SubmitResult Send(const std::string& raw) {
    const SenderIdentity me = IdentityOf(alice_);
    auto ready = Must(ReadyToSend(raw, me, 1010));
    return storage::WriteValue<SubmitResult>(*store_, [&](storage::Txn& txn) {
      return Submit(txn, alice_, *ready, true, 1010);
    });
  }
  std::vector<storage::OutgoingRecord> Entries() {
    return storage::ReadValue<std::vector<storage::OutgoingRecord>>(
        *store_, [](storage::Txn& txn) { return txn.ListOutgoing(false); });
  }
  // Messages in the user's Inbox, or Sent Items.
  size_t Count(const storage::UserRecord& user, bool sent_items) {
    auto folder = storage::ReadValue<storage::FolderRecord>(*store_, [&](storage::Txn& txn) {
      return sent_items ? FindDefaultFolder(txn, user, folder_type::kSentItems, "Sent Items")
                        : DeliveryFolder(txn, user, "");
    });
    return storage::ReadValue<std::vector<storage::ItemRecord>>(
               *store_, [&](storage::Txn& txn) { return txn.ItemsAfter(folder.id, 0, 100); })
        .size();
  }

  void testReleasedToLocalOrganizerWithoutRelay() {
    const HeldReply held = Hold("bob@example.org");
    auto entries = Entries();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, entries.size());
    CPPUNIT_ASSERT_EQUAL(held.id, entries[0].id);
    CPPUNIT_ASSERT_EQUAL(std::string("planning@example.org"), entries[0].held_uid);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1120}, entries[0].next_attempt);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, Count(bob_, kInbox));
    CPPUNIT_ASSERT_EQUAL(size_t{0}, Count(alice_, kSent));

    QueueRun run = RunOutgoingQueue(*store_, RelayOptions(), {}, 1119);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, run.released);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, Count(bob_, kInbox));

    run = RunOutgoingQueue(*store_, RelayOptions(), {}, 1120);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.released);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Count(bob_, kInbox));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Count(alice_, kSent));
    CPPUNIT_ASSERT(Entries().empty());
    CPPUNIT_ASSERT(run.log.at(0).text.find("delivered to bob") != std::string::npos);
  }

  void testRemoteOrganizerGoesToTheRelay() {
    Hold("anna@elsewhere.example");
    // Without a relay an ordinary entry would wait; the held one is released.
    QueueRun run = RunOutgoingQueue(*store_, RelayOptions(), {}, 1120);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.released);
    auto entries = Entries();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, entries.size());
    CPPUNIT_ASSERT(entries[0].held_uid.empty());
    CPPUNIT_ASSERT_EQUAL(std::string("anna@elsewhere.example"), entries[0].recipients.at(0));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Count(alice_, kSent));
    // ...which a run with a relay sends.
    size_t sent = 0;
    SmtpSend relay = [&](const storage::OutgoingRecord&) {
      ++sent;
      SmtpReply r;
      r.outcome = SmtpOutcome::kSent;
      return r;
    };
    RunOutgoingQueue(*store_, RelayOptions(), {}, 1121);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Entries().size());
    RunOutgoingQueue(*store_, RelayOptions(), relay, 1121);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, sent);
    CPPUNIT_ASSERT(Entries().empty());
  }

  void testClientReplyDropsIt() {
    const HeldReply held = Hold("bob@example.org");
    SubmitResult r = Send(ClientReply("planning@example.org", ""));
    CPPUNIT_ASSERT(r.dropped_held.find("outgoing " + std::to_string(held.id)) != std::string::npos);
    CPPUNIT_ASSERT(Entries().empty());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Count(bob_, kInbox));  // the client's
    QueueRun run = RunOutgoingQueue(*store_, RelayOptions(), {}, 2000);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, run.released);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Count(bob_, kInbox));
  }

  void testOtherOccurrenceKeepsIt() {
    // Held for the 14 December occurrence (1797238800 = 2026-12-14 09:00Z).
    Hold("bob@example.org", 1797238800);
    SubmitResult r = Send(ClientReply("planning@example.org", "RECURRENCE-ID:20261221T090000Z\r\n"));
    CPPUNIT_ASSERT(r.dropped_held.empty());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Entries().size());
    r = Send(ClientReply("other@example.org", "RECURRENCE-ID:20261214T090000Z\r\n"));
    CPPUNIT_ASSERT(r.dropped_held.empty());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Entries().size());
    // An ordinary message drops nothing either.
    r = Send("To: bob@example.org\r\nSubject: hi\r\n\r\nplanning@example.org\r\n");
    CPPUNIT_ASSERT(r.dropped_held.empty());
    r = Send(ClientReply("planning@example.org", "RECURRENCE-ID:20261214T090000Z\r\n"));
    CPPUNIT_ASSERT(!r.dropped_held.empty());
    CPPUNIT_ASSERT(Entries().empty());
  }

  void testAnsweringAgainReplaces() {
    const HeldReply first = Hold("bob@example.org");
    const HeldReply second = Hold("bob@example.org", 0, convert::ItipAnswer::kDeclined);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, second.replaced.size());
    CPPUNIT_ASSERT_EQUAL(first.id, second.replaced[0]);
    auto entries = Entries();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, entries.size());
    CPPUNIT_ASSERT_EQUAL(second.id, entries[0].id);
  }

 private:
  std::string tmp_;
  std::unique_ptr<storage::Store> store_;
  storage::UserRecord alice_, bob_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HeldReplyTest);

}  // namespace
}  // namespace eas::core::mail
