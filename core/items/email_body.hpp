// Which body a mail client is sent (MS-ASAIRS BodyPreference, MS-ASCMD
// MIMESupport), taken from the record made at delivery: no MIME parsing.
#pragma once

#include <string>
#include <string_view>

#include "core/items/body_preference.hpp"
#include "core/mail/mime_record.hpp"

namespace eas::core::items {

struct RenderOptions;

struct EmailBody {
  int type = 1;                     // 1 plain, 2 HTML, 4 MIME
  std::string_view full;            // the whole body of that type
  const BodyPreference* preference = nullptr;  // the client's for that type, if any
  std::string made;                 // storage for a body made here (HTML from plain text)
};

// MIME when the client takes it (Type 4 asked and MIMESupport 2, or 1 for
// an S/MIME message — which goes only as MIME) and `mime` is there; else
// HTML when asked for and the message has it, or when asked for HTML only
// (plain text is then made into HTML); else plain text, which every
// message has (HTML-only mail carries its text form).
// For a MessageRecord or a MessageView; out.full views the message's text.
template <class Text>
void ChooseEmailBody(const mail::BasicMessageRecord<Text>& message, std::string_view mime,
                     const RenderOptions& options, EmailBody& out);

// Plain text as HTML: escaped, line breaks kept.
std::string TextAsHtml(std::string_view text);

}  // namespace eas::core::items
