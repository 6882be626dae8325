// Pieces of the iCalendar export (private to core/convert): the zones the
// events are written in, and one event item to its VEVENTs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/convert/ical_handles.hpp"
#include "core/convert/timezone_blob.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::convert {

class ExportZones {
 public:
  struct Zone {
    icaltimezone* zone = nullptr;  // null: UTC, times written with Z
    std::string tzid;
  };

  // The zone for an event whose TimeZone blob is `info` in `year`: UTC for
  // an offset-0 blob without DST; libical's Olson zone when the blob is
  // named after one whose rules it follows that year; else a zone made
  // from the blob (TZID its name, made unique).
  Zone For(const TimeZoneInfo& info, int year);

  // Copies of the VTIMEZONEs of the zones handed out, in first-use order.
  std::vector<ComponentPtr> Components() const;

  // A DATE cannot carry a TZID, so the zone of the all-day events goes
  // into the calendar's X-WR-TIMEZONE: the first one not in UTC wins.
  void NoteAllDay(const Zone& zone) {
    if (all_day_tzid_.empty() && zone.zone != nullptr) all_day_tzid_ = zone.tzid;
  }
  const std::string& AllDayTzid() const { return all_day_tzid_; }

 private:
  struct Entry {
    TimeZoneInfo info;
    std::string tzid;
    icaltimezone* zone = nullptr;  // builtin: libical's; else own.get()
    ZonePtr own;
    int first_year = 0;  // of the earliest event written in it
  };
  std::vector<Entry> entries_;
  std::string all_day_tzid_;
};

// One VCALENDAR (VERSION, PRODID, CALSCALE, METHOD unless NONE,
// X-WR-TIMEZONE for the all-day events) holding `zones`' VTIMEZONEs, then
// `events`, which it takes.
ComponentPtr AssembleCalendar(const ExportZones& zones, std::vector<ComponentPtr>& events,
                              const char* prodid, icalproperty_method method = ICAL_METHOD_NONE);

// Appends the VEVENT of one Calendar item, then one per modified
// exception (RECURRENCE-ID); deleted exceptions become EXDATEs.
Status EventToICal(const wbxml::Element& application_data, std::string_view fallback_uid,
                   ExportZones* zones, std::vector<ComponentPtr>* events);

}  // namespace eas::core::convert
