// Mail out: the headers a sent message gets (Date, Message-ID, From,
// 8-bit text encoded, Bcc only in the Sent Items copy, recipients), what
// is no message, and the store's side: ClientIds remembered per device
// and bounded, the outgoing queue's records, and Submit delivering
// locally, saving the copy and queueing the rest in one transaction.
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <string>

#include "core/default_folders.hpp"
#include "core/mail/submit.hpp"
#include "storage/store.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::core::mail {
namespace {

using storage::Must;

const SenderIdentity kAlice{"Alice Liddell", "alice@example.org", {}};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class SubmissionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SubmissionTest);
  CPPUNIT_TEST(testCompletesHeaders);
  CPPUNIT_TEST(testKeepsWhatTheClientSent);
  CPPUNIT_TEST(testBareFrom);
  CPPUNIT_TEST(testForeignFromReplaced);
  CPPUNIT_TEST(testNoMessage);
  CPPUNIT_TEST(testClientIdsPerDeviceAndBounded);
  CPPUNIT_TEST(testOutgoingQueue);
  CPPUNIT_TEST(testSubmitInOneTransaction);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-submission-test-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
  }
  void tearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(tmp_, ec);
  }

  void testCompletesHeaders() {
    auto s = Must(PrepareSubmission(
        "To: Bob <bob@example.org>, carol@example.org\n"
        "Cc: BOB@example.org\n"
        "Bcc: dave@elsewhere.example\n"
        "Subject: Gr\xc3\xbc\xc3\x9f" "e\n"
        "\n"
        "Hello\n",
        kAlice, 1700000000));
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"), s.envelope_from);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, s.recipients.size());  // bob once, any case
    CPPUNIT_ASSERT_EQUAL(std::string("dave@elsewhere.example"), s.recipients[2]);
    CPPUNIT_ASSERT(Has(s.for_recipients, "From: Alice Liddell <alice@example.org>\r\n"));
    CPPUNIT_ASSERT(Has(s.for_recipients, "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"));
    CPPUNIT_ASSERT(Has(s.for_recipients, "Message-Id: <" + s.message_id + ">\r\n"));
    CPPUNIT_ASSERT(s.message_id.size() > 12 && s.message_id.ends_with("@example.org"));
    CPPUNIT_ASSERT(Has(s.for_recipients, "Subject: =?"));
    CPPUNIT_ASSERT(!Has(s.for_recipients, "\xc3\xbc"));
    CPPUNIT_ASSERT(!Has(s.for_recipients, "Bcc:"));
    CPPUNIT_ASSERT(Has(s.for_sent_items, "Bcc: dave@elsewhere.example\r\n"));
    CPPUNIT_ASSERT(Has(s.for_recipients, "\r\n\r\nHello\r\n"));
  }

  void testKeepsWhatTheClientSent() {
    const std::string raw =
        "From: \"A. L.\" <alice.alias@example.org>\r\n"
        "To: bob@example.org\r\n"
        "Date: Mon, 2 Jan 2023 10:00:00 +0000\r\n"
        "Message-ID: <given@example.org>\r\n"
        "Subject: plain\r\n"
        "\r\n"
        "Body\r\n";
    SenderIdentity alice = kAlice;
    alice.own_addresses = {"alice@example.org", "Alice.Alias@example.org"};
    auto s = Must(PrepareSubmission(raw, alice, 1700000000));
    CPPUNIT_ASSERT_EQUAL(std::string(), s.from_replaced);
    CPPUNIT_ASSERT_EQUAL(std::string("given@example.org"), s.message_id);
    CPPUNIT_ASSERT_EQUAL(raw, s.for_recipients);
    CPPUNIT_ASSERT_EQUAL(raw, s.for_sent_items);
  }

  // Nobody sends as a colleague or the boss: a From that is not one of
  // the sender's addresses (in any letter case) becomes the sender.
  void testForeignFromReplaced() {
    auto s = Must(PrepareSubmission(
        "From: \"The Boss\" <boss@example.org>\r\nTo: bob@example.org\r\n\r\nPay now\r\n", kAlice, 1));
    CPPUNIT_ASSERT(Has(s.for_recipients, "From: Alice Liddell <alice@example.org>\r\n"));
    CPPUNIT_ASSERT(!Has(s.for_recipients, "boss@"));
    CPPUNIT_ASSERT(!Has(s.for_sent_items, "boss@"));
    CPPUNIT_ASSERT(Has(s.from_replaced, "boss@example.org"));
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"), s.envelope_from);

    // Two mailboxes, one of them someone else's: the sender alone.
    s = Must(PrepareSubmission(
        "From: alice@example.org, carol@example.org\r\nTo: bob@example.org\r\n\r\nx\r\n", kAlice, 1));
    CPPUNIT_ASSERT(Has(s.for_recipients, "From: Alice Liddell <alice@example.org>\r\n"));
    CPPUNIT_ASSERT(!Has(s.for_recipients, "carol@"));

    // Her own address in another letter case is hers.
    s = Must(PrepareSubmission("From: Alice <ALICE@Example.org>\r\nTo: bob@example.org\r\n\r\nx\r\n",
                               kAlice, 1));
    CPPUNIT_ASSERT_EQUAL(std::string(), s.from_replaced);
    CPPUNIT_ASSERT(Has(s.for_recipients, "From: Alice <ALICE@Example.org>\r\n"));
  }

  void testBareFrom() {
    auto s = Must(PrepareSubmission("From: alice\r\nTo: bob\r\n\r\nx\r\n", kAlice, 1));
    CPPUNIT_ASSERT(Has(s.for_recipients, "From: Alice Liddell <alice@example.org>\r\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("bob"), s.recipients.at(0));
    s = Must(PrepareSubmission("From: Alice\r\nTo: bob\r\n\r\nx\r\n", SenderIdentity{"", "a@b.example", {}}, 1));
    CPPUNIT_ASSERT(Has(s.for_recipients, "From: Alice <a@b.example>\r\n"));
    s = Must(PrepareSubmission("Subject: none\r\n\r\nx\r\n", kAlice, 1));
    CPPUNIT_ASSERT(s.recipients.empty());
  }

  void testNoMessage() {
    ASSERT_CODE(Code::kInvalidArgument, PrepareSubmission("", kAlice, 1).status());
    ASSERT_CODE(Code::kInvalidArgument, PrepareSubmission("no header here\r\n", kAlice, 1).status());
  }

  void testClientIdsPerDeviceAndBounded() {
    auto store = storage::MustOpen(tmp_ + "/store");
    auto alice = storage::WriteValue<storage::UserRecord>(*store, [](storage::Txn& txn) {
      return CreateUserWithDefaultFolders(txn, storage::NewUser("alice"));
    });
    auto remember = [&](const std::string& device, const std::string& id, uint64_t now) {
      return storage::WriteValue<bool>(*store, [&](storage::Txn& txn) {
        return txn.RememberClientId(alice.id, device, id, now, 3);
      });
    };
    CPPUNIT_ASSERT(remember("PHONE", "a", 1));
    CPPUNIT_ASSERT(!remember("PHONE", "a", 2));
    CPPUNIT_ASSERT(remember("TABLET", "a", 2));
    CPPUNIT_ASSERT(remember("PHONE", "b", 3));
    CPPUNIT_ASSERT(remember("PHONE", "c", 4));
    CPPUNIT_ASSERT(remember("PHONE", "d", 5));  // keeps 3: "a" goes
    CPPUNIT_ASSERT(!remember("PHONE", "d", 6));
    CPPUNIT_ASSERT(!remember("PHONE", "b", 6));
    CPPUNIT_ASSERT(remember("PHONE", "a", 7));
    ASSERT_CODE(Code::kInvalidArgument, store->Write([&](storage::Txn& txn) {
      return txn.RememberClientId(alice.id, "PHONE", "", 1, 3).status();
    }));
  }

  void testOutgoingQueue() {
    auto store = storage::MustOpen(tmp_ + "/store");
    storage::OutgoingRecord r;
    r.user = 7;
    r.sender = "alice@example.org";
    r.recipients = {"x@elsewhere.example", "y@elsewhere.example"};
    r.message = std::string(100000, 'm');
    r.queued_at = 5;
    const uint64_t id = storage::WriteValue<uint64_t>(
        *store, [&](storage::Txn& txn) { return txn.QueueOutgoing(r); });
    auto got = storage::ReadValue<storage::OutgoingRecord>(
        *store, [&](storage::Txn& txn) { return txn.GetOutgoing(id); });
    CPPUNIT_ASSERT_EQUAL(id, got.id);
    CPPUNIT_ASSERT(got.recipients == r.recipients);
    CPPUNIT_ASSERT(got.message == r.message);
    got.attempts = 2;
    got.last_error = "421 try later";
    ASSERT_OK(store->Write([&](storage::Txn& txn) { return txn.UpdateOutgoing(got); }));
    auto all = storage::ReadValue<std::vector<storage::OutgoingRecord>>(
        *store, [&](storage::Txn& txn) { return txn.ListOutgoing(false); });
    CPPUNIT_ASSERT_EQUAL(size_t{1}, all.size());
    CPPUNIT_ASSERT_EQUAL(uint32_t{2}, all[0].attempts);
    CPPUNIT_ASSERT(all[0].message.empty());
    ASSERT_OK(store->Write([&](storage::Txn& txn) { return txn.DeleteOutgoing(id); }));
    ASSERT_CODE(Code::kNotFound,
                store->Write([&](storage::Txn& txn) { return txn.DeleteOutgoing(id); }));
  }

  void testSubmitInOneTransaction() {
    auto store = storage::MustOpen(tmp_ + "/store");
    storage::UserRecord alice, bob;
    ASSERT_OK(store->Write([&](storage::Txn& txn) -> Status {
      alice = Must(CreateUserWithDefaultFolders(txn, storage::NewUser("alice")));
      bob = Must(CreateUserWithDefaultFolders(txn, storage::NewUser("bob")));
      return Status::Ok();
    }));
    auto ready = Must(ReadyToSend(
        "To: bob@example.org, far@elsewhere.example\r\nBcc: bob.alias@example.org\r\n"
        "Subject: hi\r\n\r\nhello\r\n",
        IdentityOf(alice), 100));
    auto result = storage::WriteValue<SubmitResult>(*store, [&](storage::Txn& txn) {
      return Submit(txn, alice, *ready, true, 100);
    });
    CPPUNIT_ASSERT_EQUAL(size_t{2}, result.delivered_to.size());  // bob, twice by name
    CPPUNIT_ASSERT(result.saved);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, result.queued_for.size());
    auto queued = storage::ReadValue<storage::OutgoingRecord>(
        *store, [&](storage::Txn& txn) { return txn.GetOutgoing(result.queue_id); });
    CPPUNIT_ASSERT_EQUAL(std::string("far@elsewhere.example"), queued.recipients.at(0));
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"), queued.sender);
    CPPUNIT_ASSERT(!Has(queued.message, "Bcc:"));
    // bob has it once, though named twice.
    auto inbox = storage::ReadValue<storage::FolderRecord>(*store, [&](storage::Txn& txn) {
      return DeliveryFolder(txn, bob, "");
    });
    auto items = storage::ReadValue<std::vector<storage::ItemRecord>>(
        *store, [&](storage::Txn& txn) { return txn.ItemsAfter(inbox.id, 0, 10); });
    CPPUNIT_ASSERT_EQUAL(size_t{1}, items.size());
  }

 private:
  std::string tmp_;
};

}  // namespace

CPPUNIT_TEST_SUITE_REGISTRATION(SubmissionTest);

}  // namespace eas::core::mail
