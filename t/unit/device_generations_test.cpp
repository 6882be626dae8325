// Tests of the shared device generation table that makes a device's newest
// request end its held Ping across workers.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/push/device_generations.hpp"

namespace eas::core::push {

class DeviceGenerationsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DeviceGenerationsTest);
  CPPUNIT_TEST(testBumpMakesOlderTokensStale);
  CPPUNIT_TEST(testDevicesAreApart);
  CPPUNIT_TEST(testFullSetEvictsWithoutEndingTheEvicted);
  CPPUNIT_TEST(testSharedAcrossProcesses);
  CPPUNIT_TEST(testRejectsUnformattedRegion);
  CPPUNIT_TEST_SUITE_END();

 public:
  void tearDown() override {
    if (region_ != nullptr) munmap(region_, size_);
    region_ = nullptr;
  }

  void testBumpMakesOlderTokensStale() {
    DeviceGenerations g = Make(1024);
    uint64_t epoch = g.Epoch();
    DeviceGenerations::Token first = g.Bump("alice", "PHONE");
    CPPUNIT_ASSERT(g.Epoch() > epoch);
    CPPUNIT_ASSERT(!g.Stale(first));
    DeviceGenerations::Token second = g.Bump("alice", "PHONE");
    CPPUNIT_ASSERT_EQUAL(first.slot, second.slot);
    CPPUNIT_ASSERT(first.word != second.word);
    CPPUNIT_ASSERT(g.Stale(first));
    CPPUNIT_ASSERT(!g.Stale(second));
    // A token from nowhere is stale, never a crash.
    CPPUNIT_ASSERT(g.Stale(DeviceGenerations::Token{1u << 30, 1}));
  }

  void testDevicesAreApart() {
    DeviceGenerations g = Make(1024);
    auto phone = g.Bump("alice", "PHONE");
    auto tablet = g.Bump("alice", "TABLET");
    auto bobs = g.Bump("bob", "PHONE");
    auto split = g.Bump("alic", "ePHONE");  // names are length-prefixed
    g.Bump("alice", "TABLET");
    g.Bump("bob", "PHONE");
    g.Bump("alic", "ePHONE");
    CPPUNIT_ASSERT(!g.Stale(phone));
    CPPUNIT_ASSERT(g.Stale(tablet));
    CPPUNIT_ASSERT(g.Stale(bobs));
    CPPUNIT_ASSERT(g.Stale(split));
  }

  // One set of 8 ways: a 9th device takes the least recently bumped way;
  // the evicted device's held token is not ended by that (no eviction
  // loops), and its next bump gets a way again and ends nobody else's.
  void testFullSetEvictsWithoutEndingTheEvicted() {
    DeviceGenerations g = Make(8);
    std::vector<DeviceGenerations::Token> t;
    for (int i = 0; i < 8; ++i) t.push_back(g.Bump("u", "D" + std::to_string(i)));
    g.Bump("u", "D0");  // D1 is now the least recently bumped
    t[0] = g.Bump("u", "D0");
    auto ninth = g.Bump("u", "D8");
    CPPUNIT_ASSERT_EQUAL(t[1].slot, ninth.slot);
    CPPUNIT_ASSERT(!g.Stale(t[1]));
    for (int i = 0; i < 8; ++i) CPPUNIT_ASSERT(!g.Stale(t[i]));
    auto again = g.Bump("u", "D1");  // evicts D2
    CPPUNIT_ASSERT_EQUAL(t[2].slot, again.slot);
    CPPUNIT_ASSERT(!g.Stale(ninth));
    CPPUNIT_ASSERT(!g.Stale(again));
  }

  void testSharedAcrossProcesses() {
    DeviceGenerations g = Make(4096);
    auto mine = g.Bump("alice", "PHONE");
    auto other = g.Bump("bob", "PHONE");
    uint64_t epoch = g.Epoch();
    pid_t pid = fork();
    CPPUNIT_ASSERT(pid >= 0);
    if (pid == 0) {
      try {
        DeviceGenerations child(region_, size_);
        child.Bump("alice", "PHONE");
        _exit(0);
      } catch (...) {
        _exit(1);
      }
    }
    int status = 0;
    CPPUNIT_ASSERT_EQUAL(pid, waitpid(pid, &status, 0));
    CPPUNIT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CPPUNIT_ASSERT(g.Epoch() > epoch);
    CPPUNIT_ASSERT(g.Stale(mine));
    CPPUNIT_ASSERT(!g.Stale(other));
  }

  void testRejectsUnformattedRegion() {
    size_ = DeviceGenerations::RegionSize(64);
    region_ = Map(size_);
    CPPUNIT_ASSERT_THROW(DeviceGenerations(region_, size_), std::invalid_argument);
    DeviceGenerations::Format(region_, size_);
    CPPUNIT_ASSERT_THROW(DeviceGenerations(region_, 64), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(DeviceGenerations::Format(region_, 16), std::invalid_argument);
  }

 private:
  static void* Map(size_t size) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CPPUNIT_ASSERT(p != MAP_FAILED);
    return p;
  }
  DeviceGenerations Make(size_t slots) {
    size_ = DeviceGenerations::RegionSize(slots);
    region_ = Map(size_);
    DeviceGenerations::Format(region_, size_);
    return DeviceGenerations(region_, size_);
  }

  void* region_ = nullptr;
  size_t size_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeviceGenerationsTest);

}  // namespace eas::core::push
