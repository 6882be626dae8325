#include "core/convert/ical_export.hpp"
#include "core/convert/icalendar.hpp"

namespace eas::core::convert {

struct ICalendarWriter::Impl {
  ExportZones zones;
  std::vector<ComponentPtr> events;
};

ICalendarWriter::ICalendarWriter() : impl_(std::make_unique<Impl>()) { InitLibical(); }
ICalendarWriter::~ICalendarWriter() = default;

Status ICalendarWriter::Add(const wbxml::Element& application_data,
                            std::string_view fallback_uid) {
  std::vector<ComponentPtr> made;
  Status s = EventToICal(application_data, fallback_uid, &impl_->zones, &made);
  if (!s.ok()) return s;
  for (ComponentPtr& c : made) impl_->events.push_back(std::move(c));
  return Status::Ok();
}

ComponentPtr AssembleCalendar(const ExportZones& zones, std::vector<ComponentPtr>& events,
                              const char* prodid, icalproperty_method method) {
  ComponentPtr calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid(prodid));
  icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));
  if (method != ICAL_METHOD_NONE) {
    icalcomponent_add_property(calendar.get(), icalproperty_new_method(method));
  }
  if (!zones.AllDayTzid().empty()) {
    icalproperty* tz = icalproperty_new_x(zones.AllDayTzid().c_str());
    icalproperty_set_x_name(tz, "X-WR-TIMEZONE");
    icalcomponent_add_property(calendar.get(), tz);
  }
  // Zones first: readers that resolve TZIDs as they go find them defined.
  for (ComponentPtr& zone : zones.Components()) {
    icalcomponent_add_component(calendar.get(), zone.release());
  }
  for (ComponentPtr& event : events) {
    icalcomponent_add_component(calendar.get(), event.release());
  }
  events.clear();
  return calendar;
}

std::string ICalendarWriter::Finish() {
  ComponentPtr calendar =
      AssembleCalendar(impl_->zones, impl_->events, "-//eas for nginx//easctl//EN");
  return ComponentText(calendar.get());
}

}  // namespace eas::core::convert
