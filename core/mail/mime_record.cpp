// BuildMessageRecord: the one place that reads a message for its record
// (GMime 3; core/mail/submission reads what it sends). Every GObject is
// held by a GPtr (g_object_unref); no GMime type leaves this file.
#include "core/mail/mime_record.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/convert/meeting_invite.hpp"
#include "core/mail/charset.hpp"
#include "core/mail/conversation.hpp"
#include "core/mail/file_name.hpp"
#include "core/mail/gmime_handles.hpp"
#include "core/mail/html_text.hpp"
#include "core/mail/message_class.hpp"

namespace eas::core::mail {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(g_ascii_tolower(c));
  return s;
}

Importance ImportanceOf(GMimeObject* top) {
  if (const char* v = g_mime_object_get_header(top, "Importance")) {
    std::string s = Lower(v);
    if (s.find("high") != std::string::npos) return Importance::kHigh;
    if (s.find("low") != std::string::npos) return Importance::kLow;
    return Importance::kNormal;
  }
  if (const char* v = g_mime_object_get_header(top, "X-Priority")) {
    while (*v == ' ' || *v == '\t') ++v;
    if (*v == '1' || *v == '2') return Importance::kHigh;
    if (*v == '4' || *v == '5') return Importance::kLow;
    return Importance::kNormal;
  }
  if (const char* v = g_mime_object_get_header(top, "Priority")) {
    std::string s = Lower(v);
    if (s.find("non-urgent") != std::string::npos) return Importance::kLow;
    if (s.find("urgent") != std::string::npos) return Importance::kHigh;
  }
  return Importance::kNormal;
}

struct Walk {
  std::string_view original;
  GMimeStream* stream;  // the parser's stream over `original`
  MessageRecord* record;
  std::vector<std::string>* notes;  // may be null
  std::string calendar_partstat;
  bool have_text = false, have_html = false;
};

void Note(Walk& w, std::string text) {
  if (w.notes != nullptr) w.notes->push_back(std::move(text));
}

// An iTIP part's meeting, read now so that Sync never reads iCalendar.
// What cannot be read leaves the message without a meeting (its part is
// then shown as an attachment) and says why in the notes.
void ReadMeeting(Walk& w, std::string_view ics, uint32_t part_index) {
  std::vector<std::string> warnings;
  auto meeting = convert::ReadMeetingInvite(ics, &warnings);
  for (const std::string& warning : warnings) Note(w, "invitation: " + warning);
  if (!meeting.ok()) {
    Note(w, "invitation not shown as a meeting: " + meeting.status().message());
    return;
  }
  meeting->method = w.record->calendar_method;
  w.record->meeting = std::move(*meeting);
  w.record->meeting_part = part_index;
}

std::string MimeType(GMimeObject* obj) {
  GMimeContentType* ct = g_mime_object_get_content_type(obj);
  if (ct == nullptr) return "text/plain";
  GChars type(g_mime_content_type_get_mime_type(ct));
  return Lower(Str(type.get()));
}

Disposition DispositionOf(GMimeObject* obj) {
  const char* d = g_mime_object_get_disposition(obj);
  if (d == nullptr) return Disposition::kNone;
  return g_ascii_strcasecmp(d, "attachment") == 0 ? Disposition::kAttachment
                                                  : Disposition::kInline;
}

// A message/rfc822 part: its body is the inner message, which starts at its
// first header; it ends before the enclosing multipart's next boundary line.
void MessagePartBounds(Walk& w, GMimeMessagePart* mp, const char* boundary, Part& part) {
  GMimeMessage* inner = g_mime_message_part_get_message(mp);
  if (inner == nullptr) return;
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(inner));
  if (headers == nullptr || g_mime_header_list_get_count(headers) == 0) return;
  gint64 start = g_mime_header_get_offset(g_mime_header_list_get_header_at(headers, 0));
  if (start < 0 || static_cast<uint64_t>(start) > w.original.size()) return;
  size_t end = w.original.size();
  if (boundary != nullptr) {
    std::string marker = std::string("\n--") + boundary;
    size_t at = w.original.find(marker, static_cast<size_t>(start));
    if (at != std::string_view::npos) end = (at > 0 && w.original[at - 1] == '\r') ? at - 1 : at;
  }
  part.offset = static_cast<uint64_t>(start);
  part.length = end - static_cast<size_t>(start);
}

