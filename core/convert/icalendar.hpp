// iCalendar (RFC 5545) events to and from Calendar ApplicationData trees
// (MS-ASCAL), through libical. Start and end become UTC instants plus the
// TimeZone blob of the event's zone in the event's year; RRULE, EXDATE and
// RECURRENCE-ID overrides become Recurrence and Exceptions; attendees,
// organizer, first alarm, busy status, class, categories and UID map to
// their EAS fields. What EAS cannot express (RDATE, an RRULE with BYHOUR,
// several RRULEs...) makes the import skip that event with the reason.
//
// libical keeps process-wide state (its Olson zone cache, loaded from
// /usr/share/zoneinfo on first use, behind its own lock): safe from several
// threads, but a first lookup reads files, so inside nginx call this from
// the thread pool, never on the event loop.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/convert/report.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::convert {

struct CalendarImportOptions {
  // The importing user's addresses: an event they organise with attendees
  // is their meeting (MeetingStatus 1), anyone else's a received one (3).
  std::vector<std::string> owner_addresses;
  // DTStamp for events without DTSTAMP (unix seconds; 0: the clock).
  int64_t now = 0;
};

// Every VEVENT of `text` (overrides joined to their master by UID), one
// item each; VTIMEZONEs of the file define its TZIDs, libical's Olson
// zones the rest. Dates and floating times are read in X-WR-TIMEZONE,
// else UTC.
ConvertReport EventsFromICalendar(std::string_view text, const CalendarImportOptions& options = {});

// Collects events into one VCALENDAR with the VTIMEZONEs they use: an
// Olson zone (TimeZone blob named "Europe/Berlin" with that zone's rules)
// as libical's definition, any other blob as yearly RRULE observances.
class ICalendarWriter {
 public:
  ICalendarWriter();
  ~ICalendarWriter();
  ICalendarWriter(const ICalendarWriter&) = delete;
  ICalendarWriter& operator=(const ICalendarWriter&) = delete;

  // Adds one event; `fallback_uid` names it when it has no UID. An event
  // without a readable StartTime is an error and adds nothing.
  Status Add(const wbxml::Element& application_data, std::string_view fallback_uid);
  // The VCALENDAR text (CRLF lines, folded). Call once.
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eas::core::convert
