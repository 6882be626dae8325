// A VEVENT with its overrides → Calendar ApplicationData (MS-ASCAL).
#include <strings.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "core/convert/eas_time.hpp"
#include "core/convert/element_util.hpp"
#include "core/convert/ical_event_fields.hpp"
#include "core/convert/ical_recurrence.hpp"
#include "core/convert/ical_zone.hpp"
#include "core/convert/tags.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::convert {
namespace {

namespace cal = tags::calendar;
using wbxml::Element;

Element BodyOf(const std::string& text) {
  Element body = Node(tags::base::kBody);
  body.children.push_back(Leaf(tags::base::kType, "1"));
  body.children.push_back(Leaf(tags::base::kData, text));
  return body;
}

Element AttendeesOf(const std::vector<Attendee>& attendees) {
  Element list = Node(cal::kAttendees);
  for (const Attendee& a : attendees) {
    Element e = Node(cal::kAttendee);
    e.children.push_back(Leaf(cal::kAttendeeEmail, a.email));
    e.children.push_back(Leaf(cal::kAttendeeName, a.name));
    if (a.status >= 0) e.children.push_back(Leaf(cal::kAttendeeStatus, std::to_string(a.status)));
    e.children.push_back(Leaf(cal::kAttendeeType, std::to_string(a.type)));
    list.children.push_back(std::move(e));
  }
  return list;
}

Element CategoriesOf(const std::vector<std::string>& categories) {
  Element list = Node(cal::kCategories);
  for (const std::string& c : categories) list.children.push_back(Leaf(cal::kCategory, c));
  return list;
}

// A UID for an event that has none: random, so two imports never collide.
std::string NewUid() {
  std::random_device rd;
  char buf[48];
  std::snprintf(buf, sizeof buf, "eas-%08x%08x%08x", rd(), rd(), rd());
  return buf;
}

bool IsOwner(const std::string& email, const std::vector<std::string>& owners) {
  return std::any_of(owners.begin(), owners.end(), [&](const std::string& o) {
    return strcasecmp(o.c_str(), email.c_str()) == 0;
  });
}

// The original start of an overridden or excluded instance. A DATE on a
// timed event means that day's occurrence, at the master's time of day.
int64_t InstanceStart(EventReader& reader, icalproperty* p, icaltimetype t,
                      const EventFields& master) {
  if (t.is_date && !master.all_day) {
    t.is_date = 0;
    t.hour = master.start.local.hour;
    t.minute = master.start.local.minute;
    t.second = master.start.local.second;
    return ToUnix(t, master.start.zone.zone);
  }
  return reader.Resolve(p, t).utc;
}

Element DeletedException(int64_t start) {
  Element e = Node(cal::kException);
  e.children.push_back(Leaf(cal::kDeleted, "1"));
  e.children.push_back(Leaf(cal::kExceptionStartTime, CompactUtc(start)));
  return e;
}

// An override as an Exception: its times always, other fields only where
// they differ from the master (an absent field means "as the master").
Element ModifiedException(int64_t original, const EventFields& o, const EventFields& m) {
  Element e = Node(cal::kException);
  e.children.push_back(Leaf(cal::kExceptionStartTime, CompactUtc(original)));
  e.children.push_back(Leaf(cal::kStartTime, CompactUtc(o.start.utc)));
  e.children.push_back(Leaf(cal::kEndTime, CompactUtc(o.end)));
  if (o.summary != m.summary) e.children.push_back(Leaf(cal::kSubject, o.summary));
  if (o.location != m.location) e.children.push_back(Leaf(cal::kLocation, o.location));
  if (o.description != m.description) e.children.push_back(BodyOf(o.description));
  if (o.all_day != m.all_day) e.children.push_back(Leaf(cal::kAllDayEvent, o.all_day ? "1" : "0"));
  if (o.busy_status != m.busy_status) {
    e.children.push_back(Leaf(cal::kBusyStatus, std::to_string(o.busy_status)));
  }
  if (o.sensitivity != m.sensitivity && o.sensitivity) {
    e.children.push_back(Leaf(cal::kSensitivity, std::to_string(*o.sensitivity)));
  }
  if (o.reminder != m.reminder && o.reminder) {
    e.children.push_back(Leaf(cal::kReminder, std::to_string(*o.reminder)));
  }
  if (o.categories != m.categories) e.children.push_back(CategoriesOf(o.categories));
  if (o.attendees != m.attendees) e.children.push_back(AttendeesOf(o.attendees));
  return e;
}

}  // namespace

bool ImportZones::Add(ComponentPtr vtimezone) {
  icalproperty* tzid = icalcomponent_get_first_property(vtimezone.get(), ICAL_TZID_PROPERTY);
  if (tzid == nullptr || icalproperty_get_tzid(tzid) == nullptr) return false;
  std::string id = icalproperty_get_tzid(tzid);
  // The blob carries the Olson name when the TZID (or libical's location
  // hint) has one, so a later export can name the zone the same way.
  std::string name = OlsonName(id);
  if (name.empty()) {
    char* location = icaltimezone_get_location_from_vtimezone(vtimezone.get());
    if (location != nullptr) {
      name = OlsonName(location);
      free(location);
    }
  }
  if (name.empty()) name = id;
  ZonePtr zone(icaltimezone_new());
  if (!zone || !icaltimezone_set_component(zone.get(), vtimezone.get())) return false;
  vtimezone.release();  // the zone owns it now
  own_[id] = {std::move(zone), name};
  return true;
}

