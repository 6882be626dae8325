// The MessageRecord's stored form (core/util/text_record.hpp: decimal
// numbers, length-prefixed blobs), and the preview cut. No GMime here.
#include <cstdint>

#include "core/mail/meeting_codec.hpp"
#include "core/mail/mime_record.hpp"
#include "core/util/text_record.hpp"

namespace eas::core::mail {
namespace {

constexpr std::string_view kMagic = "eas-mail-record-1";

void PutAddresses(util::TextRecordWriter& w, const std::vector<Address>& list) {
  w.Number(list.size());
  for (const Address& a : list) w.Blob(a.name).Blob(a.address);
}

template <class Text>
bool GetAddresses(util::TextRecordReader& r, std::vector<BasicAddress<Text>>& list) {
  uint64_t n = 0;
  if (!r.Number(n) || n > r.remaining()) return false;
  list.resize(n);
  for (auto& a : list) {
    if (!r.Blob(a.name) || !r.Blob(a.address)) return false;
  }
  return true;
}

bool GetSmall(util::TextRecordReader& r, uint64_t max, uint64_t& v) {
  return r.Number(v) && v <= max;
}

}  // namespace

std::string EncodeMessageRecord(const MessageRecord& m) {
  util::TextRecordWriter w(kMagic);
  w.Blob(m.subject);
  PutAddresses(w, m.from);
  PutAddresses(w, m.to);
  PutAddresses(w, m.cc);
  PutAddresses(w, m.reply_to);
  w.Number(m.date).Number(m.received).Blob(m.message_id).Blob(m.in_reply_to);
  w.Number(m.references.size());
  for (const std::string& ref : m.references) w.Blob(ref);
  w.Number(static_cast<uint64_t>(m.importance));
  w.Number(m.parts.size());
  for (const Part& p : m.parts) {
    w.Number(p.offset).Number(p.length).Blob(p.content_type).Blob(p.transfer_encoding);
    w.Blob(p.charset).Number(p.decoded_size).Blob(p.file_name).Blob(p.content_id);
    w.Number(static_cast<uint64_t>(p.disposition));
  }
  w.Blob(m.text_body).Blob(m.html_body).Blob(m.preview).Number(m.size);
  w.Blob(m.message_class).Blob(m.calendar_method).Number(m.malformed ? 1 : 0);
  w.Blob(m.conversation_id).Blob(m.conversation_index);
  w.Number(m.meeting ? 1 : 0);
  if (m.meeting) {
    w.Number(m.meeting_part);
    PutMeeting(w, *m.meeting);
  }
  return w.Take();
}

namespace {

// Into a record of either kind: views when Text is std::string_view
// (TextRecordReader::Blob reads both). Every field is set, so a reused
// record keeps nothing of the message before.
template <class Text>
bool Decode(std::string_view bytes, BasicMessageRecord<Text>& m) {
  util::TextRecordReader r(bytes);
  uint64_t n = 0, small = 0;
  bool ok = r.Magic(kMagic) && r.Blob(m.subject) && GetAddresses(r, m.from) &&
            GetAddresses(r, m.to) && GetAddresses(r, m.cc) && GetAddresses(r, m.reply_to) &&
            r.Number(m.date) && r.Number(m.received) && r.Blob(m.message_id) &&
            r.Blob(m.in_reply_to) && r.Number(n) && n <= r.remaining();
  if (ok) {
    m.references.resize(n);
    for (Text& ref : m.references) ok = ok && r.Blob(ref);
  }
  ok = ok && GetSmall(r, 2, small);
  if (ok) m.importance = static_cast<Importance>(small);
  ok = ok && r.Number(n) && n <= r.remaining();
  if (ok) {
    m.parts.resize(n);
    for (BasicPart<Text>& p : m.parts) {
      ok = ok && r.Number(p.offset) && r.Number(p.length) && r.Blob(p.content_type) &&
           r.Blob(p.transfer_encoding) && r.Blob(p.charset) && r.Number(p.decoded_size) &&
           r.Blob(p.file_name) && r.Blob(p.content_id) && GetSmall(r, 2, small);
      if (ok) p.disposition = static_cast<Disposition>(small);
    }
  }
  ok = ok && r.Blob(m.text_body) && r.Blob(m.html_body) && r.Blob(m.preview) &&
       r.Number(m.size) && r.Blob(m.message_class) && r.Blob(m.calendar_method) &&
       GetSmall(r, 1, small);
  if (ok) m.malformed = small == 1;
  // Conversation fields came later: a record without them has none.
  m.conversation_id = {};
  m.conversation_index = {};
  if (ok && !r.AtEnd()) ok = r.Blob(m.conversation_id) && r.Blob(m.conversation_index);
  // So did the meeting: a record without it has none.
  m.meeting.reset();
  m.meeting_part = 0;
  if (ok && !r.AtEnd()) {
    ok = GetSmall(r, 1, small);
    if (ok && small == 1) {
      uint64_t part = 0;
      convert::MeetingInvite meeting;
      ok = GetSmall(r, UINT32_MAX, part) && GetMeeting(r, meeting);
      m.meeting_part = static_cast<uint32_t>(part);
      m.meeting = std::move(meeting);
    }
  }
  return ok && r.AtEnd();
}

}  // namespace

Result<MessageRecord> DecodeMessageRecord(std::string_view bytes) {
  MessageRecord m;
  if (!Decode(bytes, m)) return Status::Invalid("not a mail record");
  return m;
}

Status DecodeMessageView(std::string_view bytes, MessageView* out) {
  if (!Decode(bytes, *out)) return Status::Invalid("not a mail record");
  return Status::Ok();
}

std::string MakePreview(std::string_view text, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  bool space = false;
  for (size_t i = 0; i < text.size() && chars < max_chars;) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      ++i;
      continue;
    }
    // A character's length from its lead byte; a stray continuation byte
    // (not UTF-8 after all) counts as one.
    size_t len = c < 0x80          ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 1;
    if (i + len > text.size()) break;
    // U+00A0 (no-break space) is white space for a preview.
    if (len == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      space = !out.empty();
      i += 2;
      continue;
    }
    if (space) {
      // A space as the last character would only be trimmed again.
      if (chars + 1 >= max_chars) break;
      out += ' ';
      ++chars;
      space = false;
    }
    out.append(text.substr(i, len));
    ++chars;
    i += len;
  }
  return out;
}

}  // namespace eas::core::mail
