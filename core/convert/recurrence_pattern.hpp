// A recurrence as ActiveSync describes it (MS-ASCAL 2.2.2.38-47, and the
// same fields under Email's MeetingRequest, MS-ASEMAIL 2.2.2.60): Type 0
// daily, 1 weekly, 2 monthly on a day, 3 monthly on the nth weekday, 5
// yearly on a day, 6 yearly on the nth weekday; DayOfWeek is a bit mask
// (Sunday 1, Monday 2 ... Saturday 64), WeekOfMonth 5 means the last.
// Kept as plain numbers so a mail record can store it without libical.
#pragma once

#include <cstdint>

namespace eas::core::convert {

struct RecurrencePattern {
  int type = 0;
  int interval = 1;
  int64_t until = 0;    // unix seconds of the last occurrence's start; 0: none
  int occurrences = 0;  // 0: none
  int day_of_week = 0, day_of_month = 0, week_of_month = 0, month_of_year = 0;
  int first_day_of_week = 1;  // the RRULE's WKST, 0 = Sunday (RFC 5545 default: Monday)
  bool operator==(const RecurrencePattern&) const = default;

  bool Yearly() const { return type == 5 || type == 6; }
};

}  // namespace eas::core::convert
