// What the user's own edits of a meeting they organize send (RFC 5546):
// a new meeting with attendees invites them (REQUEST), a change of its
// time, place, subject, recurrence or attendees sends the update (SEQUENCE
// one up) and a CANCEL to anyone taken off, a deleted (or cancelled)
// meeting a CANCEL to all. Attendees on this box have it in their Inbox at
// once, their calendars following (meeting_delivery.hpp); the rest go
// through the relay's queue; a copy goes to Sent Items. The invitation
// sent is kept as the event's blob: the next change reads its SEQUENCE
// there, and a meeting never sent is never cancelled.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::mail {

// In the write transaction of a client's Add, Change or Delete of a
// Calendar item. `before`, `before_blob`: the stored data and blob (empty
// and 0 for an Add); `item`: the record about to be written (null for a
// Delete), whose blob this may set. `notes` gets a line per message sent.
Status NotifyAttendees(storage::Txn& txn, const storage::UserRecord& user,
                       std::string_view before, uint64_t before_blob, storage::ItemRecord* item,
                       uint64_t now, std::vector<std::string>* notes);

}  // namespace eas::core::mail
