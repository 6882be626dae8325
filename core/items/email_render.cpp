// What a mail client sees of a stored message. Everything comes from the
// record made at delivery; only a MIME body reads the original bytes.
#include "core/items/email_render.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "core/convert/eas_time.hpp"
#include "core/items/email_body.hpp"
#include "core/items/meeting_request.hpp"
#include "core/mail/conversation.hpp"
#include "core/mail/file_reference.hpp"
#include "core/mail/mail_item.hpp"
#include "core/multipart_response.hpp"
#include "core/util/join.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::items {
namespace {

namespace base = wbxml::tags::base;
namespace email = wbxml::tags::email;
namespace email2 = wbxml::tags::email2;

constexpr int kVersion12 = 120, kVersion14 = 140, kVersion16 = 160;

// Attachment methods (MS-ASAIRS 2.2.2.9): a plain file, an embedded message.
constexpr int kMethodNormal = 1, kMethodEmbeddedMessage = 5;

std::string_view Flag(bool on) { return on ? "1" : "0"; }

// The message invites to (or cancels) a meeting its record could read:
// it carries a MeetingRequest element. A response (Resp.*) does not.
bool ShowsMeeting(const mail::MessageView& m) {
  return m.meeting && (m.message_class == "IPM.Schedule.Meeting.Request" ||
                       m.message_class == "IPM.Schedule.Meeting.Canceled");
}

// What the client shows as an attachment: every leaf except the text and
// HTML bodies, and except the calendar part a MeetingRequest element
// already shows (Exchange does not list it either; an "invite.ics" beside
// the Accept / Decline buttons would only offer a second, unanswered copy
// of the meeting). An invitation that could not be read keeps it as an
// attachment ("invite.ics"), the one way to see it.
bool IsAttachment(const mail::MessageView& m, size_t index) {
  const mail::PartView& p = m.parts[index];
  if (ShowsMeeting(m) && index == m.meeting_part) return false;
  return mail::IsAttachmentPart(p);
}

bool IsEmbeddedMessage(const mail::PartView& p) { return p.content_type == "message/rfc822"; }

std::string AttachmentName(const mail::PartView& p, size_t index) {
  std::string name(p.file_name);
  if (name.empty() && p.content_type == "text/calendar") name = "invite.ics";
  if (name.empty()) {
    name = "attachment-" + std::to_string(index + 1);
    size_t slash = p.content_type.find('/');
    if (!IsEmbeddedMessage(p) && slash != std::string_view::npos) {
      name += '.';
      name += p.content_type.substr(slash + 1);
    }
  }
  if (IsEmbeddedMessage(p) && !name.ends_with(".eml")) name += ".eml";
  return name;
}

// Binary data (a MIME body with NUL bytes) must go as OPAQUE: STR_I ends
// at the first NUL.
void Data(wbxml::Writer& w, wbxml::Tag tag, std::string_view bytes) {
  if (bytes.find('\0') == std::string_view::npos) {
    w.Element(tag, bytes);
  } else {
    w.Start(tag);
    w.Opaque(bytes);
    w.End();
  }
}

void WriteBody(wbxml::Writer& w, storage::Txn& txn, const StoredItem& item,
               const mail::MessageView& message, const RenderOptions& options) {
  // The original's bytes only when they may be sent: a lookup and a
  // page of the store less per item of the usual Sync.
  std::string_view mime;
  if (item.blob != 0 && MayChooseMime(message, options) && !txn.ViewBlob(item.blob, &mime).ok()) {
    mime = {};
  }
  EmailBody body;
  ChooseEmailBody(message, mime, options, body);
  const BodyPreference* pref = body.preference;
  const uint64_t limit = pref != nullptr ? pref->truncation_size : 0;
  const bool too_big = limit != 0 && body.size > limit;

  w.Start(base::kBody);
  w.Element(base::kType, std::to_string(body.type));
  w.Element(base::kEstimatedDataSize, std::to_string(body.size));
  if (too_big) w.Element(base::kTruncated, "1");
  size_t part = 0;  // a multipart answer's part for the data, 0 for none
  if (!(too_big && pref->all_or_none)) {
    size_t cut = too_big ? CutPoint(body.full, limit, body.type == 2) : body.full.size();
    if (options.multipart != nullptr) {
      part = options.multipart->Add(std::string(body.full.substr(0, cut)));
    } else {
      Data(w, base::kData, body.full.substr(0, cut));
    }
  }
  // A preview goes with a body the client cannot show as it is (never
  // with plain text, which is its own preview).
  if (pref != nullptr && pref->preview != 0 && body.type != 1 &&
      options.version >= kVersion14 && !message.preview.empty()) {
    w.Element(base::kPreview, mail::MakePreview(message.preview, pref->preview));
  }
  // After Preview, where Microsoft's schema for Body has it (MS-ASAIRS's
  // prose lists it before; clients read the element, not its place).
  if (part != 0) w.Element(wbxml::tags::itemops::kPart, std::to_string(part));
  w.End();
}

void WriteAttachments(wbxml::Writer& w, const StoredItem& item, const mail::MessageView& m,
                      const RenderOptions& options) {
  bool any = false;
  for (size_t i = 0; i < m.parts.size(); ++i) {
    const mail::PartView& p = m.parts[i];
    if (!IsAttachment(m, i)) continue;
    if (!any) w.Start(options.version >= kVersion12 ? base::kAttachments : email::kAttachments);
    any = true;
    const std::string ref =
        mail::FormatFileReference({item.folder, item.id, static_cast<uint32_t>(i)});
    const std::string method =
        std::to_string(IsEmbeddedMessage(p) ? kMethodEmbeddedMessage : kMethodNormal);
    const std::string name = AttachmentName(p, i);
    if (options.version >= kVersion12) {
      w.Start(base::kAttachment);
      w.Element(base::kDisplayName, name);
      w.Element(base::kFileReference, ref);
      w.Element(base::kMethod, method);
      w.Element(base::kEstimatedDataSize, std::to_string(p.decoded_size));
      if (!p.content_id.empty()) w.Element(base::kContentId, p.content_id);
      if (p.disposition == mail::Disposition::kInline || !p.content_id.empty()) {
        w.Element(base::kIsInline, "1");
      }
    } else {
      w.Start(email::kAttachment);
      w.Element(email::kAttName, ref);
      w.Element(email::kAttSize, std::to_string(p.decoded_size));
      w.Element(email::kAttMethod, method);
      w.Element(email::kDisplayName, name);
    }
    w.End();
  }
  if (any) w.End();
}

void WriteState(wbxml::Writer& w, const mail::MailState& state, const RenderOptions& options,
                RenderScope scope) {
  w.Element(email::kRead, Flag(state.read));
  if (options.version < kVersion12) return;
  if (!state.flag.empty()) {
    w.Start(email::kFlag);
    w.Fragment(state.flag);
    w.End();
  } else if (scope == RenderScope::kChange) {
    w.Empty(email::kFlag);  // cleared
  }
  if (options.version < kVersion14) return;
  if (!state.categories.empty()) {
    w.Start(email::kCategories);
    for (const auto& c : state.categories) w.Element(email::kCategory, c);
    w.End();
  } else if (scope == RenderScope::kChange) {
    w.Empty(email::kCategories);
  }
  if (state.last_verb != mail::LastVerb::kNone) {
    w.Element(email2::kLastVerbExecuted, std::to_string(static_cast<int>(state.last_verb)));
    w.Element(email2::kLastVerbExecutionTime, convert::ExtendedUtc(
                                                  static_cast<int64_t>(state.last_verb_time)));
  }
}

void WriteMessage(wbxml::Writer& w, storage::Txn& txn, const StoredItem& item,
                  const mail::MailItemView& mail, const RenderOptions& options) {
  const mail::MessageView& m = mail.message;
  if (!m.to.empty()) w.Element(email::kTo, FormatAddresses(m.to));
  if (!m.cc.empty()) w.Element(email::kCc, FormatAddresses(m.cc));
  if (!m.from.empty()) w.Element(email::kFrom, FormatAddresses(m.from));
  w.Element(email::kSubject, m.subject);
  if (!m.reply_to.empty()) w.Element(email::kReplyTo, FormatAddresses(m.reply_to));
  w.Element(email::kDateReceived, convert::ExtendedUtc(static_cast<int64_t>(m.received)));
  w.Element(email::kDisplayTo, DisplayNames(m.to));
  w.Element(email::kThreadTopic, ThreadTopic(m.subject));
  w.Element(email::kImportance, std::to_string(static_cast<int>(m.importance)));
  WriteState(w, mail.state, options, RenderScope::kWhole);
  if (options.version >= kVersion12) {
    WriteBody(w, txn, item, m, options);
  } else {
    w.Element(email::kBody, m.text_body);
    w.Element(email::kBodyTruncated, "0");
  }
  WriteAttachments(w, item, m, options);
  w.Element(email::kMessageClass, m.message_class.empty() ? "IPM.Note" : m.message_class);
  if (ShowsMeeting(m)) {
    WriteMeetingRequest(w, *m.meeting, static_cast<int64_t>(m.date), options.version);
  }
  w.Element(email::kInternetCPID, "65001");  // the record is UTF-8
  w.Element(email::kContentClass, "urn:content-classes:message");
  if (options.version >= kVersion12) {
    w.Element(base::kNativeBodyType, m.html_body.empty() ? "1" : "2");
  }
  if (mail.state.draft && options.version >= kVersion16) {
    if (!mail.state.bcc.empty()) w.Element(email2::kBcc, mail.state.bcc);
    w.Element(email2::kIsDraft, "1");
  }
  if (options.version >= kVersion14 && !m.conversation_id.empty()) {
    w.Start(email2::kConversationId);
    w.Opaque(m.conversation_id);
    w.End();
    if (!m.conversation_index.empty()) {
      w.Start(email2::kConversationIndex);
      w.Opaque(m.conversation_index);
      w.End();
    }
  }
}

}  // namespace

