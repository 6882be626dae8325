#include "core/convert/itip_reply.hpp"

#include <ctime>
#include <vector>

#include "core/convert/ical_export.hpp"
#include "core/convert/ical_handles.hpp"
#include "core/convert/ical_zone.hpp"

namespace eas::core::convert {
namespace {

icaltimetype Utc(int64_t t) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, icaltimezone_get_utc_timezone());
}

// An all-day meeting's times are its zone's midnights: the date is the one
// 12 hours on, right for every zone from UTC-12 to UTC+12.
icaltimetype Date(int64_t t) {
  return FromUnix(t + 12 * 3600, icaltimezone_get_utc_timezone(), true);
}

icaltimetype When(int64_t t, bool all_day) { return all_day ? Date(t) : Utc(t); }

icalparameter_partstat PartstatOf(ItipAnswer answer) {
  switch (answer) {
    case ItipAnswer::kTentative: return ICAL_PARTSTAT_TENTATIVE;
    case ItipAnswer::kDeclined: return ICAL_PARTSTAT_DECLINED;
    default: return ICAL_PARTSTAT_ACCEPTED;
  }
}

icalproperty* Person(icalproperty* p, const std::string& name) {
  if (!name.empty()) icalproperty_add_parameter(p, icalparameter_new_cn(name.c_str()));
  return p;
}

}  // namespace

std::string ItipReplyText(const ItipReply& r) {
  InitLibical();
  std::vector<ComponentPtr> events;
  events.emplace_back(icalcomponent_new(ICAL_VEVENT_COMPONENT));
  icalcomponent* e = events.back().get();
  icalcomponent_add_property(e, icalproperty_new_uid(r.uid.c_str()));
  icalcomponent_add_property(e, icalproperty_new_sequence(r.sequence));
  icalcomponent_add_property(
      e, icalproperty_new_dtstamp(Utc(r.dtstamp != 0 ? r.dtstamp : std::time(nullptr))));
  if (r.recurrence_id != 0) {
    icalcomponent_add_property(e, icalproperty_new_recurrenceid(When(r.recurrence_id, r.all_day)));
  }
  icalcomponent_add_property(
      e, Person(icalproperty_new_organizer(("mailto:" + r.organizer_email).c_str()),
                r.organizer_name));
  icalproperty* attendee = Person(
      icalproperty_new_attendee(("mailto:" + r.attendee_email).c_str()), r.attendee_name);
  icalproperty_add_parameter(attendee, icalparameter_new_partstat(PartstatOf(r.answer)));
  icalcomponent_add_property(e, attendee);
  if (!r.summary.empty()) icalcomponent_add_property(e, icalproperty_new_summary(r.summary.c_str()));
  // DTSTART is optional in a REPLY, but readers (ours too) want one: an
  // occurrence's answer names the occurrence's original start.
  const int64_t start = r.start != 0 ? r.start : r.recurrence_id;
  if (start != 0) {
    icalcomponent_add_property(e, icalproperty_new_dtstart(When(start, r.all_day)));
    if (r.end > start) {
      icalcomponent_add_property(e, icalproperty_new_dtend(When(r.end, r.all_day)));
    }
  }
  if (!r.comment.empty()) icalcomponent_add_property(e, icalproperty_new_comment(r.comment.c_str()));
  ComponentPtr calendar = AssembleCalendar(ExportZones(), events,
                                           "-//eas for nginx//MeetingResponse//EN", ICAL_METHOD_REPLY);
  return ComponentText(calendar.get());
}

}  // namespace eas::core::convert
