#include "core/items/email_body.hpp"

#include <algorithm>
#include <cstring>

#include "core/items/item_class.hpp"
#include "core/util/html_escape.hpp"

namespace eas::core::items {
namespace {

using util::HtmlFor;

const BodyPreference* Asked(const RenderOptions& options, int type) {
  return PreferenceFor(options.body_preferences, type);
}

bool IsSmime(std::string_view message_class) { return message_class.starts_with("IPM.Note.SMIME"); }

constexpr std::string_view kHtmlHead = "<html><body><div>";
constexpr std::string_view kHtmlTail = "</div></body></html>";

}  // namespace

std::string TextAsHtml(std::string_view text, size_t max_bytes) {
  std::string html(kHtmlHead);
  html.reserve(std::min(max_bytes, text.size() + text.size() / 8) + 64);
  // Runs of ordinary characters go in one append each, never further
  // than max_bytes allows: the same bytes as one character at a time.
  size_t i = 0;
  while (i < text.size() && html.size() < max_bytes) {
    const size_t end = std::min(text.size(), i + (max_bytes - html.size()));
    size_t j = i;
    while (j < end && HtmlFor(text[j]).data() == nullptr) ++j;
    html.append(text.substr(i, j - i));
    i = j;
    if (i < end) html += HtmlFor(text[i++]);
  }
  if (i == text.size()) html += kHtmlTail;
  return html;
}

size_t TextAsHtmlSize(std::string_view text) {
  // Counted with memchr, one character at a time: the special ones are
  // rare, and the text is kilobytes.
  size_t size = kHtmlHead.size() + text.size() + kHtmlTail.size();
  for (char c : {'&', '<', '>', '"', '\r', '\n'}) {
    const size_t grows = HtmlFor(c).size();
    for (const char* p = text.data(); p != nullptr;) {
      p = static_cast<const char*>(std::memchr(p, c, text.data() + text.size() - p));
      if (p == nullptr) break;
      size = size - 1 + grows;
      ++p;
    }
  }
  return size;
}

template <class Text>
bool MayChooseMime(const mail::BasicMessageRecord<Text>& message, const RenderOptions& options) {
  const bool smime = IsSmime(message.message_class);
  const bool mime_ok = options.mime_support == 2 || (options.mime_support == 1 && smime);
  return smime || (Asked(options, 4) != nullptr && mime_ok);
}

template <class Text>
void ChooseEmailBody(const mail::BasicMessageRecord<Text>& message, std::string_view mime,
                     const RenderOptions& options, EmailBody& out) {
  if (!mime.empty() && MayChooseMime(message, options)) {
    out.type = 4;
    out.full = mime;
    out.size = mime.size();
    out.preference = Asked(options, 4);
    return;
  }
  if (ChooseTextOrHtml(options.body_preferences, !message.html_body.empty()) == 2) {
    const BodyPreference* as_html = Asked(options, 2);
    out.type = 2;
    out.preference = as_html;
    if (!message.html_body.empty()) {
      out.full = message.html_body;
      out.size = out.full.size();
    } else {
      // Only as much as is sent, and one byte more for CutPoint.
      const uint64_t limit = as_html->truncation_size;
      out.made = TextAsHtml(message.text_body, limit == 0 || limit >= SIZE_MAX - 1
                                                   ? SIZE_MAX
                                                   : static_cast<size_t>(limit) + 1);
      out.full = out.made;
      out.size = TextAsHtmlSize(message.text_body);
    }
    return;
  }
  out.type = 1;
  out.full = message.text_body;
  out.size = out.full.size();
  out.preference = Asked(options, 1);
}

template bool MayChooseMime(const mail::MessageRecord&, const RenderOptions&);
template bool MayChooseMime(const mail::MessageView&, const RenderOptions&);
template void ChooseEmailBody(const mail::MessageRecord&, std::string_view, const RenderOptions&,
                              EmailBody&);
template void ChooseEmailBody(const mail::MessageView&, std::string_view, const RenderOptions&,
                              EmailBody&);

}  // namespace eas::core::items
