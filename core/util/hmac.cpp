#include "core/util/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace eas::core::util {
namespace {

const EVP_MD* Sha256() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("SHA-256 unavailable");
  return md;
}

void Sha256Of(const std::string& data, unsigned char out[32]) {
  unsigned int len = 32;
  if (EVP_Digest(data.data(), data.size(), out, &len, Sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
}

}  // namespace

void HmacSha256(const unsigned char key[32], std::initializer_list<std::string_view> parts,
                unsigned char out[32]) {
  constexpr size_t kBlock = 64;
  std::string inner(kBlock, '\x36'), outer(kBlock, '\x5c');
  for (size_t i = 0; i < 32; ++i) {
    inner[i] = static_cast<char>(inner[i] ^ key[i]);
    outer[i] = static_cast<char>(outer[i] ^ key[i]);
  }
  for (std::string_view p : parts) {
    uint32_t n = static_cast<uint32_t>(p.size());
    for (int shift = 24; shift >= 0; shift -= 8) inner += static_cast<char>(n >> shift);
    inner += p;
  }
  unsigned char inner_hash[32];
  Sha256Of(inner, inner_hash);
  outer.append(reinterpret_cast<const char*>(inner_hash), sizeof inner_hash);
  Sha256Of(outer, out);
  OPENSSL_cleanse(inner.data(), inner.size());
  OPENSSL_cleanse(outer.data(), outer.size());
}

}  // namespace eas::core::util
