// An attendee's answer to an invitation as iCalendar (RFC 5546 3.2.3,
// METHOD:REPLY), written with libical: what MeetingResponse sends the
// organizer. Only this attendee is in it, with the PARTSTAT that says the
// answer; UID, SEQUENCE and RECURRENCE-ID name what is answered, so the
// organizer's calendar can match it to its meeting (and occurrence).
#pragma once

#include <cstdint>
#include <string>

namespace eas::core::convert {

enum class ItipAnswer : uint8_t { kAccepted, kTentative, kDeclined };

struct ItipReply {
  std::string uid;
  int sequence = 0;
  // The answered occurrence's original start (unix seconds); 0: the
  // whole meeting. An all-day meeting's occurrence is written as a DATE.
  int64_t recurrence_id = 0;
  bool all_day = false;
  std::string organizer_email, organizer_name;
  std::string attendee_email, attendee_name;
  ItipAnswer answer = ItipAnswer::kAccepted;
  // For the organizer's mail program to show; left out when empty or 0.
  std::string summary;
  int64_t start = 0, end = 0;
  std::string comment;  // the attendee's own words (COMMENT)
  int64_t dtstamp = 0;  // when the answer was made
};

// The VCALENDAR text (CRLF lines, folded).
std::string ItipReplyText(const ItipReply& reply);

}  // namespace eas::core::convert
