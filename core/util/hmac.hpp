// HMAC-SHA256 (RFC 2104) over length-prefixed parts, for the keyed digests
// the shared-memory tables use (credential cache, device generations).
// Length prefixes make ("ab","c") and ("a","bc") differ. Runs on every
// request, so SHA-256 is fetched from OpenSSL once, not looked up by name
// each time as OpenSSL 3's one-shot HMAC() does.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace eas::core::util {

// `key` is 32 bytes. Throws std::runtime_error if OpenSSL fails. Scratch
// buffers (they may hold a password) are wiped.
void HmacSha256(const unsigned char key[32], std::initializer_list<std::string_view> parts,
                unsigned char out[32]);

}  // namespace eas::core::util
