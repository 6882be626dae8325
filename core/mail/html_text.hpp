// HTML -> plain text, in process, with libxml2's HTML parser (recovering,
// no network). What a device shows when it asks for a plain-text body of a
// mail that came as HTML only, and what the preview is cut from.
#pragma once

#include <string>
#include <string_view>

namespace eas::core::mail {

// `html` must be UTF-8 (the MIME record converts every body first). The
// text drops script, style, head and comments; block elements (p, div, br,
// li, tr, h1-h6, blockquote, table, ...) become line breaks, table cells
// are separated by a tab, links keep their text (not their URL), entities
// are decoded, runs of white space collapse to one space (except inside
// pre), and no line ends or starts with spaces. At most one blank line in
// a row. Never fails: markup libxml2 cannot read gives what it could.
std::string HtmlToText(std::string_view html);

// libxml2's one-time setup. Call it on one thread before threads convert
// at once (libxml2 sets itself up on first use, but not thread-safely).
void InitHtmlParser();

}  // namespace eas::core::mail
