#include "core/mail/submit.hpp"

#include <utility>

#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "core/mail/auto_reply.hpp"
#include "core/mail/held_reply.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {

Result<std::unique_ptr<ReadyMessage>> ReadyToSend(std::string_view raw,
                                                  const SenderIdentity& sender, uint64_t now,
                                                  const SourceAdditions* additions) {
  auto submission = PrepareSubmission(raw, sender, now, additions);
  if (!submission.ok()) return submission.status();
  auto ready = std::make_unique<ReadyMessage>();
  ready->submission = std::move(submission).value();
  // The records read the bytes where they now stay, in *ready.
  auto delivered = PrepareMessage(ready->submission.for_recipients, now);
  if (!delivered.ok()) return delivered.status();
  ready->delivered = std::move(delivered).value();
  auto sent = PrepareMessage(ready->submission.for_sent_items, now);
  if (!sent.ok()) return sent.status();
  ready->sent = std::move(sent).value();
  return ready;
}

Result<SubmitResult> Submit(storage::Txn& txn, const storage::UserRecord& sender,
                            const ReadyMessage& message, bool save_in_sent, uint64_t now) {
  SubmitResult result;
  std::vector<std::string> remote;
  for (const std::string& rcpt : message.submission.recipients) {
    auto user = ResolveRecipient(txn, rcpt);
    if (!user.ok()) {
      if (user.status().code() != Code::kNotFound) return user.status();
      remote.push_back(rcpt);
      continue;
    }
    auto inbox = DeliveryFolder(txn, *user, "");
    if (!inbox.ok()) return inbox.status();
    auto stored = StoreMessage(txn, *user, *inbox, message.delivered);
    if (!stored.ok()) return stored.status();
    result.delivered_to.push_back(user->name);
    if (*stored == Stored::kNew) {
      auto away = AnswerWhileAway(txn, *user, message.delivered, message.submission.envelope_from, now);
      if (!away.ok()) return away.status();
      if (!away->empty()) result.away.push_back(std::move(away).value());
    }
  }
  if (save_in_sent) {
    auto folder = FindDefaultFolder(txn, sender, folder_type::kSentItems, "Sent Items");
    if (!folder.ok()) return folder.status();
    StoreOptions read;
    read.seen = true;
    auto stored = StoreMessage(txn, sender, *folder, message.sent, read);
    if (!stored.ok()) return stored.status();
    result.saved = true;
  }
  if (auto key = ReplyKeyOf(message.delivered.record)) {
    auto dropped = DropHeldReplies(txn, sender.id, *key);
    if (!dropped.ok()) return dropped.status();
    result.dropped_held = DroppedText(*dropped, *key);
  }
  if (!remote.empty()) {
    storage::OutgoingRecord entry;
    entry.user = sender.id;
    entry.sender = message.submission.envelope_from;
    entry.recipients = remote;
    entry.message = message.submission.for_recipients;
    entry.queued_at = now;
    auto id = txn.QueueOutgoing(std::move(entry));
    if (!id.ok()) return id.status();
    result.queue_id = *id;
    result.queued_for = std::move(remote);
  }
  return result;
}

}  // namespace eas::core::mail
