// Replies and forwards (core/mail/source_message, add_source): what the
// new message takes from a stored original — threading headers, the quote
// in the user's own charset turned UTF-8, long quoted lines folded by the
// transfer encoding, a forward's attachments byte for byte, nothing but
// the headers with ReplaceMime — the verb a device is shown, and the
// collected addresses (counts, names, any letter case, the bound).
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <string>

#include "core/default_folders.hpp"
#include "core/mail/collected_addresses.hpp"
#include "core/mail/part_content.hpp"
#include "core/mail/source_message.hpp"
#include "core/mail/submission.hpp"
#include "storage/store.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::core::mail {
namespace {

using storage::Must;

const SenderIdentity kAlice{"Alice Liddell", "alice@example.org", {}};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A record's text with the message's CRLF line ends as LF.
std::string Lf(std::string text) {
  std::erase(text, '\r');
  return text;
}

// Bob's message to alice and carol: plain and HTML, a PDF with a NUL byte.
const char kOriginal[] =
    "From: Bob <bob@example.org>\r\n"
    "To: alice@example.org, Carol <carol@example.org>\r\n"
    "Subject: Plans\r\n"
    "Date: Mon, 03 Jun 2024 10:00:00 +0000\r\n"
    "Message-ID: <orig@example.org>\r\n"
    "References: <first@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=b1\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: multipart/alternative; boundary=b2\r\n"
    "\r\n"
    "--b2\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Meet at 10 \xe6\x97\xa5\xe6\x9c\xac\r\n"
    "--b2\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<html><body><p>Meet at <b>10</b></p></body></html>\r\n"
    "--b2--\r\n"
    "--b1\r\n"
    "Content-Type: application/pdf; name=plan.pdf\r\n"
    "Content-Disposition: attachment; filename=plan.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0AAQI=\r\n"
    "--b1--\r\n";

SourceMessage Original(const std::string& raw = kOriginal) {
  SourceMessage s;
  s.folder = 5;
  s.item = 7;
  s.raw = raw;
  s.mail.message = Must(BuildMessageRecord(s.raw, 1717408800));
  return s;
}

class ReplyComposeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ReplyComposeTest);
  CPPUNIT_TEST(testReplyQuotesInUtf8);
  CPPUNIT_TEST(testLongQuotedLinesAreFolded);
  CPPUNIT_TEST(testForwardCarriesAttachments);
  CPPUNIT_TEST(testReplaceMimeAddsOnlyHeaders);
  CPPUNIT_TEST(testClientThreadingKept);
  CPPUNIT_TEST(testVerb);
  CPPUNIT_TEST(testCollectedAddresses);
  CPPUNIT_TEST(testCollectedAddressesBounded);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-reply-test-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
  }
  void tearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(tmp_, ec);
  }

  void testReplyQuotesInUtf8() {
    auto add = Must(AdditionsFrom(Original(), SourceUse::kReply, false));
    CPPUNIT_ASSERT_EQUAL(std::string("orig@example.org"), add.in_reply_to);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, add.references.size());
    CPPUNIT_ASSERT(add.attachments.empty());
    // The user's text in Latin-1, plain and HTML.
    auto s = Must(PrepareSubmission(
        "To: bob@example.org\r\nSubject: Re: Plans\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/alternative; boundary=x\r\n\r\n"
        "--x\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nCaf\xe9 is fine\r\n"
        "--x\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
        "<html><body>Caf\xe9</body></html>\r\n--x--\r\n",
        kAlice, 1717412400, &add));
    CPPUNIT_ASSERT(Has(s.for_recipients, "In-Reply-To: <orig@example.org>"));
    CPPUNIT_ASSERT(Has(s.for_recipients, "References: <first@example.org> <orig@example.org>"));
    auto sent = Must(BuildMessageRecord(s.for_recipients, 1717412400));
    CPPUNIT_ASSERT_MESSAGE(sent.text_body,
                           Has(Lf(sent.text_body), "Caf\xc3\xa9 is fine\n\nOn Mon, 3 Jun 2024 at "
                                               "10:00 UTC, Bob <bob@example.org> wrote:\n"
                                               "> Meet at 10 \xe6\x97\xa5\xe6\x9c\xac"));
    CPPUNIT_ASSERT_MESSAGE(sent.html_body, Has(sent.html_body, "Caf\xc3\xa9<div>"));
    CPPUNIT_ASSERT(Has(sent.html_body, "<blockquote type=\"cite\""));
    CPPUNIT_ASSERT(Has(sent.html_body, "<p>Meet at <b>10</b></p></blockquote></body>"));
  }

  void testLongQuotedLinesAreFolded() {
    std::string line;
    for (int i = 0; i < 400; ++i) line += "Gr\xc3\xbc\xc3\x9f" "e ";
    std::string original = "From: bob@example.org\r\nTo: alice@example.org\r\nSubject: long\r\n"
                           "Content-Type: text/plain; charset=utf-8\r\n"
                           "Content-Transfer-Encoding: 8bit\r\n\r\n" + line + "\r\n";
    auto add = Must(AdditionsFrom(Original(original), SourceUse::kReply, false));
    auto s = Must(PrepareSubmission("To: bob@example.org\r\nSubject: Re\r\n\r\nok\r\n", kAlice,
                                    100, &add));
    size_t start = 0;
    while (start < s.for_recipients.size()) {
      size_t end = s.for_recipients.find("\r\n", start);
      if (end == std::string::npos) end = s.for_recipients.size();
      CPPUNIT_ASSERT_MESSAGE(s.for_recipients.substr(start, 80), end - start <= 78);
      start = end + 2;
    }
    auto sent = Must(BuildMessageRecord(s.for_recipients, 100));
    CPPUNIT_ASSERT(Has(Lf(sent.text_body), "\n> " + line));
  }

  void testForwardCarriesAttachments() {
    auto add = Must(AdditionsFrom(Original(), SourceUse::kForward, false));
    CPPUNIT_ASSERT(add.in_reply_to.empty());  // a forward answers nobody
    CPPUNIT_ASSERT_EQUAL(size_t{1}, add.attachments.size());
    auto s = Must(PrepareSubmission("To: dave@example.org\r\nSubject: Fw: Plans\r\n\r\nFYI\r\n",
                                    kAlice, 100, &add));
    auto sent = Must(BuildMessageRecord(s.for_recipients, 100));
    CPPUNIT_ASSERT(Has(Lf(sent.text_body), "FYI\n\nOn Mon, 3 Jun 2024"));
    CPPUNIT_ASSERT(Has(sent.text_body, "> Meet at 10"));
    const Part* pdf = nullptr;
    for (const Part& p : sent.parts) {
      if (p.file_name == "plan.pdf") pdf = &p;
    }
    CPPUNIT_ASSERT(pdf != nullptr);
    CPPUNIT_ASSERT_EQUAL(std::string("application/pdf"), pdf->content_type);
    CPPUNIT_ASSERT_EQUAL(std::string("%PDF-\0\1\2", 8), Must(DecodedPart(s.for_recipients, *pdf)));
  }

  void testReplaceMimeAddsOnlyHeaders() {
    auto add = Must(AdditionsFrom(Original(), SourceUse::kForward, true));
    CPPUNIT_ASSERT(add.plain_quote.empty() && add.html_quote.empty() && add.attachments.empty());
    auto s = Must(PrepareSubmission("To: dave@example.org\r\nSubject: Fw\r\n\r\nmine alone\r\n",
                                    kAlice, 100, &add));
    auto sent = Must(BuildMessageRecord(s.for_recipients, 100));
    CPPUNIT_ASSERT_EQUAL(std::string("mine alone\n"), Lf(sent.text_body).substr(0, 11));
    CPPUNIT_ASSERT(!Has(sent.text_body, "wrote:"));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, sent.parts.size());
    CPPUNIT_ASSERT(Has(s.for_recipients, "References: <first@example.org> <orig@example.org>"));
  }

  void testClientThreadingKept() {
    auto add = Must(AdditionsFrom(Original(), SourceUse::kReply, true));
    auto s = Must(PrepareSubmission(
        "To: bob@example.org\r\nIn-Reply-To: <mine@x>\r\nReferences: <mine@x>\r\n\r\nhi\r\n",
        kAlice, 100, &add));
    CPPUNIT_ASSERT(Has(s.for_recipients, "In-Reply-To: <mine@x>"));
    CPPUNIT_ASSERT(!Has(s.for_recipients, "orig@example.org"));
  }

  void testVerb() {
    const MessageRecord m = Original().mail.message;
    const std::vector<std::string> own = {"alice@example.org"};
    CPPUNIT_ASSERT(VerbFor(SourceUse::kReply, m, {"BOB@example.org"}, own) ==
                   LastVerb::kReplyToSender);
    CPPUNIT_ASSERT(VerbFor(SourceUse::kReply, m, {"bob@example.org", "Carol@Example.org"}, own) ==
                   LastVerb::kReplyToAll);
    // Someone new beside the sender is still a reply to the sender.
    CPPUNIT_ASSERT(VerbFor(SourceUse::kReply, m, {"bob@example.org", "eve@example.org"}, own) ==
                   LastVerb::kReplyToSender);
    CPPUNIT_ASSERT(VerbFor(SourceUse::kForward, m, {"bob@example.org"}, own) == LastVerb::kForward);
  }

  void testCollectedAddresses() {
    auto store = storage::MustOpen(tmp_ + "/store");
    storage::UserRecord alice = storage::WriteValue<storage::UserRecord>(
        *store, [&](storage::Txn& txn) { return CreateUserWithDefaultFolders(txn, storage::NewUser("alice")); });
    ASSERT_OK(store->Write([&](storage::Txn& txn) {
      return CollectAddresses(txn, alice, {{"Bob", "bob@example.org"}, {"", "carol@example.org"}}, 10);
    }));
    ASSERT_OK(store->Write([&](storage::Txn& txn) {
      return CollectAddresses(txn, alice, {{"", "BOB@example.org"}, {"", ""}}, 20);
    }));
    auto list = storage::ReadValue<std::vector<CollectedAddress>>(
        *store, [&](storage::Txn& txn) { return CollectedAddresses(txn, alice.id); });
    CPPUNIT_ASSERT_EQUAL(size_t{2}, list.size());
    CPPUNIT_ASSERT_EQUAL(std::string("BOB@example.org"), list[0].address);
    CPPUNIT_ASSERT_EQUAL(std::string("Bob"), list[0].name);  // kept: no new name
    CPPUNIT_ASSERT_EQUAL(uint64_t{2}, list[0].count);
    CPPUNIT_ASSERT_EQUAL(uint64_t{20}, list[0].last_used);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, list[1].count);
    // Never a folder a device is offered.
    auto folders = storage::ReadValue<std::vector<storage::FolderRecord>>(
        *store, [&](storage::Txn& txn) { return txn.VisibleFolders(alice.id); });
    for (const auto& f : folders) {
      if (f.name == "Collected Addresses") CPPUNIT_ASSERT(f.hidden);
    }
  }

  void testCollectedAddressesBounded() {
    auto store = storage::MustOpen(tmp_ + "/store");
    storage::UserRecord alice = storage::WriteValue<storage::UserRecord>(
        *store, [&](storage::Txn& txn) { return CreateUserWithDefaultFolders(txn, storage::NewUser("alice")); });
    std::vector<Address> many;
    for (size_t i = 0; i < kMaxCollectedAddresses; ++i) {
      many.push_back({"", "user" + std::to_string(i) + "@example.org"});
    }
    ASSERT_OK(store->Write([&](storage::Txn& txn) { return CollectAddresses(txn, alice, many, 10); }));
    ASSERT_OK(store->Write([&](storage::Txn& txn) {
      return CollectAddresses(txn, alice, {{"", "user5@example.org"}}, 20);
    }));
    ASSERT_OK(store->Write([&](storage::Txn& txn) {
      return CollectAddresses(txn, alice, {{"", "new@example.org"}}, 30);
    }));
    auto list = storage::ReadValue<std::vector<CollectedAddress>>(
        *store, [&](storage::Txn& txn) { return CollectedAddresses(txn, alice.id); });
    CPPUNIT_ASSERT_EQUAL(kMaxCollectedAddresses, list.size());
    CPPUNIT_ASSERT_EQUAL(std::string("user5@example.org"), list[0].address);  // used twice
    bool fresh = false;
    for (const auto& c : list) fresh |= c.address == "new@example.org";
    CPPUNIT_ASSERT(fresh);
  }

 private:
  std::string tmp_;
};

}  // namespace

CPPUNIT_TEST_SUITE_REGISTRATION(ReplyComposeTest);

}  // namespace eas::core::mail
