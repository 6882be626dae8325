#include "core/items/email_body.hpp"

#include "core/items/item_class.hpp"

namespace eas::core::items {
namespace {

const BodyPreference* Asked(const RenderOptions& options, int type) {
  for (const auto& p : options.body_preferences) {
    if (p.type == type) return &p;
  }
  return nullptr;
}

bool IsSmime(std::string_view message_class) { return message_class.starts_with("IPM.Note.SMIME"); }

}  // namespace

std::string TextAsHtml(std::string_view text) {
  std::string html = "<html><body><div>";
  html.reserve(html.size() + text.size() + text.size() / 8 + 32);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '&': html += "&amp;"; break;
      case '<': html += "&lt;"; break;
      case '>': html += "&gt;"; break;
      case '"': html += "&quot;"; break;
      case '\r': break;
      case '\n': html += "<br>\n"; break;
      default: html += c;
    }
  }
  html += "</div></body></html>";
  return html;
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
    out.preference = as_mime;
    return;
  }
  const BodyPreference* as_html = Asked(options, 2);
  const BodyPreference* as_text = Asked(options, 1);
  if (as_html != nullptr && (!message.html_body.empty() || as_text == nullptr)) {
    out.type = 2;
    out.preference = as_html;
    if (!message.html_body.empty()) {
      out.full = message.html_body;
    } else {
      out.made = TextAsHtml(message.text_body);
      out.full = out.made;
    }
    return;
  }
  out.type = 1;
  out.full = message.text_body;
  out.preference = as_text;
}

template void ChooseEmailBody(const mail::MessageRecord&, std::string_view, const RenderOptions&,
                              EmailBody&);
template void ChooseEmailBody(const mail::MessageView&, std::string_view, const RenderOptions&,
                              EmailBody&);

}  // namespace eas::core::items
