// Which protocol versions know each element of a contact, event or task:
// the "Protocol Versions" table of every element in MS-ASCNTC, MS-ASCAL,
// MS-ASTASK and MS-ASAIRS (the same as MS-ASWBXML's code page tables).
// One stored item is read by clients of 2.5 up to 16.1 at once: each is
// sent only the elements its version defines, and a client's Change keeps
// the stored elements its version could not see (it was never sent them,
// so their absence says nothing). Elements a version knows under another
// name (calendar:Location and airsyncbase:Location, ExceptionStartTime
// and InstanceId) are converted by event_shapes.hpp instead, and the body
// in every shape by item_body.hpp.
#pragma once

#include "core/wbxml/element.hpp"

namespace eas::core::items {

// Removes from a stored contact, event or task, at every depth, what a
// client of `version` (×10) must not be sent: the elements its version
// does not define (and ClientUid, which only requests carry), Attendees
// inside an Exception before 14.0, MeetingStatus inside an Exception
// before 14.1, a BusyStatus of 4 (working elsewhere)
// or -1 before 16.0, and an empty Reminder before 14.1.
void DropUnknownElements(wbxml::Element& app, int version);

// A client's Change (`change`, in the stored shape) of the stored
// `stored`, from a client of `version`: adds to it every stored element
// DropUnknownElements hid from that client and the Change therefore does
// not carry, top-level and inside Recurrence, each Attendee (matched by
// Email) and each Exception (matched by ExceptionStartTime).
void KeepUnseenElements(wbxml::Element& change, const wbxml::Element& stored, int version);

}  // namespace eas::core::items
