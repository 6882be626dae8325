// RRULE ↔ Calendar Recurrence (MS-ASCAL 2.2.2.38-47): Type 0 daily,
// 1 weekly, 2 monthly on a day, 3 monthly on the nth weekday, 5 yearly on
// a day, 6 yearly on the nth weekday; DayOfWeek is a bit mask (Sunday 1,
// Monday 2 ... Saturday 64), WeekOfMonth 5 means the last.
#pragma once

#include <string>

#include "base/status.hpp"
#include "core/convert/ical_handles.hpp"
#include "core/convert/recurrence_pattern.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::convert {

// `start` is the first occurrence as wall-clock time in `zone`; a rule
// that leaves the weekday or day open takes it from there. An RRULE EAS
// cannot express is kInvalidArgument with the reason.
Result<RecurrencePattern> PatternFromRule(const icalrecurrencetype& rule, icaltimetype start,
                                          icaltimezone* zone);
// The pattern as a Calendar Recurrence element.
wbxml::Element CalendarRecurrence(const RecurrencePattern& pattern);
// Both in one: what an imported event's Recurrence is.
Result<wbxml::Element> RecurrenceFromRule(const icalrecurrencetype& rule, icaltimetype start,
                                          icaltimezone* zone);

// The RRULE value ("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"). UNTIL is UTC, or a
// date in `zone` for an all-day event (RFC 5545 wants DTSTART's type).
Result<std::string> RuleFromRecurrence(const wbxml::Element& recurrence, icaltimezone* zone,
                                       bool all_day);

}  // namespace eas::core::convert
