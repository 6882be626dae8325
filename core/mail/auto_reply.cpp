#include "core/mail/auto_reply.hpp"

#include "core/mail/auto_reply_message.hpp"
#include "core/mail/auto_reply_rules.hpp"
#include "core/mail/oof.hpp"
#include "core/mail/submission.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {
namespace {

// A store failure is not the reply's to swallow: it fails the whole
// transaction (LMDB will not commit after it).
bool IsStoreFailure(const Status& s) {
  return s.code() != Code::kNotFound && s.code() != Code::kInvalidArgument;
}

// The reply into a local user's Inbox, as a delivery.
Status DeliverLocally(storage::Txn& txn, const storage::UserRecord& to, const std::string& reply,
                      uint64_t now) {
  auto prepared = PrepareMessage(reply, now);
  if (!prepared.ok()) return prepared.status();
  auto inbox = DeliveryFolder(txn, to, "");
  if (!inbox.ok()) return inbox.status();
  return StoreMessage(txn, to, *inbox, *prepared).status();
}

}  // namespace

Result<std::string> AnswerWhileAway(storage::Txn& txn, const storage::UserRecord& user,
                                    const PreparedMessage& message,
                                    std::string_view envelope_sender, uint64_t now) {
  auto oof = txn.GetOof(user.id);
  if (oof.status().code() == Code::kNotFound) return std::string();
  if (!oof.ok()) return oof.status();
  if (!OofActive(*oof, now)) return std::string();

  const std::string sender(BareAddress(envelope_sender));
  const std::string who = "out of office: " + user.name + ": ";
  const AutoReplyVerdict verdict =
      DecideAutoReply(sender, message.raw, message.record, user.addresses);
  if (verdict != AutoReplyVerdict::kReply) {
    return who + "no reply to <" + sender + ">: " + std::string(Describe(verdict));
  }

  auto local = ResolveRecipient(txn, sender);
  if (!local.ok() && local.status().code() != Code::kNotFound) return local.status();
  const OofAudience audience = local.ok() ? OofAudience::kInternal : OofAudience::kExternalUnknown;
  const storage::OofMessage& text = OofMessageFor(*oof, audience);
  if (!text.enabled) {
    return who + "no reply to <" + sender + ">: no message for " +
           (local.ok() ? "internal" : "external") + " senders";
  }

  auto due = txn.NoteAutoReply(user.id, LowerAddress(sender), now, kAutoReplyInterval);
  if (!due.ok()) {
    if (IsStoreFailure(due.status())) return due.status();
    return who + "no reply to <" + sender + ">: " + due.status().message();
  }
  if (!*due) return who + "<" + sender + "> was answered already";

  const std::string reply = BuildAutoReply(IdentityOf(user), sender, message.record, text, now);
  if (local.ok()) {
    Status s = DeliverLocally(txn, *local, reply, now);
    if (!s.ok()) {
      if (IsStoreFailure(s)) return s;
      return who + "no reply to <" + sender + ">: " + s.message();
    }
    return who + "replied to <" + sender + "> in " + local->name + "'s Inbox";
  }
  storage::OutgoingRecord entry;
  entry.user = user.id;
  entry.sender = "";  // null MAIL FROM: no bounce, no reply to the reply
  entry.recipients = {sender};
  entry.message = reply;
  entry.queued_at = now;
  auto id = txn.QueueOutgoing(std::move(entry));
  if (!id.ok()) return id.status();
  return who + "reply to <" + sender + "> queued as outgoing " + std::to_string(*id);
}

}  // namespace eas::core::mail
