// The GlobalObjId of a meeting (MS-ASEMAIL 2.2.2.37, the layout of
// MS-OXOCAL's PidLidGlobalObjectId): how Outlook and Exchange name a
// meeting, built from its iCalendar UID. A UID that is itself such an id
// in hex (Outlook writes "040000008200E00074C5B7101A82E008...") is that
// id; any other UID is wrapped as a "vCal-Uid". The id of one occurrence
// carries that occurrence's date; the series' has zeros there.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace eas::core::convert {

// The id's bytes. `instance` is the occurrence's original start (unix
// seconds, its UTC date is used), 0 for the series or a single meeting.
std::string GlobalObjectId(std::string_view uid, int64_t instance = 0);

// GlobalObjectId base64-encoded, as the GlobalObjId element carries it.
std::string GlobalObjId(std::string_view uid, int64_t instance = 0);

}  // namespace eas::core::convert
