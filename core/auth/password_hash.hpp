// Salted slow password hashes made with OpenSSL (scrypt), in one
// self-describing string so parameters can change without a migration.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace eas::core::auth {

struct HashParams {
  uint64_t n = 1u << 15;  // scrypt cost: ~160 ms on a 2-core box; tests lower it
  uint32_t r = 8;
  uint32_t p = 1;
};

// "$scrypt$ln=15,r=8,p=1$<salt b64>$<hash b64>" with a fresh 16-byte salt.
std::string HashPassword(std::string_view password, const HashParams& params = {});

// Constant-time comparison; false for malformed or empty `encoded`.
bool VerifyPassword(std::string_view password, std::string_view encoded);

}  // namespace eas::core::auth
