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
