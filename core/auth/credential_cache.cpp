// Layout of the shared region (offsets only, no pointers):
//   Header                      magic, sizes, 32-byte random secret
//   Entry[slots]                verified credentials, one seqlock each
//   atomic<uint64_t>[groups*4]  failure counters, 4-way set-associative
//
// Every mutable field is a lock-free std::atomic, which the standard
// requires to be address-free, so processes mapping the region at
// different addresses agree. No process ever waits on another: a reader
// that keeps meeting a writer gives up (a miss costs one slow hash), a
// writer that finds a slot busy skips it, and the failure counters change
// by compare-and-swap on one word. A worker that dies mid-write can thus
// spoil at most one credential slot, never block the others.
#include "core/auth/credential_cache.hpp"

#include "core/util/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <initializer_list>
#include <new>
#include <stdexcept>
#include <string>

#include "core/auth/user_name.hpp"

namespace eas::core::auth {

static_assert(std::atomic<uint32_t>::is_always_lock_free);
static_assert(std::atomic<uint64_t>::is_always_lock_free);
static_assert(sizeof(std::atomic<uint64_t>) == sizeof(uint64_t));

namespace {

// Written once by Format (in the master, before any worker exists) and
// only read afterwards, so plain fields suffice.
struct RegionHeader {
  uint64_t magic;
  uint32_t version;
  uint32_t slots;
  uint32_t failure_groups;
  uint32_t reserved;
  unsigned char secret[32];
};

constexpr uint64_t kMagic = 0x31304343'53414545;  // "EEASCC01" in memory
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 128;
static_assert(sizeof(RegionHeader) <= kHeaderBytes);
constexpr int kReadAttempts = 4;

constexpr uint32_t kWays = 4;
constexpr uint32_t kWindowSeconds = 15 * 60;
constexpr uint32_t kFreeFailures = 3;
constexpr uint64_t kFirstDelayMs = 1000;
constexpr uint64_t kMaxDelayMs = 16000;

// One remembered credential: HMAC digest and the second it stops counting.
// seq is even when the entry is stable, odd while a writer is inside.
struct Entry {
  std::atomic<uint32_t> seq;
  uint32_t unused;
  std::atomic<uint64_t> expires;
  std::atomic<uint64_t> digest[4];
};
static_assert(sizeof(Entry) == 48);

// A failure word: name tag (24 bits) | count (8 bits) | first failure
// (low 32 bits of the time, compared modulo 2^32). count 0 means empty.
uint64_t Pack(uint32_t tag, uint32_t count, uint32_t first) {
  return uint64_t{tag & 0xffffff} << 40 | uint64_t{count & 0xff} << 32 | first;
}
uint32_t TagOf(uint64_t w) { return static_cast<uint32_t>(w >> 40); }
uint32_t CountOf(uint64_t w) { return static_cast<uint32_t>(w >> 32) & 0xff; }
uint32_t FirstOf(uint64_t w) { return static_cast<uint32_t>(w); }
uint32_t Age(uint64_t w, uint64_t now) { return static_cast<uint32_t>(now) - FirstOf(w); }
bool Live(uint64_t w, uint64_t now) {
  return CountOf(w) != 0 && Age(w, now) < kWindowSeconds;
}

uint64_t Word(const unsigned char* bytes) {
  uint64_t w;
  std::memcpy(&w, bytes, sizeof w);
  return w;
}

size_t Groups(size_t slots) { return (slots + kWays - 1) / kWays; }

size_t Size(size_t slots, size_t groups) {
  return kHeaderBytes + slots * sizeof(Entry) + groups * kWays * sizeof(uint64_t);
}

Entry* Entries(RegionHeader* h) {
  return reinterpret_cast<Entry*>(reinterpret_cast<char*>(h) + kHeaderBytes);
}

std::atomic<uint64_t>* FailureWays(RegionHeader* h) {
  return reinterpret_cast<std::atomic<uint64_t>*>(
      reinterpret_cast<char*>(h) + kHeaderBytes + h->slots * sizeof(Entry));
}

bool Aligned(const void* p) {
  return reinterpret_cast<uintptr_t>(p) % alignof(std::atomic<uint64_t>) == 0;
}

// Where a user's failures live and the tag that tells them apart in the
// group. Keyed by the secret, so nobody can pick names that share a group.
// Names are canonical first: "CORP\alice" and "Alice@x" are one account.
struct FailureKey {
  size_t group;
  uint32_t tag;
};
FailureKey KeyFor(const RegionHeader* h, const util::HmacSha256Key& mac,
                  std::string_view user) {
  unsigned char d[32];
  mac.Digest({"failures", CanonicalUserName(user)}, d);
  return {static_cast<size_t>(Word(d) % h->failure_groups),
          static_cast<uint32_t>(Word(d + 8) & 0xffffff)};
}

}  // namespace

// The header's private name; the helpers above work on its base.
struct CredentialCache::Header : RegionHeader {};

// The formatted region's header; throws on anything else (checked before
// the secret is read).
CredentialCache::Header* CredentialCache::Attach(void* region, size_t size) {
  auto* h = static_cast<Header*>(region);
  if (!region || !Aligned(region) || size < kHeaderBytes || h->magic != kMagic ||
      h->version != kVersion || h->slots == 0 || h->failure_groups != Groups(h->slots) ||
      Size(h->slots, h->failure_groups) > size)
    throw std::invalid_argument("credential cache: region is not formatted");
  return h;
}

size_t CredentialCache::RegionSize(size_t slots) {
  slots = std::max<size_t>(slots, 1);
  return Size(slots, Groups(slots));
}

void CredentialCache::Format(void* region, size_t size) {
  if (!region || !Aligned(region)) throw std::invalid_argument("credential cache: bad region");
  if (size < RegionSize(1)) throw std::invalid_argument("credential cache: region too small");
  size_t slots = (size - kHeaderBytes) / (sizeof(Entry) + sizeof(uint64_t));
  while (slots > 1 && RegionSize(slots) > size) --slots;
  slots = std::min<size_t>(slots, UINT32_MAX / 2);

  std::memset(region, 0, size);
  RegionHeader* h = new (region) Header{};
  h->slots = static_cast<uint32_t>(slots);
  h->failure_groups = static_cast<uint32_t>(Groups(slots));
  if (RAND_bytes(h->secret, sizeof h->secret) != 1)
    throw std::runtime_error("credential cache: RAND_bytes failed");
  Entry* entries = Entries(h);
  for (size_t i = 0; i < slots; ++i) new (&entries[i]) Entry{};
  std::atomic<uint64_t>* ways = FailureWays(h);
  for (size_t i = 0; i < size_t{h->failure_groups} * kWays; ++i)
    new (&ways[i]) std::atomic<uint64_t>(0);
  h->version = kVersion;
  h->magic = kMagic;
}

CredentialCache::CredentialCache(void* region, size_t size)
    : header_(Attach(region, size)), size_(size), mac_(header_->secret) {}

bool CredentialCache::Lookup(std::string_view user, std::string_view password,
                             std::string_view stored_hash, uint64_t now) const {
  unsigned char d[32];
  mac_.Digest({"credential", user, password, stored_hash}, d);
  Entry& e = Entries(header_)[Word(d) % header_->slots];
  bool hit = false;
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    uint32_t before = e.seq.load(std::memory_order_acquire);
    if (before & 1) continue;
    unsigned char got[32];
    for (int i = 0; i < 4; ++i) {
      uint64_t w = e.digest[i].load(std::memory_order_relaxed);
      std::memcpy(got + 8 * i, &w, 8);
    }
    uint64_t expires = e.expires.load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if (e.seq.load(std::memory_order_relaxed) != before) continue;
    hit = CRYPTO_memcmp(got, d, sizeof d) == 0 && now < expires;
    break;
  }
  OPENSSL_cleanse(d, sizeof d);
  return hit;
}

