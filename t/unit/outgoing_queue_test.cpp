// The outgoing queue's runner with a relay the test plays: sent entries
// leave the queue, a 4xx defers with a doubling delay, a 5xx (or a message
// deferred too long) becomes a bounce in the sender's Inbox, an entry
// claimed by one run is not sent by another, and a lapsed claim is taken
// again; each entry is claimed when its turn comes, for three relay
// timeouts.
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <string>

#include "core/default_folders.hpp"
#include "core/mail/bounce.hpp"
#include "core/mail/delivery.hpp"
#include "core/mail/outgoing_queue.hpp"
#include "storage/store.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::core::mail {
namespace {

using storage::Must;

class OutgoingQueueTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OutgoingQueueTest);
  CPPUNIT_TEST(testRetryDelayDoubles);
  CPPUNIT_TEST(testSentDeferredBounced);
  CPPUNIT_TEST(testClaimKeepsOthersOff);
  CPPUNIT_TEST(testClaimFollowsTimeoutAndClock);
  CPPUNIT_TEST(testSomeRecipientsRefused);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-queue-test-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
    store_ = storage::MustOpen(tmp_ + "/store");
    alice_ = storage::WriteValue<storage::UserRecord>(*store_, [](storage::Txn& txn) {
      return CreateUserWithDefaultFolders(txn, storage::NewUser("alice"));
    });
  }
  void tearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(tmp_, ec);
  }

  uint64_t Queue(const std::string& to, uint64_t now) {
    return Queue(std::vector<std::string>{to}, now);
  }
  uint64_t Queue(const std::vector<std::string>& recipients, uint64_t now) {
    const std::string& to = recipients.at(0);
    storage::OutgoingRecord r;
    r.user = alice_.id;
    r.sender = "alice@example.org";
    r.recipients = recipients;
    r.message = "From: alice@example.org\r\nTo: " + to + "\r\nSubject: s\r\n\r\nbody\r\n";
    r.queued_at = now;
    return storage::WriteValue<uint64_t>(*store_,
                                         [&](storage::Txn& txn) { return txn.QueueOutgoing(r); });
  }
  std::vector<storage::OutgoingRecord> Entries() {
    return storage::ReadValue<std::vector<storage::OutgoingRecord>>(
        *store_, [](storage::Txn& txn) { return txn.ListOutgoing(false); });
  }
  size_t InboxSize() {
    auto inbox = storage::ReadValue<storage::FolderRecord>(
        *store_, [&](storage::Txn& txn) { return DeliveryFolder(txn, alice_, ""); });
    return storage::ReadValue<std::vector<storage::ItemRecord>>(
               *store_, [&](storage::Txn& txn) { return txn.ItemsAfter(inbox.id, 0, 100); })
        .size();
  }

  void testRetryDelayDoubles() {
    RelayOptions relay;
    relay.retry_s = 60;
    CPPUNIT_ASSERT_EQUAL(uint64_t{60}, RetryDelay(relay, 1));
    CPPUNIT_ASSERT_EQUAL(uint64_t{120}, RetryDelay(relay, 2));
    CPPUNIT_ASSERT_EQUAL(uint64_t{3600}, RetryDelay(relay, 30));
  }

  void testSentDeferredBounced() {
    RelayOptions relay;
    relay.retry_s = 10;
    Queue("ok@far.example", 1000);
    Queue("later@far.example", 1000);
    Queue("never@far.example", 1000);
    std::vector<std::string> tried;
    SmtpSend relay_says = [&](const storage::OutgoingRecord& e) {
      tried.push_back(e.recipients.at(0));
      SmtpReply r;
      if (e.recipients[0] == "ok@far.example") r.outcome = SmtpOutcome::kSent;
      if (e.recipients[0] == "never@far.example") {
        r.outcome = SmtpOutcome::kPermanent;
        r.text = "550 5.1.1 no such user";
      }
      if (e.recipients[0] == "later@far.example") r.text = "451 try later";
      return r;
    };
    QueueRun run = RunOutgoingQueue(*store_, relay, relay_says, 1000);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.sent);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.deferred);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.bounced);
    auto left = Entries();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, left.size());
    CPPUNIT_ASSERT_EQUAL(uint64_t{1010}, left[0].next_attempt);
    CPPUNIT_ASSERT_EQUAL(std::string("451 try later"), left[0].last_error);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxSize());  // the bounce

    // Not due yet: nothing is tried.
    tried.clear();
    RunOutgoingQueue(*store_, relay, relay_says, 1005);
    CPPUNIT_ASSERT(tried.empty());
    // Deferred past give_up_s: returned to the sender without a try.
    relay.give_up_s = 100;
    run = RunOutgoingQueue(*store_, relay, relay_says, 1200);
    CPPUNIT_ASSERT(tried.empty());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.bounced);
    CPPUNIT_ASSERT(Entries().empty());
    CPPUNIT_ASSERT_EQUAL(size_t{2}, InboxSize());
  }

  // A typo next to real addresses: the relay takes the message for the
  // good ones, the bounce names only the refused one, and a recipient it
  // asked to try later is the only one tried again.
  void testSomeRecipientsRefused() {
    RelayOptions relay;
    relay.retry_s = 10;
    Queue({"ok@far.example", "typo@far.example", "busy@far.example"}, 1000);
    std::vector<std::vector<std::string>> tried;
    SmtpSend relay_says = [&](const storage::OutgoingRecord& e) {
      tried.push_back(e.recipients);
      SmtpReply r{SmtpOutcome::kSent, 250, "250 queued", {}};
      for (const auto& to : e.recipients) {
        if (to == "typo@far.example") r.refused.push_back({to, 550, "550 5.1.1 no such user"});
        if (to == "busy@far.example" && tried.size() == 1) {
          r.refused.push_back({to, 452, "452 4.2.2 mailbox full"});
        }
      }
      return r;
    };
    QueueRun run = RunOutgoingQueue(*store_, relay, relay_says, 1000);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.sent);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.bounced);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.deferred);
    auto left = Entries();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, left.size());
    CPPUNIT_ASSERT(left[0].recipients == std::vector<std::string>{"busy@far.example"});
    CPPUNIT_ASSERT_EQUAL(uint64_t{1010}, left[0].next_attempt);
    CPPUNIT_ASSERT_EQUAL(std::string("452 4.2.2 mailbox full"), left[0].last_error);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxSize());  // one bounce, for the typo

    run = RunOutgoingQueue(*store_, relay, relay_says, 1010);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, tried.size());
    CPPUNIT_ASSERT(tried[1] == std::vector<std::string>{"busy@far.example"});
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.sent);
    CPPUNIT_ASSERT(Entries().empty());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxSize());  // no second bounce
  }

  void testClaimKeepsOthersOff() {
    RelayOptions relay;
    Queue("x@far.example", 1000);
    size_t inner_sends = 0;
    SmtpSend inner = [&](const storage::OutgoingRecord&) {
      ++inner_sends;
      return SmtpReply{SmtpOutcome::kSent, 250, "250 ok", {}};
    };
    // While the first run holds the entry, a second run finds nothing due.
    SmtpSend outer = [&](const storage::OutgoingRecord&) {
      RunOutgoingQueue(*store_, relay, inner, 1001);
      return SmtpReply{SmtpOutcome::kTransient, 0, "connection refused", {}};
    };
    RunOutgoingQueue(*store_, relay, outer, 1000);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, inner_sends);
    // A claim that lapsed (its worker died) is taken again.
    Queue("y@far.example", 2000);
    ASSERT_OK(store_->Write([&](storage::Txn& txn) -> Status {
      for (auto e : Must(txn.ListOutgoing(false))) {
        auto full = Must(txn.GetOutgoing(e.id));
        full.next_attempt = 0;
        full.claimed_until = 2100;
        Status s = txn.UpdateOutgoing(full);
        if (!s.ok()) return s;
      }
      return Status::Ok();
    }));
    RunOutgoingQueue(*store_, relay, inner, 2050);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, inner_sends);
    RunOutgoingQueue(*store_, relay, inner, 2101);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, inner_sends);
    CPPUNIT_ASSERT(Entries().empty());
  }

  // A worker killed while sending holds only the entry it was sending, and
  // for three relay timeouts from the moment it claimed it (the clock
  // moves on while the entries before it are sent).
  void testClaimFollowsTimeoutAndClock() {
    RelayOptions relay;
    relay.timeout_ms = 2000;
    CPPUNIT_ASSERT_EQUAL(uint64_t{7}, ClaimHold(relay));
    relay.timeout_ms = 30000;
    CPPUNIT_ASSERT_EQUAL(uint64_t{91}, ClaimHold(relay));
    relay.timeout_ms = 2000;
    uint64_t first = Queue("first@far.example", 1000);
    uint64_t second = Queue("second@far.example", 1000);
    uint64_t clock_now = 1000;
    std::vector<std::pair<uint64_t, uint64_t>> seen;  // id, claimed_until at its send
    SmtpSend slow = [&](const storage::OutgoingRecord&) {
      for (const auto& head : Entries()) {
        auto full = storage::ReadValue<storage::OutgoingRecord>(
            *store_, [&](storage::Txn& txn) { return txn.GetOutgoing(head.id); });
        seen.emplace_back(head.id, full.claimed_until);
      }
      clock_now += 20;  // a slow relay
      return SmtpReply{SmtpOutcome::kSent, 250, "250 ok", {}};
    };
    RunOutgoingQueue(*store_, relay, slow, Clock([&] { return clock_now; }));
    // First send: the first entry claimed until 1007, the second not yet.
    CPPUNIT_ASSERT_EQUAL(size_t{3}, seen.size());
    CPPUNIT_ASSERT_EQUAL(first, seen[0].first);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1007}, seen[0].second);
    CPPUNIT_ASSERT_EQUAL(second, seen[1].first);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, seen[1].second);
    // Second send, 20 s later: claimed from then on, not from the start.
    CPPUNIT_ASSERT_EQUAL(second, seen[2].first);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1027}, seen[2].second);
    CPPUNIT_ASSERT(Entries().empty());
  }

 private:
  std::string tmp_;
  std::unique_ptr<storage::Store> store_;
  storage::UserRecord alice_;
};

}  // namespace

CPPUNIT_TEST_SUITE_REGISTRATION(OutgoingQueueTest);

}  // namespace eas::core::mail
