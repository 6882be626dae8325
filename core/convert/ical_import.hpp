// Pieces of the iCalendar import (private to core/convert): the zones a
// file can name, and one event with its overrides to a Calendar tree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/convert/ical_handles.hpp"
#include "core/convert/report.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::convert {

struct NamedZone {
  icaltimezone* zone = nullptr;
  std::string name;  // what the TimeZone blob is named: the Olson name if known
};

// The file's VTIMEZONEs first (they define what its times mean), then
// libical's builtin Olson zones.
class ImportZones {
 public:
  // False when libical cannot use the VTIMEZONE (no TZID, no observance).
  bool Add(ComponentPtr vtimezone);
  std::optional<NamedZone> Find(const std::string& tzid) const;

 private:
  std::map<std::string, std::pair<ZonePtr, std::string>> own_;  // TZID → zone, name
};

struct ParsedEvent {
  int line = 0;  // where its BEGIN:VEVENT is
  ComponentPtr component;
};

// An iCalendar text cut into its components and parsed: the zones its
// VTIMEZONEs define, the zone its dates and floating times are read in
// (X-WR-TIMEZONE, else UTC), its METHOD (upper case, "" if none) and its
// VEVENTs in file order; what cannot be read is in `skipped`, with why,
// and components that are not events (VTODO, VJOURNAL...) in `others`.
struct ParsedCalendar {
  ImportZones zones;
  NamedZone default_zone;
  std::string method;
  std::vector<ParsedEvent> events;
  std::vector<SkippedEntry> skipped;
  std::vector<SkippedEntry> others;  // reason: the component's name
};
ParsedCalendar ParseCalendar(std::string_view text);

struct EventImportContext {
  const ImportZones* zones = nullptr;
  NamedZone default_zone;  // for dates and floating times
  std::vector<std::string> owner_addresses;
  int64_t now = 0;
};

// One master VEVENT and the VEVENTs overriding its instances.
Result<wbxml::Element> EventFromICal(icalcomponent* master,
                                     const std::vector<icalcomponent*>& overrides,
                                     const EventImportContext& context,
                                     std::vector<std::string>* warnings);

}  // namespace eas::core::convert
