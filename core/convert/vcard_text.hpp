// Text-level pieces of the vCard format: value escaping, structured-value
// splitting, line folding, quoted-printable and charsets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace eas::core::convert {

// RFC 6350 3.4 escapes: "\\" "\n" "\N" "\;" "\,"; any other backslash pair
// is read as the escaped character (lenient, as real exports vary).
std::string UnescapeText(std::string_view raw);
// The inverse for output: backslash, newline, ';' and ','.
std::string EscapeText(std::string_view text);
// Splits at every unescaped `sep`, leaving escapes in the pieces.
std::vector<std::string> SplitUnescaped(std::string_view raw, char sep);

// Appends one content line, folded at 75 octets (never inside a UTF-8
// sequence), with CRLF.
void AppendFolded(std::string& out, std::string_view line);

// Quoted-printable (vCard 2.1 ENCODING=QUOTED-PRINTABLE); soft line breaks
// were already joined by the lexer. Bad escapes are kept literally.
std::string DecodeQuotedPrintable(std::string_view text);

// True when `s` is valid UTF-8; Latin1ToUtf8 converts ISO-8859-1 bytes.
bool IsValidUtf8(std::string_view s);
std::string Latin1ToUtf8(std::string_view s);

}  // namespace eas::core::convert