void Leaf(Walk& w, GMimeObject* obj, const char* parent_boundary) {
  Part part;
  part.content_type = MimeType(obj);
  part.charset = Str(g_mime_object_get_content_type_parameter(obj, "charset"));
  part.content_id = Str(g_mime_object_get_content_id(obj));
  part.disposition = DispositionOf(obj);
  if (GMIME_IS_MESSAGE_PART(obj)) {
    MessagePartBounds(w, GMIME_MESSAGE_PART(obj), parent_boundary, part);
    part.decoded_size = part.length;
    if (part.disposition == Disposition::kNone) part.disposition = Disposition::kAttachment;
    w.record->parts.push_back(std::move(part));
    return;
  }
  if (!GMIME_IS_PART(obj)) return;
  GMimePart* mime_part = GMIME_PART(obj);
  part.file_name = TerminalFileName(C1AsCp1252(Str(g_mime_part_get_filename(mime_part))));
  GMimeContentEncoding encoding = g_mime_part_get_content_encoding(mime_part);
  if (encoding != GMIME_CONTENT_ENCODING_DEFAULT)
    part.transfer_encoding = Lower(Str(g_mime_content_encoding_to_string(encoding)));
  GMimeDataWrapper* content = g_mime_part_get_content(mime_part);
  if (content == nullptr) {
    w.record->malformed = true;
    w.record->parts.push_back(std::move(part));
    return;
  }
  // With a seekable stream and persist_stream on, GMime's parser gives a
  // leaf's content as a substream of the parser's stream, bounded to the
  // body's bytes: the bounds are the offsets into the original message.
  GMimeStream* raw = g_mime_data_wrapper_get_stream(content);
  if (raw != nullptr && raw->super_stream == w.stream && raw->bound_start >= 0 &&
      raw->bound_end >= raw->bound_start) {
    part.offset = static_cast<uint64_t>(raw->bound_start);
    part.length = static_cast<uint64_t>(raw->bound_end - raw->bound_start);
  }
  bool attachment = part.disposition == Disposition::kAttachment;
  bool text = part.content_type == "text/plain" && !attachment && !w.have_text;
  bool html = part.content_type == "text/html" && !attachment && !w.have_html;
  bool calendar = part.content_type == "text/calendar" && w.record->calendar_method.empty();
  if (text || html || calendar) {
    GPtr<GMimeStream> mem(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(content, mem.get());
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
    std::string_view decoded(reinterpret_cast<const char*>(bytes->data), bytes->len);
    part.decoded_size = bytes->len;
    std::string utf8 = TextToUtf8(decoded, part.charset);
    if (text) {
      w.record->text_body = std::move(utf8);
      w.have_text = true;
    } else if (html) {
      w.record->html_body = std::move(utf8);
      w.have_html = true;
    } else {
      CalendarSummary summary = SummarizeCalendar(utf8);
      if (summary.method.empty())
        summary.method = Str(g_mime_object_get_content_type_parameter(obj, "method"));
      for (char& c : summary.method) c = static_cast<char>(g_ascii_toupper(c));
      w.record->calendar_method = summary.method;
      w.calendar_partstat = summary.partstat;
      if (!summary.method.empty()) {
        ReadMeeting(w, utf8, static_cast<uint32_t>(w.record->parts.size()));
      }
    }
  } else {
    GPtr<GMimeStream> counter(g_mime_stream_null_new());
    g_mime_data_wrapper_write_to_stream(content, counter.get());
    part.decoded_size = GMIME_STREAM_NULL(counter.get())->written;
  }
  w.record->parts.push_back(std::move(part));
}

void WalkObject(Walk& w, GMimeObject* obj, const char* parent_boundary, int depth) {
  if (obj == nullptr) return;
  if (GMIME_IS_MULTIPART(obj)) {
    if (depth > 64) {  // GMime stops at its own nesting limit well before
      w.record->malformed = true;
      return;
    }
    GMimeMultipart* multi = GMIME_MULTIPART(obj);
    const char* boundary = g_mime_multipart_get_boundary(multi);
    int n = g_mime_multipart_get_count(multi);
    for (int i = 0; i < n; ++i)
      WalkObject(w, g_mime_multipart_get_part(multi, i), boundary, depth + 1);
    return;
  }
  Leaf(w, obj, parent_boundary);
}

void OnWarning(gint64 /*offset*/, GMimeParserWarning code, const gchar* /*item*/,
               gpointer user_data) {
  switch (code) {
    case GMIME_WARN_MALFORMED_MULTIPART:
    case GMIME_WARN_TRUNCATED_MESSAGE:
    case GMIME_WARN_MALFORMED_MESSAGE:
    case GMIME_WARN_INVALID_CONTENT_TYPE:
    case GMIME_CRIT_INVALID_HEADER_NAME:
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
    case GMIME_CRIT_NESTING_OVERFLOW:
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      static_cast<MessageRecord*>(user_data)->malformed = true;
      break;
    default:  // duplicated headers, 8-bit headers...: read fine, not malformed
      break;
  }
}

// A request or cancellation is one only with its meeting: without it a
// client could show nothing to accept, so it is an ordinary message.
std::string_view ClassMethod(const MessageRecord& record) {
  const std::string& m = record.calendar_method;
  if ((m == "REQUEST" || m == "ADD" || m == "CANCEL") && !record.meeting) return {};
  return m;
}

}  // namespace

