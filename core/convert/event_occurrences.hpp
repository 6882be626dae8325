// When a Calendar item keeps its owner busy: the event itself, or for a
// series each instance in a window, as free/busy (ResolveRecipients'
// MergedFreeBusy) needs them. Series are expanded by libical from the
// item's iCalendar form (the export's), so recurrence rules, deleted and
// changed instances mean here what they mean everywhere else.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::convert {

struct Occurrence {
  int64_t start = 0;  // unix seconds
  int64_t end = 0;
  // MS-ASCAL BusyStatus: 0 free, 1 tentative, 2 busy, 3 out of office,
  // 4 working elsewhere. An exception without one shows the series'; an
  // event without one is busy.
  int busy_status = 2;
};

// The occurrences of the item (its ApplicationData) that overlap
// [from, to). A cancelled meeting (MeetingStatus 5 or 7) has none.
Result<std::vector<Occurrence>> EventOccurrences(const wbxml::Element& application_data,
                                                 int64_t from, int64_t to);

}  // namespace eas::core::convert
