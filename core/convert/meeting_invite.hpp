// What an iTIP message (RFC 5546) says about its meeting, read once at
// delivery from the message's text/calendar part with libical: enough for
// Email's MeetingRequest element (MS-ASEMAIL 2.2.2.48) and for answering
// the organizer later (UID, SEQUENCE, METHOD, organizer, attendees and
// whether each is asked to reply). Plain data: the mail record stores it,
// and Sync renders it without reading iCalendar again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/convert/recurrence_pattern.hpp"

namespace eas::core::convert {

struct InviteAttendee {
  std::string email, name;
  int status = -1;  // Calendar AttendeeStatus (3 accepted, 4 declined...); -1: no PARTSTAT
  int type = 1;     // AttendeeType: 1 required, 2 optional, 3 resource
  bool rsvp = false;
  bool operator==(const InviteAttendee&) const = default;
};

// MS-ASEMAIL InstanceType.
enum class InstanceType : uint8_t {
  kSingle = 0,     // a meeting that happens once
  kMaster = 1,     // a recurring series
  kException = 3,  // one changed (or cancelled) occurrence of a series
};

struct MeetingInvite {
  std::string method;  // REQUEST, CANCEL, ... (upper case)
  std::string uid;
  int sequence = 0;
  int64_t start = 0, end = 0;  // unix seconds (an all-day event: midnight in its zone)
  int64_t dtstamp = 0;
  bool all_day = false;
  std::string time_zone;  // the TimeZone blob (base64 TIME_ZONE_INFORMATION) of the start
  std::string summary, location;
  std::string organizer_email, organizer_name;
  std::vector<InviteAttendee> attendees;
  InstanceType instance_type = InstanceType::kSingle;
  int64_t recurrence_id = 0;  // the changed occurrence's original start (kException)
  std::optional<RecurrencePattern> recurrence;
  std::optional<int> reminder_minutes;  // the first alarm before the start
  int sensitivity = 0;                  // 0 normal, 2 private, 3 confidential
  int busy_status = 2;                  // what accepting would make the time: 2 busy
  bool disallow_new_time = false;       // X-MICROSOFT-DISALLOW-COUNTER
  bool operator==(const MeetingInvite&) const = default;

  // Someone is asked to answer (an attendee with RSVP=TRUE).
  bool ResponseRequested() const;
};

// The meeting of an iCalendar text: its first VEVENT that is not an
// override (a series or single meeting), else its first override (one
// changed occurrence). kInvalidArgument, with why, when there is no VEVENT
// with a usable DTSTART. `warnings` gets what was read with a guess or
// dropped (an RRULE ActiveSync cannot express, an unknown TZID...).
Result<MeetingInvite> ReadMeetingInvite(std::string_view ics, std::vector<std::string>* warnings);

}  // namespace eas::core::convert