Result<MessageRecord> BuildMessageRecord(std::string_view rfc5322, uint64_t received,
                                         std::vector<std::string>* notes) {
  if (rfc5322.empty()) return Status::Invalid("empty message");
  InitGMime();
  MessageRecord record;
  record.size = rfc5322.size();
  record.received = received;
  record.date = received;
  std::string thread_index;  // Outlook's conversation index header, base64

  // The options outlive the message: GMime decodes some header values
  // lazily with them.
  OptionsPtr options(g_mime_parser_options_new());
  g_mime_parser_options_set_fallback_charsets(options.get(), FallbackCharsets());
  g_mime_parser_options_set_warning_callback(options.get(), OnWarning, &record);
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(rfc5322.data(), rfc5322.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_persist_stream(parser.get(), TRUE);
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));

  if (!message) {
    // Nothing GMime could call a message: keep the bytes as its text.
    record.malformed = true;
    record.text_body = TextToUtf8(rfc5322, "");
  } else {
    GMimeObject* top = GMIME_OBJECT(message.get());
    record.subject = C1AsCp1252(Str(g_mime_message_get_subject(message.get())));
    AddAddresses(g_mime_message_get_from(message.get()), record.from);
    AddAddresses(g_mime_message_get_to(message.get()), record.to);
    AddAddresses(g_mime_message_get_cc(message.get()), record.cc);
    AddAddresses(g_mime_message_get_reply_to(message.get()), record.reply_to);
    if (GDateTime* date = g_mime_message_get_date(message.get())) {
      gint64 t = g_date_time_to_unix(date);
      if (t > 0) record.date = static_cast<uint64_t>(t);
    }
    record.message_id = Str(g_mime_message_get_message_id(message.get()));
    if (const char* v = g_mime_object_get_header(top, "In-Reply-To")) {
      GChars id(g_mime_utils_decode_message_id(v));
      record.in_reply_to = Str(id.get());
    }
    if (const char* v = g_mime_object_get_header(top, "References")) {
      std::unique_ptr<GMimeReferences, ReferencesFree> refs(
          g_mime_references_parse(options.get(), v));
      if (refs) {
        int n = g_mime_references_length(refs.get());
        for (int i = 0; i < n; ++i)
          record.references.push_back(Str(g_mime_references_get_message_id(refs.get(), i)));
      }
    }
    record.importance = ImportanceOf(top);
    if (const char* v = g_mime_object_get_header(top, "Thread-Index")) thread_index = v;

    Walk w{rfc5322, stream.get(), &record, notes, {}, false, false};
    GMimeObject* body = g_mime_message_get_mime_part(message.get());
    WalkObject(w, body, nullptr, 0);
    if (body == nullptr) record.malformed = true;

    std::string top_type = body != nullptr ? MimeType(body) : std::string();
    record.message_class =
        MessageClassOf({top_type, ClassMethod(record), w.calendar_partstat});
  }
  if (record.message_class.empty()) record.message_class = "IPM.Note";
  if (record.text_body.empty() && !record.html_body.empty())
    record.text_body = HtmlToText(record.html_body);
  record.preview = MakePreview(record.text_body);
  record.conversation_id = ConversationIdOf(record.subject);
  record.conversation_index =
      ConversationIndexOf(thread_index, record.date, record.conversation_id);
  return record;
}

}  // namespace eas::core::mail
