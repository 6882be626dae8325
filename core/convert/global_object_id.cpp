#include "core/convert/global_object_id.hpp"

#include <cctype>

#include "core/convert/eas_time.hpp"
#include "core/util/base64.hpp"

namespace eas::core::convert {
namespace {

// The class id every such id starts with, and where the instance date and
// the data size sit after it.
constexpr unsigned char kClassId[16] = {0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00,
                                        0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08};
constexpr size_t kInstanceDate = 16;  // YH YL M D
constexpr size_t kHeader = 40;        // class id, date, creation time, reserved, size

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

// The bytes of an even-length hex string that starts with the class id
// and is long enough to hold a header; "" otherwise.
std::string OutlookId(std::string_view uid) {
  if (uid.size() % 2 != 0 || uid.size() < 2 * kHeader) return {};
  std::string bytes;
  for (size_t i = 0; i < uid.size(); i += 2) {
    int hi = HexValue(uid[i]), lo = HexValue(uid[i + 1]);
    if (hi < 0 || lo < 0) return {};
    bytes += static_cast<char>(hi * 16 + lo);
  }
  if (bytes.compare(0, 16, reinterpret_cast<const char*>(kClassId), 16) != 0) return {};
  return bytes;
}

void PutLe32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace

std::string GlobalObjectId(std::string_view uid, int64_t instance) {
  std::string id = OutlookId(uid);
  if (id.empty()) {
    // Creation time and reserved bytes stay zero, as in MS-ASEMAIL's own
    // example of a vCal-Uid id: the id then depends on the UID alone.
    id.assign(reinterpret_cast<const char*>(kClassId), 16);
    id.append(kHeader - 16 - 4, '\0');
    const std::string data = std::string("vCal-Uid") + std::string("\x01\x00\x00\x00", 4) +
                             std::string(uid) + '\0';
    PutLe32(id, static_cast<uint32_t>(data.size()));
    id += data;
  }
  if (instance != 0) {
    const CivilDate d = CivilFromDays(instance / 86400 - (instance % 86400 < 0));
    id[kInstanceDate] = static_cast<char>((d.year >> 8) & 0xFF);
    id[kInstanceDate + 1] = static_cast<char>(d.year & 0xFF);
    id[kInstanceDate + 2] = static_cast<char>(d.month);
    id[kInstanceDate + 3] = static_cast<char>(d.day);
  } else {
    id.replace(kInstanceDate, 4, 4, '\0');
  }
  return id;
}

std::string GlobalObjId(std::string_view uid, int64_t instance) {
  return util::Base64Encode(GlobalObjectId(uid, instance));
}

}  // namespace eas::core::convert
