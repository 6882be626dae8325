// One event, read by clients of every protocol version. 16.x writes the
// place as airsyncbase:Location (a container: DisplayName, street, ...)
// and names an exception's occurrence by airsyncbase:InstanceId; up to
// 14.1 they are calendar:Location (text) and calendar:ExceptionStartTime
// (MS-ASCAL 2.2.2.27, 2.2.2.23; MS-ASAIRS 2.2.2.28, 2.2.2.25 — both times
// Compact DateTime). An event is stored with the 14.1 elements always
// (what iCalendar export, invitations and meeting answers read) and the
// 16.x Location beside it when a 16.x client wrote one; each reader gets
// the elements of its own version.
#pragma once

#include "core/wbxml/element.hpp"

namespace eas::core::items {

// A client's event (an Add's or Change's ApplicationData, or one
// exception) in the stored shape: calendar:Location from a 16.x
// Location's DisplayName, ExceptionStartTime from an exception's
// InstanceId, where the client sent only the 16.x element, and a
// Recurrence Type (optional from 16.0, required before) from the
// pattern's other elements where the client left it out.
void StoreEventShapes(wbxml::Element& event);

// A 16.x client's Change of the stored all-day event `stored`, which
// keeps its TimeZone: the midnights (UTC) of the dates it sends become
// the local midnights of that zone, as an earlier version wrote them.
void StoreAllDayFrom16(wbxml::Element& change, const wbxml::Element& stored);

// A stored event as a client of `version` (×10) reads it: before 16.0
// without airsyncbase:Location and InstanceId; from 16.0 with
// airsyncbase:Location (made from calendar:Location when no 16.x client
// wrote one) and InstanceId instead of the 14.1 elements, and an
// all-day event without TimeZone, its times the midnights of its dates.
// Every version gets a Recurrence Type, also for an event stored without.
void ShapeEventFor(wbxml::Element& event, int version);

}  // namespace eas::core::items
