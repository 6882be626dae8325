#include "core/wbxml/element.hpp"

namespace eas::core::wbxml {

const Element* Element::Child(Tag t) const {
  for (const Element& c : children) {
    if (c.tag == t) return &c;
  }
  return nullptr;
}

std::vector<const Element*> Element::Children(Tag t) const {
  std::vector<const Element*> out;
  for (const Element& c : children) {
    if (c.tag == t) out.push_back(&c);
  }
  return out;
}

std::string_view Element::ChildText(Tag t) const {
  const Element* c = Child(t);
  return c != nullptr ? std::string_view(c->text) : std::string_view();
}

}  // namespace eas::core::wbxml
