// Our HMAC-SHA256 (pre-hashed pad blocks) equals OpenSSL's HMAC() over the
// same length-prefixed message.
#include <cppunit/extensions/HelperMacros.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <string>

#include "core/util/hmac.hpp"

namespace eas::core::util {
namespace {

std::string Prefixed(std::initializer_list<std::string_view> parts) {
  std::string buf;
  for (std::string_view p : parts) {
    uint32_t n = static_cast<uint32_t>(p.size());
    for (int shift = 24; shift >= 0; shift -= 8) buf += static_cast<char>(n >> shift);
    buf += p;
  }
  return buf;
}

class HmacTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HmacTest);
  CPPUNIT_TEST(testEqualsOpenSsl);
  CPPUNIT_TEST(testKeyIsReusable);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testEqualsOpenSsl() {
    unsigned char key[32];
    for (int i = 0; i < 32; ++i) key[i] = static_cast<unsigned char>(i * 7 + 3);
    for (std::string a : {std::string(), std::string("alice"), std::string(300, 'x')}) {
      std::string b = "password with ünïcode " + a;
      unsigned char ours[32], theirs[32];
      unsigned int len = 32;
      HmacSha256Key(key).Digest({a, b}, ours);
      std::string msg = Prefixed({a, b});
      HMAC(EVP_sha256(), key, 32, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
           theirs, &len);
      CPPUNIT_ASSERT(std::memcmp(ours, theirs, 32) == 0);
    }
  }

  // A key object answers every message as a fresh HMAC would: the digest
  // of one message leaves nothing behind in the pre-hashed pad states.
  void testKeyIsReusable() {
    unsigned char key[32];
    for (int i = 0; i < 32; ++i) key[i] = static_cast<unsigned char>(255 - i);
    HmacSha256Key mac(key);
    for (std::string a : {std::string("bob"), std::string(200, 'y'), std::string("bob")}) {
      unsigned char ours[32], theirs[32];
      unsigned int len = 32;
      mac.Digest({"credential", a}, ours);
      std::string msg = Prefixed({"credential", a});
      HMAC(EVP_sha256(), key, 32, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
           theirs, &len);
      CPPUNIT_ASSERT(std::memcmp(ours, theirs, 32) == 0);
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HmacTest);

}  // namespace
}  // namespace eas::core::util
