// MergedFreeBusy (MS-ASCMD 2.2.3.107) of a user of this box: one digit per
// 30 minutes from the window's start, from the events of the calendars the
// user owns (shared calendars of others are theirs to show).
#pragma once

#include <cstdint>
#include <string>

#include "base/status.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::directory {

inline constexpr int64_t kFreeBusySlot = 30 * 60;

// '0' free, '1' tentative, '2' busy, '3' out of office; where events
// overlap, the busiest wins. A slot is busy when any event overlaps it.
// `end` > `start`; the last slot may be cut short by `end`.
Result<std::string> MergedFreeBusy(storage::Txn& txn, const storage::UserRecord& user,
                                   int64_t start, int64_t end);

}  // namespace eas::core::directory
