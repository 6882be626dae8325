#include "core/mail/charset.hpp"

#include <gmime/gmime.h>

#include <cerrno>
#include <mutex>

namespace eas::core::mail {
namespace {

const char* kFallbackCharsets[] = {"utf-8", "windows-1252", "iso-8859-1", nullptr};

// Parser options that only carry the fallback list, for
// g_mime_utils_decode_8bit; made once, kept for the process.
GMimeParserOptions* FallbackOptions() {
  static GMimeParserOptions* options = [] {
    GMimeParserOptions* o = g_mime_parser_options_new();
    g_mime_parser_options_set_fallback_charsets(o, kFallbackCharsets);
    return o;
  }();
  return options;
}

// Windows-1252's characters at 0x80-0x9F (0 where it has none). A header
// word labelled iso-8859-1 that was written in windows-1252 decodes to
// these C1 controls, which no real text contains.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void AppendUtf8(std::string& out, char32_t c) {
  char buf[6];
  int n = g_unichar_to_utf8(static_cast<gunichar>(c), buf);
  out.append(buf, static_cast<size_t>(n));
}

// U+0080-U+009F in decoded header text, read as windows-1252.
// Converts with iconv; an invalid byte becomes U+FFFD and is skipped.
bool Convert(const char* from, const char* data, size_t n, std::string& out) {
  iconv_t cd = g_mime_iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out.assign(n * 2 + 16, '\0');
  char* in = const_cast<char*>(data);
  size_t in_left = n;
  size_t used = 0;
  for (;;) {
    char* op = out.data() + used;
    size_t out_left = out.size() - used;
    size_t rc = g_mime_iconv(cd, in_left > 0 ? &in : nullptr, &in_left, &op, &out_left);
    used = out.size() - out_left;
    if (rc != static_cast<size_t>(-1)) {
      if (in_left == 0) break;
      continue;
    }
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
    } else if (errno == EILSEQ || errno == EINVAL) {
      out.resize(used);
      out += "\xEF\xBF\xBD";
      used = out.size();
      out.resize(used + in_left * 2 + 16);
      ++in;
      --in_left;
      if (in_left == 0) break;
    } else {
      break;
    }
  }
  out.resize(used);
  g_mime_iconv_close(cd);
  return true;
}

}  // namespace

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

const char** FallbackCharsets() { return kFallbackCharsets; }

std::string C1AsCp1252(std::string s) {
  if (s.find('\xC2') == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xC2 && i + 1 < s.size()) {
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      if (d >= 0x80 && d <= 0x9F && kCp1252High[d - 0x80] != 0) {
        AppendUtf8(out, kCp1252High[d - 0x80]);
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string TextToUtf8(std::string_view bytes, std::string_view declared_view) {
  InitGMime();
  std::string declared_copy(declared_view);
  const char* declared = declared_copy.c_str();
  bool high = false, c1 = false;
  for (char ch : bytes) {
    unsigned char c = static_cast<unsigned char>(ch);
    high = high || c >= 0x80;
    c1 = c1 || (c >= 0x80 && c <= 0x9F);
  }
  if (!high) return std::string(bytes);
  const char* charset = nullptr;
  if (*declared != '\0') {
    // GMime canonicalises iso8859-1, ISO_8859-1...; not latin1's aliases.
    for (const char* alias : {"latin1", "latin-1", "l1", "cp819", "ibm819"}) {
      if (g_ascii_strcasecmp(declared, alias) == 0) declared = "iso-8859-1";
    }
    const char* canon = g_mime_charset_canon_name(declared);
    if (g_ascii_strcasecmp(canon, "us-ascii") == 0) {
      charset = nullptr;  // 8-bit text that claims to be ASCII: undeclared
    } else if (g_ascii_strcasecmp(canon, "utf-8") == 0) {
      if (g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr))
        return std::string(bytes);
      charset = nullptr;  // not UTF-8 after all
    } else if (c1 && g_ascii_strncasecmp(canon, "iso-8859-", 9) == 0) {
      // ISO-8859-x has no characters at 0x80-0x9F; windows-125x does.
      charset = g_mime_charset_iso_to_windows(canon);
    } else {
      charset = canon;
    }
  }
  std::string out;
  if (charset != nullptr && Convert(charset, bytes.data(), bytes.size(), out)) return out;
  char* guessed = g_mime_utils_decode_8bit(FallbackOptions(), bytes.data(), bytes.size());
  std::string out8(guessed != nullptr ? guessed : "");
  g_free(guessed);
  return out8;
}

}  // namespace eas::core::mail
