// HMAC-SHA256 (RFC 2104) over length-prefixed parts, for the keyed digests
// the shared-memory tables use (credential cache, device generations).
// Length prefixes make ("ab","c") and ("a","bc") differ. Runs on every
// request, so the key's inner and outer pad blocks are hashed once, when
// the key is set, and each digest costs only the message's blocks.
#pragma once

#include <openssl/sha.h>

#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace eas::core::util {

class HmacSha256Key {
 public:
  // `key` is 32 bytes.
  explicit HmacSha256Key(const unsigned char key[32]);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key&) = default;
  HmacSha256Key& operator=(const HmacSha256Key&) = default;

  void Digest(std::initializer_list<std::string_view> parts, unsigned char out[32]) const;

 private:
  SHA256_CTX inner_;  // state after the key XOR ipad block
  SHA256_CTX outer_;  // state after the key XOR opad block
};

}  // namespace eas::core::util
