// Time zones between libical and the EAS TimeZone blob: the rules a zone
// follows in one year as a TIME_ZONE_INFORMATION, a libical zone (and its
// VTIMEZONE) built from such a blob, and Olson names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/convert/ical_handles.hpp"
#include "core/convert/timezone_blob.hpp"

namespace eas::core::convert {

// The transitions of `zone` in `year` as EAS describes them (one change to
// daylight time, one back; none when the zone keeps one offset that year).
// `name` goes into both name fields.
TimeZoneInfo ZoneInfoForYear(icaltimezone* zone, int year, const std::string& name);

// A zone whose VTIMEZONE has yearly RRULE observances that follow `info`
// (as Outlook writes them), with TZID `tzid`. Null if libical refuses it.
ZonePtr ZoneFromInfo(const TimeZoneInfo& info, const std::string& tzid);

// The Olson name libical knows for a TZID: "Europe/Berlin" itself, or the
// tail of a prefixed one ("/freeassociation.sourceforge.net/Europe/Berlin",
// "/mozilla.org/20050126_1/Europe/Berlin"). Empty when none.
std::string OlsonName(std::string_view tzid);
// libical's builtin zone for an Olson name (UTC for UTC/GMT), or null.
icaltimezone* BuiltinZone(const std::string& olson);

// A wall-clock time in `zone` as unix seconds (a DATE is its midnight).
int64_t ToUnix(icaltimetype local, icaltimezone* zone);
// Unix seconds as the wall-clock time (or date) in `zone`, zone unset so
// it serialises without Z; the caller adds TZID.
icaltimetype FromUnix(int64_t t, icaltimezone* zone, bool is_date);

}  // namespace eas::core::convert
