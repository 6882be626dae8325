// Working the outgoing queue: any process may run it (every nginx worker
// does, off its event loop); an entry is claimed in a write transaction
// just before it is sent, so only one of them sends it. The relay taking it
// removes it; a 4xx or no connection defers it with a growing delay; a 5xx,
// or a message still deferred after RelayOptions::give_up_s, becomes a
// bounce in the sender's Inbox. State lives in the store only, so a
// reload, a restart or a killed worker loses nothing (a claim lapses).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/log_line.hpp"
#include "core/mail/relay.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Store; }

namespace eas::core::mail {

// Hands one entry to the relay (SendBySmtp in production).
using SmtpSend = std::function<SmtpReply(const storage::OutgoingRecord&)>;

// The time now, in seconds since the epoch: a run takes as long as its
// relay does, so each claim and record reads the clock again.
using Clock = std::function<uint64_t()>;

// Up to `batch` due entries, one at a time: claims it, sends it, and
// records what came of it; a held meeting reply whose time came is
// released (core/mail/held_reply). An empty `send` (no relay configured)
// works the held replies alone. Blocking: thread pool or CLI. A store
// error ends the run (logged).
QueueRun RunOutgoingQueue(storage::Store& store, const RelayOptions& relay, const SmtpSend& send,
                          const Clock& clock, size_t batch = 16);
// The same with the clock standing still at `now` (tests).
QueueRun RunOutgoingQueue(storage::Store& store, const RelayOptions& relay, const SmtpSend& send,
                          uint64_t now, size_t batch = 16);

// How long a claim keeps other senders off an entry: the relay timeout
// three times over, for the transaction (libcurl's limit), the QUIT after
// it (the same limit per reply) and recording the outcome, plus a second
// for the clock's granularity. A worker killed while sending holds its
// entry that long; a shorter timeout makes it shorter.
uint64_t ClaimHold(const RelayOptions& relay);

// The delay before the next attempt after `attempts` failed ones.
uint64_t RetryDelay(const RelayOptions& relay, uint32_t attempts);

}  // namespace eas::core::mail
