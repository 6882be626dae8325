#include "core/convert/ical_zone.hpp"

#include <cstdio>
#include <vector>

#include "core/convert/eas_time.hpp"

namespace eas::core::convert {
namespace {

constexpr int64_t kDay = 86400;

int OffsetAt(icaltimezone* zone, int64_t t, int* is_daylight) {
  icaltimetype tt = icaltime_from_timet_with_zone(static_cast<time_t>(t), 0,
                                                  icaltimezone_get_utc_timezone());
  *is_daylight = 0;
  return icaltimezone_get_utc_offset_of_utc_time(zone, &tt, is_daylight);
}

struct Transition {
  int64_t at = 0;  // UTC
  int before = 0, after = 0;
  bool to_daylight = false;
};

// A local wall-clock instant as a day-in-month SYSTEMTIME.
SystemTime RuleTime(int64_t local) {
  int64_t days = local / kDay - (local % kDay < 0);
  int64_t secs = local - days * kDay;
  CivilDate d = CivilFromDays(days);
  SystemTime st;
  st.month = static_cast<uint16_t>(d.month);
  st.day_of_week = static_cast<uint16_t>(Weekday(d));
  // The last weekday of a month is "5", whichever week it falls in, as
  // rules name it ("last Sunday of March").
  st.day = static_cast<uint16_t>(d.day + 7 > DaysInMonth(d.year, d.month) ? 5 : (d.day + 6) / 7);
  st.hour = static_cast<uint16_t>(secs / 3600);
  st.minute = static_cast<uint16_t>(secs / 60 % 60);
  return st;
}

std::string Offset(int minutes) {
  char buf[16];
  int a = minutes < 0 ? -minutes : minutes;
  std::snprintf(buf, sizeof buf, "%c%02d%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

const char* kDays[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

// One observance (STANDARD or DAYLIGHT) of a VTIMEZONE.
std::string Observance(const char* kind, const SystemTime& when, int from, int to) {
  std::string out = std::string("BEGIN:") + kind + "\r\n";
  char buf[64];
  if (when.month == 0) {
    out += "DTSTART:16010101T000000\r\n";
  } else if (when.year != 0) {  // an absolute date: one change, that year
    std::snprintf(buf, sizeof buf, "DTSTART:%04d%02d%02dT%02d%02d00\r\n", when.year, when.month,
                  when.day, when.hour, when.minute);
    out += buf;
  } else {
    // The first onset in 1601 (where Windows' rules start), then yearly.
    int first = 1 + (when.day_of_week - Weekday({1601, when.month, 1}) + 7) % 7;
    int day = first + 7 * (when.day - 1);
    while (day > DaysInMonth(1601, when.month)) day -= 7;
    std::snprintf(buf, sizeof buf, "DTSTART:1601%02d%02dT%02d%02d00\r\n", when.month, day,
                  when.hour, when.minute);
    out += buf;
    std::snprintf(buf, sizeof buf, "RRULE:FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s\r\n", when.month,
                  when.day == 5 ? -1 : when.day, kDays[when.day_of_week % 7]);
    out += buf;
  }
  out += "TZOFFSETFROM:" + Offset(from) + "\r\nTZOFFSETTO:" + Offset(to) + "\r\n";
  return out + "END:" + kind + "\r\n";
}

}  // namespace

TimeZoneInfo ZoneInfoForYear(icaltimezone* zone, int year, const std::string& name) {
  TimeZoneInfo info;
  info.standard_name = info.daylight_name = name;
  const int64_t first = DaysFromCivil({year, 1, 1}) * kDay;
  const int64_t last = DaysFromCivil({year + 1, 1, 1}) * kDay;

  // Daily samples find the days with a change; a binary search finds the
  // minute (zones change on whole minutes, at most once a day).
  std::vector<Transition> changes;
  int standard = 0, daylight_flag = 0;
  bool have_standard = false;
  int prev_dst = 0;
  int prev = OffsetAt(zone, first, &prev_dst);
  for (int64_t t = first; t < last; t += kDay) {
    int dst = 0;
    int now = OffsetAt(zone, t + kDay, &dst);
    if (!have_standard && !prev_dst) {
      standard = prev;
      have_standard = true;
    }
    if (now != prev) {
      int64_t lo = t, hi = t + kDay;  // offset(lo) == prev, offset(hi) == now
      while (hi - lo > 60) {
        int64_t mid = lo + (hi - lo) / 120 * 60;
        if (mid == lo) mid += 60;
        (OffsetAt(zone, mid, &daylight_flag) == prev ? lo : hi) = mid;
      }
      changes.push_back({hi, prev, now, dst != 0 || (dst == prev_dst && now > prev)});
    }
    prev = now;
    prev_dst = dst;
  }
  if (!have_standard) standard = prev;

  const Transition* to_daylight = nullptr;
  const Transition* to_standard = nullptr;
  for (const Transition& c : changes) {
    if (c.to_daylight && to_daylight == nullptr) to_daylight = &c;
    if (!c.to_daylight && to_standard == nullptr) to_standard = &c;
  }
  if (to_daylight == nullptr || to_standard == nullptr) {
    info.bias = -prev / 60;  // one offset (or a permanent change): the year's last
    return info;
  }
  info.bias = -standard / 60;
  info.daylight_bias = -(to_daylight->after - standard) / 60;
  info.daylight_date = RuleTime(to_daylight->at + to_daylight->before);
  info.standard_date = RuleTime(to_standard->at + to_standard->before);
  return info;
}

ZonePtr ZoneFromInfo(const TimeZoneInfo& info, const std::string& tzid) {
  InitLibical();
  std::string text = "BEGIN:VTIMEZONE\r\nTZID:" + tzid + "\r\n";
  const int standard = info.StandardOffset();
  if (info.HasDaylight()) {
    const int daylight = info.DaylightOffset();
    text += Observance("STANDARD", info.standard_date, daylight, standard);
    text += Observance("DAYLIGHT", info.daylight_date, standard, daylight);
  } else {
    text += Observance("STANDARD", SystemTime{}, standard, standard);
  }
  text += "END:VTIMEZONE\r\n";
  ComponentPtr component = ParseComponent(text);
  if (!component) return nullptr;
  ZonePtr zone(icaltimezone_new());
  if (!zone || !icaltimezone_set_component(zone.get(), component.get())) return nullptr;
  component.release();  // the zone owns it now
  return zone;
}

icaltimezone* BuiltinZone(const std::string& olson) {
  InitLibical();
  if (olson == "UTC" || olson == "Etc/UTC" || olson == "GMT" || olson == "Etc/GMT" ||
      olson == "Z") {
    return icaltimezone_get_utc_timezone();
  }
  if (olson.empty() || olson[0] == '/') return nullptr;
  return icaltimezone_get_builtin_timezone(olson.c_str());
}

std::string OlsonName(std::string_view tzid) {
  for (size_t from = 0; from < tzid.size();) {
    std::string candidate(tzid.substr(from));
    if (BuiltinZone(candidate) != nullptr) return candidate;
    size_t slash = tzid.find('/', from + 1);
    if (slash == std::string_view::npos) break;
    from = slash + 1;
  }
  return {};
}

int64_t ToUnix(icaltimetype local, icaltimezone* zone) {
  local.zone = nullptr;
  return static_cast<int64_t>(icaltime_as_timet_with_zone(local, zone));
}

icaltimetype FromUnix(int64_t t, icaltimezone* zone, bool is_date) {
  icaltimetype tt = icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, zone);
  if (is_date) {
    tt.is_date = 1;
    tt.hour = tt.minute = tt.second = 0;
  }
  tt.zone = nullptr;
  return tt;
}

}  // namespace eas::core::convert
