#include "core/convert/itip_request.hpp"

#include <ctime>
#include <vector>

#include "core/convert/ical_export.hpp"
#include "core/convert/ical_handles.hpp"

namespace eas::core::convert {
namespace {

void RemoveAll(icalcomponent* c, icalproperty_kind kind) {
  while (icalproperty* p = icalcomponent_get_first_property(c, kind)) {
    icalcomponent_remove_property(c, p);
    icalproperty_free(p);
  }
}

// What iTIP needs on each VEVENT (the master and every override).
void MakeItip(icalcomponent* e, const ItipRequestOptions& o) {
  RemoveAll(e, ICAL_SEQUENCE_PROPERTY);
  icalcomponent_add_property(e, icalproperty_new_sequence(o.sequence));
  RemoveAll(e, ICAL_DTSTAMP_PROPERTY);
  icalcomponent_add_property(
      e, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
             static_cast<time_t>(o.dtstamp != 0 ? o.dtstamp : std::time(nullptr)), 0,
             icaltimezone_get_utc_timezone())));
  // The organizer is the user who sends it, whatever the device wrote.
  RemoveAll(e, ICAL_ORGANIZER_PROPERTY);
  icalproperty* org = icalproperty_new_organizer(("mailto:" + o.organizer_email).c_str());
  if (!o.organizer_name.empty()) {
    icalproperty_add_parameter(org, icalparameter_new_cn(o.organizer_name.c_str()));
  }
  icalcomponent_add_property(e, org);
  if (o.cancel) {
    RemoveAll(e, ICAL_STATUS_PROPERTY);
    icalcomponent_add_property(e, icalproperty_new_status(ICAL_STATUS_CANCELLED));
    return;
  }
  for (icalproperty* a = icalcomponent_get_first_property(e, ICAL_ATTENDEE_PROPERTY); a;
       a = icalcomponent_get_next_property(e, ICAL_ATTENDEE_PROPERTY)) {
    // A new invitation or an update asks everyone again (RFC 5546 2.1.4).
    icalproperty_remove_parameter_by_kind(a, ICAL_PARTSTAT_PARAMETER);
    icalproperty_add_parameter(a, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
    icalproperty_remove_parameter_by_kind(a, ICAL_RSVP_PARAMETER);
    icalproperty_add_parameter(a, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
  }
}

}  // namespace

Result<std::string> ItipRequestText(const wbxml::Element& app, const ItipRequestOptions& o) {
  InitLibical();
  ExportZones zones;
  std::vector<ComponentPtr> events;
  Status s = EventToICal(app, o.fallback_uid, &zones, &events);
  if (!s.ok()) return s;
  for (ComponentPtr& event : events) MakeItip(event.get(), o);
  ComponentPtr calendar = AssembleCalendar(zones, events, "-//eas for nginx//Meeting//EN",
                                           o.cancel ? ICAL_METHOD_CANCEL : ICAL_METHOD_REQUEST);
  return ComponentText(calendar.get());
}

}  // namespace eas::core::convert
