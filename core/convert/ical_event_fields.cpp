#include "core/convert/ical_event_fields.hpp"

#include <strings.h>

#include "core/convert/ical_zone.hpp"
#include "core/convert/timezone_blob.hpp"

namespace eas::core::convert {
namespace {

std::string Str(const char* s) { return s != nullptr ? std::string(s) : std::string(); }

// "mailto:anna@example.org" → anna@example.org.
std::string Address(const char* value) {
  std::string v = Str(value);
  if (v.size() >= 7 && strncasecmp(v.c_str(), "mailto:", 7) == 0) v.erase(0, 7);
  return v;
}

std::string Cn(icalproperty* p) {
  icalparameter* cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
  return cn != nullptr ? Str(icalparameter_get_cn(cn)) : std::string();
}

Attendee ReadAttendee(icalproperty* p) {
  Attendee a;
  a.email = Address(icalproperty_get_attendee(p));
  a.name = Cn(p);
  if (a.name.empty()) a.name = a.email;  // MS-ASCAL requires a Name
  if (icalparameter* ps = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER)) {
    switch (icalparameter_get_partstat(ps)) {
      case ICAL_PARTSTAT_ACCEPTED: a.status = 3; break;
      case ICAL_PARTSTAT_DECLINED: a.status = 4; break;
      case ICAL_PARTSTAT_TENTATIVE: a.status = 2; break;
      case ICAL_PARTSTAT_NEEDSACTION: a.status = 5; break;
      default: a.status = 0; break;  // response unknown
    }
  }
  if (icalparameter* rsvp = icalproperty_get_first_parameter(p, ICAL_RSVP_PARAMETER)) {
    a.rsvp = icalparameter_get_rsvp(rsvp) == ICAL_RSVP_TRUE;
  }
  if (icalparameter* role = icalproperty_get_first_parameter(p, ICAL_ROLE_PARAMETER)) {
    icalparameter_role r = icalparameter_get_role(role);
    if (r == ICAL_ROLE_OPTPARTICIPANT || r == ICAL_ROLE_NONPARTICIPANT) a.type = 2;
  }
  if (icalparameter* cu = icalproperty_get_first_parameter(p, ICAL_CUTYPE_PARAMETER)) {
    icalparameter_cutype t = icalparameter_get_cutype(cu);
    if (t == ICAL_CUTYPE_RESOURCE || t == ICAL_CUTYPE_ROOM) a.type = 3;
  }
  return a;
}

}  // namespace

int BusyFromCdo(const std::string& v) {
  if (strcasecmp(v.c_str(), "FREE") == 0) return 0;
  if (strcasecmp(v.c_str(), "TENTATIVE") == 0) return 1;
  if (strcasecmp(v.c_str(), "OOF") == 0) return 3;
  if (strcasecmp(v.c_str(), "WORKINGELSEWHERE") == 0) return 4;
  return 2;
}

std::string XPropertyValue(icalcomponent* c, const char* name) {
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
       p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY)) {
    if (strcasecmp(Str(icalproperty_get_x_name(p)).c_str(), name) == 0) {
      return Str(icalproperty_get_x(p));
    }
  }
  return {};
}

std::string ZoneBlobOf(const When& start) {
  return EncodeTimeZone(ZoneInfoForYear(start.zone.zone, start.local.year, start.zone.name));
}

When EventReader::Resolve(icalproperty* p, icaltimetype t) {
  When w;
  w.local = t;
  if (t.is_date) {
    w.zone = context_.default_zone;
  } else if (icaltime_is_utc(t)) {
    w.zone = {icaltimezone_get_utc_timezone(), "UTC"};
  } else if (icalparameter* tzid = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER)) {
    std::string name = Str(icalparameter_get_tzid(tzid));
    auto found = context_.zones->Find(name);
    if (found) {
      w.zone = *found;
    } else {
      Warn("unknown TZID " + name + ": read in " + context_.default_zone.name);
      w.zone = context_.default_zone;
    }
  } else {
    w.zone = context_.default_zone;  // floating time
  }
  w.utc = ToUnix(t, w.zone.zone);
  return w;
}

