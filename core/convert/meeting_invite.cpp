// An iTIP message's meeting through the same reading as a calendar import
// (ParseCalendar, EventReader, PatternFromRule), so both agree on times,
// zones and recurrences.
#include "core/convert/meeting_invite.hpp"

#include <strings.h>

#include <algorithm>

#include "core/convert/ical_event_fields.hpp"
#include "core/convert/ical_import.hpp"
#include "core/convert/ical_recurrence.hpp"

namespace eas::core::convert {
namespace {

icalcomponent* ChooseEvent(const ParsedCalendar& calendar) {
  for (const ParsedEvent& e : calendar.events) {
    if (icalcomponent_get_first_property(e.component.get(), ICAL_RECURRENCEID_PROPERTY) ==
        nullptr) {
      return e.component.get();
    }
  }
  return calendar.events.empty() ? nullptr : calendar.events.front().component.get();
}

}  // namespace

bool MeetingInvite::ResponseRequested() const {
  return std::any_of(attendees.begin(), attendees.end(),
                     [](const InviteAttendee& a) { return a.rsvp; });
}

Result<MeetingInvite> ReadMeetingInvite(std::string_view ics, std::vector<std::string>* warnings) {
  ParsedCalendar calendar = ParseCalendar(ics);
  for (const SkippedEntry& s : calendar.skipped) {
    warnings->push_back("line " + std::to_string(s.line) + ": " + s.reason);
  }
  icalcomponent* event = ChooseEvent(calendar);
  if (event == nullptr) return Status::Invalid("no VEVENT that can be read");

  EventImportContext context;
  context.zones = &calendar.zones;
  context.default_zone = calendar.default_zone;
  EventReader reader(context, warnings);
  auto read = reader.Read(event);
  if (!read.ok()) return read.status();
  const EventFields& f = *read;

  MeetingInvite m;
  m.method = calendar.method;
  m.uid = f.uid;
  m.sequence = f.sequence > 0 ? f.sequence : 0;
  m.start = f.start.utc;
  m.end = f.end;
  m.dtstamp = f.dtstamp.value_or(0);
  m.all_day = f.all_day;
  m.time_zone = ZoneBlobOf(f.start);
  m.summary = f.summary;
  m.location = f.location;
  m.organizer_email = f.organizer_email;
  m.organizer_name = f.organizer_name;
  for (const Attendee& a : f.attendees) {
    m.attendees.push_back({a.email, a.name, a.status, a.type, a.rsvp});
  }
  m.reminder_minutes = f.reminder;
  m.sensitivity = f.sensitivity.value_or(0);
  // What the organizer means the time to be for an attendee who accepts;
  // TRANSP and the CDO busy status say it for the organizer's own copy.
  const std::string intended = XPropertyValue(event, "X-MICROSOFT-CDO-INTENDEDSTATUS");
  m.busy_status = intended.empty() ? f.busy_status : BusyFromCdo(intended);
  m.disallow_new_time =
      strcasecmp(XPropertyValue(event, "X-MICROSOFT-DISALLOW-COUNTER").c_str(), "TRUE") == 0;

  if (icalproperty* rid = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY)) {
    m.instance_type = InstanceType::kException;
    m.recurrence_id = reader.Resolve(rid, icalproperty_get_recurrenceid(rid)).utc;
  } else if (icalproperty* rrule = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY)) {
    auto pattern = PatternFromRule(icalproperty_get_rrule(rrule), f.start.local, f.start.zone.zone);
    if (pattern.ok()) {
      m.instance_type = InstanceType::kMaster;
      m.recurrence = *pattern;
    } else {
      // Shown as its first occurrence rather than not at all.
      warnings->push_back(pattern.status().message() + "; shown as a single meeting");
    }
  }
  return m;
}

}  // namespace eas::core::convert
