// A list as one line of text, `separator` between each two items: the
// recipients, ids and answers that log lines, easctl tables and bounces
// name.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

namespace eas::core::util {

// A number in decimal; anything else as it is (what a std::string can
// be appended: strings, views, characters).
struct AsText {
  template <class T>
  decltype(auto) operator()(const T& item) const {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, char>) {
      return std::to_string(item);
    } else {
      return (item);
    }
  }
};

// `text(item)` of each item of `list`, in order, `separator` between each
// two ("" for an empty list). An empty item still takes its separator.
template <class List, class Text = AsText>
std::string JoinWith(const List& list, std::string_view separator, Text text = {}) {
  std::string out;
  bool first = true;
  for (const auto& item : list) {
    if (!first) out += separator;
    first = false;
    out += text(item);
  }
  return out;
}

}  // namespace eas::core::util
