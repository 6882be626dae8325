// Owning handles for libical objects (private to core/convert: no other
// part of the tree includes libical). Move-only, freed in noexcept
// destructors, like the LMDB handles in storage/.
#pragma once

#include <libical/ical.h>

#include <memory>
#include <string>

namespace eas::core::convert {

struct ComponentFree {
  void operator()(icalcomponent* c) const noexcept { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;

struct ZoneFree {
  void operator()(icaltimezone* z) const noexcept { icaltimezone_free(z, 1); }
};
// Zones we made; libical's builtin zones are libical's and never freed.
using ZonePtr = std::unique_ptr<icaltimezone, ZoneFree>;

// libical's defaults abort() on some errors; we want them as values.
// Idempotent and thread-safe; every entry point calls it.
void InitLibical();

// The component as iCalendar text (libical folds and escapes).
std::string ComponentText(icalcomponent* c);

// One component parsed from its text, or null when libical cannot.
ComponentPtr ParseComponent(const std::string& text);

}  // namespace eas::core::convert
