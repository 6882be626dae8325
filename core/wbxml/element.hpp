// The small element tree a decoded request becomes; handlers read it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/wbxml/tag.hpp"

namespace eas::core::wbxml {

struct Element {
  Tag tag;
  std::string text;       // STR_I / STR_T / OPAQUE content, concatenated
  bool opaque = false;    // text came (at least partly) from OPAQUE
  std::vector<Element> children;

  // First child with `t`, or nullptr.
  const Element* Child(Tag t) const;
  // Every child with `t`, in document order.
  std::vector<const Element*> Children(Tag t) const;
  // Text of the first child with `t`; empty when absent.
  std::string_view ChildText(Tag t) const;
  bool Has(Tag t) const { return Child(t) != nullptr; }
  bool operator==(const Element&) const = default;
};

}  // namespace eas::core::wbxml
