// "m-n": a zero-based, inclusive range of indexes, as ItemOperations
// (bytes, MS-ASCMD 2.2.3.143.2), Search and Find (results, 2.2.3.143.3 and
// 2.2.3.143.1) write it.
#pragma once

#include <charconv>
#include <cstdint>
#include <string_view>

namespace eas::core::util {

// False for anything but two decimal numbers with first <= last.
inline bool ParseIndexRange(std::string_view text, uint64_t& first, uint64_t& last) {
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) return false;
  auto number = [](std::string_view s, uint64_t& v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && ec == std::errc() && p == s.data() + s.size();
  };
  return number(text.substr(0, dash), first) && number(text.substr(dash + 1), last) &&
         first <= last;
}

}  // namespace eas::core::util
