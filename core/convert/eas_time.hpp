// The two ways ActiveSync writes a UTC instant (MS-ASDTYPE 2.3): Calendar
// uses the compact form 20261124T101500Z, Contacts (Birthday, Anniversary)
// the extended form 1980-05-17T00:00:00.000Z. Times are unix seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eas::core::convert {

struct CivilDate {
  int year = 1970, month = 1, day = 1;
  bool operator==(const CivilDate&) const = default;
};

// Days since 1970-01-01 of a proleptic Gregorian date, and back
// (H. Hinnant's algorithms: no time_t range or TZ environment involved).
int64_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(int64_t days);
int DaysInMonth(int year, int month);
// 0 = Sunday ... 6 = Saturday.
int Weekday(const CivilDate& date);

std::string CompactUtc(int64_t t);   // 20261124T101500Z
std::string ExtendedUtc(int64_t t);  // 2026-11-24T10:15:00.000Z

// Accepts both forms, with or without fraction and trailing Z (a missing Z
// is read as UTC too: some clients drop it). nullopt when malformed.
std::optional<int64_t> ParseEasTime(std::string_view text);

}  // namespace eas::core::convert
