// Putting a message into a mailbox: what eas-deliver, LMTP and easctl
// import share. Preparing (GMime, HTML → text) happens outside the write
// transaction and may run on any thread; storing is a few LMDB puts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/mail/meeting_delivery.hpp"
#include "core/mail/mime_record.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::mail {

struct PreparedMessage {
  std::string_view raw;  // the original bytes; the caller keeps them alive
  MessageRecord record;
  // Names the message in its mailbox (Message-ID and a digest of the
  // bytes): handed over twice, it is stored once.
  std::string key;
  // The item's data for an unread message (EncodeMailItem), made here so
  // that a write transaction only copies it.
  std::string unread_item;
  // What the delivery log should say about the message (an invitation
  // whose iCalendar could not be read...); it is stored all the same.
  std::vector<std::string> notes;
  // The meeting an iTIP message brings, for the recipients' calendars.
  std::optional<MeetingEventData> meeting_event;
};

// Never fails on malformed MIME (the record says so and the message is
// kept); kInvalidArgument only for an empty message.
Result<PreparedMessage> PrepareMessage(std::string_view raw, uint64_t received);

// The user a recipient names: the login name, an e-mail address the user
// has (any letter case), or name@domain where the domain is one of the
// user's addresses' (or the user has none). NotFound otherwise.
Result<storage::UserRecord> ResolveRecipient(storage::Txn& txn, std::string_view recipient);

// The user's mail folder named `name` (any letter case; "INBOX" and ""
// are the Inbox). NotFound when the user has no such mail folder.
Result<storage::FolderRecord> DeliveryFolder(storage::Txn& txn, const storage::UserRecord& user,
                                             std::string_view name);

struct StoreOptions {
  bool seen = false;  // already read (an import keeping \Seen)
  // An iTIP message delivered to the Inbox also changes the user's
  // calendar (meeting_delivery.hpp); an import of old mail does not.
  bool calendar = true;
};

enum class Stored : uint8_t { kNew, kDuplicate };

// Stores the message in the folder, unless the user already has it
// (kDuplicate: nothing written). The folder's devices see it as an Add.
// An invitation, cancellation or answer stored in the Inbox changes the
// user's calendar in the same transaction (ApplyMeetingMessage).
Result<Stored> StoreMessage(storage::Txn& txn, const storage::UserRecord& user,
                            const storage::FolderRecord& folder, const PreparedMessage& message,
                            const StoreOptions& options = {});

}  // namespace eas::core::mail