std::optional<NamedZone> ImportZones::Find(const std::string& tzid) const {
  if (auto it = own_.find(tzid); it != own_.end()) {
    return NamedZone{it->second.first.get(), it->second.second};
  }
  std::string olson = OlsonName(tzid);
  if (olson.empty()) return std::nullopt;
  return NamedZone{BuiltinZone(olson), olson};
}

Result<Element> EventFromICal(icalcomponent* master, const std::vector<icalcomponent*>& overrides,
                              const EventImportContext& context,
                              std::vector<std::string>* warnings) {
  EventReader reader(context, warnings);
  auto read = reader.Read(master);
  if (!read.ok()) return read.status();
  const EventFields& f = *read;
  for (icalproperty* p = icalcomponent_get_first_property(master, ICAL_XLICERROR_PROPERTY); p;
       p = icalcomponent_get_next_property(master, ICAL_XLICERROR_PROPERTY)) {
    warnings->push_back(std::string("libical: ") + icalproperty_get_xlicerror(p));
  }

  Element app = Node(wbxml::tags::airsync::kApplicationData);
  app.children.push_back(Leaf(cal::kTimeZone, ZoneBlobOf(f.start)));
  app.children.push_back(Leaf(cal::kAllDayEvent, f.all_day ? "1" : "0"));
  app.children.push_back(Leaf(cal::kStartTime, CompactUtc(f.start.utc)));
  app.children.push_back(Leaf(cal::kEndTime, CompactUtc(f.end)));
  app.children.push_back(Leaf(cal::kDTStamp, CompactUtc(f.dtstamp.value_or(context.now))));
  AddText(app, cal::kSubject, f.summary);
  AddText(app, cal::kLocation, f.location);
  if (!f.description.empty()) app.children.push_back(BodyOf(f.description));
  app.children.push_back(Leaf(cal::kUID, f.uid.empty() ? NewUid() : f.uid));
  AddText(app, cal::kOrganizerName, f.organizer_name);
  AddText(app, cal::kOrganizerEmail, f.organizer_email);
  // 0: an appointment; 1: a meeting the user organises; 3: one received.
  const char* meeting = f.attendees.empty() ? "0"
                        : f.organizer_email.empty() ||
                                IsOwner(f.organizer_email, context.owner_addresses)
                            ? "1"
                            : "3";
  app.children.push_back(Leaf(cal::kMeetingStatus, meeting));
  if (!f.attendees.empty()) app.children.push_back(AttendeesOf(f.attendees));
  if (!f.categories.empty()) app.children.push_back(CategoriesOf(f.categories));
  app.children.push_back(Leaf(cal::kBusyStatus, std::to_string(f.busy_status)));
  if (f.sensitivity) app.children.push_back(Leaf(cal::kSensitivity, std::to_string(*f.sensitivity)));
  if (f.reminder) app.children.push_back(Leaf(cal::kReminder, std::to_string(*f.reminder)));

  icalproperty* rrule = icalcomponent_get_first_property(master, ICAL_RRULE_PROPERTY);
  if (rrule == nullptr) {
    if (!overrides.empty()) warnings->push_back("overrides of an event without RRULE ignored");
    return app;
  }
  if (icalcomponent_get_next_property(master, ICAL_RRULE_PROPERTY) != nullptr) {
    return Status::Invalid("several RRULEs have no ActiveSync form");
  }
  if (icalcomponent_get_first_property(master, ICAL_RDATE_PROPERTY) != nullptr) {
    warnings->push_back("RDATE has no ActiveSync form; the extra dates are dropped");
  }
  auto recurrence = RecurrenceFromRule(icalproperty_get_rrule(rrule), f.start.local,
                                       f.start.zone.zone);
  if (!recurrence.ok()) return recurrence.status();
  app.children.push_back(std::move(*recurrence));

  Element exceptions = Node(cal::kExceptions);
  for (icalproperty* p = icalcomponent_get_first_property(master, ICAL_EXDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(master, ICAL_EXDATE_PROPERTY)) {
    exceptions.children.push_back(
        DeletedException(InstanceStart(reader, p, icalproperty_get_exdate(p), f)));
  }
  for (icalcomponent* o : overrides) {
    icalproperty* rid = icalcomponent_get_first_property(o, ICAL_RECURRENCEID_PROPERTY);
    auto fields = reader.Read(o);
    if (!fields.ok()) {
      warnings->push_back("an override was dropped: " + fields.status().message());
      continue;
    }
    int64_t original = InstanceStart(reader, rid, icalproperty_get_recurrenceid(rid), f);
    exceptions.children.push_back(fields->cancelled ? DeletedException(original)
                                                    : ModifiedException(original, *fields, f));
  }
  if (!exceptions.children.empty()) {
    // In time order, whatever order the file had: compact UTC sorts as text.
    std::stable_sort(exceptions.children.begin(), exceptions.children.end(),
                     [](const Element& a, const Element& b) {
                       return a.ChildText(cal::kExceptionStartTime) <
                              b.ChildText(cal::kExceptionStartTime);
                     });
    app.children.push_back(std::move(exceptions));
  }
  return app;
}

}  // namespace eas::core::convert
