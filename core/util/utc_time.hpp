// A unix time written with strftime in UTC (mail dates, easctl tables).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace eas::core::util {

inline std::string FormatUtc(uint64_t t, const char* format) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

}  // namespace eas::core::util