void CredentialCache::Remember(std::string_view user, std::string_view password,
                               std::string_view stored_hash, uint64_t now, uint64_t ttl) {
  unsigned char d[32];
  mac_.Digest({"credential", user, password, stored_hash}, d);
  Entry& e = Entries(header_)[Word(d) % header_->slots];
  uint32_t seq = e.seq.load(std::memory_order_relaxed);
  // Busy (or abandoned by a dead writer): skip; this is only a cache.
  if (!(seq & 1) &&
      e.seq.compare_exchange_strong(seq, seq + 1, std::memory_order_acquire,
                                    std::memory_order_relaxed)) {
    std::atomic_thread_fence(std::memory_order_release);
    for (int i = 0; i < 4; ++i) e.digest[i].store(Word(d + 8 * i), std::memory_order_relaxed);
    uint64_t expires = ttl > UINT64_MAX - now ? UINT64_MAX : now + ttl;
    e.expires.store(expires, std::memory_order_relaxed);
    e.seq.store(seq + 2, std::memory_order_release);
  }
  OPENSSL_cleanse(d, sizeof d);
}

void CredentialCache::RecordFailure(std::string_view user, uint64_t now) {
  FailureKey key = KeyFor(header_, mac_, user);
  std::atomic<uint64_t>* ways = FailureWays(header_) + key.group * kWays;
  for (;;) {
    uint64_t w[kWays];
    for (uint32_t i = 0; i < kWays; ++i) w[i] = ways[i].load(std::memory_order_acquire);
    // Count on this user's live entry if there is one (the first, should a
    // race have made two: DelayMs adds them up, so nothing is lost).
    uint32_t slot = kWays;
    for (uint32_t i = 0; i < kWays && slot == kWays; ++i)
      if (TagOf(w[i]) == key.tag && Live(w[i], now)) slot = i;
    uint64_t next;
    if (slot != kWays) {
      next = Pack(key.tag, std::min<uint32_t>(CountOf(w[slot]) + 1, 0xff), FirstOf(w[slot]));
    } else {
      // Else take an empty or expired way, or evict the way with the fewest
      // failures (oldest on a tie): a spray of one-off names cannot push
      // out a user who is being guessed at.
      slot = 0;
      for (uint32_t i = 0; i < kWays; ++i) {
        bool live_i = Live(w[i], now), live_s = Live(w[slot], now);
        if (live_i != live_s) {
          if (!live_i) slot = i;
        } else if (CountOf(w[i]) < CountOf(w[slot]) ||
                   (CountOf(w[i]) == CountOf(w[slot]) && Age(w[i], now) > Age(w[slot], now))) {
          slot = i;
        }
      }
      next = Pack(key.tag, 1, static_cast<uint32_t>(now));
    }
    if (ways[slot].compare_exchange_weak(w[slot], next, std::memory_order_acq_rel,
                                         std::memory_order_relaxed))
      return;
  }
}

