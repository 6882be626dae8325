#include "core/items/ghosting.hpp"

namespace eas::core::items {
namespace {

// Written first so that an empty Supported (every ghostable property
// ghosted) differs from none at all.
constexpr char kDeclared = 'S';

}  // namespace

std::string EncodeSupported(const wbxml::Element* supported) {
  if (supported == nullptr) return {};
  std::string out(1, kDeclared);
  for (const wbxml::Element& c : supported->children) {
    out.push_back(static_cast<char>(c.tag.page));
    out.push_back(static_cast<char>(c.tag.token));
  }
  return out;
}

bool ChangeRules::Supports(wbxml::Tag tag) const {
  for (size_t i = 1; i + 1 < supported.size(); i += 2) {
    if (static_cast<uint8_t>(supported[i]) == tag.page &&
        static_cast<uint8_t>(supported[i + 1]) == tag.token) {
      return true;
    }
  }
  return false;
}

}  // namespace eas::core::items
