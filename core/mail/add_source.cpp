#include "core/mail/add_source.hpp"

#include <algorithm>
#include <string>

#include "core/mail/quote.hpp"

namespace eas::core::mail {
namespace {

std::string Bracketed(const std::string& id) { return "<" + id + ">"; }

void AddThreading(GMimeObject* top, const SourceAdditions& what) {
  if (!what.in_reply_to.empty() && g_mime_object_get_header(top, "In-Reply-To") == nullptr) {
    g_mime_object_set_header(top, "In-Reply-To", Bracketed(what.in_reply_to).c_str(), nullptr);
  }
  if (!what.references.empty() && g_mime_object_get_header(top, "References") == nullptr) {
    std::string refs;
    for (const auto& r : what.references) refs += (refs.empty() ? "" : " ") + Bracketed(r);
    g_mime_object_set_header(top, "References", refs.c_str(), nullptr);
  }
}

bool IsAttachmentObject(GMimeObject* o) {
  GMimeContentDisposition* d = g_mime_object_get_content_disposition(o);
  return d != nullptr && g_mime_content_disposition_is_attachment(d);
}

// The part's text as UTF-8 with `extend` applied, set back in a 7-bit
// encoding (quoted-printable or base64, which also folds long lines).
template <class Extend>
bool Rewrite(GMimeTextPart* part, Extend&& extend) {
  GChars text(g_mime_text_part_get_text(part));
  if (!text) return false;  // not decodable: the client's text stays as it was
  const std::string extended = extend(std::string(text.get()));
  g_mime_text_part_set_text(part, extended.c_str());
  g_mime_object_encode(GMIME_OBJECT(part), GMIME_ENCODING_CONSTRAINT_7BIT);
  return true;
}

struct Quoted {
  bool plain = false;
  bool html = false;
};

void QuoteInto(GMimeObject* o, const SourceAdditions& what, Quoted& done) {
  GMimeContentType* type = g_mime_object_get_content_type(o);
  if (GMIME_IS_MULTIPART(o)) {
    GMimeMultipart* multi = GMIME_MULTIPART(o);
    const int n = g_mime_multipart_get_count(multi);
    // An alternative's parts are all the body; a mixed or related
    // message's body is its first part.
    const int bodies = g_mime_content_type_is_type(type, "multipart", "alternative")
                           ? n : std::min(n, 1);
    for (int i = 0; i < bodies; ++i) QuoteInto(g_mime_multipart_get_part(multi, i), what, done);
    return;
  }
  if (!GMIME_IS_TEXT_PART(o) || IsAttachmentObject(o)) return;
  GMimeTextPart* part = GMIME_TEXT_PART(o);
  if (g_mime_content_type_is_type(type, "text", "plain") && !done.plain) {
    done.plain = Rewrite(part, [&](std::string text) {
      if (!text.empty() && text.back() != '\n') text += '\n';
      return text + what.plain_quote;
    });
  } else if (g_mime_content_type_is_type(type, "text", "html") && !done.html) {
    done.html = Rewrite(part, [&](std::string html) { return AppendToHtml(html, what.html_quote); });
  }
}

GMimeObject* ParsedMessagePart(const std::string& bytes) {
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GPtr<GMimeMessage> inner(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!inner) return nullptr;
  return GMIME_OBJECT(g_mime_message_part_new_with_message("rfc822", inner.get()));
}

// A new part holding `a` (the caller owns the reference).
GMimeObject* AttachmentPart(const ForwardedPart& a) {
  GMimeObject* made = nullptr;
  // RFC 2046 allows message/rfc822 no base64: it goes as a message part.
  if (a.content_type == "message/rfc822") made = ParsedMessagePart(a.bytes);
  if (made == nullptr) {
    const size_t slash = a.content_type.find('/');
    const bool typed = slash != std::string::npos && slash > 0;
    const std::string type = typed ? a.content_type.substr(0, slash) : "application";
    const std::string subtype = typed ? a.content_type.substr(slash + 1) : "octet-stream";
    GMimePart* part = g_mime_part_new_with_type(type.c_str(), subtype.c_str());
    made = GMIME_OBJECT(part);
    if (!a.charset.empty()) g_mime_object_set_content_type_parameter(made, "charset", a.charset.c_str());
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(a.bytes.data(), a.bytes.size()));
    GPtr<GMimeDataWrapper> content(
        g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
    g_mime_part_set_content(part, content.get());
    g_mime_object_encode(made, GMIME_ENCODING_CONSTRAINT_7BIT);
  }
  g_mime_object_set_disposition(made, a.inline_part ? "inline" : "attachment");
  if (!a.file_name.empty()) {
    g_mime_object_set_content_disposition_parameter(made, "filename", a.file_name.c_str());
    g_mime_object_set_content_type_parameter(made, "name", a.file_name.c_str());
  }
  if (!a.content_id.empty()) g_mime_object_set_content_id(made, a.content_id.c_str());
  return made;
}

void Attach(GMimeMessage* message, const std::vector<ForwardedPart>& attachments) {
  GMimeObject* body = g_mime_message_get_mime_part(message);
  GMimeMultipart* mixed = nullptr;
  if (body != nullptr && GMIME_IS_MULTIPART(body) &&
      g_mime_content_type_is_type(g_mime_object_get_content_type(body), "multipart", "mixed")) {
    mixed = GMIME_MULTIPART(body);
  } else {
    GPtr<GMimeMultipart> made(g_mime_multipart_new_with_subtype("mixed"));
    if (body != nullptr) g_mime_multipart_add(made.get(), body);
    g_mime_message_set_mime_part(message, GMIME_OBJECT(made.get()));
    mixed = made.get();  // the message holds it now
  }
  for (const ForwardedPart& a : attachments) {
    GPtr<GMimeObject> part(AttachmentPart(a));
    g_mime_multipart_add(mixed, part.get());
  }
}

}  // namespace

void AddSource(GMimeMessage* message, const SourceAdditions& what) {
  AddThreading(GMIME_OBJECT(message), what);
  if (!what.plain_quote.empty() || !what.html_quote.empty()) {
    if (GMimeObject* body = g_mime_message_get_mime_part(message)) {
      Quoted done;
      QuoteInto(body, what, done);
    }
  }
  if (!what.attachments.empty()) Attach(message, what.attachments);
}

}  // namespace eas::core::mail
