#include "core/convert/eas_time.hpp"

#include <cstdio>

namespace eas::core::convert {
namespace {

constexpr int64_t kDay = 86400;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Reads exactly `n` digits at text[*pos]; advances *pos.
bool Digits(std::string_view text, size_t* pos, size_t n, int* out) {
  if (*pos + n > text.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Skip(std::string_view text, size_t* pos, char c) {
  if (*pos < text.size() && text[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

}  // namespace

int64_t DaysFromCivil(const CivilDate& date) {
  int64_t y = date.year - (date.month <= 2);
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t mp = (date.month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = FloorDiv(days, 146097);
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  CivilDate d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2));
  return d;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[(month - 1) % 12];
}

int Weekday(const CivilDate& date) {
  int64_t w = (DaysFromCivil(date) + 4) % 7;  // 1970-01-01 was a Thursday
  return static_cast<int>(w < 0 ? w + 7 : w);
}

namespace {

struct Split {
  CivilDate date;
  int hour, minute, second;
};

Split SplitTime(int64_t t) {
  int64_t days = FloorDiv(t, kDay);
  int64_t secs = t - days * kDay;
  return {CivilFromDays(days), static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
          static_cast<int>(secs % 60)};
}

}  // namespace

std::string CompactUtc(int64_t t) {
  Split s = SplitTime(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", s.date.year, s.date.month,
                s.date.day, s.hour, s.minute, s.second);
  return buf;
}

std::string ExtendedUtc(int64_t t) {
  Split s = SplitTime(t);
  if (s.date.year < 0 || s.date.year > 9999) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", s.date.year,
                  s.date.month, s.date.day, s.hour, s.minute, s.second);
    return buf;
  }
  // By hand: every mail item in a Sync carries one, and snprintf was a
  // few percent of an initial sync's CPU.
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](size_t at, int v, int digits) {
    for (size_t i = at + digits; i-- > at; v /= 10) out[i] = static_cast<char>('0' + v % 10);
  };
  put(0, s.date.year, 4);
  put(5, s.date.month, 2);
  put(8, s.date.day, 2);
  put(11, s.hour, 2);
  put(14, s.minute, 2);
  put(17, s.second, 2);
  return out;
}

std::optional<int64_t> ParseEasTime(std::string_view text) {
  size_t pos = 0;
  CivilDate d;
  int hour = 0, minute = 0, second = 0;
  if (!Digits(text, &pos, 4, &d.year)) return std::nullopt;
  bool extended = Skip(text, &pos, '-');
  if (!Digits(text, &pos, 2, &d.month)) return std::nullopt;
  if (extended && !Skip(text, &pos, '-')) return std::nullopt;
  if (!Digits(text, &pos, 2, &d.day)) return std::nullopt;
  if (Skip(text, &pos, 'T')) {
    if (!Digits(text, &pos, 2, &hour)) return std::nullopt;
    if (extended && !Skip(text, &pos, ':')) return std::nullopt;
    if (!Digits(text, &pos, 2, &minute)) return std::nullopt;
    if (extended && !Skip(text, &pos, ':')) return std::nullopt;
    if (!Digits(text, &pos, 2, &second)) return std::nullopt;
    if (Skip(text, &pos, '.')) {
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    }
  }
  Skip(text, &pos, 'Z');
  if (pos != text.size()) return std::nullopt;
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month) ||
      hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  return DaysFromCivil(d) * kDay + hour * 3600 + minute * 60 + second;
}

}  // namespace eas::core::convert