template <class Text>
std::string FormatAddresses(const std::vector<mail::BasicAddress<Text>>& list) {
  std::string out;
  for (const auto& a : list) {
    if (!out.empty()) out += ", ";
    if (a.name.empty()) {
      out += a.address;
      continue;
    }
    out += '"';
    for (char c : a.name) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
    if (!a.address.empty()) {
      out += " <";
      out += a.address;
      out += '>';
    }
  }
  return out;
}

template <class Text>
std::string DisplayNames(const std::vector<mail::BasicAddress<Text>>& list) {
  return util::JoinWith(list, "; ",
                        [](const auto& a) { return a.name.empty() ? a.address : a.name; });
}

template std::string FormatAddresses(const std::vector<mail::Address>&);
template std::string FormatAddresses(const std::vector<mail::AddressView>&);
template std::string DisplayNames(const std::vector<mail::Address>&);
template std::string DisplayNames(const std::vector<mail::AddressView>&);

std::string_view ThreadTopic(std::string_view subject) { return mail::NormalizedSubject(subject); }

void RenderEmail(wbxml::Writer& w, storage::Txn& txn, const StoredItem& item,
                 const RenderOptions& options, RenderScope scope) {
  w.Start(options.container);
  std::optional<mail::MailState> state;
  if (scope == RenderScope::kChange) {
    if (auto decoded = mail::DecodeMailState(item.data); decoded.ok()) state = std::move(*decoded);
  }
  // A draft's message changes too: it goes whole.
  if (scope == RenderScope::kChange && !(state && state->draft)) {
    if (state) WriteState(w, *state, options, scope);
  } else {
    // Views into the stored bytes: the bodies are cut where they lie.
    mail::MailItemView mail;
    if (mail::DecodeMailItem(item.data, &mail).ok()) WriteMessage(w, txn, item, mail, options);
  }
  w.End();
}

}  // namespace eas::core::items
