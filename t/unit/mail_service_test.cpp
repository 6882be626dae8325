// The LMTP façade over a real store: RCPT's lookup, a group of messages
// committed in one write transaction (the change feed moves by one), a
// duplicate answered as delivered, a recipient deleted after RCPT, an
// empty message rejected before the store, and a message too big for the
// store failing alone while the rest of its group is stored.
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "core/mail/delivery.hpp"
#include "core/mail_service.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::core {
namespace {

using mail::DeliveryOutcome;
using mail::RecipientCheck;
using storage::Must;
using storage::Txn;

std::string Message(const std::string& id, const std::string& subject, size_t padding = 0) {
  return "From: sender@example.com\r\nTo: alice@example.org\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + id + ">\r\n\r\nHello.\r\n" + std::string(padding, 'x') + "\r\n";
}

std::unique_ptr<MailJob> Job(const std::string& data, std::vector<std::string> recipients) {
  auto job = std::make_unique<MailJob>();
  job->message.sender = "sender@example.com";
  job->message.recipients = std::move(recipients);
  job->message.data = data;
  job->received = 1800000000;
  return job;
}

}  // namespace

class MailServiceTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MailServiceTest);
  CPPUNIT_TEST(testCheckRecipient);
  CPPUNIT_TEST(testGroupCommitIsOneTransaction);
  CPPUNIT_TEST(testDuplicates);
  CPPUNIT_TEST(testRecipientGoneSinceRcpt);
  CPPUNIT_TEST(testEmptyMessageRejected);
  CPPUNIT_TEST(testTooBigForTheStoreFailsAlone);
  CPPUNIT_TEST(testLongMessageId);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-mail-service-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
  }
  void tearDown() override {
    service_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(tmp_, ec);
  }

  void Open(const storage::OpenOptions& options = {}) {
    store_ = Must(storage::Store::Open(tmp_ + "/store", options));
    service_ = MailService::Open(store_);
    for (const char* name : {"alice", "bob"}) {
      storage::UserRecord u;
      u.name = name;
      u.addresses = {std::string(name) + "@example.org"};
      ASSERT_OK(store_->Write([&](Txn& txn) {
        return CreateUserWithDefaultFolders(txn, u).status();
      }));
    }
  }

  // Messages in the user's Inbox.
  size_t InboxCount(const std::string& name) {
    size_t n = 0;
    ASSERT_OK(store_->Read([&](Txn& txn) -> Status {
      auto user = txn.GetUser(name);
      if (!user.ok()) return user.status();
      auto inbox = mail::DeliveryFolder(txn, *user, "");
      if (!inbox.ok()) return inbox.status();
      auto items = txn.ItemsAfter(inbox->id, 0, 100000);
      if (!items.ok()) return items.status();
      n = items->size();
      return Status::Ok();
    }));
    return n;
  }

  uint64_t ChangeSeq() {
    uint64_t seq = 0;
    ASSERT_OK(store_->Read([&](Txn& txn) -> Status {
      auto s = txn.ChangeSeq();
      if (s.ok()) seq = *s;
      return s.status();
    }));
    return seq;
  }

  void Deliver(const std::vector<MailJob*>& batch) {
    for (MailJob* job : batch) MailService::Prepare(*job);
    service_->Commit(batch);
  }

  void testCheckRecipient() {
    Open();
    LogLine log{LogLevel::kInfo, {}};
    CPPUNIT_ASSERT(service_->CheckRecipient("alice", &log) == RecipientCheck::kAccept);
    CPPUNIT_ASSERT(service_->CheckRecipient("BOB@example.org", &log) == RecipientCheck::kAccept);
    CPPUNIT_ASSERT(service_->CheckRecipient("<bob@example.org>", &log) == RecipientCheck::kAccept);
    CPPUNIT_ASSERT(service_->CheckRecipient("nobody@example.org", &log) ==
                   RecipientCheck::kUnknown);
    CPPUNIT_ASSERT(log.text.empty());
  }

  void testGroupCommitIsOneTransaction() {
    Open();
    auto one = Job(Message("1@x", "one"), {"alice"});
    auto two = Job(Message("2@x", "two"), {"bob@example.org", "alice@example.org"});
    auto three = Job(Message("3@x", "three"), {"BOB"});
    const uint64_t before = ChangeSeq();
    Deliver({one.get(), two.get(), three.get()});
    CPPUNIT_ASSERT_EQUAL(before + 1, ChangeSeq());
    CPPUNIT_ASSERT(one->outcomes == std::vector<DeliveryOutcome>{DeliveryOutcome::kDelivered});
    CPPUNIT_ASSERT(two->outcomes == std::vector<DeliveryOutcome>(2, DeliveryOutcome::kDelivered));
    CPPUNIT_ASSERT(three->outcomes == std::vector<DeliveryOutcome>{DeliveryOutcome::kDelivered});
    CPPUNIT_ASSERT_EQUAL(size_t{2}, InboxCount("alice"));
    CPPUNIT_ASSERT_EQUAL(size_t{2}, InboxCount("bob"));
    bool said = false;
    for (const auto& line : one->log) said = said || line.text.find("3 messages committed together") != std::string::npos;
    CPPUNIT_ASSERT(said);
  }

  // Handed over again (a lost 250), or named twice in one message: the
  // mailbox keeps one copy and the answer is still a success.
  void testDuplicates() {
    Open();
    auto first = Job(Message("d@x", "dup"), {"alice"});
    Deliver({first.get()});
    auto again = Job(Message("d@x", "dup"), {"alice", "bob", "alice@example.org"});
    Deliver({again.get()});
    CPPUNIT_ASSERT(again->outcomes == (std::vector<DeliveryOutcome>{
        DeliveryOutcome::kDuplicate, DeliveryOutcome::kDelivered, DeliveryOutcome::kDuplicate}));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxCount("alice"));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxCount("bob"));
  }

  void testRecipientGoneSinceRcpt() {
    Open();
    auto job = Job(Message("g@x", "gone"), {"bob", "alice"});
    MailService::Prepare(*job);
    ASSERT_OK(store_->Write([](Txn& txn) { return txn.DeleteUser("bob"); }));
    service_->Commit({job.get()});
    CPPUNIT_ASSERT(job->outcomes == (std::vector<DeliveryOutcome>{DeliveryOutcome::kUnknown,
                                                                  DeliveryOutcome::kDelivered}));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxCount("alice"));
  }

  void testEmptyMessageRejected() {
    Open();
    auto empty = Job("", {"alice", "bob"});
    auto fine = Job(Message("f@x", "fine"), {"alice"});
    Deliver({empty.get(), fine.get()});
    CPPUNIT_ASSERT(empty->outcomes == std::vector<DeliveryOutcome>(2, DeliveryOutcome::kRejected));
    CPPUNIT_ASSERT(fine->outcomes == std::vector<DeliveryOutcome>{DeliveryOutcome::kDelivered});
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxCount("alice"));
  }

  // A store that cannot grow enough for one message: that message gets
  // 452 (store full), the small ones of its group are stored one by one.
  void testTooBigForTheStoreFailsAlone() {
    storage::OpenOptions small;
    small.initial_map_size = 1 << 20;
    small.max_map_size = 2 << 20;
    Open(small);
    auto a = Job(Message("a@x", "a"), {"alice"});
    auto huge = Job(Message("h@x", "huge", 3 << 20), {"alice", "bob"});
    auto b = Job(Message("b@x", "b"), {"bob"});
    Deliver({a.get(), huge.get(), b.get()});
    CPPUNIT_ASSERT(a->outcomes == std::vector<DeliveryOutcome>{DeliveryOutcome::kDelivered});
    CPPUNIT_ASSERT(huge->outcomes == std::vector<DeliveryOutcome>(2, DeliveryOutcome::kStoreFull));
    CPPUNIT_ASSERT(b->outcomes == std::vector<DeliveryOutcome>{DeliveryOutcome::kDelivered});
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxCount("alice"));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxCount("bob"));
    CPPUNIT_ASSERT(!huge->log.empty() && huge->log.back().level == LogLevel::kError);
  }

  // A Message-ID longer than the store's blob keys: stored, and still
  // recognised when handed over again.
  void testLongMessageId() {
    Open();
    const std::string id = std::string(900, 'i') + "@x";
    auto first = Job(Message(id, "long"), {"alice"});
    Deliver({first.get()});
    CPPUNIT_ASSERT(first->outcomes == std::vector<DeliveryOutcome>{DeliveryOutcome::kDelivered});
    auto again = Job(Message(id, "long"), {"alice"});
    Deliver({again.get()});
    CPPUNIT_ASSERT(again->outcomes == std::vector<DeliveryOutcome>{DeliveryOutcome::kDuplicate});
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxCount("alice"));
  }

 private:
  std::string tmp_;
  std::shared_ptr<storage::Store> store_;
  std::unique_ptr<MailService> service_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MailServiceTest);

}  // namespace eas::core
