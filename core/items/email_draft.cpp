#include "core/items/email_draft.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "core/items/email_render.hpp"
#include "core/mail/collected_addresses.hpp"
#include "core/mail/delivery.hpp"
#include "core/mail/draft.hpp"
#include "core/mail/file_reference.hpp"
#include "core/mail/submit.hpp"
#include "core/wbxml/tags.hpp"
#include "storage/store.hpp"

namespace eas::core::items {
namespace {

namespace email = wbxml::tags::email;
namespace email2 = wbxml::tags::email2;
namespace base = wbxml::tags::base;

Status Refuse(Composed* out, std::string why) {
  out->outcome = Composed::kRefused;
  out->refusal = std::move(why);
  return Status::Ok();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The stored draft, its fields read back; *draft_found false when the
// item is no draft.
Status ReadStored(storage::Txn& txn, const storage::ItemRecord& item, mail::Draft* draft,
                  mail::MessageRecord* record, bool* draft_found) {
  auto mail = mail::DecodeMailItem(item.data);
  *draft_found = mail.ok() && mail->state.draft && item.blob != 0;
  if (!*draft_found) return Status::Ok();
  std::string_view raw;
  if (Status s = txn.ViewBlob(item.blob, &raw); !s.ok()) return s;
  auto read = mail::ReadDraft(*mail, raw);
  if (!read.ok()) return read.status();
  *draft = std::move(read).value();
  draft->to = FormatAddresses(mail->message.to);
  draft->cc = FormatAddresses(mail->message.cc);
  *record = std::move(mail->message);
  return Status::Ok();
}

// The ApplicationData's fields into the draft; what it lacks stays.
// `added` gets each added attachment's ClientId and its place in
// draft->attachments. False (with *why) for an attachment the draft
// cannot take.
bool ApplyFields(const wbxml::Element& app, const storage::ItemRecord* existing,
                 const mail::MessageRecord& record, mail::Draft* draft,
                 std::vector<std::pair<std::string, size_t>>* added, std::string* why) {
  if (const auto* e = app.Child(email::kTo)) draft->to = e->text;
  if (const auto* e = app.Child(email::kCc)) draft->cc = e->text;
  if (const auto* e = app.Child(email2::kBcc)) draft->bcc = e->text;
  if (const auto* e = app.Child(email::kSubject)) draft->subject = e->text;
  if (const auto* e = app.Child(email::kImportance)) {
    draft->importance = e->text == "2"   ? mail::Importance::kHigh
                        : e->text == "0" ? mail::Importance::kLow
                                         : mail::Importance::kNormal;
  }
  if (const auto* body = app.Child(base::kBody)) {
    draft->html = body->ChildText(base::kType) == "2";
    draft->body = std::string(body->ChildText(base::kData));
  }
  const wbxml::Element* attachments = app.Child(base::kAttachments);
  if (attachments == nullptr) return true;
  // Deletes name parts of the stored message by their FileReference; the
  // draft lists its attachments in the message's order.
  std::vector<size_t> gone;
  for (const wbxml::Element* d : attachments->Children(base::kDelete)) {
    const std::string_view text = d->ChildText(base::kFileReference);
    auto ref = mail::ParseFileReference(text);
    if (existing == nullptr || !ref || ref->folder != existing->folder ||
        ref->item != existing->id || ref->part >= record.parts.size() ||
        !mail::IsAttachmentPart(record.parts[ref->part])) {
      *why = "attachment Delete of " + std::string(text) + ": no attachment of this draft";
      return false;
    }
    size_t ordinal = 0;
    for (uint32_t i = 0; i < ref->part; ++i) ordinal += mail::IsAttachmentPart(record.parts[i]);
    gone.push_back(ordinal);
  }
  std::sort(gone.rbegin(), gone.rend());
  gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
  for (size_t g : gone) draft->attachments.erase(draft->attachments.begin() + static_cast<long>(g));
  for (const wbxml::Element* a : attachments->Children(base::kAdd)) {
    const std::string client_id(a->ChildText(base::kClientId));
    const wbxml::Element* content = a->Child(base::kContent);
    if (client_id.empty() || content == nullptr) {
      *why = "attachment Add without ClientId or Content";
      return false;
    }
    mail::ForwardedPart part;
    part.content_type = Lower(a->ChildText(base::kContentType));
    if (part.content_type.find('/') == std::string::npos) part.content_type = "application/octet-stream";
    part.file_name = std::string(a->ChildText(base::kDisplayName));
    part.content_id = std::string(a->ChildText(base::kContentId));
    part.inline_part = a->ChildText(base::kIsInline) == "1";
    part.bytes = content->text;
    added->emplace_back(client_id, draft->attachments.size());
    draft->attachments.push_back(std::move(part));
  }
  return true;
}

// Email2:Send: the draft goes out as SendMail's message would, a copy in
// Sent Items, and leaves Drafts.
Status SendDraft(storage::Txn& txn, const ComposeInput& in, const storage::ItemRecord* existing,
                 const std::string& bytes, Composed* out) {
  const mail::SenderIdentity me = mail::IdentityOf(in.user);
  auto ready = mail::ReadyToSend(bytes, me, in.now);
  if (!ready.ok()) return Refuse(out, "cannot send: " + ready.status().message());
  const mail::ReadyMessage& message = **ready;
  if (message.submission.recipients.empty()) return Refuse(out, "Send without a recipient");
  auto sent = mail::Submit(txn, in.user, message, true, in.now);
  if (!sent.ok()) return sent.status();
  Status collected = mail::CollectAddresses(txn, in.user, message.submission.mailboxes, in.now);
  if (!collected.ok()) return collected;
  if (existing != nullptr) {
    if (Status s = txn.DeleteItem(existing->folder, existing->id); !s.ok()) return s;
  }
  out->outcome = Composed::kSent;
  out->queued_outgoing = !sent->queued_for.empty();
  std::string line = "draft sent as <" + message.submission.message_id + ">";
  for (const auto& to : sent->delivered_to) line += ", delivered to " + to;
  for (const auto& to : sent->queued_for) line += ", queued for " + to;
  out->notes.push_back(std::move(line));
  for (const std::string& a : sent->away) out->notes.push_back(a);
  if (!sent->dropped_held.empty()) out->notes.push_back(sent->dropped_held);
  return Status::Ok();
}

}  // namespace

Status ComposeDraft(storage::Txn& txn, const ComposeInput& in,
                    const storage::ItemRecord* existing, Composed* out) {
  mail::Draft draft;
  mail::MessageRecord record;
  std::string why;
  if (existing != nullptr) {
    bool found = false;
    if (Status s = ReadStored(txn, *existing, &draft, &record, &found); !s.ok()) return s;
    if (!found) {
      out->outcome = Composed::kPlain;
      return Status::Ok();
    }
  }
  std::vector<std::pair<std::string, size_t>> added;
  if (!ApplyFields(in.application_data, existing, record, &draft, &added, &why)) {
    return Refuse(out, why);
  }
  auto bytes = mail::DraftMessage(draft, mail::IdentityOf(in.user), in.now);
  if (!bytes.ok()) return Refuse(out, "no message: " + bytes.status().message());
  if (in.send) return SendDraft(txn, in, existing, *bytes, out);

  auto prepared = mail::PrepareMessage(*bytes, in.now);
  if (!prepared.ok()) return Refuse(out, "no message: " + prepared.status().message());
  // No key: a draft is never handed over twice, and two saves in one
  // second may make the same bytes.
  auto blob = txn.PutBlob(in.user.id, "", *bytes);
  if (!blob.ok()) return blob.status();
  mail::MailItem item;
  item.state.read = true;
  item.state.draft = true;
  item.state.bcc = draft.bcc;
  item.message = std::move(prepared->record);
  storage::ItemRecord record_out;
  record_out.folder = in.folder.id;
  record_out.id = existing != nullptr ? existing->id : 0;
  record_out.data = mail::EncodeMailItem(item);
  record_out.blob = *blob;
  record_out.time = std::max<uint64_t>(in.now, 1);
  auto put = txn.PutItem(std::move(record_out));
  if (!put.ok()) return put.status();
  out->outcome = Composed::kStored;
  out->item = std::move(put).value();
  for (const auto& [client_id, n] : added) {
    const int part = mail::AttachmentPartIndex(item.message, n);
    if (part < 0) continue;  // GMime made no part of it (cannot happen with content)
    out->attachments.emplace_back(
        client_id, mail::FormatFileReference({in.folder.id, out->item.id, static_cast<uint32_t>(part)}));
  }
  return Status::Ok();
}

}  // namespace eas::core::items
