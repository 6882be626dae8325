#include "core/items/event_shapes.hpp"

#include <string>

#include "core/convert/eas_time.hpp"
#include "core/convert/timezone_blob.hpp"
#include "core/wbxml/tag.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::items {
namespace {

using wbxml::Element;
using wbxml::Page;
using wbxml::Tag;
namespace base = wbxml::tags::base;

constexpr int kVersion16 = 160;

struct Tags {
  Tag location = wbxml::TagNamed(Page::kCalendar, "Location");
  Tag exceptions = wbxml::TagNamed(Page::kCalendar, "Exceptions");
  Tag exception = wbxml::TagNamed(Page::kCalendar, "Exception");
  Tag start = wbxml::TagNamed(Page::kCalendar, "Exception_StartTime");
  Tag time_zone = wbxml::TagNamed(Page::kCalendar, "TimeZone");
  Tag all_day = wbxml::TagNamed(Page::kCalendar, "AllDayEvent");
  Tag start_time = wbxml::TagNamed(Page::kCalendar, "StartTime");
  Tag end_time = wbxml::TagNamed(Page::kCalendar, "EndTime");
  Tag recurrence = wbxml::TagNamed(Page::kCalendar, "Recurrence");
  Tag type = wbxml::TagNamed(Page::kCalendar, "Recurrence_Type");
  Tag day_of_week = wbxml::TagNamed(Page::kCalendar, "Recurrence_DayOfWeek");
  Tag day_of_month = wbxml::TagNamed(Page::kCalendar, "Recurrence_DayOfMonth");
  Tag week_of_month = wbxml::TagNamed(Page::kCalendar, "Recurrence_WeekOfMonth");
  Tag month_of_year = wbxml::TagNamed(Page::kCalendar, "Recurrence_MonthOfYear");
};

const Tags& T() {
  static const Tags tags;
  return tags;
}

Element Leaf(Tag tag, std::string_view text) { return Element{tag, std::string(text), false, {}}; }

void Drop(Element& e, Tag tag) {
  std::erase_if(e.children, [&](const Element& c) { return c.tag == tag; });
}

// Calls `f` on every exception of an event.
template <class F>
void ForEachException(Element& event, const F& f) {
  for (Element& c : event.children) {
    if (!(c.tag == T().exceptions)) continue;
    for (Element& x : c.children) {
      if (x.tag == T().exception) f(x);
    }
  }
}

void StoreLocation(Element& e) {
  const Element* rich = e.Child(base::kLocation);
  if (rich != nullptr && !e.Has(T().location)) {
    e.children.push_back(Leaf(T().location, rich->ChildText(base::kDisplayName)));
  }
}

// Up to 14.1: calendar:Location only; from 16.0: airsyncbase:Location only.
void ShapeLocation(Element& e, bool v16) {
  if (!v16) {
    Drop(e, base::kLocation);
    return;
  }
  const Element* plain = e.Child(T().location);
  if (plain != nullptr && !e.Has(base::kLocation)) {
    Element rich{base::kLocation, "", false, {Leaf(base::kDisplayName, plain->text)}};
    e.children.push_back(std::move(rich));
  }
  Drop(e, T().location);
}

// MS-ASCAL 2.2.2.1: from 16.0 an all-day event comes without TimeZone and
// its dates are read "regardless of the time zone used"; up to 14.1 its
// times are the local midnights of TimeZone. Each time becomes the
// midnight (UTC) of its local date: its offset in the stored zone
// (standard time; an hour of daylight saving cannot move a midnight past
// noon) and rounded to the nearest day.
constexpr int64_t kDay = 86400;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

// Adds `seconds` to the StartTime and EndTime of `e`, then (`to_date`)
// rounds them to the nearest midnight.
void MoveTimes(Element& e, int64_t seconds, bool to_date) {
  for (Element& c : e.children) {
    if (!(c.tag == T().start_time || c.tag == T().end_time)) continue;
    std::optional<int64_t> t = convert::ParseEasTime(c.text);
    if (!t) continue;
    int64_t moved = *t + seconds;
    if (to_date) moved = FloorDiv(moved + kDay / 2, kDay) * kDay;
    c.text = convert::CompactUtc(moved);
  }
}

void ShapeAllDay(Element& e, int offset_minutes) { MoveTimes(e, int64_t{offset_minutes} * 60, true); }

int ZoneOffset(const Element& event) {
  auto zone = convert::DecodeTimeZone(event.ChildText(T().time_zone));
  return zone ? zone->StandardOffset() : 0;
}

void ShapeAllDayFor16(Element& event) {
  const bool series_all_day = event.ChildText(T().all_day) == "1";
  const int offset = ZoneOffset(event);
  if (series_all_day) {
    ShapeAllDay(event, offset);
    Drop(event, T().time_zone);
  }
  ForEachException(event, [&](Element& x) {
    std::string_view own = x.ChildText(T().all_day);
    if (own == "1" || (own.empty() && series_all_day)) ShapeAllDay(x, offset);
  });
}

// Up to 14.1 an all-day event's times are midnights of its TimeZone. One
// a 16.x client wrote has none (its dates are UTC midnights): the reader
// gets UTC's zone with it, which keeps those dates.
void ShapeAllDayBefore16(Element& event) {
  if (event.ChildText(T().all_day) != "1" || event.Has(T().time_zone)) return;
  static const std::string utc = convert::EncodeTimeZone(convert::TimeZoneInfo{});
  event.children.insert(event.children.begin(), Leaf(T().time_zone, utc));
}

// MS-ASCAL 2.2.2.45: Recurrence Type is required up to 14.1, optional
// from 16.0. A 16.x client that leaves it out still gives the pattern by
// the other elements, each of which only some types carry (DayOfMonth 2
// and 5, WeekOfMonth 3 and 6, MonthOfYear 5 and 6, DayOfWeek 0, 1, 3 and
// 6: MS-ASCAL 2.2.2.14, 2.2.2.48, MonthOfYear, 2.2.2.15): the type is the
// one they fit, weekly for days of the week alone (daily on those days is
// the same series).
int RecurrenceTypeOf(const Element& r) {
  const bool nth = r.Has(T().week_of_month);
  if (r.Has(T().month_of_year)) return nth ? 6 : 5;
  if (nth) return 3;
  if (r.Has(T().day_of_month)) return 2;
  return r.Has(T().day_of_week) ? 1 : 0;
}

void FillRecurrenceType(Element& event) {
  for (Element& r : event.children) {
    if (!(r.tag == T().recurrence) || r.Has(T().type)) continue;
    r.children.insert(r.children.begin(), Leaf(T().type, std::to_string(RecurrenceTypeOf(r))));
  }
}

}  // namespace

