// The slow hash's gate: never more hashes at once than its slots, one at
// a time per user, and a phone that waited for another of its user's
// hashes is told so (it looks in the credential cache again instead of
// hashing the same password once more).
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/auth/hash_gate.hpp"

namespace eas::core::auth {
namespace {

class HashGateTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HashGateTest);
  CPPUNIT_TEST(testNoMoreThanItsSlots);
  CPPUNIT_TEST(testOneAtATimePerUser);
  CPPUNIT_TEST_SUITE_END();

  // Runs `threads` hashes (20 ms each) for the users `user_of` names, and
  // returns the most that ran at once.
  template <typename UserOf>
  size_t MostAtOnce(HashGate& gate, size_t threads, UserOf user_of, std::atomic<size_t>* waited) {
    std::atomic<size_t> running{0}, most{0};
    std::vector<std::thread> pool;
    for (size_t i = 0; i < threads; ++i) {
      pool.emplace_back([&, i] {
        HashGate::Turn turn = gate.Enter(user_of(i));
        size_t now = ++running;
        size_t seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        --running;
        if (turn.waited_for_same_user()) ++*waited;
      });
    }
    for (auto& t : pool) t.join();
    return most.load();
  }

 public:
  void testNoMoreThanItsSlots() {
    HashGate gate(2);
    std::atomic<size_t> waited{0};
    size_t most = MostAtOnce(gate, 12, [](size_t i) { return "user" + std::to_string(i); }, &waited);
    CPPUNIT_ASSERT(most <= 2);
    CPPUNIT_ASSERT(most >= 1);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, waited.load());  // all different users
  }

  void testOneAtATimePerUser() {
    HashGate gate(8);
    std::atomic<size_t> waited{0};
    size_t most = MostAtOnce(gate, 6, [](size_t) { return std::string("alice"); }, &waited);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, most);
    // The first in never waits; the others find their user busy (unless a
    // thread started only after all before it were done: not in 20 ms).
    CPPUNIT_ASSERT(waited.load() >= 1);
    CPPUNIT_ASSERT(waited.load() <= 5);
  }
};

}  // namespace

CPPUNIT_TEST_SUITE_REGISTRATION(HashGateTest);

}  // namespace eas::core::auth
