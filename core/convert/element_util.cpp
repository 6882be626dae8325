#include "core/convert/element_util.hpp"

#include "core/convert/tags.hpp"

namespace eas::core::convert {

std::string PlainBodyText(const wbxml::Element& body) {
  std::string data = TextOf(body, tags::base::kData);
  if (body.ChildText(tags::base::kType) != "2") return data;
  std::string out;
  bool in_tag = false;
  for (char ch : data) {
    if (ch == '<') {
      in_tag = true;
    } else if (ch == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out += ch;
    }
  }
  return out;
}

}  // namespace eas::core::convert
