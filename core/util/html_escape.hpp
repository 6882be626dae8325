// Plain text inside HTML: what each special character becomes. One table
// for the bodies Sync makes from plain-text mail and the quotes a reply
// carries.
#pragma once

#include <string>
#include <string_view>

namespace eas::core::util {

// What a character of plain text becomes in HTML; a null data(): itself.
// CR is dropped (an empty, non-null view) and LF becomes a line break, so
// the text's lines stay lines.
inline std::string_view HtmlFor(char c) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\r': return "";
    case '\n': return "<br>\n";
    default: return {};
  }
}

inline void AppendHtmlText(std::string& out, std::string_view text) {
  for (char c : text) {
    const std::string_view as = HtmlFor(c);
    if (as.data() == nullptr) {
      out += c;
    } else {
      out += as;
    }
  }
}

}  // namespace eas::core::util
