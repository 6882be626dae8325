// Bytes as hex digits (message keys, generated Message-IDs, GUID device ids).
#pragma once

#include <string>
#include <string_view>

namespace eas::core::util {

inline std::string Hex(std::string_view bytes, bool upper = false) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

}  // namespace eas::core::util