void StoreEventShapes(Element& event) {
  StoreLocation(event);
  FillRecurrenceType(event);
  ForEachException(event, [](Element& x) {
    StoreLocation(x);
    std::string_view instance = x.ChildText(base::kInstanceId);
    if (!instance.empty() && !x.Has(T().start)) x.children.push_back(Leaf(T().start, instance));
  });
}

void StoreAllDayFrom16(Element& change, const Element& stored) {
  std::string_view all_day = change.ChildText(T().all_day);
  if (all_day.empty()) all_day = stored.ChildText(T().all_day);
  if (all_day != "1" || change.Has(T().time_zone) || !stored.Has(T().time_zone)) return;
  MoveTimes(change, -int64_t{ZoneOffset(stored)} * 60, false);
}

void ShapeEventFor(Element& event, int version) {
  const bool v16 = version >= kVersion16;
  ShapeLocation(event, v16);
  FillRecurrenceType(event);  // one stored before Type was filled in
  if (v16) {
    ShapeAllDayFor16(event);
  } else {
    ShapeAllDayBefore16(event);
  }
  ForEachException(event, [&](Element& x) {
    ShapeLocation(x, v16);
    if (v16) {
      std::string_view start = x.ChildText(T().start);
      if (!start.empty() && !x.Has(base::kInstanceId)) {
        x.children.push_back(Leaf(base::kInstanceId, start));
      }
      Drop(x, T().start);
    } else {
      Drop(x, base::kInstanceId);
    }
  });
}

}  // namespace eas::core::items
