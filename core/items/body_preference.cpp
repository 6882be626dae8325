#include "core/items/body_preference.hpp"

#include <charconv>
#include <string>

#include "core/multipart_response.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::items {
namespace {

namespace base = wbxml::tags::base;

uint64_t Number(std::string_view text) {
  uint64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

}  // namespace

std::vector<BodyPreference> ParseBodyPreferences(const wbxml::Element& options) {
  std::vector<BodyPreference> out;
  for (const wbxml::Element* e : options.Children(base::kBodyPreference)) {
    BodyPreference p;
    p.type = static_cast<int>(Number(e->ChildText(base::kType)));
    p.truncation_size = Number(e->ChildText(base::kTruncationSize));
    const wbxml::Element* all = e->Child(base::kAllOrNone);
    p.all_or_none = all != nullptr && (all->text == "1" || all->text.empty());
    p.preview = Number(e->ChildText(base::kPreview));
    if (p.type != 0) out.push_back(p);
  }
  return out;
}

size_t CutPoint(std::string_view text, uint64_t limit, bool html) {
  if (limit >= text.size()) return text.size();
  size_t cut = static_cast<size_t>(limit);
  // Back off continuation bytes (10xxxxxx): the cut lands before a
  // character's first byte.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  if (html) {
    size_t open = text.rfind('<', cut == 0 ? 0 : cut - 1);
    size_t close = text.rfind('>', cut == 0 ? 0 : cut - 1);
    if (open != std::string_view::npos && (close == std::string_view::npos || close < open)) {
      cut = open;  // inside a tag: end before it
    }
  }
  return cut;
}

const BodyPreference* PreferenceFor(const std::vector<BodyPreference>& preferences, int type) {
  for (const auto& p : preferences) {
    if (p.type == type) return &p;
  }
  return nullptr;
}

int ChooseTextOrHtml(const std::vector<BodyPreference>& preferences, bool has_html) {
  const bool html = PreferenceFor(preferences, 2) != nullptr;
  const bool text = PreferenceFor(preferences, 1) != nullptr;
  return html && (has_html || !text) ? 2 : 1;
}

void MoveBodyDataToPart(wbxml::Element& application_data, MultipartParts& parts) {
  for (wbxml::Element& body : application_data.children) {
    if (!(body.tag == base::kBody)) continue;
    for (auto it = body.children.begin(); it != body.children.end(); ++it) {
      if (!(it->tag == base::kData)) continue;
      const size_t part = parts.Add(std::move(it->text));
      body.children.erase(it);
      // Last: after Preview, where Microsoft's schema for Body has it.
      body.children.push_back({wbxml::tags::itemops::kPart, std::to_string(part), false, {}});
      break;
    }
  }
}

}  // namespace eas::core::items
