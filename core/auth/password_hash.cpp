// scrypt through OpenSSL 3, in a PHC-style string:
//   $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt, base64 unpadded>$<hash, base64 unpadded>
// VerifyPassword reads the cost from the string, so raising HashParams only
// affects new hashes. Stored parameters are bounded before any work is
// done: a tampered or corrupt record must not make a worker allocate
// gigabytes or spin for minutes.
#include "core/auth/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/util/base64.hpp"

namespace eas::core::auth {
namespace {

constexpr std::string_view kPrefix = "$scrypt$";
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
// Salts of other sizes are accepted when verifying, within reason. The hash
// must be exactly what we write: a shorter one would verify against a
// prefix of the derived key (a truncated record must never match).
constexpr size_t kMinSaltBytes = 8, kMaxSaltBytes = 64;
constexpr size_t kMinHashBytes = kHashBytes, kMaxHashBytes = kHashBytes;
// ln=20 with r=8 is 1 GiB of memory: the ceiling the brief allows.
constexpr uint32_t kMaxLogN = 20;
constexpr uint32_t kMaxR = 32, kMaxP = 16;
constexpr uint64_t kMaxMemory = uint64_t{1} << 30;  // 128 * r * N
constexpr uint64_t kMaxWork = uint64_t{1} << 24;    // N * r * p

struct Parsed {
  uint32_t ln = 0, r = 0, p = 0;
  std::string salt, hash;
};

// Bounds that make scrypt cheap enough to attempt at all.
bool ParamsSane(uint32_t ln, uint32_t r, uint32_t p) {
  if (ln < 1 || ln > kMaxLogN || r < 1 || r > kMaxR || p < 1 || p > kMaxP) return false;
  uint64_t n = uint64_t{1} << ln;
  return 128 * r * n <= kMaxMemory && n * r * p <= kMaxWork;
}

// Reads "<key>=<decimal>" from the front of `s`.
bool TakeNumber(std::string_view* s, std::string_view key, uint32_t* out) {
  if (s->substr(0, key.size()) != key) return false;
  s->remove_prefix(key.size());
  const char* end = s->data() + s->size();
  auto [ptr, ec] = std::from_chars(s->data(), end, *out);
  if (ec != std::errc() || ptr == s->data()) return false;
  s->remove_prefix(static_cast<size_t>(ptr - s->data()));
  return true;
}

bool TakeChar(std::string_view* s, char c) {
  if (s->empty() || s->front() != c) return false;
  s->remove_prefix(1);
  return true;
}

std::optional<Parsed> Parse(std::string_view s) {
  Parsed out;
  if (s.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  s.remove_prefix(kPrefix.size());
  if (!TakeNumber(&s, "ln=", &out.ln) || !TakeChar(&s, ',') ||
      !TakeNumber(&s, "r=", &out.r) || !TakeChar(&s, ',') ||
      !TakeNumber(&s, "p=", &out.p) || !TakeChar(&s, '$'))
    return std::nullopt;
  size_t dollar = s.find('$');
  if (dollar == std::string_view::npos) return std::nullopt;
  auto salt = util::Base64Decode(s.substr(0, dollar));
  auto hash = util::Base64Decode(s.substr(dollar + 1));
  if (!salt || !hash) return std::nullopt;
  if (salt->size() < kMinSaltBytes || salt->size() > kMaxSaltBytes ||
      hash->size() < kMinHashBytes || hash->size() > kMaxHashBytes)
    return std::nullopt;
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return out;
}

// Derives out_len bytes; false if OpenSSL refuses (memory, bad params).
bool Scrypt(std::string_view password, std::string_view salt, uint32_t ln,
            uint32_t r, uint32_t p, unsigned char* out, size_t out_len) {
  uint64_t n = uint64_t{1} << ln;
  // OpenSSL's default ceiling is 32 MiB, which N=2^15, r=8 just exceeds
  // (it counts 128*r*(N+2) + 128*r*p); grant what these parameters need.
  uint64_t maxmem = 128 * uint64_t{r} * (n + 2) + 128 * uint64_t{r} * p + (1u << 20);
  return EVP_PBE_scrypt(password.data(), password.size(),
                        reinterpret_cast<const unsigned char*>(salt.data()), salt.size(),
                        n, r, p, maxmem, out, out_len) == 1;
}

}  // namespace

// Throws std::invalid_argument for parameters VerifyPassword would refuse
// (N not a power of two, or beyond the bounds above), std::runtime_error if
// OpenSSL fails. Called by tools and account management, not per request.
std::string HashPassword(std::string_view password, const HashParams& params) {
  uint64_t n = params.n;
  if (n < 2 || (n & (n - 1)) != 0) throw std::invalid_argument("scrypt N must be a power of two");
  uint32_t ln = 0;
  while ((uint64_t{1} << ln) < n) ++ln;
  if (!ParamsSane(ln, params.r, params.p)) throw std::invalid_argument("scrypt parameters out of range");

  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) throw std::runtime_error("RAND_bytes failed");
  std::string_view salt_view(reinterpret_cast<const char*>(salt), sizeof salt);
  unsigned char hash[kHashBytes];
  if (!Scrypt(password, salt_view, ln, params.r, params.p, hash, sizeof hash))
    throw std::runtime_error("EVP_PBE_scrypt failed");

  std::string out(kPrefix);
  out += "ln=" + std::to_string(ln) + ",r=" + std::to_string(params.r) +
         ",p=" + std::to_string(params.p) + "$";
  out += util::Base64EncodeUnpadded(salt_view);
  out += '$';
  out += util::Base64EncodeUnpadded(
      std::string_view(reinterpret_cast<const char*>(hash), sizeof hash));
  OPENSSL_cleanse(hash, sizeof hash);
  return out;
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  std::optional<Parsed> parsed = Parse(encoded);
  if (!parsed || !ParamsSane(parsed->ln, parsed->r, parsed->p)) return false;
  unsigned char derived[kMaxHashBytes];
  size_t len = parsed->hash.size();
  if (!Scrypt(password, parsed->salt, parsed->ln, parsed->r, parsed->p, derived, len))
    return false;
  bool same = CRYPTO_memcmp(derived, parsed->hash.data(), len) == 0;
  OPENSSL_cleanse(derived, sizeof derived);
  return same;
}

}  // namespace eas::core::auth
