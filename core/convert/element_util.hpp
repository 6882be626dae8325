// Small helpers to build and read ApplicationData trees.
#pragma once

#include <string>
#include <string_view>

#include "core/wbxml/element.hpp"

namespace eas::core::convert {

inline wbxml::Element Node(wbxml::Tag tag) {
  wbxml::Element e;
  e.tag = tag;
  return e;
}

inline wbxml::Element Leaf(wbxml::Tag tag, std::string text) {
  wbxml::Element e;
  e.tag = tag;
  e.text = std::move(text);
  return e;
}

// Appends <tag>text</tag> unless text is empty: an absent element and an
// empty one mean different things in a Sync Change (keep vs. clear), and an
// import has nothing to clear.
inline void AddText(wbxml::Element& parent, wbxml::Tag tag, std::string text) {
  if (!text.empty()) parent.children.push_back(Leaf(tag, std::move(text)));
}

// Text of the first child with `tag`, as a std::string (empty when absent).
inline std::string TextOf(const wbxml::Element& parent, wbxml::Tag tag) {
  return std::string(parent.ChildText(tag));
}

// The plain text of an AirSyncBase Body (children Type, Data). HTML
// (Type 2) loses its tags: vCard NOTE and iCalendar DESCRIPTION are plain.
std::string PlainBodyText(const wbxml::Element& body);

}  // namespace eas::core::convert
