// Sending a prepared message (core/mail/submission) inside the caller's
// write transaction: users of this box get it in their Inbox with the
// delivery code LMTP uses, the sender's copy goes to Sent Items, and every
// other recipient's copy waits in the outgoing queue for the relay. All in
// one transaction, so an answer of success means all of it is on disk.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/mail/delivery.hpp"
#include "core/mail/submission.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::mail {

// A submission with the records its stored copies need, parsed outside
// the transaction (GMime: any thread). Not movable: the prepared
// messages point into the submission's bytes.
struct ReadyMessage {
  ReadyMessage() = default;
  ReadyMessage(const ReadyMessage&) = delete;
  ReadyMessage& operator=(const ReadyMessage&) = delete;

  Submission submission;
  PreparedMessage delivered;  // for recipients' Inboxes (no Bcc)
  PreparedMessage sent;       // for Sent Items (Bcc kept)
};

// PrepareSubmission and both records; its errors are PrepareSubmission's.
Result<std::unique_ptr<ReadyMessage>> ReadyToSend(std::string_view raw,
                                                  const SenderIdentity& sender, uint64_t now,
                                                  const SourceAdditions* additions = nullptr);

struct SubmitResult {
  std::vector<std::string> delivered_to;  // users of this box
  std::vector<std::string> queued_for;    // recipients for the relay
  uint64_t queue_id = 0;                  // their outgoing queue entry; 0: none
  bool saved = false;                     // a copy went to Sent Items
  std::vector<std::string> away;          // what out of office did (core/mail/auto_reply)
  // A message that is an iTIP REPLY drops the server's own reply to that
  // meeting still held in the queue (core/mail/held_reply): for the log.
  std::string dropped_held;
};

// In the caller's write transaction. NotFound when the sender has no Sent
// Items folder and a copy was asked for. An iTIP REPLY the user sends
// drops the server's reply to the same meeting held for them (the client
// answered the organizer itself: one answer, not two).
Result<SubmitResult> Submit(storage::Txn& txn, const storage::UserRecord& sender,
                            const ReadyMessage& message, bool save_in_sent, uint64_t now);

}  // namespace eas::core::mail
