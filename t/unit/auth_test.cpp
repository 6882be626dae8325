// Account names, password hashes and the shared credential cache. The cache
// tests run two processes over one MAP_SHARED region, as nginx workers do.
#include <cppunit/extensions/HelperMacros.h>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/auth/credential_cache.hpp"
#include "core/auth/password_hash.hpp"
#include "core/auth/user_name.hpp"

using eas::core::auth::CanonicalUserName;
using eas::core::auth::CredentialCache;
using eas::core::auth::HashParams;
using eas::core::auth::HashPassword;
using eas::core::auth::VerifyPassword;

namespace {

// Cheap scrypt so the suite stays fast; the format is the same.
const HashParams kFast{1u << 10};

// An anonymous shared mapping: what a forked worker would inherit.
class SharedRegion {
 public:
  explicit SharedRegion(size_t size) : size_(size) {
    ptr_ = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (ptr_ == MAP_FAILED) throw std::runtime_error("mmap failed");
  }
  ~SharedRegion() { munmap(ptr_, size_); }
  SharedRegion(const SharedRegion&) = delete;
  SharedRegion& operator=(const SharedRegion&) = delete;
  void* get() const { return ptr_; }
  size_t size() const { return size_; }

 private:
  void* ptr_;
  size_t size_;
};

// Runs `child` in a forked process; true if it exited with status 0.
template <class F>
pid_t Spawn(F child) {
  pid_t pid = fork();
  if (pid == 0) {
    int rc = 1;
    try {
      rc = child() ? 0 : 1;
    } catch (...) {
    }
    _exit(rc);
  }
  return pid;
}

bool Reap(pid_t pid) {
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

std::string Flip(std::string s, size_t pos) {
  s[pos] = s[pos] == 'A' ? 'B' : 'A';
  return s;
}

}  // namespace

class AuthTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AuthTest);
  CPPUNIT_TEST(CanonicalNames);
  CPPUNIT_TEST(HashAndVerify);
  CPPUNIT_TEST(HashDefaultParams);
  CPPUNIT_TEST(TamperedHashesFail);
  CPPUNIT_TEST(AbsurdParamsRefused);
  CPPUNIT_TEST(CacheRememberLookup);
  CPPUNIT_TEST(CacheExpiry);
  CPPUNIT_TEST(CacheRegionChecks);
  CPPUNIT_TEST(CacheSharedBetweenObjects);
  CPPUNIT_TEST(CacheSharedBetweenProcesses);
  CPPUNIT_TEST(FailureDelays);
  CPPUNIT_TEST(FailureWindowAndClear);
  CPPUNIT_TEST(FailuresCountedExactlyUnderContention);
  CPPUNIT_TEST(LookupsNeverFalselyHitUnderContention);
  CPPUNIT_TEST_SUITE_END();

 public:
  void CanonicalNames() {
    CPPUNIT_ASSERT_EQUAL(std::string("alice"), CanonicalUserName("alice"));
    CPPUNIT_ASSERT_EQUAL(std::string("alice"), CanonicalUserName("Alice"));
    CPPUNIT_ASSERT_EQUAL(std::string("alice"), CanonicalUserName("CORP\\Alice"));
    CPPUNIT_ASSERT_EQUAL(std::string("alice"), CanonicalUserName("Alice@Example.ORG"));
    CPPUNIT_ASSERT_EQUAL(std::string("alice"), CanonicalUserName("CORP\\ALICE@example.org"));
    CPPUNIT_ASSERT_EQUAL(std::string("a@b"), CanonicalUserName("a@b@example.org"));
    CPPUNIT_ASSERT_EQUAL(std::string(""), CanonicalUserName(""));
    CPPUNIT_ASSERT_EQUAL(std::string(""), CanonicalUserName("CORP\\"));
    // Only ASCII folds; UTF-8 bytes pass through untouched.
    CPPUNIT_ASSERT_EQUAL(std::string("j\xc3\x9crgen"), CanonicalUserName("J\xc3\x9cRGEN"));
  }

  void HashAndVerify() {
    std::string h = HashPassword("correct horse", kFast);
    CPPUNIT_ASSERT_EQUAL(std::string("$scrypt$ln=10,r=8,p=1$"), h.substr(0, 22));
    CPPUNIT_ASSERT(VerifyPassword("correct horse", h));
    CPPUNIT_ASSERT(!VerifyPassword("correct horse ", h));
    CPPUNIT_ASSERT(!VerifyPassword("", h));
    std::string h2 = HashPassword("correct horse", kFast);
    CPPUNIT_ASSERT(h != h2);  // fresh salt each time
    CPPUNIT_ASSERT(VerifyPassword("correct horse", h2));
    std::string empty = HashPassword("", kFast);
    CPPUNIT_ASSERT(VerifyPassword("", empty));
    CPPUNIT_ASSERT(!VerifyPassword("x", empty));
    CPPUNIT_ASSERT_THROW(HashPassword("x", HashParams{1000}), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(HashPassword("x", HashParams{1u << 21}), std::invalid_argument);
  }

  // The default cost must work too: OpenSSL's own memory ceiling (32 MiB)
  // is just below what N=2^15, r=8 needs.
  void HashDefaultParams() {
    std::string h = HashPassword("pw");
    CPPUNIT_ASSERT_EQUAL(std::string("$scrypt$ln=15,r=8,p=1$"), h.substr(0, 22));
    CPPUNIT_ASSERT(VerifyPassword("pw", h));
  }

  void TamperedHashesFail() {
    std::string h = HashPassword("pw", kFast);
    size_t last = h.rfind('$');
    CPPUNIT_ASSERT(!VerifyPassword("pw", Flip(h, last + 3)));      // hash bytes
    CPPUNIT_ASSERT(!VerifyPassword("pw", Flip(h, last - 3)));      // salt bytes
    CPPUNIT_ASSERT(!VerifyPassword("pw", h.substr(0, h.size() - 1)));
    CPPUNIT_ASSERT(!VerifyPassword("pw", h + "A"));
    CPPUNIT_ASSERT(!VerifyPassword("pw", h + "$"));
    std::string other_cost = h;
    other_cost.replace(other_cost.find("ln=10"), 5, "ln=11");
    CPPUNIT_ASSERT(!VerifyPassword("pw", other_cost));
    for (const char* bad :
         {"", "$", "$scrypt$", "$scrypt$ln=10,r=8,p=1$$", "$scrypt$ln=10,r=8,p=1$AAAA",
          "$scrypt$ln=,r=8,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
          "$scrypt$ln=10,r=8$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
          "$scrypt$ln=99999999999999999999,r=8,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
          "$scrypt$ln=10,r=8,p=1$AA$AAAAAAAAAAAAAAAAAAAAAA",            // salt too short
          "$scrypt$ln=10,r=8,p=1$AAAAAAAAAAA$AAAA",                     // hash too short
          "$scrypt$ln=10,r=8,p=1$A*AAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",   // not base64
          "$argon2id$v=19$m=65536,t=3,p=4$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
          "plaintext"})
      CPPUNIT_ASSERT_MESSAGE(bad, !VerifyPassword("pw", bad));
  }

  // A corrupt record must not make a worker allocate gigabytes.
  void AbsurdParamsRefused() {
    std::string h = HashPassword("pw", kFast);
    std::string tail = h.substr(h.find('$', 8));  // "$salt$hash"
    for (const char* params : {"ln=21,r=8,p=1", "ln=20,r=16,p=1", "ln=0,r=8,p=1",
                               "ln=10,r=0,p=1", "ln=10,r=8,p=0", "ln=10,r=1000,p=1",
                               "ln=10,r=8,p=1000000", "ln=64,r=8,p=1"}) {
      auto start = std::chrono::steady_clock::now();
      CPPUNIT_ASSERT_MESSAGE(params, !VerifyPassword("pw", "$scrypt$" + std::string(params) + tail));
      CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(50));
    }
  }

  void CacheRememberLookup() {
    std::vector<uint64_t> region(CredentialCache::RegionSize(64) / 8 + 1);
    CredentialCache::Format(region.data(), region.size() * 8);
    CredentialCache cache(region.data(), region.size() * 8);
    CPPUNIT_ASSERT(!cache.Lookup("alice", "pw", "$h1", 1000));
    cache.Remember("alice", "pw", "$h1", 1000, 300);
    CPPUNIT_ASSERT(cache.Lookup("alice", "pw", "$h1", 1000));
    CPPUNIT_ASSERT(!cache.Lookup("alice", "pW", "$h1", 1000));   // wrong password
    CPPUNIT_ASSERT(!cache.Lookup("alice", "pw", "$h2", 1000));   // password changed
    CPPUNIT_ASSERT(!cache.Lookup("bob", "pw", "$h1", 1000));     // other user
    CPPUNIT_ASSERT(!cache.Lookup("alic", "epw", "$h1", 1000));   // no ambiguity in the key
    cache.Remember("alice", "pw", "$h1", 1000, 0);
    CPPUNIT_ASSERT(!cache.Lookup("alice", "pw", "$h1", 1000));   // ttl 0 forgets
  }

  void CacheExpiry() {
    std::vector<uint64_t> region(CredentialCache::RegionSize(16) / 8 + 1);
    CredentialCache::Format(region.data(), region.size() * 8);
    CredentialCache cache(region.data(), region.size() * 8);
    cache.Remember("alice", "pw", "$h", 1000, 60);
    CPPUNIT_ASSERT(cache.Lookup("alice", "pw", "$h", 1059));
    CPPUNIT_ASSERT(!cache.Lookup("alice", "pw", "$h", 1060));
    cache.Remember("alice", "pw", "$h", 1060, UINT64_MAX);  // saturates, never wraps
    CPPUNIT_ASSERT(cache.Lookup("alice", "pw", "$h", UINT64_MAX - 1));
  }

  void CacheRegionChecks() {
    std::vector<uint64_t> region(CredentialCache::RegionSize(8) / 8);
    CPPUNIT_ASSERT_THROW(CredentialCache(region.data(), region.size() * 8), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(CredentialCache::Format(region.data(), 64), std::invalid_argument);
    CredentialCache::Format(region.data(), region.size() * 8);
    CPPUNIT_ASSERT_THROW(CredentialCache(region.data(), 64), std::invalid_argument);
    CredentialCache ok(region.data(), region.size() * 8);
    CPPUNIT_ASSERT(CredentialCache::RegionSize(1000) > CredentialCache::RegionSize(10));
  }

  void CacheSharedBetweenObjects() {
    std::vector<uint64_t> region(CredentialCache::RegionSize(256) / 8);
    CredentialCache::Format(region.data(), region.size() * 8);
    CredentialCache a(region.data(), region.size() * 8);
    CredentialCache b(region.data(), region.size() * 8);
    a.Remember("alice", "pw", "$h", 10, 100);
    CPPUNIT_ASSERT(b.Lookup("alice", "pw", "$h", 20));
    for (int i = 0; i < 4; ++i) b.RecordFailure("bob", 10);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1000}, a.DelayMs("bob", 10));
    a.ClearFailures("bob");
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, b.DelayMs("bob", 10));
  }

  void CacheSharedBetweenProcesses() {
    SharedRegion shm(CredentialCache::RegionSize(256));
    CredentialCache::Format(shm.get(), shm.size());
    CredentialCache parent(shm.get(), shm.size());
    parent.Remember("alice", "pw", "$h", 10, 100);
    pid_t pid = Spawn([&] {
      CredentialCache child(shm.get(), shm.size());
      if (!child.Lookup("alice", "pw", "$h", 20)) return false;
      child.Remember("carol", "secret", "$c", 10, 100);
      for (int i = 0; i < 5; ++i) child.RecordFailure("bob", 10);
      return true;
    });
    CPPUNIT_ASSERT(Reap(pid));
    CPPUNIT_ASSERT(parent.Lookup("carol", "secret", "$c", 20));
    CPPUNIT_ASSERT_EQUAL(uint64_t{2000}, parent.DelayMs("bob", 10));
  }

  void FailureDelays() {
    std::vector<uint64_t> region(CredentialCache::RegionSize(64) / 8);
    CredentialCache::Format(region.data(), region.size() * 8);
    CredentialCache cache(region.data(), region.size() * 8);
    const uint64_t expected[] = {0, 0, 0, 1000, 2000, 4000, 8000, 16000, 16000, 16000};
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, cache.DelayMs("alice", 100));
    for (uint64_t want : expected) {
      cache.RecordFailure("alice", 100);
      CPPUNIT_ASSERT_EQUAL(want, cache.DelayMs("alice", 101));
      CPPUNIT_ASSERT_EQUAL(uint64_t{0}, cache.DelayMs("bob", 101));
    }
    for (int i = 0; i < 300; ++i) cache.RecordFailure("alice", 100);  // count saturates
    CPPUNIT_ASSERT_EQUAL(uint64_t{16000}, cache.DelayMs("alice", 101));
    // Every spelling of the account shares one counter.
    CPPUNIT_ASSERT_EQUAL(uint64_t{16000}, cache.DelayMs("CORP\\Alice", 101));
    CPPUNIT_ASSERT_EQUAL(uint64_t{16000}, cache.DelayMs("ALICE@example.org", 101));
  }

  void FailureWindowAndClear() {
    std::vector<uint64_t> region(CredentialCache::RegionSize(64) / 8);
    CredentialCache::Format(region.data(), region.size() * 8);
    CredentialCache cache(region.data(), region.size() * 8);
    for (int i = 0; i < 4; ++i) cache.RecordFailure("alice", 1000 + i);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1000}, cache.DelayMs("alice", 1004));
    CPPUNIT_ASSERT_EQUAL(uint64_t{1000}, cache.DelayMs("alice", 1000 + 899));
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, cache.DelayMs("alice", 1000 + 900));  // 15 min after the first
    // A failure after the window starts a new one.
    cache.RecordFailure("alice", 1000 + 900);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, cache.DelayMs("alice", 1000 + 901));
    for (int i = 0; i < 3; ++i) cache.RecordFailure("alice", 1000 + 901);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1000}, cache.DelayMs("alice", 1000 + 902));
    cache.ClearFailures("Alice");
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, cache.DelayMs("alice", 1000 + 902));
    cache.RecordFailure("alice", 1000 + 903);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, cache.DelayMs("alice", 1000 + 903));
  }

  // Two processes record failures for the same users at once; the
  // compare-and-swap must not lose any (4 per user gives exactly 1000 ms).
  // The region is large: with the random key of each run, 200 users in
  // 1024 groups of 4 ways put five in one group about once in 500 runs,
  // and the fifth then evicts by design (a lost count this test would take
  // for a race). 16384 groups make that about one in 30 million.
  void FailuresCountedExactlyUnderContention() {
    constexpr int kUsers = 200;
    SharedRegion shm(CredentialCache::RegionSize(65536) + 64);
    char* base = static_cast<char*>(shm.get());
    auto* go = new (base) std::atomic<int>(0);
    CredentialCache::Format(base + 64, shm.size() - 64);
    auto hammer = [&] {
      CredentialCache cache(base + 64, shm.size() - 64);
      go->fetch_add(1);
      while (go->load() < 2) {
      }
      for (int round = 0; round < 2; ++round)
        for (int u = 0; u < kUsers; ++u) cache.RecordFailure("user" + std::to_string(u), 50);
      return true;
    };
    pid_t pid = Spawn(hammer);
    hammer();
    CPPUNIT_ASSERT(Reap(pid));
    CredentialCache cache(base + 64, shm.size() - 64);
    int exact = 0;
    for (int u = 0; u < kUsers; ++u)
      exact += cache.DelayMs("user" + std::to_string(u), 51) == 1000;
    CPPUNIT_ASSERT_EQUAL(kUsers, exact);
  }

  // One process keeps rewriting entries while another reads them: a read
  // that overlaps a write may miss, but must never match a wrong password.
  void LookupsNeverFalselyHitUnderContention() {
    constexpr int kUsers = 32;
    SharedRegion shm(CredentialCache::RegionSize(8) + 64);  // few slots: many overwrites
    char* base = static_cast<char*>(shm.get());
    auto* stop = new (base) std::atomic<int>(0);
    CredentialCache::Format(base + 64, shm.size() - 64);
    pid_t pid = Spawn([&] {
      CredentialCache writer(base + 64, shm.size() - 64);
      while (!stop->load())
        for (int u = 0; u < kUsers; ++u)
          writer.Remember("u" + std::to_string(u), "pw" + std::to_string(u), "$h", 10, 100);
      return true;
    });
    CredentialCache reader(base + 64, shm.size() - 64);
    int false_hits = 0, hits = 0;
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
    while (std::chrono::steady_clock::now() < until) {
      for (int u = 0; u < kUsers; ++u) {
        std::string user = "u" + std::to_string(u);
        false_hits += reader.Lookup(user, "pw" + std::to_string(u + 1), "$h", 20);
        hits += reader.Lookup(user, "pw" + std::to_string(u), "$h", 20);
      }
    }
    stop->store(1);
    CPPUNIT_ASSERT(Reap(pid));
    CPPUNIT_ASSERT_EQUAL(0, false_hits);
    CPPUNIT_ASSERT(hits > 0);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthTest);
