// Calendar FilterType (MS-ASCMD 2.2.3.68.1): which events a device that
// asked for a window of the past is sent.
#pragma once

#include <cstdint>
#include <string_view>

namespace eas::core::items {

// Seconds back from now a calendar FilterType keeps (4 two weeks, 5 one
// month, 6 three months, 7 six months); 0 keeps all.
uint64_t CalendarFilterSeconds(int filter_type);

// True when a calendar item ended before `cutoff` (unix seconds) and does
// not recur: a FilterType that starts at `cutoff` leaves it out.
bool EndedBefore(std::string_view item_data, uint64_t cutoff);

}  // namespace eas::core::items
