#include "core/convert/timezone_blob.hpp"

#include "core/util/base64.hpp"

namespace eas::core::convert {
namespace {

constexpr size_t kSize = 172;
constexpr size_t kNameUnits = 32;

void Put16(std::string& out, uint16_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>(v >> 8);
}

void Put32(std::string& out, int32_t v) {
  auto u = static_cast<uint32_t>(v);
  Put16(out, static_cast<uint16_t>(u & 0xFFFF));
  Put16(out, static_cast<uint16_t>(u >> 16));
}

// UTF-8 → UTF-16LE, exactly 32 units, NUL padded (at most 31 used).
void PutName(std::string& out, std::string_view name) {
  std::u16string units;
  for (size_t i = 0; i < name.size();) {
    auto c = static_cast<unsigned char>(name[i]);
    uint32_t cp = c;
    size_t n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (n > 0) cp = c & (0x3F >> n);
    for (size_t k = 1; k <= n && i + k < name.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(name[i + k]) & 0x3F);
    }
    i += n + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      if (units.size() + 2 > kNameUnits - 1) break;
      units += static_cast<char16_t>(0xD800 + (cp >> 10));
      units += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      if (units.size() + 1 > kNameUnits - 1) break;
      units += static_cast<char16_t>(cp);
    }
  }
  units.resize(kNameUnits, u'\0');
  for (char16_t u : units) Put16(out, static_cast<uint16_t>(u));
}

void PutSystemTime(std::string& out, const SystemTime& t) {
  for (uint16_t v : {t.year, t.month, t.day_of_week, t.day, t.hour, t.minute, t.second,
                     t.milliseconds}) {
    Put16(out, v);
  }
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : b_(bytes) {}
  uint16_t U16() {
    auto v = static_cast<uint16_t>(static_cast<unsigned char>(b_[pos_]) |
                                   (static_cast<unsigned char>(b_[pos_ + 1]) << 8));
    pos_ += 2;
    return v;
  }
  int32_t I32() {
    uint32_t lo = U16();
    uint32_t hi = U16();
    return static_cast<int32_t>(lo | (hi << 16));
  }
  std::string Name() {
    std::string out;
    for (size_t i = 0; i < kNameUnits; ++i) {
      uint32_t cp = U16();
      if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < kNameUnits) {
        uint32_t lo = U16();
        ++i;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      }
      if (cp == 0) {
        pos_ += 2 * (kNameUnits - i - 1);
        break;
      }
      Append(out, cp);
    }
    return out;
  }
  SystemTime Time() {
    SystemTime t;
    for (uint16_t* v : {&t.year, &t.month, &t.day_of_week, &t.day, &t.hour, &t.minute, &t.second,
                        &t.milliseconds}) {
      *v = U16();
    }
    return t;
  }

 private:
  static void Append(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  std::string_view b_;
  size_t pos_ = 0;
};

}  // namespace

bool TimeZoneInfo::SameRules(const TimeZoneInfo& o) const {
  if (StandardOffset() != o.StandardOffset() || HasDaylight() != o.HasDaylight()) return false;
  if (!HasDaylight()) return true;
  return DaylightOffset() == o.DaylightOffset() && standard_date == o.standard_date &&
         daylight_date == o.daylight_date;
}

std::string EncodeTimeZone(const TimeZoneInfo& info) {
  std::string out;
  out.reserve(kSize);
  Put32(out, info.bias);
  PutName(out, info.standard_name);
  PutSystemTime(out, info.standard_date);
  Put32(out, info.standard_bias);
  PutName(out, info.daylight_name);
  PutSystemTime(out, info.daylight_date);
  Put32(out, info.daylight_bias);
  return util::Base64Encode(out);
}

std::optional<TimeZoneInfo> DecodeTimeZone(std::string_view base64) {
  auto bytes = util::Base64Decode(base64);
  if (!bytes || bytes->size() != kSize) return std::nullopt;
  Reader r(*bytes);
  TimeZoneInfo info;
  info.bias = r.I32();
  info.standard_name = r.Name();
  info.standard_date = r.Time();
  info.standard_bias = r.I32();
  info.daylight_name = r.Name();
  info.daylight_date = r.Time();
  info.daylight_bias = r.I32();
  return info;
}

}  // namespace eas::core::convert
