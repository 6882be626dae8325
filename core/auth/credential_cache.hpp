// Remembers recently verified credentials so the slow hash is not paid on
// every request (a phone sends its password each time), and slows down
// repeated failures. Lives in one shared memory region handed over by the
// caller (nginx shares it between workers), so it holds no pointers and
// locks with atomics. Never stores a password: entries are keyed by
// HMAC-SHA256(secret, user, password, stored hash). A password change
// writes a new stored hash (new salt), so old entries stop matching at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/util/hmac.hpp"

namespace eas::core::auth {

class CredentialCache {
 public:
  // Bytes needed for `slots` entries (plus the header).
  static size_t RegionSize(size_t slots);
  // Formats a zeroed region: random secret, empty tables. Call once (master).
  static void Format(void* region, size_t size);
  // Attaches to a formatted region (any process). `region` must outlive this.
  CredentialCache(void* region, size_t size);

  // True when (user, password) was verified against `stored_hash` less than
  // ttl seconds before `now`.
  bool Lookup(std::string_view user, std::string_view password,
              std::string_view stored_hash, uint64_t now) const;
  void Remember(std::string_view user, std::string_view password,
                std::string_view stored_hash, uint64_t now, uint64_t ttl);

  // Failure throttle per user name: RecordFailure counts a failure; Delay
  // tells how many milliseconds to hold the next answer for this user
  // (0 for the first 3 failures in 15 minutes, then doubling from 1 s up to
  // 16 s). A success clears the count.
  void RecordFailure(std::string_view user, uint64_t now);
  void ClearFailures(std::string_view user);
  uint64_t DelayMs(std::string_view user, uint64_t now) const;

 private:
  struct Header;
  static Header* Attach(void* region, size_t size);
  Header* header_;
  size_t size_;
  util::HmacSha256Key mac_;  // keyed with the region's secret
};

}  // namespace eas::core::auth
