// Line by line through a vCard or iCalendar file, whichever line ends it
// uses (RFC 5545/6350 say CRLF; files from other tools often have LF only).
#pragma once

#include <string_view>

namespace eas::core::convert {

// Takes the first line off *text and returns it without its line end.
inline std::string_view TakeLine(std::string_view* text) {
  size_t nl = text->find('\n');
  std::string_view line = text->substr(0, nl);
  text->remove_prefix(nl == std::string_view::npos ? text->size() : nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace eas::core::convert
