// easctl queue list|retry|drop: the outgoing queue (mail waiting for the
// SMTP relay, and the server's meeting replies held for a while in case
// the phone sends its own), as the nginx workers work it.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>

#include "cli/easctl/commands.hpp"
#include "cli/easctl/json_out.hpp"
#include "core/util/join.hpp"
#include "core/util/utc_time.hpp"

namespace eas::cli {
namespace {

std::string When(uint64_t t) {
  return t == 0 ? "now" : eas::core::util::FormatUtc(t, "%Y-%m-%d %H:%M:%S");
}

std::string Recipients(const storage::OutgoingRecord& e) {
  return eas::core::util::JoinWith(e.recipients, ",");
}

// The entry ids named after "queue VERB".
bool Ids(const Args& a, std::vector<uint64_t>* ids) {
  for (size_t i = 2; i < a.positional.size(); ++i) {
    char* end = nullptr;
    unsigned long long id = std::strtoull(a.positional[i].c_str(), &end, 10);
    if (id == 0 || end == nullptr || *end != '\0') return false;
    ids->push_back(id);
  }
  return !ids->empty();
}

// What a held meeting reply waits for; "" for an ordinary entry.
std::string Held(const storage::OutgoingRecord& e) {
  if (e.held_uid.empty()) return std::string();
  std::string meeting = e.held_uid;
  if (e.held_recurrence_id != 0) {
    meeting += " (occurrence " +
               eas::core::util::FormatUtc(static_cast<uint64_t>(e.held_recurrence_id),
                                          "%Y-%m-%d %H:%M:%S") + ")";
  }
  return "meeting reply held until " + When(e.next_attempt) +
         ", dropped if the phone sends its own, for " + meeting;
}

// Until when a sender holds the entry, "" when none does: a claim whose
// time passed is none (any worker may send the entry again).
std::string ClaimedUntil(const storage::OutgoingRecord& e, uint64_t now) {
  return e.claimed_until > now ? When(e.claimed_until) : std::string();
}

uint64_t Now() { return static_cast<uint64_t>(std::time(nullptr)); }

}  // namespace

int QueueList(storage::Store& store, const Args& a) {
  std::vector<storage::OutgoingRecord> entries;
  Status s = store.Read([&](storage::Txn& txn) -> Status {
    auto list = txn.ListOutgoing(false);
    if (!list.ok()) return list.status();
    entries = std::move(list).value();
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  const uint64_t now = Now();
  if (a.json) {
    JsonArray out(std::cout);
    for (const auto& e : entries) {
      out.Object({{"id", std::to_string(e.id)}, {"sender", e.sender},
                  {"recipients", Recipients(e)}, {"queued", When(e.queued_at)},
                  {"attempts", std::to_string(e.attempts)}, {"next", When(e.next_attempt)},
                  {"last_error", e.last_error}, {"held_reply_uid", e.held_uid},
                  {"claimed_until", ClaimedUntil(e, now)}});
    }
    return 0;
  }
  std::printf("%-6s %-19s %-8s %-19s %-28s %s\n", "ID", "QUEUED (UTC)", "ATTEMPTS",
              "NEXT (UTC)", "SENDER", "RECIPIENTS / LAST ERROR");
  for (const auto& e : entries) {
    std::printf("%-6llu %-19s %-8u %-19s %-28s %s\n", static_cast<unsigned long long>(e.id),
                When(e.queued_at).c_str(), e.attempts, When(e.next_attempt).c_str(),
                e.sender.c_str(), Recipients(e).c_str());
    if (!e.last_error.empty()) std::printf("%66s%s\n", "", e.last_error.c_str());
    if (!e.held_uid.empty()) std::printf("%66s%s\n", "", Held(e).c_str());
    const std::string claimed = ClaimedUntil(e, now);
    if (!claimed.empty()) {
      std::printf("%66sclaimed by a sender until %s (UTC): no other sends it before\n", "",
                  claimed.c_str());
    }
  }
  return 0;
}

// retry: due now (the next worker's turn sends it), a sender's claim
// cleared: the administrator's word beats the claim of a worker that was
// killed mid-send, which would otherwise hold the entry for three relay
// timeouts. drop: gone, unsent.
int QueueChange(storage::Store& store, const Args& a, bool drop) {
  std::vector<uint64_t> ids;
  if (!Ids(a, &ids)) return Usage();
  const uint64_t now = Now();
  std::vector<std::string> claims;  // per id, what the retry cleared
  Status s = store.Write([&](storage::Txn& txn) -> Status {
    claims.clear();
    for (uint64_t id : ids) {
      if (drop) {
        Status d = txn.DeleteOutgoing(id);
        if (!d.ok()) return d;
        continue;
      }
      auto e = txn.GetOutgoing(id);
      if (!e.ok()) return e.status();
      claims.push_back(ClaimedUntil(*e, now));
      e->next_attempt = 0;
      e->claimed_until = 0;
      Status u = txn.UpdateOutgoing(*e);
      if (!u.ok()) return u;
    }
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  for (size_t i = 0; i < ids.size(); ++i) {
    std::cout << "outgoing " << ids[i] << (drop ? " dropped" : " will be sent again at once");
    if (!drop && !claims[i].empty()) {
      std::cout << "; the claim of the sender that held it until " << claims[i]
                << " is cleared (if that sender is still at work, not killed, the relay may get "
                   "the message twice)";
    }
    std::cout << "\n";
  }
  return 0;
}

}  // namespace eas::cli
