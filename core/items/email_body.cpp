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
  size_t i = 0;
  for (; i < text.size() && html.size() < max_bytes; ++i) {
    const std::string_view as = HtmlFor(text[i]);
    if (as.data() == nullptr) {
      html += text[i];
    } else {
      html += as;
    }
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
void ChooseEmailBody(const mail::BasicMessageRecord<Text>& message, std::string_view mime,
                     const RenderOptions& options, EmailBody& out) {
  const BodyPreference* as_mime = Asked(options, 4);
  const bool smime = IsSmime(message.message_class);
  const bool mime_ok = options.mime_support == 2 || (options.mime_support == 1 && smime);
  if (!mime.empty() && (smime || (as_mime != nullptr && mime_ok))) {
    out.type = 4;
    out.full = mime;
    out.size = mime.size();
    out.preference = as_mime;
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

template void ChooseEmailBody(const mail::MessageRecord&, std::string_view, const RenderOptions&,
                              EmailBody&);
template void ChooseEmailBody(const mail::MessageView&, std::string_view, const RenderOptions&,
                              EmailBody&);

}  // namespace eas::core::items
