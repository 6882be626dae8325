// GMime's incremental decoders (base64, quoted-printable, uuencode) over
// the part's slice of the original bytes: no MIME parsing, one pass.
#include "core/mail/part_content.hpp"

#include <gmime/gmime.h>

namespace eas::core::mail {

Result<std::string> DecodedPart(std::string_view raw, const Part& part) {
  if (part.offset > raw.size() || part.length > raw.size() - part.offset) {
    return Status::Invalid("part outside the message");
  }
  const std::string_view body = raw.substr(part.offset, part.length);
  const GMimeContentEncoding encoding =
      part.transfer_encoding.empty()
          ? GMIME_CONTENT_ENCODING_DEFAULT
          : g_mime_content_encoding_from_string(part.transfer_encoding.c_str());
  if (encoding != GMIME_CONTENT_ENCODING_BASE64 &&
      encoding != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE &&
      encoding != GMIME_CONTENT_ENCODING_UUENCODE) {
    return std::string(body);  // 7bit, 8bit, binary or unknown: as sent
  }
  GMimeEncoding state;
  g_mime_encoding_init_decode(&state, encoding);
  std::string out(g_mime_encoding_outlen(&state, body.size()), '\0');
  const size_t n = g_mime_encoding_flush(&state, body.data(), body.size(), out.data());
  out.resize(n);
  return out;
}

}  // namespace eas::core::mail
