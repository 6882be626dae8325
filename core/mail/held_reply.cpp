#include "core/mail/held_reply.hpp"

#include <memory>
#include <utility>

#include "core/util/join.hpp"
#include "core/util/utc_time.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {
namespace {

std::string Meeting(const ReplyKey& key) {
  if (key.recurrence_id == 0) return "meeting " + key.uid;
  return "meeting " + key.uid + " (occurrence " +
         util::FormatUtc(static_cast<uint64_t>(key.recurrence_id), "%Y%m%dT%H%M%SZ") + ")";
}

}  // namespace

std::optional<ReplyKey> ReplyKeyOf(const MessageRecord& record) {
  if (record.calendar_method != "REPLY" || !record.meeting || record.meeting->uid.empty()) {
    return std::nullopt;
  }
  const convert::MeetingInvite& m = *record.meeting;
  return ReplyKey{m.uid, m.instance_type == convert::InstanceType::kException ? m.recurrence_id : 0};
}

Result<std::vector<uint64_t>> DropHeldReplies(storage::Txn& txn, storage::UserId user,
                                              const ReplyKey& key) {
  std::vector<uint64_t> dropped;
  auto all = txn.ListOutgoing(false);
  if (!all.ok()) return all.status();
  for (const storage::OutgoingRecord& e : *all) {
    if (e.user != user || e.held_uid.empty()) continue;
    if (!(ReplyKey{e.held_uid, e.held_recurrence_id} == key)) continue;
    Status s = txn.DeleteOutgoing(e.id);
    if (!s.ok()) return s;
    dropped.push_back(e.id);
  }
  return dropped;
}

std::string DroppedText(const std::vector<uint64_t>& ids, const ReplyKey& key) {
  if (ids.empty()) return std::string();
  return "the server's held reply to " + Meeting(key) + " (outgoing " + util::JoinWith(ids, ", ") +
         ") dropped: the user's own reply goes instead";
}

Result<HeldReply> HoldReply(storage::Txn& txn, const storage::UserRecord& user,
                            const ReadyMessage& message, const ReplyKey& key, uint64_t now,
                            uint64_t not_before) {
  if (key.uid.empty()) return Status::Invalid("a held meeting reply needs the meeting's UID");
  HeldReply held;
  auto replaced = DropHeldReplies(txn, user.id, key);
  if (!replaced.ok()) return replaced.status();
  held.replaced = std::move(replaced).value();
  storage::OutgoingRecord entry;
  entry.user = user.id;
  entry.sender = message.submission.envelope_from;
  entry.recipients = message.submission.recipients;  // this box's users too, at release
  entry.message = message.submission.for_sent_items;  // a reply has no Bcc: both copies
  entry.queued_at = now;
  entry.next_attempt = not_before;
  entry.held_uid = key.uid;
  entry.held_recurrence_id = key.recurrence_id;
  auto id = txn.QueueOutgoing(std::move(entry));
  if (!id.ok()) return id.status();
  held.id = *id;
  return held;
}

Status ReleaseHeldReply(storage::Store& store, const storage::OutgoingRecord& entry, uint64_t now,
                        QueueRun& run) {
  const std::string label = "meeting reply: outgoing " + std::to_string(entry.id) + " from <" +
                            entry.sender + "> to " + Meeting({entry.held_uid, entry.held_recurrence_id});
  std::optional<storage::UserRecord> user;
  Status s = store.Read([&](storage::Txn& txn) -> Status {
    auto got = txn.GetUserById(entry.user);
    if (got.ok()) user = std::move(got).value();
    return got.status().code() == Code::kNotFound ? Status::Ok() : got.status();
  });
  if (!s.ok()) return s;
  // Its records (GMime) outside the transaction. A message the server made
  // itself that cannot be read again, or a user who is gone, ends here.
  std::unique_ptr<ReadyMessage> ready;
  std::string why;
  if (!user) {
    why = "the user is gone";
  } else {
    auto made = ReadyToSend(entry.message, IdentityOf(*user), now);
    if (made.ok()) ready = std::move(made).value();
    else why = made.status().message();
  }
  SubmitResult result;
  bool gone = false;
  s = store.Write([&](storage::Txn& txn) -> Status {
    gone = false;
    Status d = txn.DeleteOutgoing(entry.id);
    if (d.code() == Code::kNotFound) {  // dropped meanwhile: the client's reply came
      gone = true;
      return Status::Ok();
    }
    if (!d.ok() || !ready) return d;
    auto sent = Submit(txn, *user, *ready, true, now);
    if (!sent.ok()) return sent.status();
    result = std::move(sent).value();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (gone) return Status::Ok();
  if (!ready) {
    run.log.push_back({LogLevel::kError, label + " dropped unsent: " + why});
    return Status::Ok();
  }
  std::string line = label + ": no reply of the client's came in " +
                     std::to_string(now >= entry.queued_at ? now - entry.queued_at : 0) +
                     " s, the server's goes";
  if (!result.delivered_to.empty()) {
    line += "; delivered to " + util::JoinWith(result.delivered_to, ", ");
  }
  if (result.saved) line += "; saved in Sent Items";
  if (!result.queued_for.empty()) {
    line += "; queued for the SMTP relay as outgoing " + std::to_string(result.queue_id) + " (" +
            util::JoinWith(result.queued_for, ", ") + ")";
  }
  run.log.push_back({LogLevel::kInfo, std::move(line)});
  ++run.released;
  for (std::string& away : result.away) run.log.push_back({LogLevel::kInfo, std::move(away)});
  return Status::Ok();
}

}  // namespace eas::core::mail
