#include "core/items/ghosting.hpp"

#include <algorithm>
#include <array>

#include "core/wbxml/tag.hpp"

namespace eas::core::items {
namespace {

using wbxml::Page;
using wbxml::Tag;
using wbxml::TagNamed;

// Written first so that an empty Supported (every ghostable property
// ghosted) differs from none at all.
constexpr char kDeclared = 'S';

// The body in every shape: 12.0+ airsyncbase:Body with NativeBodyType
// beside it, and 2.5's Contacts, Calendar and Tasks Body, BodySize,
// BodyTruncated (and Contacts' CompressedRTF).
const std::array<Tag, 10>& BodyTags() {
  static const std::array<Tag, 10> tags = {
      TagNamed(Page::kAirSyncBase, "Body"),      TagNamed(Page::kAirSyncBase, "NativeBodyType"),
      TagNamed(Page::kContacts, "Body"),         TagNamed(Page::kContacts, "BodySize"),
      TagNamed(Page::kContacts, "BodyTruncated"), TagNamed(Page::kContacts, "CompressedRTF"),
      TagNamed(Page::kCalendar, "Body"),         TagNamed(Page::kCalendar, "BodyTruncated"),
      TagNamed(Page::kTasks, "Body"),            TagNamed(Page::kTasks, "BodyTruncated"),
  };
  return tags;
}

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

bool IsBodyTag(wbxml::Tag tag) {
  static const Tag kTasksBodySize = TagNamed(Page::kTasks, "BodySize");
  const auto& t = BodyTags();
  return tag == kTasksBodySize || std::find(t.begin(), t.end(), tag) != t.end();
}

bool IsBodyElement(wbxml::Tag tag) {
  const auto& t = BodyTags();
  return tag == t[0] || tag == t[2] || tag == t[6] || tag == t[8];
}

bool HasBody(const wbxml::Element& app) {
  return std::any_of(app.children.begin(), app.children.end(),
                     [](const wbxml::Element& c) { return IsBodyElement(c.tag); });
}

}  // namespace eas::core::items
