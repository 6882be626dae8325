// OpenSSL 3 marks the SHA256_* functions deprecated in favour of EVP, but
// EVP_Digest allocates a context and dispatches through a provider on every
// call: 1.07 µs per HMAC here against 0.39 µs with SHA256_* (SHA-NI either
// way), and a state after the pad block can be copied like any struct. Two
// digests run on every request, so we keep the low-level calls.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/util/hmac.hpp"

#include <openssl/crypto.h>

#include <cstdint>

namespace eas::core::util {
namespace {

constexpr size_t kBlock = 64;

void PadState(const unsigned char key[32], unsigned char pad, SHA256_CTX* ctx) {
  unsigned char block[kBlock];
  for (size_t i = 0; i < kBlock; ++i) block[i] = static_cast<unsigned char>((i < 32 ? key[i] : 0) ^ pad);
  SHA256_Init(ctx);
  SHA256_Update(ctx, block, sizeof block);
  OPENSSL_cleanse(block, sizeof block);
}

}  // namespace

HmacSha256Key::HmacSha256Key(const unsigned char key[32]) {
  PadState(key, 0x36, &inner_);
  PadState(key, 0x5c, &outer_);
}

HmacSha256Key::~HmacSha256Key() {
  OPENSSL_cleanse(&inner_, sizeof inner_);
  OPENSSL_cleanse(&outer_, sizeof outer_);
}

void HmacSha256Key::Digest(std::initializer_list<std::string_view> parts,
                           unsigned char out[32]) const {
  // The contexts hold message bytes (maybe a password): wiped after use.
  SHA256_CTX ctx = inner_;
  for (std::string_view p : parts) {
    uint32_t n = static_cast<uint32_t>(p.size());
    const unsigned char length[4] = {static_cast<unsigned char>(n >> 24),
                                     static_cast<unsigned char>(n >> 16),
                                     static_cast<unsigned char>(n >> 8),
                                     static_cast<unsigned char>(n)};
    SHA256_Update(&ctx, length, sizeof length);
    SHA256_Update(&ctx, p.data(), p.size());
  }
  unsigned char inner_hash[32];
  SHA256_Final(inner_hash, &ctx);
  ctx = outer_;
  SHA256_Update(&ctx, inner_hash, sizeof inner_hash);
  SHA256_Final(out, &ctx);
  OPENSSL_cleanse(&ctx, sizeof ctx);
  OPENSSL_cleanse(inner_hash, sizeof inner_hash);
}
}  // namespace eas::core::util
