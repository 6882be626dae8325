// Layout of the shared region (offsets only, no pointers):
//   Header                     magic, sizes, 32-byte random key, epoch
//   atomic<uint64_t>[groups*8] device words, 8-way set-associative
//
// A word is tag (32 bits, never 0) | generation (32 bits); 0 is an empty
// way. Generations come from the epoch counter, so they grow (wrapping
// after 2^32 bumps, which only blurs the eviction order for a moment): the
// smallest generation in a set is the least recently bumped device. No
// process waits on another: a bump is one fetch_add and a compare-and-swap,
// retried only when another bump of the same set won the race. Should two
// first bumps of one device race into two ways, each empties the other's:
// both held requests end and the device simply pings again.
#include "core/push/device_generations.hpp"

#include "core/util/hmac.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <atomic>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

namespace eas::core::push {

static_assert(std::atomic<uint64_t>::is_always_lock_free);
static_assert(sizeof(std::atomic<uint64_t>) == sizeof(uint64_t));

namespace {

constexpr uint64_t kMagic = 0x31304e4547534145;  // "EASGEN01" in memory
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 128;
constexpr uint32_t kWays = 8;
constexpr int kGenBits = 32;
constexpr uint64_t kGenMask = (uint64_t{1} << kGenBits) - 1;

// Written once by Format (master, before any worker exists) except the
// epoch, which sits on its own cache line.
struct RegionHeader {
  uint64_t magic;
  uint32_t version;
  uint32_t groups;
  unsigned char key[32];
  unsigned char pad[16];
  std::atomic<uint64_t> epoch;  // offset 64
};
static_assert(sizeof(RegionHeader) <= kHeaderBytes);

uint64_t Pack(uint32_t tag, uint64_t gen) { return uint64_t{tag} << kGenBits | (gen & kGenMask); }
uint32_t TagOf(uint64_t w) { return static_cast<uint32_t>(w >> kGenBits); }
uint64_t GenOf(uint64_t w) { return w & kGenMask; }

bool Aligned(const void* p) {
  return reinterpret_cast<uintptr_t>(p) % alignof(std::atomic<uint64_t>) == 0;
}

std::atomic<uint64_t>* Ways(RegionHeader* h) {
  return reinterpret_cast<std::atomic<uint64_t>*>(reinterpret_cast<char*>(h) + kHeaderBytes);
}

size_t Groups(size_t slots) { return (slots + kWays - 1) / kWays; }

size_t Size(size_t groups) { return kHeaderBytes + groups * kWays * sizeof(uint64_t); }

// Set and tag of a device, keyed by the region's secret so nobody can pick
// device ids that crowd one set. Length prefixes keep ("ab","c") apart
// from ("a","bc").
struct Place {
  size_t group;
  uint32_t tag;
};
Place PlaceOf(const RegionHeader* h, const util::HmacSha256Key& mac, std::string_view user,
              std::string_view device) {
  unsigned char d[32];
  mac.Digest({user, device}, d);
  uint64_t a, b;
  std::memcpy(&a, d, 8);
  std::memcpy(&b, d + 8, 8);
  uint32_t tag = static_cast<uint32_t>(b);
  return {static_cast<size_t>(a % h->groups), tag == 0 ? 1u : tag};
}

}  // namespace

struct DeviceGenerations::Header : RegionHeader {};

size_t DeviceGenerations::RegionSize(size_t slots) {
  return Size(Groups(slots < 1 ? 1 : slots));
}

void DeviceGenerations::Format(void* region, size_t size) {
  if (!region || !Aligned(region)) throw std::invalid_argument("device generations: bad region");
  if (size < RegionSize(1)) throw std::invalid_argument("device generations: region too small");
  size_t groups = (size - kHeaderBytes) / (kWays * sizeof(uint64_t));
  if (groups > UINT32_MAX) groups = UINT32_MAX;

  std::memset(region, 0, size);
  RegionHeader* h = new (region) Header{};
  h->groups = static_cast<uint32_t>(groups);
  if (RAND_bytes(h->key, sizeof h->key) != 1) {
    throw std::runtime_error("device generations: RAND_bytes failed");
  }
  std::atomic<uint64_t>* ways = Ways(h);
  for (size_t i = 0; i < groups * kWays; ++i) new (&ways[i]) std::atomic<uint64_t>(0);
  h->version = kVersion;
  h->magic = kMagic;
}

// The formatted region's header; throws on anything else (checked before
// the key is read).
DeviceGenerations::Header* DeviceGenerations::Attach(void* region, size_t size) {
  auto* h = static_cast<Header*>(region);
  if (!region || !Aligned(region) || size < kHeaderBytes || h->magic != kMagic ||
      h->version != kVersion || h->groups == 0 || Size(h->groups) > size) {
    throw std::invalid_argument("device generations: region is not formatted");
  }
  return h;
}

DeviceGenerations::DeviceGenerations(void* region, size_t size)
    : header_(Attach(region, size)), mac_(header_->key) {}

DeviceGenerations::Token DeviceGenerations::Bump(std::string_view user,
                                                 std::string_view device_id) {
  Place place = PlaceOf(header_, mac_, user, device_id);
  std::atomic<uint64_t>* set = Ways(header_) + place.group * kWays;
  const uint64_t next =
      Pack(place.tag, header_->epoch.fetch_add(1, std::memory_order_acq_rel) + 1);
  uint32_t way;
  for (;;) {
    uint64_t w[kWays];
    for (uint32_t i = 0; i < kWays; ++i) w[i] = set[i].load(std::memory_order_acquire);
    // The device's own way, else an empty one, else the least recently bumped.
    way = kWays;
    for (uint32_t i = 0; i < kWays && way == kWays; ++i) {
      if (w[i] != 0 && TagOf(w[i]) == place.tag) way = i;
    }
    for (uint32_t i = 0; i < kWays && way == kWays; ++i) {
      if (w[i] == 0) way = i;
    }
    if (way == kWays) {
      way = 0;
      for (uint32_t i = 1; i < kWays; ++i) {
        if (GenOf(w[i]) < GenOf(w[way])) way = i;
      }
    }
    if (set[way].compare_exchange_strong(w[way], next, std::memory_order_acq_rel,
                                         std::memory_order_relaxed)) {
      break;
    }
  }
  // A second way of the same device (two first bumps raced): empty it, so
  // a request held on it goes stale too.
  for (uint32_t i = 0; i < kWays; ++i) {
    if (i == way) continue;
    uint64_t w = set[i].load(std::memory_order_acquire);
    while (w != 0 && TagOf(w) == place.tag &&
           !set[i].compare_exchange_weak(w, 0, std::memory_order_acq_rel,
                                         std::memory_order_acquire)) {
    }
  }
  return Token{static_cast<uint32_t>(place.group * kWays + way), next};
}

bool DeviceGenerations::Stale(const Token& token) const {
  if (token.slot >= size_t{header_->groups} * kWays) return true;
  uint64_t w = Ways(header_)[token.slot].load(std::memory_order_acquire);
  return w != token.word && (w == 0 || TagOf(w) == TagOf(token.word));
}

uint64_t DeviceGenerations::Epoch() const {
  return header_->epoch.load(std::memory_order_acquire);
}

}  // namespace eas::core::push
