// Which request of a device is its newest, shared by every nginx worker: a
// held Ping must end at once when the same device (user + DeviceId) sends
// anything else, whichever worker took that request. Lives in one shared
// memory region handed over by the caller (nginx's shared zone), holds no
// pointers and changes only by compare-and-swap, like the credential cache.
//
// Each device owns one 64-bit word in a set-associative table: a tag from a
// keyed hash of its name and a generation taken from one global counter, so
// every bump writes a word never seen before (no ABA). A request of the
// device bumps it; a held request remembers the word it saw and is stale
// once its device wrote a newer one. A device that finds its set full takes
// the way of the least recently bumped one; a held request of the evicted
// device is then merely no longer told about newer requests across workers
// (it ends at its heartbeat; its own worker still ends it at once). Ending
// it instead would let more devices than ways in one set evict each other
// in a loop of ever new Pings. Size the table well above the device count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/util/hmac.hpp"

namespace eas::core::push {

class DeviceGenerations {
 public:
  // Bytes needed for `slots` devices (plus the header).
  static size_t RegionSize(size_t slots);
  // Formats a zeroed region: random hash key, empty table. Call once (master).
  static void Format(void* region, size_t size);
  // Attaches to a formatted region (any process); throws on a bad region.
  // `region` must outlive this.
  DeviceGenerations(void* region, size_t size);

  // A device's place in the table and the word it held when looked at.
  struct Token {
    uint32_t slot = 0;
    uint64_t word = 0;
  };

  // A new request of the device: every Token taken before for it goes stale.
  // Returns the device's fresh Token.
  Token Bump(std::string_view user, std::string_view device_id);
  // True when the device was bumped again since `token` (not when another
  // device merely took over its way).
  bool Stale(const Token& token) const;
  // Moves on every Bump by any process: unchanged means no Token went stale.
  uint64_t Epoch() const;

 private:
  struct Header;
  static Header* Attach(void* region, size_t size);
  Header* header_;
  util::HmacSha256Key mac_;  // keyed with the region's key
};

}  // namespace eas::core::push
