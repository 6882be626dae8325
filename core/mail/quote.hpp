// The original message as a reply or forward quotes it under the user's
// text (SmartReply / SmartForward without ReplaceMime): an intro line,
// then the original's plain text with "> " before each line, or its HTML
// inside a blockquote. Made from the stored record's bodies (UTF-8), never
// from a new MIME parse. Pure text work, so it is tested alone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/mail/mime_record.hpp"

namespace eas::core::mail {

// "On Mon, 3 Jun 2024 at 10:00 UTC, Alice Liddell <alice@example.org>
// wrote:" from the original's Date and first From (UTC: the record keeps
// no sender's zone, and a quote must not claim a zone it does not know).
std::string QuoteIntro(const MessageRecord& original);

// A blank line, the intro, then `text` (UTF-8) with each line quoted: "> "
// before it, ">" before a line that is empty or already quoted (so "> a"
// becomes ">> a"). Lines are kept whole however long (the transfer
// encoding folds them for SMTP); CRLF and LF both end a line; trailing
// blank lines are dropped. LF line ends, the last line's too.
std::string QuotePlain(std::string_view intro, std::string_view text);

// The intro (escaped) and the original in a <blockquote type="cite">: its
// HTML's <body> content when it has HTML, else its plain text escaped with
// line breaks kept.
std::string QuoteHtml(std::string_view intro, std::string_view html, std::string_view text);

// `html` with `addition` put just before its closing </body> (any letter
// case), or at its end when it has none.
std::string AppendToHtml(std::string_view html, std::string_view addition);

// What lies between <body ...> and </body> (any letter case); the whole
// text when it has no body element.
std::string_view HtmlBodyContent(std::string_view html);

}  // namespace eas::core::mail
