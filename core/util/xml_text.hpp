// Text and attribute values escaped for XML we write by hand (small,
// fixed-shape documents: Autodiscover, plists, debug dumps).
#pragma once

#include <string>
#include <string_view>

namespace eas::core::util {

inline void AppendXmlEscaped(std::string* out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out->append("&amp;"); break;
      case '<': out->append("&lt;"); break;
      case '>': out->append("&gt;"); break;
      case '"': out->append("&quot;"); break;
      case '\'': out->append("&apos;"); break;
      default: out->push_back(c);
    }
  }
}

// <name>text</name>, escaped.
inline void AppendXmlElement(std::string* out, std::string_view name, std::string_view text) {
  out->append("<").append(name).append(">");
  AppendXmlEscaped(out, text);
  out->append("</").append(name).append(">");
}

}  // namespace eas::core::util
