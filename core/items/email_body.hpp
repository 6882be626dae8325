// Which body a mail client is sent (MS-ASAIRS BodyPreference, MS-ASCMD
// MIMESupport), taken from the record made at delivery: no MIME parsing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/items/body_preference.hpp"
#include "core/mail/mime_record.hpp"

namespace eas::core::items {

struct RenderOptions;

struct EmailBody {
  int type = 1;                     // 1 plain, 2 HTML, 4 MIME
  // The body of that type: whole, except that one made here (HTML from
  // plain text) is made only past the client's TruncationSize (at least
  // one byte more, so CutPoint sees what follows the cut).
  std::string_view full;
  size_t size = 0;                  // the whole body's size (EstimatedDataSize)
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

// Whether ChooseEmailBody could choose MIME for the message under these
// options (whatever `mime` is): only then need the original bytes be read.
template <class Text>
bool MayChooseMime(const mail::BasicMessageRecord<Text>& message, const RenderOptions& options);

// Plain text as HTML: escaped, line breaks kept; with max_bytes, only
// its first max_bytes (or a few more: an escape is not split). A Sync of
// plain-text mail asking for HTML truncated to 512 bytes makes 512.
std::string TextAsHtml(std::string_view text, size_t max_bytes = SIZE_MAX);
// The size of TextAsHtml(text), without making it.
size_t TextAsHtmlSize(std::string_view text);

}  // namespace eas::core::items
