// Text of any declared (or undeclared, or wrongly declared) charset to
// UTF-8, for the MIME record. GMime and iconv underneath; no GMime type
// in this header.
#pragma once

#include <string>
#include <string_view>

namespace eas::core::mail {

// GMime's one-time setup (std::call_once); whatever here uses GMime calls it.
void InitGMime();

// For undeclared 8-bit text, the charsets tried in order; the first that
// reads every byte wins, else the one with the fewest invalid bytes.
// A null-terminated list with static storage (GMime's parser options take it).
const char** FallbackCharsets();

// `bytes` (a body, transfer encoding undone) as UTF-8:
// - pure ASCII is returned as it is;
// - no charset, "us-ascii" with 8-bit bytes, an unknown charset, or
//   "utf-8" that is not valid UTF-8: the fallback charsets;
// - iso-8859-x with bytes at 0x80-0x9F (where ISO-8859 has only controls):
//   the windows-125x that matches it (windows-1252 for iso-8859-1);
// - otherwise the declared charset; an invalid byte becomes U+FFFD.
std::string TextToUtf8(std::string_view bytes, std::string_view declared);

// Header text that GMime decoded to UTF-8 with U+0080-U+009F read as
// windows-1252 (an RFC 2047 word labelled iso-8859-1 that was written in
// windows-1252 decodes to those controls, which no real text contains).
std::string C1AsCp1252(std::string utf8);

}  // namespace eas::core::mail
