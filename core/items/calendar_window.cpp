#include "core/items/calendar_window.hpp"

#include <charconv>

#include "core/items/item_data.hpp"
#include "core/wbxml/tag.hpp"

namespace eas::core::items {
namespace {

// "20261124T101500Z" (EAS compact UTC) → unix seconds; 0 when unreadable.
uint64_t ParseCompactUtc(std::string_view t) {
  if (t.size() < 16 || t[8] != 'T') return 0;
  auto num = [&](size_t at, size_t len) {
    int v = 0;
    std::from_chars(t.data() + at, t.data() + at + len, v);
    return v;
  };
  int y = num(0, 4), m = num(4, 2), d = num(6, 2);
  // days from civil (Howard Hinnant's algorithm)
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 +
                 static_cast<unsigned>(d) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = int64_t{era} * 146097 + static_cast<int64_t>(doe) - 719468;
  int64_t secs = days * 86400 + num(9, 2) * 3600 + num(11, 2) * 60 + num(13, 2);
  return secs > 0 ? static_cast<uint64_t>(secs) : 0;
}

}  // namespace

uint64_t CalendarFilterSeconds(int filter_type) {
  constexpr uint64_t kDay = 86400;
  switch (filter_type) {
    case 4: return 14 * kDay;
    case 5: return 31 * kDay;
    case 6: return 92 * kDay;
    case 7: return 183 * kDay;
    default: return 0;
  }
}

bool EndedBefore(std::string_view item_data, uint64_t cutoff) {
  static const wbxml::Tag kEndTime = wbxml::TagNamed(wbxml::Page::kCalendar, "EndTime");
  static const wbxml::Tag kRecurrence = wbxml::TagNamed(wbxml::Page::kCalendar, "Recurrence");
  auto app = DecodeItemData(item_data);
  if (!app.ok() || app->Has(kRecurrence)) return false;
  uint64_t end = ParseCompactUtc(app->ChildText(kEndTime));
  return end != 0 && end < cutoff;
}

}  // namespace eas::core::items
