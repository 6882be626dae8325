// The Calendar TimeZone element (MS-ASDTYPE 2.7.6): a Windows
// TIME_ZONE_INFORMATION, 172 bytes little-endian, base64 encoded.
// Transition dates are in "day-in-month" form: year 0, the month, the
// weekday (0 = Sunday) and which one of it (1..4, 5 = the last), at the
// local wall-clock time before the change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eas::core::convert {

struct SystemTime {
  uint16_t year = 0, month = 0, day_of_week = 0, day = 0;
  uint16_t hour = 0, minute = 0, second = 0, milliseconds = 0;
  bool operator==(const SystemTime&) const = default;
};

struct TimeZoneInfo {
  int32_t bias = 0;            // minutes; UTC = local + bias (Berlin: -60)
  std::string standard_name;   // UTF-8 here, 32 UTF-16 units on the wire
  SystemTime standard_date;    // month 0: no daylight saving time
  int32_t standard_bias = 0;
  std::string daylight_name;
  SystemTime daylight_date;
  int32_t daylight_bias = 0;   // usually -60

  bool HasDaylight() const { return standard_date.month != 0 && daylight_date.month != 0; }
  // Offsets east of UTC in minutes (Berlin: 60 and 120).
  int StandardOffset() const { return -(bias + standard_bias); }
  int DaylightOffset() const { return -(bias + daylight_bias); }
  // Equal transitions and offsets; names do not matter to a clock.
  bool SameRules(const TimeZoneInfo& other) const;
  bool operator==(const TimeZoneInfo&) const = default;
};

// Names longer than 31 UTF-16 units are cut (the field keeps a NUL).
std::string EncodeTimeZone(const TimeZoneInfo& info);
// nullopt unless `base64` decodes to exactly 172 bytes.
std::optional<TimeZoneInfo> DecodeTimeZone(std::string_view base64);

}  // namespace eas::core::convert
