#include <algorithm>
#include <cstdio>

#include "core/convert/ical_export.hpp"
#include "core/convert/ical_zone.hpp"

namespace eas::core::convert {
namespace {

// A TZID from a blob name: printable ASCII only (a TZID is a parameter
// value), else the offset ("GMT+01:00").
std::string TzidFor(const TimeZoneInfo& info) {
  const std::string& name = info.standard_name;
  bool printable = !name.empty();
  for (char c : name) printable = printable && c >= 0x20 && c < 0x7F && c != '"';
  if (printable) return name;
  int m = info.StandardOffset();
  char buf[32];
  std::snprintf(buf, sizeof buf, "GMT%c%02d:%02d", m < 0 ? '-' : '+', (m < 0 ? -m : m) / 60,
                (m < 0 ? -m : m) % 60);
  return buf;
}

}  // namespace

ExportZones::Zone ExportZones::For(const TimeZoneInfo& info, int year) {
  if (info.StandardOffset() == 0 && !info.HasDaylight()) return {};
  const std::string olson = OlsonName(info.standard_name);
  for (Entry& e : entries_) {
    bool builtin = !e.own;
    if ((builtin && e.tzid == olson && ZoneInfoForYear(e.zone, year, olson).SameRules(info)) ||
        (!builtin && e.info.standard_name == info.standard_name && e.info.SameRules(info))) {
      e.first_year = std::min(e.first_year, year);
      return {e.zone, e.tzid};
    }
  }
  if (!olson.empty()) {
    icaltimezone* builtin = BuiltinZone(olson);
    if (builtin != nullptr && ZoneInfoForYear(builtin, year, olson).SameRules(info)) {
      entries_.push_back({info, olson, builtin, nullptr, year});
      return {builtin, olson};
    }
  }
  // Same name, other rules (a client's stale blob, a rule change between
  // years): a TZID of its own.
  std::string base = TzidFor(info), tzid = base;
  for (int n = 2;; ++n) {
    bool taken = false;
    for (const Entry& e : entries_) taken = taken || e.tzid == tzid;
    if (!taken) break;
    tzid = base + " (" + std::to_string(n) + ")";
  }
  ZonePtr own = ZoneFromInfo(info, tzid);
  if (!own) return {};
  icaltimezone* zone = own.get();
  entries_.push_back({info, tzid, zone, std::move(own), year});
  return {zone, tzid};
}

std::vector<ComponentPtr> ExportZones::Components() const {
  std::vector<ComponentPtr> out;
  for (const Entry& e : entries_) {
    ComponentPtr c(icalcomponent_new_clone(icaltimezone_get_component(e.zone)));
    if (!c) continue;
    // libical names its builtin zones with a prefix
    // ("/freeassociation.sourceforge.net/Europe/Berlin"); clients know the
    // bare Olson name.
    if (icalproperty* tzid = icalcomponent_get_first_property(c.get(), ICAL_TZID_PROPERTY)) {
      icalproperty_set_tzid(tzid, e.tzid.c_str());
    }
    if (!e.own) {
      // libical's zones carry their history since the 1880s; the events
      // need the rules from their first year on (as Thunderbird exports).
      char start[24];
      std::snprintf(start, sizeof start, "%04d0101T000000Z", e.first_year);
      icaltimezone_truncate_vtimezone(c.get(), icaltime_from_string(start), icaltime_null_time(),
                                      0);
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace eas::core::convert
