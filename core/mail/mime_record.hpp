// The record a mail message gets once, at delivery: everything Sync,
// ItemOperations and Search need from the MIME structure, so that none of
// them parses MIME again. The message itself is kept as its original
// RFC 5322 bytes; a part is read back by slicing them at [offset,
// offset + length) and undoing its transfer encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/convert/meeting_invite.hpp"

namespace eas::core::mail {

// The record's text fields are `Text`: std::string in the record a
// delivery builds and ItemOperations reads (MessageRecord), and
// std::string_view into the stored bytes where Sync renders a message
// (MessageView): a page of 512 messages then copies none of their bodies.

// One mailbox, both halves UTF-8 (the name RFC 2047-decoded). A group's
// members appear as mailboxes; the group's name is not kept.
template <class Text>
struct BasicAddress {
  Text name;
  Text address;  // empty when the header held a name only
  bool operator==(const BasicAddress&) const = default;
};
using Address = BasicAddress<std::string>;
using AddressView = BasicAddress<std::string_view>;

enum class Disposition : uint8_t { kNone = 0, kInline = 1, kAttachment = 2 };

// A leaf of the MIME tree (a message/rfc822 attachment is a leaf too, not
// descended into). Offsets are bytes into the original message.
template <class Text>
struct BasicPart {
  uint64_t offset = 0;  // first byte of the part's body (after its header)
  uint64_t length = 0;  // the body as sent, still transfer-encoded;
                        // the line break before the next boundary is not in it
  Text content_type;        // "type/subtype", lower case
  Text transfer_encoding;   // "base64", "quoted-printable", "7bit", ...; "" if none
  Text charset;             // as declared, "" if none
  uint64_t decoded_size = 0;  // after undoing the transfer encoding
  Text file_name;           // UTF-8 (RFC 2231 / RFC 2047 / name=), "" if none
  Text content_id;          // without the angle brackets
  Disposition disposition = Disposition::kNone;
  bool operator==(const BasicPart&) const = default;
};
using Part = BasicPart<std::string>;
using PartView = BasicPart<std::string_view>;

// A leaf a device lists as an attachment and a forward carries: any part
// but the text and HTML bodies; one marked as an attachment or given a
// file name counts even when it is text.
template <class Text>
bool IsAttachmentPart(const BasicPart<Text>& p) {
  if (p.disposition == Disposition::kAttachment || !p.file_name.empty()) return true;
  return p.content_type != "text/plain" && p.content_type != "text/html";
}

enum class Importance : uint8_t { kLow = 0, kNormal = 1, kHigh = 2 };

template <class Text>
struct BasicMessageRecord {
  Text subject;  // UTF-8
  std::vector<BasicAddress<Text>> from, to, cc, reply_to;
  uint64_t date = 0;    // unix seconds: the Date header, else the received time
  uint64_t received = 0;
  Text message_id;   // without angle brackets
  Text in_reply_to;  // without angle brackets
  std::vector<Text> references;
  Importance importance = Importance::kNormal;
  std::vector<BasicPart<Text>> parts;
  Text text_body;  // UTF-8; from the HTML body when there is no text part
  Text html_body;  // UTF-8; empty when the message has no HTML part
  Text preview;    // first kPreviewChars characters of text_body, white space collapsed
  uint64_t size = 0;      // the original message, bytes
  Text message_class;    // "IPM.Note", "IPM.Note.SMIME", "IPM.Schedule.Meeting.Request"...
  Text calendar_method;  // a text/calendar part's METHOD, upper case; "" if none
  // The meeting of that part, read with libical at delivery; none when the
  // message has no calendar part or its iCalendar could not be read.
  std::optional<convert::MeetingInvite> meeting;
  uint32_t meeting_part = 0;  // the index in `parts` of the part it was read from
  Text conversation_id;     // 16 bytes (conversation.hpp); empty without a subject
  Text conversation_index;  // Thread-Index, or one made at delivery; may be empty
  // GMime had to guess (broken multipart, bad headers, no headers at all):
  // the record holds what could be read, and the message is still shown.
  bool malformed = false;
  bool operator==(const BasicMessageRecord&) const = default;
};
using MessageRecord = BasicMessageRecord<std::string>;
using MessageView = BasicMessageRecord<std::string_view>;

inline constexpr size_t kPreviewChars = 255;

// Builds the record from the message's original bytes. Never fails on
// malformed MIME (the record then says malformed and holds what could be
// read); fails only for input that is not a message at all (empty).
// `received` is the delivery time, unix seconds (the date's fallback).
// `notes`, if given, gets what the delivery log should say about the
// message (an invitation whose iCalendar could not be read, and why).
Result<MessageRecord> BuildMessageRecord(std::string_view rfc5322, uint64_t received,
                                         std::vector<std::string>* notes = nullptr);

// The record as bytes for the store, and back. Decode fails (Invalid) on
// bytes that are not a record of this version.
std::string EncodeMessageRecord(const MessageRecord& record);
Result<MessageRecord> DecodeMessageRecord(std::string_view bytes);
// The same as views into `bytes`, which must outlive *out. *out's lists
// keep their storage for the next message.
Status DecodeMessageView(std::string_view bytes, MessageView* out);

// The first `max_chars` characters (code points) of `text` with every run
// of white space (line breaks included) collapsed to one space and the ends
// trimmed; `text` must be UTF-8, the cut never splits a character.
std::string MakePreview(std::string_view text, size_t max_chars = kPreviewChars);

}  // namespace eas::core::mail
