#include "core/items/item_body.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "core/items/body_preference.hpp"
#include "core/items/email_body.hpp"
#include "core/items/item_class.hpp"
#include "core/mail/html_text.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::items {
namespace {

namespace base = wbxml::tags::base;
using wbxml::Element;

using wbxml::Page;
using wbxml::Tag;
using wbxml::TagNamed;

constexpr int kVersion12 = 120;

// The body in every shape: 12.0+ airsyncbase:Body with NativeBodyType
// beside it, and 2.5's Contacts, Calendar and Tasks Body, BodySize,
// BodyTruncated (and Contacts' CompressedRTF).
const std::array<Tag, 11>& BodyTags() {
  static const std::array<Tag, 11> tags = {
      TagNamed(Page::kAirSyncBase, "Body"),      TagNamed(Page::kAirSyncBase, "NativeBodyType"),
      TagNamed(Page::kContacts, "Body"),         TagNamed(Page::kContacts, "BodySize"),
      TagNamed(Page::kContacts, "BodyTruncated"), TagNamed(Page::kContacts, "CompressedRTF"),
      TagNamed(Page::kCalendar, "Body"),         TagNamed(Page::kCalendar, "BodyTruncated"),
      TagNamed(Page::kTasks, "Body"),            TagNamed(Page::kTasks, "BodyTruncated"),
      TagNamed(Page::kTasks, "BodySize"),
  };
  return tags;
}

// The stored body: its type (1 plain, 2 HTML, 3 RTF, 4 MIME) and text.
struct StoredBody {
  int type = 1;
  std::string data;
};

int Number(std::string_view text) {
  int n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

// A 2.5 Body (Contacts, Calendar, Tasks).
bool IsLegacyBody(wbxml::Tag tag) { return IsBodyElement(tag) && !(tag == base::kBody); }

// Takes the body out of `app` (every element of it, in any shape);
// nullopt when it has none.
std::optional<StoredBody> TakeBody(Element& app) {
  std::optional<StoredBody> found;
  for (const Element& c : app.children) {
    if (c.tag == base::kBody) {
      std::string_view type = c.ChildText(base::kType);
      found = StoredBody{type.empty() ? 1 : Number(type), std::string(c.ChildText(base::kData))};
    } else if (IsLegacyBody(c.tag) && !found) {
      found = StoredBody{1, c.text};
    }
  }
  if (found) std::erase_if(app.children, [](const Element& c) { return IsBodyTag(c.tag); });
  return found;
}

Element Leaf(wbxml::Tag tag, std::string text) { return Element{tag, std::move(text), false, {}}; }

// The byte length of the first `chars` UTF-8 characters of `text`.
size_t CharPrefix(std::string_view text, uint64_t chars) {
  size_t at = 0;
  for (uint64_t n = 0; at < text.size() && n < chars; ++n) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  }
  return at;
}

uint64_t CharCount(std::string_view text) {
  uint64_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// 2.5: plain text, cut to the Truncation asked for.
void WriteLegacy(Element& app, StoredBody body, const RenderOptions& options,
                 const LegacyBodyTags& tags) {
  std::string text = body.type == 2 ? mail::HtmlToText(body.data) : std::move(body.data);
  const std::optional<uint64_t> limit = LegacyTruncationLimit(options.truncation);
  const uint64_t chars = CharCount(text);
  const bool cut = limit && chars > *limit;
  if (cut) text.resize(CharPrefix(text, *limit));
  app.children.push_back(Leaf(tags.body, std::move(text)));
  if (cut && tags.size) app.children.push_back(Leaf(*tags.size, std::to_string(chars)));
  app.children.push_back(Leaf(tags.truncated, cut ? "1" : "0"));
}

// 12.0+: the type ChooseTextOrHtml picks of a plain or HTML body (an RTF
// or MIME one goes as it is: nothing here converts it), cut to the
// preference for that type.
void WriteAirSyncBase(Element& app, StoredBody body, const RenderOptions& options) {
  const auto& prefs = options.body_preferences;
  int type = body.type;
  std::string data = std::move(body.data);
  if (!prefs.empty() && (type == 1 || type == 2)) {
    const int wanted = ChooseTextOrHtml(prefs, type == 2);
    if (wanted == 1 && type == 2) data = mail::HtmlToText(data);
    if (wanted == 2 && type == 1) data = TextAsHtml(data);
    type = wanted;
  }
  const BodyPreference* pref = PreferenceFor(prefs, type);
  const size_t full = data.size();
  const bool truncated = pref != nullptr && pref->truncation_size != 0 && full > pref->truncation_size;
  if (truncated) data.resize(pref->all_or_none ? 0 : CutPoint(data, pref->truncation_size, type == 2));
  // The schema's order: Type, EstimatedDataSize, Truncated, Data.
  Element out{base::kBody, "", false, {}};
  out.children.push_back(Leaf(base::kType, std::to_string(type)));
  out.children.push_back(Leaf(base::kEstimatedDataSize, std::to_string(full)));
  if (truncated) out.children.push_back(Leaf(base::kTruncated, "1"));
  if (!(truncated && pref->all_or_none)) out.children.push_back(Leaf(base::kData, std::move(data)));
  app.children.push_back(std::move(out));
}

}  // namespace

bool IsBodyTag(wbxml::Tag tag) {
  const auto& t = BodyTags();
  return std::find(t.begin(), t.end(), tag) != t.end();
}

bool IsBodyElement(wbxml::Tag tag) {
  const auto& t = BodyTags();
  return tag == t[0] || tag == t[2] || tag == t[6] || tag == t[8];
}

bool HasBody(const wbxml::Element& app) {
  return std::any_of(app.children.begin(), app.children.end(),
                     [](const wbxml::Element& c) { return IsBodyElement(c.tag); });
}

std::optional<uint64_t> LegacyTruncationLimit(int value) {
  static constexpr uint64_t kLimits[] = {0, 512, 1024, 2048, 5120, 10240, 20480, 51200, 102400};
  if (value < 0 || value > 8) return std::nullopt;
  return kLimits[value];
}

void RenderItemBody(Element& app, const RenderOptions& options, const LegacyBodyTags* legacy) {
  if (options.version < kVersion12 && legacy == nullptr) return;
  // Nothing asked of a body in the 12.0 shape: as stored.
  if (options.version >= kVersion12 && options.body_preferences.empty() && app.Has(base::kBody)) {
    return;
  }
  std::optional<StoredBody> body = TakeBody(app);
  if (!body) return;
  if (options.version < kVersion12) {
    WriteLegacy(app, std::move(*body), options, *legacy);
  } else {
    WriteAirSyncBase(app, std::move(*body), options);
  }
}

void StoreBodyShape(Element& app) {
  bool legacy = false;
  for (const Element& c : app.children) legacy = legacy || IsLegacyBody(c.tag);
  if (!legacy || app.Has(base::kBody)) return;
  std::optional<StoredBody> body = TakeBody(app);
  Element out{base::kBody, "", false, {}};
  out.children.push_back(Leaf(base::kType, "1"));
  out.children.push_back(Leaf(base::kData, std::move(body->data)));
  app.children.push_back(std::move(out));
}

}  // namespace eas::core::items
