// The low-level SHA256_* / MD5_* calls, deprecated by OpenSSL 3 in favour
// of EVP (as core/util/hmac.cpp explains). EVP_Digest, and in OpenSSL 3
// the one-shot SHA256() / MD5() as well, fetch the algorithm from the
// default provider, whose first use initialises OpenSSL (its config file,
// every cipher's and digest's name): in eas-deliver, a process per message
// that hashes once, that was 7 % of its CPU. These need no initialisation
// and run the same SHA-NI / AVX2 code.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/util/digest.hpp"

#include <openssl/md5.h>
#include <openssl/sha.h>

namespace eas::core::util {

std::string Sha256(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, bytes.data(), bytes.size());
  SHA256_Final(digest, &ctx);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string Md5(std::string_view bytes) {
  unsigned char digest[MD5_DIGEST_LENGTH];
  MD5_CTX ctx;
  MD5_Init(&ctx);
  MD5_Update(&ctx, bytes.data(), bytes.size());
  MD5_Final(digest, &ctx);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

}  // namespace eas::core::util
