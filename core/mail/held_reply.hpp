// The server's own meeting reply for a client that may send one itself.
// Up to protocol 14.1 MeetingResponse cannot say whether the client will
// mail the organizer (MS-ASCMD 2.2.1.11: it *can*, by SendMail, and iOS
// and Android do), so the server's REPLY waits in the outgoing queue for
// a grace period, with nothing of it delivered yet. The user's own REPLY
// for the same meeting (SendMail, SmartReply, SmartForward, or a 16.x
// MeetingResponse) drops it; otherwise the queue sends it whole when the
// period ends. Held in the store, so a reload or restart keeps it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/mail/mime_record.hpp"
#include "core/mail/relay.hpp"
#include "core/mail/submit.hpp"
#include "storage/records.hpp"

namespace eas::storage {
class Store;
class Txn;
}  // namespace eas::storage

namespace eas::core::mail {

// The meeting a reply answers: its UID and, for one occurrence, the
// RECURRENCE-ID (unix seconds; 0: the whole meeting).
struct ReplyKey {
  std::string uid;
  int64_t recurrence_id = 0;
  bool operator==(const ReplyKey&) const = default;
};

// The key of a message that carries an iTIP REPLY (a text/calendar part
// with METHOD:REPLY, anywhere in its MIME tree); none for anything else.
std::optional<ReplyKey> ReplyKeyOf(const MessageRecord& record);

struct HeldReply {
  uint64_t id = 0;                // its outgoing queue entry
  std::vector<uint64_t> replaced;  // the user's earlier held replies to it, dropped
};

// In the caller's write transaction: queues the server's reply `message`
// from `user` to go out at `not_before`. An earlier answer of the user's
// to the same meeting still held is dropped: the organizer hears the last.
Result<HeldReply> HoldReply(storage::Txn& txn, const storage::UserRecord& user,
                            const ReadyMessage& message, const ReplyKey& key, uint64_t now,
                            uint64_t not_before);

// In the caller's write transaction: drops the user's held replies to the
// meeting `key` names; their entry ids (none: nothing was held).
Result<std::vector<uint64_t>> DropHeldReplies(storage::Txn& txn, storage::UserId user,
                                              const ReplyKey& key);

// For the log: what dropping `ids` for `key` did, "" when nothing.
std::string DroppedText(const std::vector<uint64_t>& ids, const ReplyKey& key);

// A held entry whose time came (claimed by the queue's run): sent as the
// user sends mail (core/mail/submit), to users of this box at once, a copy
// in their Sent Items, a new ordinary entry for the relay's recipients;
// the held entry goes in the same transaction. Blocking (GMime, a write).
Status ReleaseHeldReply(storage::Store& store, const storage::OutgoingRecord& entry, uint64_t now,
                        QueueRun& run);

}  // namespace eas::core::mail
