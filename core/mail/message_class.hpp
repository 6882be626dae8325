// A message's MessageClass (MS-ASEMAIL 2.2.2.49) from its MIME structure
// and, for an iTIP message, its calendar part.
#pragma once

#include <string>
#include <string_view>

namespace eas::core::mail {

// What the class depends on, gathered by the MIME record builder.
struct MessageClassInput {
  std::string_view top_type;       // the message's Content-Type, "type/subtype", lower case
  std::string_view calendar_method;    // METHOD of a text/calendar part, upper case, or ""
  std::string_view calendar_partstat;  // the first ATTENDEE's PARTSTAT (for REPLY), upper case
};

// IPM.Note.SMIME.MultipartSigned for multipart/signed; IPM.Note.SMIME for
// application/(x-)pkcs7-mime (encrypted or opaque-signed alike); for a
// calendar part: REQUEST (and ADD) -> IPM.Schedule.Meeting.Request, CANCEL ->
// IPM.Schedule.Meeting.Canceled, REPLY -> IPM.Schedule.Meeting.Resp.Pos /
// .Neg / .Tent by PARTSTAT (ACCEPTED / DECLINED / TENTATIVE); IPM.Note
// otherwise (also for PUBLISH, COUNTER, a REPLY without PARTSTAT...).
std::string MessageClassOf(const MessageClassInput& in);

// The METHOD of an iCalendar text (upper case) and the PARTSTAT of its
// first ATTENDEE, read line by line (unfolded); "" when absent. Enough to
// class a message; the full iTIP reading belongs to core/convert.
struct CalendarSummary {
  std::string method;
  std::string partstat;
};
CalendarSummary SummarizeCalendar(std::string_view ics);

}  // namespace eas::core::mail
