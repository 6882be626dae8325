#include "core/convert/event_occurrences.hpp"

#include <charconv>
#include <cstring>
#include <set>

#include "core/convert/eas_time.hpp"
#include "core/convert/ical_export.hpp"
#include "core/convert/icalendar.hpp"
#include "core/convert/tags.hpp"

namespace eas::core::convert {
namespace {

namespace cal = tags::calendar;

int NumberOr(const wbxml::Element& e, wbxml::Tag tag, int fallback) {
  std::string_view text = e.ChildText(tag);
  int v = fallback;
  if (!text.empty()) std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

// The BusyStatus the export wrote into a VEVENT, or `fallback`.
int BusyOf(icalcomponent* event, int fallback) {
  static const char* kNames[] = {"FREE", "TENTATIVE", "BUSY", "OOF", "WORKINGELSEWHERE"};
  for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_X_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(event, ICAL_X_PROPERTY)) {
    const char* name = icalproperty_get_x_name(p);
    const char* value = icalproperty_get_x(p);
    if (name == nullptr || value == nullptr || strcmp(name, "X-MICROSOFT-CDO-BUSYSTATUS") != 0) continue;
    for (int i = 0; i < 5; ++i) {
      if (strcmp(value, kNames[i]) == 0) return i;
    }
  }
  return fallback;
}

struct Expansion {
  const std::set<int64_t>* changed;  // starts of the instances changed by exceptions
  int busy;
  int64_t shift;  // all-day: from the DATE read as UTC to the stored start
  // Every instance lasts as long as the series' own event: libical's spans
  // of DATE-valued events end a day late.
  int64_t duration;
  std::vector<Occurrence>* out;
};

void OnInstance(icalcomponent*, icaltime_span* span, void* data) {
  auto* x = static_cast<Expansion*>(data);
  int64_t start = static_cast<int64_t>(span->start) + x->shift;
  if (x->changed->count(start) != 0) return;  // the exception stands for it
  x->out->push_back({start, start + x->duration, x->busy});
}

bool Overlaps(int64_t start, int64_t end, int64_t from, int64_t to) {
  return start < to && (end > from || (end == start && start >= from));
}

}  // namespace

Result<std::vector<Occurrence>> EventOccurrences(const wbxml::Element& app, int64_t from,
                                                 int64_t to) {
  std::vector<Occurrence> out;
  const int meeting_status = NumberOr(app, cal::kMeetingStatus, 0);
  if (meeting_status == 5 || meeting_status == 7) return out;
  const int busy = NumberOr(app, cal::kBusyStatus, 2);
  auto start = ParseEasTime(app.ChildText(cal::kStartTime));
  auto end = ParseEasTime(app.ChildText(cal::kEndTime));
  if (!start) return out;  // no time: never busy
  if (!end || *end < *start) end = start;

  if (!app.Has(cal::kRecurrence)) {
    if (Overlaps(*start, *end, from, to)) out.push_back({*start, *end, busy});
    return out;
  }

  InitLibical();
  ExportZones zones;
  std::vector<ComponentPtr> events;
  Status s = EventToICal(app, "occurrences", &zones, &events);
  if (!s.ok()) return s;
  ComponentPtr calendar = AssembleCalendar(zones, events, "-//eas for nginx//free-busy//EN");

  icalcomponent* master = nullptr;
  std::vector<icalcomponent*> exceptions;
  for (icalcomponent* e = icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
       e != nullptr; e = icalcomponent_get_next_component(calendar.get(), ICAL_VEVENT_COMPONENT)) {
    if (icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY) == nullptr) {
      master = e;
    } else {
      exceptions.push_back(e);
    }
  }
  if (master == nullptr) return out;

  // An all-day series is written with DATEs, which are read here as UTC
  // midnights; the stored StartTime is the user's local midnight in UTC.
  icaltimezone* utc = icaltimezone_get_utc_timezone();
  auto seconds = [utc](icaltimetype t) {
    return static_cast<int64_t>(icaltime_as_timet_with_zone(t, t.is_date || t.zone == nullptr ? utc : t.zone));
  };
  icaltimetype dtstart = icalcomponent_get_dtstart(master);
  const int64_t shift = dtstart.is_date ? *start - seconds(dtstart) : 0;

  // Changed instances: where each is now, and which instance it replaces.
  std::set<int64_t> changed;
  for (icalcomponent* e : exceptions) {
    icaltimetype rid = icalcomponent_get_recurrenceid(e);
    changed.insert(seconds(rid) + (rid.is_date ? shift : 0));
    icaltimetype s0 = icalcomponent_get_dtstart(e), e0 = icalcomponent_get_dtend(e);
    int64_t a = seconds(s0) + (s0.is_date ? shift : 0);
    int64_t b = icaltime_is_null_time(e0) ? a : seconds(e0) + (e0.is_date ? shift : 0);
    if (Overlaps(a, b, from, to)) out.push_back({a, b, BusyOf(e, busy)});
  }

  // Look a day further on each side: an instance that began before `from`
  // may still last into it, and the all-day shift moves instances by hours.
  constexpr int64_t kDay = 86400;
  icaltimetype window_start = icaltime_from_timet_with_zone(static_cast<time_t>(from - kDay), 0, utc);
  icaltimetype window_end = icaltime_from_timet_with_zone(static_cast<time_t>(to + kDay), 0, utc);
  std::vector<Occurrence> instances;
  Expansion x{&changed, busy, shift, *end - *start, &instances};
  icalcomponent_foreach_recurrence(master, window_start, window_end, OnInstance, &x);
  for (const Occurrence& o : instances) {
    if (Overlaps(o.start, o.end, from, to)) out.push_back(o);
  }
  return out;
}

}  // namespace eas::core::convert
