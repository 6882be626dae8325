#include "core/mail/source_message.hpp"

#include <algorithm>

#include "core/mail/part_content.hpp"
#include "core/mail/quote.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

bool Contains(const std::vector<std::string>& lowered, std::string_view address) {
  return std::find(lowered.begin(), lowered.end(), Lower(address)) != lowered.end();
}

std::vector<std::string> Lowered(const std::vector<std::string>& list) {
  std::vector<std::string> out;
  for (const auto& a : list) out.push_back(Lower(a));
  return out;
}

}  // namespace

Result<SourceMessage> ReadSourceMessage(storage::Txn& txn, storage::FolderId folder,
                                        storage::ItemId item) {
  auto stored = txn.GetItem(folder, item);
  if (!stored.ok()) {
    if (stored.status().code() != Code::kNotFound) return stored.status();
    return Status::NotFound("no item " + std::to_string(item) + " in folder " +
                            std::to_string(folder));
  }
  auto mail = DecodeMailItem(stored->data);
  if (!mail.ok() || stored->blob == 0) return Status::NotFound("the item is no mail message");
  std::string_view raw;
  if (Status s = txn.ViewBlob(stored->blob, &raw); !s.ok()) {
    if (s.code() != Code::kNotFound) return s;
    return Status::NotFound("the message's bytes are missing");
  }
  SourceMessage out;
  out.folder = folder;
  out.item = item;
  out.mail = std::move(mail).value();
  out.raw.assign(raw);
  return out;
}

Result<SourceAdditions> AdditionsFrom(const SourceMessage& source, SourceUse use,
                                      bool whole_message_sent) {
  const MessageRecord& m = source.mail.message;
  SourceAdditions out;
  if (!m.message_id.empty()) {
    if (use == SourceUse::kReply) out.in_reply_to = m.message_id;
    out.references = m.references;
    // A message without References that answers one still names it.
    if (out.references.empty() && !m.in_reply_to.empty()) out.references.push_back(m.in_reply_to);
    out.references.push_back(m.message_id);
  }
  if (whole_message_sent) return out;
  const std::string intro = QuoteIntro(m);
  out.plain_quote = QuotePlain(intro, m.text_body);
  out.html_quote = QuoteHtml(intro, m.html_body, m.text_body);
  if (use != SourceUse::kForward) return out;
  for (const Part& p : m.parts) {
    if (!IsAttachmentPart(p)) continue;
    auto bytes = DecodedPart(source.raw, p);
    if (!bytes.ok()) return bytes.status();
    out.attachments.push_back({p.content_type, p.charset, p.file_name, p.content_id,
                               p.disposition == Disposition::kInline,
                               std::move(bytes).value()});
  }
  return out;
}

LastVerb VerbFor(SourceUse use, const MessageRecord& original,
                 const std::vector<std::string>& recipients, const std::vector<std::string>& own) {
  if (use == SourceUse::kForward) return LastVerb::kForward;
  const std::vector<std::string> mine = Lowered(own);
  std::vector<std::string> others;  // the original's To and Cc but the user and its sender
  for (const auto* list : {&original.to, &original.cc}) {
    for (const Address& a : *list) {
      if (a.address.empty() || Contains(mine, a.address)) continue;
      bool sender = false;
      for (const Address& f : original.from) sender |= Lower(f.address) == Lower(a.address);
      if (!sender) others.push_back(Lower(a.address));
    }
  }
  for (const std::string& r : recipients) {
    if (Contains(others, r)) return LastVerb::kReplyToAll;
  }
  return LastVerb::kReplyToSender;
}

Status MarkSource(storage::Txn& txn, storage::FolderId folder, storage::ItemId item,
                  LastVerb verb, uint64_t now) {
  auto stored = txn.GetItem(folder, item);
  if (!stored.ok()) return stored.status();
  auto state = DecodeMailState(stored->data);
  if (!state.ok()) return state.status();
  state->last_verb = verb;
  state->last_verb_time = now;
  auto data = ReplaceMailState(stored->data, *state);
  if (!data.ok()) return data.status();
  stored->data = std::move(data).value();
  return txn.PutItem(std::move(stored).value()).status();
}

}  // namespace eas::core::mail
