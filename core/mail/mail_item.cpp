// The mail item's stored form: the state first (small, rewritten by flag
// changes), then the message record as one blob, kept byte for byte when
// only the state changes.
#include "core/mail/mail_item.hpp"

#include "core/util/text_record.hpp"

namespace eas::core::mail {
namespace {

constexpr std::string_view kMagic = "eas-mail-item-1";
// A draft's state: the same fields, then the Bcc. Delivered mail keeps
// the first form, so what was stored before drafts existed still reads.
constexpr std::string_view kDraftMagic = "eas-mail-draft-1";

void PutState(util::TextRecordWriter& w, const MailState& s) {
  w.Number(s.read ? 1 : 0).Blob(s.flag).Number(s.categories.size());
  for (const std::string& c : s.categories) w.Blob(c);
  w.Number(static_cast<uint64_t>(s.last_verb)).Number(s.last_verb_time);
  if (s.draft) w.Blob(s.bcc);
}

// Reads the state; leaves `r` at the record.
bool GetState(util::TextRecordReader& r, MailState& s) {
  uint64_t read = 0, n = 0, verb = 0;
  s.draft = r.Magic(kDraftMagic);
  if ((!s.draft && !r.Magic(kMagic)) || !r.Number(read) || read > 1 || !r.Blob(s.flag) || !r.Number(n) ||
      n > r.remaining()) {
    return false;
  }
  s.read = read == 1;
  s.categories.resize(n);
  for (std::string& c : s.categories) {
    if (!r.Blob(c)) return false;
  }
  if (!r.Number(verb) || verb > 3 || !r.Number(s.last_verb_time)) return false;
  s.last_verb = static_cast<LastVerb>(verb);
  return !s.draft || r.Blob(s.bcc);
}

std::string Encode(const MailState& state, std::string_view record) {
  util::TextRecordWriter w(state.draft ? kDraftMagic : kMagic);
  PutState(w, state);
  w.Blob(record);
  return w.Take();
}

Status NotAMailItem() { return Status::Invalid("not a stored mail item"); }

}  // namespace

std::string EncodeMailItem(const MailItem& item) {
  return Encode(item.state, EncodeMessageRecord(item.message));
}

Result<MailItem> DecodeMailItem(std::string_view bytes) {
  MailItem item;
  util::TextRecordReader r(bytes);
  std::string_view record;
  if (!GetState(r, item.state) || !r.Blob(record) || !r.AtEnd()) return NotAMailItem();
  auto message = DecodeMessageRecord(record);
  if (!message.ok()) return message.status();
  item.message = std::move(*message);
  return item;
}

Status DecodeMailItem(std::string_view bytes, MailItemView* out) {
  util::TextRecordReader r(bytes);
  std::string_view record;
  if (!GetState(r, out->state) || !r.Blob(record) || !r.AtEnd()) return NotAMailItem();
  return DecodeMessageView(record, &out->message);
}

Result<MailState> DecodeMailState(std::string_view bytes) {
  MailState state;
  util::TextRecordReader r(bytes);
  if (!GetState(r, state)) return NotAMailItem();
  return state;
}

Result<std::string> ReplaceMailState(std::string_view bytes, const MailState& state) {
  MailState old;
  util::TextRecordReader r(bytes);
  std::string_view record;
  if (!GetState(r, old) || !r.Blob(record) || !r.AtEnd()) return NotAMailItem();
  return Encode(state, record);
}

}  // namespace eas::core::mail