void CredentialCache::ClearFailures(std::string_view user) {
  FailureKey key = KeyFor(header_, mac_, user);
  std::atomic<uint64_t>* ways = FailureWays(header_) + key.group * kWays;
  for (uint32_t i = 0; i < kWays; ++i) {
    uint64_t w = ways[i].load(std::memory_order_acquire);
    while (CountOf(w) != 0 && TagOf(w) == key.tag &&
           !ways[i].compare_exchange_weak(w, 0, std::memory_order_acq_rel,
                                          std::memory_order_acquire)) {
    }
  }
}

uint64_t CredentialCache::DelayMs(std::string_view user, uint64_t now) const {
  FailureKey key = KeyFor(header_, mac_, user);
  std::atomic<uint64_t>* ways = FailureWays(header_) + key.group * kWays;
  uint32_t failures = 0;
  for (uint32_t i = 0; i < kWays; ++i) {
    uint64_t w = ways[i].load(std::memory_order_acquire);
    if (TagOf(w) == key.tag && Live(w, now)) failures += CountOf(w);
  }
  if (failures <= kFreeFailures) return 0;
  uint32_t doublings = std::min<uint32_t>(failures - kFreeFailures - 1, 4);
  return std::min(kFirstDelayMs << doublings, kMaxDelayMs);
}

}  // namespace eas::core::auth
