#include "core/mail/outgoing_queue.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "core/mail/bounce.hpp"
#include "core/mail/delivery.hpp"
#include "core/mail/held_reply.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {
namespace {

constexpr uint64_t kMaxDelay = 3600;

std::string Label(const storage::OutgoingRecord& e) {
  std::string to;
  for (const auto& r : e.recipients) to += (to.empty() ? "<" : ", <") + r + ">";
  return "outgoing " + std::to_string(e.id) + " from <" + e.sender + "> to " + to;
}

// Due and not held by another sender now; without a relay only a held
// meeting reply (it may be for users of this box alone) is worked.
bool Due(const storage::OutgoingRecord& e, uint64_t now, bool relay) {
  return (relay || !e.held_uid.empty()) && e.next_attempt <= now && e.claimed_until <= now;
}

// The ids of up to `batch` due entries, oldest first, by a read: most
// seconds nothing is due, and a write would cost an fsync per worker.
Result<std::vector<uint64_t>> DueIds(storage::Store& store, uint64_t now, size_t batch,
                                     bool relay) {
  std::vector<uint64_t> due;
  Status s = store.Read([&](storage::Txn& txn) -> Status {
    due.clear();
    auto all = txn.ListOutgoing(false);
    if (!all.ok()) return all.status();
    for (const auto& e : *all) {
      if (due.size() >= batch) break;
      if (Due(e, now, relay)) due.push_back(e.id);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return due;
}

// Entry `id`, claimed until now + hold, when it is still due: another
// sender may have claimed, sent or dropped it since DueIds looked.
// Claimed one at a time, just before its send, so that a claim never
// lapses while the entries before it are sent, and a killed worker holds
// only the entry it was sending.
Result<std::optional<storage::OutgoingRecord>> Claim(storage::Store& store, uint64_t id,
                                                     uint64_t now, uint64_t hold, bool relay) {
  std::optional<storage::OutgoingRecord> claimed;
  Status s = store.Write([&](storage::Txn& txn) -> Status {
    claimed.reset();
    auto e = txn.GetOutgoing(id);
    if (e.status().code() == Code::kNotFound) return Status::Ok();
    if (!e.ok()) return e.status();
    if (!Due(*e, now, relay)) return Status::Ok();
    e->claimed_until = now + hold;
    Status u = txn.UpdateOutgoing(*e);
    if (!u.ok()) return u;
    claimed = std::move(e).value();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return claimed;
}

// Puts `report` (a bounce for a message `entry` sent) in the sender's
// Inbox; `owner` names them, or stays empty when there is nobody to tell.
Status StoreBounce(storage::Txn& txn, const storage::OutgoingRecord& entry,
                   const PreparedMessage& report, std::string& owner) {
  owner.clear();
  if (entry.sender.empty()) return Status::Ok();  // an auto-reply: RFC 3834 wants no bounce
  auto user = txn.GetUserById(entry.user);
  if (!user.ok()) return user.status().code() == Code::kNotFound ? Status::Ok() : user.status();
  auto inbox = DeliveryFolder(txn, *user, "");
  if (!inbox.ok()) return inbox.status();
  auto stored = StoreMessage(txn, *user, *inbox, report);
  if (!stored.ok()) return stored.status();
  owner = user->name;
  return Status::Ok();
}

std::string BounceDestination(const storage::OutgoingRecord& entry, const std::string& owner) {
  return entry.sender.empty() ? "null sender, no bounce"
         : owner.empty()      ? "the sender is gone, bounce dropped"
                              : "bounce in " + owner + "'s Inbox";
}

// The bounce for `entry`, stored in its sender's Inbox, and the entry
// gone, in one transaction.
Status Bounce(storage::Store& store, const storage::OutgoingRecord& entry,
              const std::string& reason, uint64_t now, QueueRun& run) {
  const std::string report = BuildBounce(entry, reason, now);
  auto prepared = PrepareMessage(report, now);
  if (!prepared.ok()) return prepared.status();
  std::string owner;
  Status s = store.Write([&](storage::Txn& txn) -> Status {
    owner.clear();
    Status d = txn.DeleteOutgoing(entry.id);
    if (d.code() == Code::kNotFound) return Status::Ok();  // dropped meanwhile
    if (!d.ok()) return d;
    return StoreBounce(txn, entry, *prepared, owner);
  });
  if (!s.ok()) return s;
  ++run.bounced;
  run.log.push_back({LogLevel::kNotice, "smtp: " + Label(entry) + " returned to the sender (" +
                                            reason + "): " + BounceDestination(entry, owner)});
  return Status::Ok();
}

// The relay took the message for some recipients and refused others at
// RCPT: a 5xx returns it for those (one bounce naming them), a 4xx keeps
// the entry for those alone; in one transaction.
Status PartlySent(storage::Store& store, const storage::OutgoingRecord& entry,
                  const RelayOptions& relay, const SmtpReply& reply, uint64_t now,
                  QueueRun& run) {
  std::vector<RecipientRefusal> returned, waiting;
  for (const auto& r : reply.refused) (r.code >= 500 ? returned : waiting).push_back(r);
  storage::OutgoingRecord failed = entry;  // what the bounce names
  failed.recipients.clear();
  for (const auto& r : returned) failed.recipients.push_back(r.address);
  std::string report_bytes;  // what `report` reads
  std::optional<PreparedMessage> report;
  if (!returned.empty()) {
    report_bytes = BuildBounce(failed, RefusalTexts(returned), now);
    auto prepared = PrepareMessage(report_bytes, now);
    if (!prepared.ok()) return prepared.status();
    report = std::move(prepared).value();
  }
  std::string owner;
  uint64_t next = 0;
  Status s = store.Write([&](storage::Txn& txn) -> Status {
    owner.clear();
    auto e = txn.GetOutgoing(entry.id);
    if (e.status().code() == Code::kNotFound) return Status::Ok();  // dropped meanwhile
    if (!e.ok()) return e.status();
    Status u;
    if (waiting.empty()) {
      u = txn.DeleteOutgoing(entry.id);
    } else {
      e->recipients.clear();
      for (const auto& r : waiting) e->recipients.push_back(r.address);
      e->attempts += 1;
      e->next_attempt = now + RetryDelay(relay, e->attempts);
      e->claimed_until = 0;
      e->last_error = RefusalTexts(waiting);
      next = e->next_attempt;
      u = txn.UpdateOutgoing(*e);
    }
    if (!u.ok()) return u;
    return report ? StoreBounce(txn, entry, *report, owner) : Status::Ok();
  });
  if (!s.ok()) return s;
  const size_t taken = entry.recipients.size() - reply.refused.size();
  std::string line = "smtp: " + Label(entry) + ": the relay took it for " +
                     std::to_string(taken) + " of " + std::to_string(entry.recipients.size()) +
                     " recipients";
  line += " (" + reply.text + ")";
  if (!returned.empty()) {
    ++run.bounced;
    line += "; returned for " + RefusalTexts(returned) + ": " + BounceDestination(entry, owner);
  }
  if (!waiting.empty()) {
    ++run.deferred;
    line += "; deferred for " + RefusalTexts(waiting) + ", next in " +
            std::to_string(next - now) + " s";
  }
  if (taken > 0) ++run.sent;
  run.log.push_back({LogLevel::kNotice, std::move(line)});
  return Status::Ok();
}

Status Defer(storage::Store& store, const storage::OutgoingRecord& entry, const RelayOptions& relay,
             const std::string& reason, uint64_t now, QueueRun& run) {
  uint64_t next = 0;
  uint32_t attempts = 0;
  Status s = store.Write([&](storage::Txn& txn) -> Status {
    auto e = txn.GetOutgoing(entry.id);
    if (e.status().code() == Code::kNotFound) return Status::Ok();
    if (!e.ok()) return e.status();
    e->attempts += 1;
    e->next_attempt = now + RetryDelay(relay, e->attempts);
    e->claimed_until = 0;
    e->last_error = reason;
    next = e->next_attempt;
    attempts = e->attempts;
    return txn.UpdateOutgoing(*e);
  });
  if (!s.ok()) return s;
  ++run.deferred;
  run.log.push_back({LogLevel::kWarn, "smtp: " + Label(entry) + " deferred (" + reason +
                                          "), attempt " + std::to_string(attempts) +
                                          ", next in " + std::to_string(next - now) + " s"});
  return Status::Ok();
}

Status Sent(storage::Store& store, const storage::OutgoingRecord& entry, const std::string& reply,
            QueueRun& run) {
  Status s = store.Write([&](storage::Txn& txn) -> Status {
    Status d = txn.DeleteOutgoing(entry.id);
    return d.code() == Code::kNotFound ? Status::Ok() : d;
  });
  if (!s.ok()) return s;
  ++run.sent;
  run.log.push_back({LogLevel::kInfo, "smtp: " + Label(entry) + " sent (" + reply + ")"});
  return Status::Ok();
}

}  // namespace

uint64_t RetryDelay(const RelayOptions& relay, uint32_t attempts) {
  uint64_t delay = std::max<uint64_t>(relay.retry_s, 1);
  for (uint32_t i = 1; i < attempts && delay < kMaxDelay; ++i) delay *= 2;
  return std::min(delay, std::max<uint64_t>(kMaxDelay, relay.retry_s));
}

uint64_t ClaimHold(const RelayOptions& relay) {
  const uint64_t timeout_s = (std::max<uint64_t>(relay.timeout_ms, 1) + 999) / 1000;
  return 3 * timeout_s + 1;
}

QueueRun RunOutgoingQueue(storage::Store& store, const RelayOptions& relay, const SmtpSend& send,
                          const Clock& clock, size_t batch) {
  QueueRun run;
  const uint64_t hold = ClaimHold(relay);
  const bool sending = static_cast<bool>(send);
  auto due = DueIds(store, clock(), batch, sending);
  if (!due.ok()) {
    run.log.push_back({LogLevel::kError, "smtp: cannot read the outgoing queue: " +
                                             due.status().message()});
    return run;
  }
  for (uint64_t id : *due) {
    uint64_t now = clock();
    auto claimed = Claim(store, id, now, hold, sending);
    if (!claimed.ok()) {
      run.log.push_back({LogLevel::kError, "smtp: cannot claim outgoing " + std::to_string(id) +
                                               ": " + claimed.status().message()});
      return run;
    }
    if (!claimed->has_value()) continue;  // another sender's, or gone
    const storage::OutgoingRecord& entry = **claimed;
    Status s;
    if (!entry.held_uid.empty()) {
      s = ReleaseHeldReply(store, entry, now, run);
    } else if (relay.give_up_s != 0 && now >= entry.queued_at + relay.give_up_s) {
      s = Bounce(store, entry, "gave up after " + std::to_string(entry.attempts) +
                                   " attempts: " + entry.last_error, now, run);
    } else {
      SmtpReply reply = send(entry);
      now = clock();
      switch (reply.outcome) {
        case SmtpOutcome::kSent:
          s = reply.refused.empty() ? Sent(store, entry, reply.text, run)
                                    : PartlySent(store, entry, relay, reply, now, run);
          break;
        case SmtpOutcome::kTransient: s = Defer(store, entry, relay, reply.text, now, run); break;
        case SmtpOutcome::kPermanent: s = Bounce(store, entry, reply.text, now, run); break;
      }
    }
    if (!s.ok()) {
      run.log.push_back({LogLevel::kError, "smtp: " + Label(entry) + ": " + s.message()});
    }
  }
  return run;
}

QueueRun RunOutgoingQueue(storage::Store& store, const RelayOptions& relay, const SmtpSend& send,
                          uint64_t now, size_t batch) {
  return RunOutgoingQueue(store, relay, send, Clock([now] { return now; }), batch);
}

}  // namespace eas::core::mail
