// One VEVENT read into EAS terms (private to core/convert), so a master
// and its overrides can be compared field by field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/convert/ical_import.hpp"

namespace eas::core::convert {

// An instant with the zone it was written in.
struct When {
  int64_t utc = 0;
  icaltimetype local{};  // wall-clock time (or date) in `zone`
  NamedZone zone;
};

struct Attendee {
  std::string email, name;
  int status = -1;  // AttendeeStatus; -1: no PARTSTAT given
  int type = 1;     // AttendeeType: 1 required, 2 optional, 3 resource
  bool rsvp = false;  // RSVP=TRUE: the organizer asks this attendee to answer
  bool operator==(const Attendee&) const = default;
};

struct EventFields {
  When start;
  int64_t end = 0;
  bool all_day = false;
  std::string uid, summary, location, description, organizer_email, organizer_name;
  std::vector<Attendee> attendees;
  std::vector<std::string> categories;
  std::optional<int> reminder;     // minutes before the start
  std::optional<int> sensitivity;  // only when CLASS says so
  int busy_status = 2;             // busy unless TRANSP or the CDO property says
  std::optional<int64_t> dtstamp;
  bool cancelled = false;
  int sequence = 0;  // SEQUENCE: which revision of the meeting this is
};

// Outlook's busy words (X-MICROSOFT-CDO-BUSYSTATUS and -INTENDEDSTATUS:
// FREE, TENTATIVE, BUSY, OOF, WORKINGELSEWHERE) as BusyStatus; busy if unknown.
int BusyFromCdo(const std::string& word);
// The value of the component's first X- property `name` (any case), "" if none.
std::string XPropertyValue(icalcomponent* c, const char* name);

// The TimeZone blob (base64 TIME_ZONE_INFORMATION) of the zone `start` was
// written in, with that zone's rules in the start's year.
std::string ZoneBlobOf(const When& start);

class EventReader {
 public:
  EventReader(const EventImportContext& context, std::vector<std::string>* warnings)
      : context_(context), warnings_(warnings) {}

  // kInvalidArgument when the VEVENT has no usable DTSTART.
  Result<EventFields> Read(icalcomponent* vevent);

  // The time value `t` of property `p` in the zone its TZID names; DATEs
  // and floating times are in the default zone, a DATE at its midnight.
  When Resolve(icalproperty* p, icaltimetype t);

 private:
  void Warn(const std::string& what) { warnings_->push_back(what); }

  const EventImportContext& context_;
  std::vector<std::string>* warnings_;
};

}  // namespace eas::core::convert