Result<EventFields> EventReader::Read(icalcomponent* c) {
  EventFields f;
  icalproperty* dtstart = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
  icaltimetype start = dtstart ? icalproperty_get_dtstart(dtstart) : icaltime_null_time();
  if (icaltime_is_null_time(start) || !icaltime_is_valid_time(start)) {
    // libical drops a DTSTART it cannot parse and says why in X-LIC-ERROR.
    if (icalproperty* e = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY)) {
      return Status::Invalid("no usable DTSTART: " + Str(icalproperty_get_xlicerror(e)));
    }
    return Status::Invalid("no usable DTSTART");
  }
  f.start = Resolve(dtstart, start);
  f.all_day = start.is_date != 0;

  if (icalproperty* dtend = icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY)) {
    f.end = Resolve(dtend, icalproperty_get_dtend(dtend)).utc;
  } else if (icalproperty* dur = icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY)) {
    // Added to the wall-clock start, so "P1D" stays a calendar day across DST.
    icaltimetype end = icaltime_add(f.start.local, icalproperty_get_duration(dur));
    f.end = ToUnix(end, f.start.zone.zone);
  } else {
    icaltimetype end = f.start.local;
    if (f.all_day) icaltime_adjust(&end, 1, 0, 0, 0);  // RFC 5545: a date lasts one day
    f.end = ToUnix(end, f.start.zone.zone);
  }
  if (f.end < f.start.utc) {
    Warn("the event ends before it starts; it ends at its start now");
    f.end = f.start.utc;
  }

  f.uid = Str(icalcomponent_get_uid(c));
  f.summary = Str(icalcomponent_get_summary(c));
  f.location = Str(icalcomponent_get_location(c));
  f.description = Str(icalcomponent_get_description(c));
  f.cancelled = icalcomponent_get_status(c) == ICAL_STATUS_CANCELLED;
  if (icalcomponent_get_first_property(c, ICAL_SEQUENCE_PROPERTY) != nullptr) {
    f.sequence = icalcomponent_get_sequence(c);
  }
  if (icalproperty* stamp = icalcomponent_get_first_property(c, ICAL_DTSTAMP_PROPERTY)) {
    f.dtstamp = Resolve(stamp, icalproperty_get_dtstamp(stamp)).utc;
  }
  if (icalproperty* org = icalcomponent_get_first_property(c, ICAL_ORGANIZER_PROPERTY)) {
    f.organizer_email = Address(icalproperty_get_organizer(org));
    f.organizer_name = Cn(org);
  }
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY); p;
       p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
    f.attendees.push_back(ReadAttendee(p));
  }
  for (icalproperty* p = icalcomponent_get_first_property(c, ICAL_CATEGORIES_PROPERTY); p;
       p = icalcomponent_get_next_property(c, ICAL_CATEGORIES_PROPERTY)) {
    std::string cat = Str(icalproperty_get_categories(p));
    if (!cat.empty()) f.categories.push_back(cat);
  }
  if (icalproperty* cls = icalcomponent_get_first_property(c, ICAL_CLASS_PROPERTY)) {
    icalproperty_class v = icalproperty_get_class(cls);
    f.sensitivity = v == ICAL_CLASS_PRIVATE ? 2 : v == ICAL_CLASS_CONFIDENTIAL ? 3 : 0;
  }
  if (icalproperty* transp = icalcomponent_get_first_property(c, ICAL_TRANSP_PROPERTY)) {
    icalproperty_transp v = icalproperty_get_transp(transp);
    f.busy_status = v == ICAL_TRANSP_TRANSPARENT || v == ICAL_TRANSP_TRANSPARENTNOCONFLICT ? 0 : 2;
  }
  // Outlook's own busy state is finer than TRANSP (tentative, away).
  const std::string cdo = XPropertyValue(c, "X-MICROSOFT-CDO-BUSYSTATUS");
  if (!cdo.empty()) f.busy_status = BusyFromCdo(cdo);
  // The first alarm before the start is the reminder (EAS keeps one).
  for (icalcomponent* alarm = icalcomponent_get_first_component(c, ICAL_VALARM_COMPONENT);
       alarm != nullptr && !f.reminder;
       alarm = icalcomponent_get_next_component(c, ICAL_VALARM_COMPONENT)) {
    icalproperty* trigger = icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY);
    if (trigger == nullptr) continue;
    icaltriggertype t = icalproperty_get_trigger(trigger);
    int64_t before;
    if (!icaltime_is_null_time(t.time)) {
      before = f.start.utc - ToUnix(t.time, icaltimezone_get_utc_timezone());
    } else {
      before = -icaldurationtype_as_int(t.duration);
      icalparameter* rel = icalproperty_get_first_parameter(trigger, ICAL_RELATED_PARAMETER);
      if (rel != nullptr && icalparameter_get_related(rel) == ICAL_RELATED_END) {
        before -= f.end - f.start.utc;
      }
    }
    f.reminder = before > 0 ? static_cast<int>(before / 60) : 0;
  }
  return f;
}

}  // namespace eas::core::convert
