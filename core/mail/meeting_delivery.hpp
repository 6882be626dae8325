// What an iTIP message (RFC 5546) does to the calendar of a user it is
// delivered to, besides landing in their Inbox: a REQUEST puts the meeting
// in their Calendar as tentative and not yet answered (a later REQUEST for
// the same UID updates that event), a CANCEL marks it cancelled, a REPLY
// to a meeting they organize records the attendee's answer. Mail for a
// meeting the calendar does not know is delivered all the same.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.hpp"
#include "core/mail/mime_record.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::mail {

// The meeting of a message as a calendar keeps it: the Calendar item data
// (overrides of single occurrences as its Exceptions) and the iCalendar
// text it was read from (kept with the event: SEQUENCE and the organizer's
// intended busy status are read from it when the user answers).
struct MeetingEventData {
  std::string item_data;
  std::string ics;
};

// Read with libical (any thread, outside a transaction) from the message's
// calendar part; nullopt for a message without a meeting (record.meeting)
// or whose calendar part yields no event with the meeting's UID.
std::optional<MeetingEventData> ReadMeetingEvent(std::string_view raw, const MessageRecord& record);

enum class MeetingEffect : uint8_t {
  kNone,       // not an iTIP message for this user's calendar, or nothing to change
  kAdded,      // a new invitation: a tentative event
  kUpdated,    // an update of a known invitation
  kCancelled,  // the meeting (or one occurrence) cancelled
  kAnswered,   // an attendee's answer recorded on the user's own meeting
};

// In the delivery's write transaction. `event` is ReadMeetingEvent's (for
// a REQUEST without it nothing is added).
Result<MeetingEffect> ApplyMeetingMessage(storage::Txn& txn, const storage::UserRecord& user,
                                          const MessageRecord& record,
                                          const std::optional<MeetingEventData>& event);

}  // namespace eas::core::mail
