#include "core/convert/ical_recurrence.hpp"

#include <cstdio>
#include <tuple>
#include <vector>

#include "core/convert/eas_time.hpp"
#include "core/convert/element_util.hpp"
#include "core/convert/ical_zone.hpp"
#include "core/convert/tags.hpp"

namespace eas::core::convert {
namespace {

namespace cal = tags::calendar;

enum Type { kDaily = 0, kWeekly = 1, kMonthly = 2, kMonthlyNth = 3, kYearly = 5, kYearlyNth = 6 };
const char* kDayNames[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

std::vector<short> Values(const short* array, size_t size) {
  std::vector<short> out;
  for (size_t i = 0; i < size && array[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) out.push_back(array[i]);
  return out;
}

// EAS bit of a libical weekday (ICAL_SUNDAY_WEEKDAY = 1 ... SATURDAY = 7).
int DayBit(int ical_weekday) { return 1 << (ical_weekday - 1); }

// WeekOfMonth from an iCalendar position: 1..4, -1 (last) → 5.
int WeekOfMonth(int position) {
  if (position >= 1 && position <= 4) return position;
  return position == -1 ? 5 : 0;
}

Status Unsupported(const std::string& what) {
  return Status::Invalid("RRULE " + what + " has no ActiveSync form");
}

}  // namespace

Result<RecurrencePattern> PatternFromRule(const icalrecurrencetype& rule, icaltimetype start,
                                          icaltimezone* zone) {
  if (rule.rscale != nullptr) return Unsupported("RSCALE");
  for (const auto& [array, size, name] :
       {std::tuple{rule.by_second, ICAL_BY_SECOND_SIZE, "BYSECOND"},
        std::tuple{rule.by_minute, ICAL_BY_MINUTE_SIZE, "BYMINUTE"},
        std::tuple{rule.by_hour, ICAL_BY_HOUR_SIZE, "BYHOUR"},
        std::tuple{rule.by_year_day, ICAL_BY_YEARDAY_SIZE, "BYYEARDAY"},
        std::tuple{rule.by_week_no, ICAL_BY_WEEKNO_SIZE, "BYWEEKNO"}}) {
    if (!Values(array, size).empty()) return Unsupported(name);
  }
  const auto days = Values(rule.by_day, ICAL_BY_DAY_SIZE);
  const auto month_days = Values(rule.by_month_day, ICAL_BY_MONTHDAY_SIZE);
  const auto months = Values(rule.by_month, ICAL_BY_MONTH_SIZE);
  const auto set_pos = Values(rule.by_set_pos, ICAL_BY_SETPOS_SIZE);
  if (month_days.size() > 1) return Unsupported("with several BYMONTHDAY values");
  if (months.size() > 1) return Unsupported("with several BYMONTH values");
  if (set_pos.size() > 1) return Unsupported("with several BYSETPOS values");

  // The weekday mask and the one position all BYDAY entries share.
  int mask = 0;
  int position = 0;
  for (size_t i = 0; i < days.size(); ++i) {
    int p = icalrecurrencetype_day_position(days[i]);
    if (i > 0 && p != position) return Unsupported("with BYDAY entries of different positions");
    position = p;
    mask |= DayBit(icalrecurrencetype_day_day_of_week(days[i]));
  }
  if (!set_pos.empty()) {
    if (position != 0 || days.empty()) return Unsupported("BYSETPOS without plain BYDAY");
    position = set_pos[0];
  }
  const int start_weekday = Weekday({start.year, start.month, start.day});
  int interval = rule.interval > 0 ? rule.interval : 1;
  if (interval > 999) return Unsupported("INTERVAL above 999");

  int type = 0;
  int day_of_month = 0, week_of_month = 0, month_of_year = 0;
  switch (rule.freq) {
    case ICAL_DAILY_RECURRENCE:
      if (!month_days.empty() || !months.empty() || position != 0) {
        return Unsupported("FREQ=DAILY with BYMONTH, BYMONTHDAY or positions");
      }
      // Every weekday: EAS has it only as a weekly rule.
      if (mask != 0 && interval != 1) return Unsupported("FREQ=DAILY;BYDAY with INTERVAL");
      type = mask != 0 ? kWeekly : kDaily;
      break;
    case ICAL_WEEKLY_RECURRENCE:
      if (!month_days.empty() || !months.empty() || position != 0) {
        return Unsupported("FREQ=WEEKLY with BYMONTH, BYMONTHDAY or positions");
      }
      type = kWeekly;
      if (mask == 0) mask = 1 << start_weekday;
      break;
    case ICAL_MONTHLY_RECURRENCE:
    case ICAL_YEARLY_RECURRENCE: {
      bool yearly = rule.freq == ICAL_YEARLY_RECURRENCE;
      if (!yearly && !months.empty()) return Unsupported("FREQ=MONTHLY with BYMONTH");
      month_of_year = months.empty() ? start.month : icalrecurrencetype_month_month(months[0]);
      if (mask != 0) {  // the nth weekday (or set of weekdays)
        if (!month_days.empty()) return Unsupported("with both BYDAY and BYMONTHDAY");
        week_of_month = WeekOfMonth(position);
        if (week_of_month == 0) return Unsupported("position " + std::to_string(position));
        type = yearly ? kYearlyNth : kMonthlyNth;
      } else if (!month_days.empty() && month_days[0] == -1 && !yearly) {
        type = kMonthlyNth;  // the last day of the month
        mask = 127;
        week_of_month = 5;
      } else {
        day_of_month = month_days.empty() ? start.day : month_days[0];
        if (day_of_month < 1) return Unsupported("BYMONTHDAY=" + std::to_string(day_of_month));
        type = yearly ? kYearly : kMonthly;
      }
      break;
    }
    default:
      return Unsupported("FREQ=" + std::string(icalrecur_freq_to_string(rule.freq)));
  }

  RecurrencePattern p;
  p.type = type;
  p.interval = interval;
  if (rule.count > 0) {
    p.occurrences = rule.count;
  } else if (!icaltime_is_null_time(rule.until)) {
    icaltimetype until = rule.until;
    icaltimezone* until_zone = icaltime_is_utc(until) ? icaltimezone_get_utc_timezone() : zone;
    if (until.is_date) {  // the last day: its occurrence starts at DTSTART's time
      until.is_date = 0;
      until.hour = start.hour;
      until.minute = start.minute;
      until.second = start.second;
    }
    p.until = ToUnix(until, until_zone);
  }
  p.day_of_week = mask;
  p.day_of_month = day_of_month;
  p.week_of_month = week_of_month;
  if (p.Yearly()) p.month_of_year = month_of_year;
  // libical: ICAL_SUNDAY_WEEKDAY = 1 ... SATURDAY = 7; none given is Monday.
  if (rule.week_start >= ICAL_SUNDAY_WEEKDAY && rule.week_start <= ICAL_SATURDAY_WEEKDAY) {
    p.first_day_of_week = rule.week_start - ICAL_SUNDAY_WEEKDAY;
  }
  return p;
}

wbxml::Element CalendarRecurrence(const RecurrencePattern& p) {
  wbxml::Element r = Node(cal::kRecurrence);
  AddText(r, cal::kRecurrenceType, std::to_string(p.type));
  AddText(r, cal::kRecurrenceInterval, std::to_string(p.interval));
  if (p.occurrences > 0) {
    AddText(r, cal::kRecurrenceOccurrences, std::to_string(p.occurrences));
  } else if (p.until != 0) {
    AddText(r, cal::kRecurrenceUntil, CompactUtc(p.until));
  }
  if (p.day_of_week != 0) AddText(r, cal::kRecurrenceDayOfWeek, std::to_string(p.day_of_week));
  if (p.day_of_month != 0) AddText(r, cal::kRecurrenceDayOfMonth, std::to_string(p.day_of_month));
  if (p.week_of_month != 0) {
    AddText(r, cal::kRecurrenceWeekOfMonth, std::to_string(p.week_of_month));
  }
  if (p.Yearly()) AddText(r, cal::kRecurrenceMonthOfYear, std::to_string(p.month_of_year));
  return r;
}

Result<wbxml::Element> RecurrenceFromRule(const icalrecurrencetype& rule, icaltimetype start,
                                          icaltimezone* zone) {
  auto pattern = PatternFromRule(rule, start, zone);
  if (!pattern.ok()) return pattern.status();
  return CalendarRecurrence(*pattern);
}

namespace {

int Number(const wbxml::Element& r, wbxml::Tag t) {
  std::string_view text = r.ChildText(t);
  int v = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9' || v > 100000) return -1;
    v = v * 10 + (ch - '0');
  }
  return text.empty() ? 0 : v;
}

std::string DayList(int mask) {
  std::string out;
  for (int d = 0; d < 7; ++d) {
    if (mask & (1 << d)) out += std::string(out.empty() ? "" : ",") + kDayNames[d];
  }
  return out;
}

// BYDAY for "the nth (or last) of these weekdays".
std::string NthDays(int week_of_month, int mask) {
  int n = week_of_month == 5 ? -1 : week_of_month;
  if ((mask & (mask - 1)) == 0) return "BYDAY=" + std::to_string(n) + DayList(mask);
  return "BYDAY=" + DayList(mask) + ";BYSETPOS=" + std::to_string(n);
}

}  // namespace

Result<std::string> RuleFromRecurrence(const wbxml::Element& r, icaltimezone* zone,
                                       bool all_day) {
  const int type = Number(r, cal::kRecurrenceType);
  const int interval = Number(r, cal::kRecurrenceInterval);
  const int mask = Number(r, cal::kRecurrenceDayOfWeek) & 127;
  const int day = Number(r, cal::kRecurrenceDayOfMonth);
  const int week = Number(r, cal::kRecurrenceWeekOfMonth);
  const int month = Number(r, cal::kRecurrenceMonthOfYear);
  const int count = Number(r, cal::kRecurrenceOccurrences);
  if (!r.Has(cal::kRecurrenceType) || type < 0 || interval < 0 || day < 0 || week < 0 ||
      week > 5 || month < 0 || month > 12 || count < 0) {
    return Status::Invalid("unreadable Recurrence");
  }
  std::string rule;
  switch (type) {
    case kDaily:
      rule = mask != 0 ? "FREQ=WEEKLY;BYDAY=" + DayList(mask) : "FREQ=DAILY";
      break;
    case kWeekly:
      if (mask == 0) return Status::Invalid("weekly Recurrence without DayOfWeek");
      rule = "FREQ=WEEKLY;BYDAY=" + DayList(mask);
      break;
    case kMonthly:
      if (day == 0) return Status::Invalid("monthly Recurrence without DayOfMonth");
      rule = "FREQ=MONTHLY;BYMONTHDAY=" + std::to_string(day);
      break;
    case kMonthlyNth:
      if (mask == 0 || week == 0) return Status::Invalid("monthly Recurrence without its day");
      rule = mask == 127 && week == 5 ? "FREQ=MONTHLY;BYMONTHDAY=-1"
                                      : "FREQ=MONTHLY;" + NthDays(week, mask);
      break;
    case kYearly:
      if (day == 0 || month == 0) return Status::Invalid("yearly Recurrence without its date");
      rule = "FREQ=YEARLY;BYMONTH=" + std::to_string(month) + ";BYMONTHDAY=" + std::to_string(day);
      break;
    case kYearlyNth:
      if (mask == 0 || week == 0 || month == 0) {
        return Status::Invalid("yearly Recurrence without its day");
      }
      rule = "FREQ=YEARLY;BYMONTH=" + std::to_string(month) + ";" + NthDays(week, mask);
      break;
    default:
      return Status::Invalid("Recurrence Type " + std::to_string(type) + " is not supported");
  }
  if (interval > 1) rule += ";INTERVAL=" + std::to_string(interval);
  if (count > 0) {
    rule += ";COUNT=" + std::to_string(count);
  } else if (auto until = ParseEasTime(r.ChildText(cal::kRecurrenceUntil))) {
    if (all_day) {
      icaltimetype date = FromUnix(*until, zone, true);
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d%02d%02d", date.year, date.month, date.day);
      rule += ";UNTIL=" + std::string(buf);
    } else {
      rule += ";UNTIL=" + CompactUtc(*until);
    }
  }
  return rule;
}

}  // namespace eas::core::convert
