#include "core/mail/header_values.hpp"

#include <openssl/rand.h>
#include <unistd.h>

#include <ctime>

#include "core/util/hex.hpp"
#include "core/util/utc_time.hpp"

namespace eas::core::mail {
namespace {

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

std::string RandomHex128() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Never seen on Linux (getrandom); the time and pid still differ.
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t t = (static_cast<uint64_t>(ts.tv_sec) * 1000000000u +
                  static_cast<uint64_t>(ts.tv_nsec)) ^
                 (static_cast<uint64_t>(getpid()) << 40);
    for (size_t i = 0; i < sizeof bytes; ++i) bytes[i] = static_cast<unsigned char>(t >> (i % 8 * 8));
  }
  return util::Hex(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

}  // namespace

std::string DomainOrHostName(std::string_view address) {
  size_t at = address.rfind('@');
  return at == std::string_view::npos ? HostName() : std::string(address.substr(at + 1));
}

std::string NewMessageId(std::string_view sender_address, std::string_view prefix) {
  return std::string(prefix) + RandomHex128() + "@" + DomainOrHostName(sender_address);
}

std::string RfcDate(uint64_t unix_seconds) {
  return util::FormatUtc(unix_seconds, "%a, %d %b %Y %H:%M:%S +0000");
}

}  // namespace eas::core::mail
