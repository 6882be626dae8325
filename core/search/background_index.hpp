// Keeps the search index up to date as mail arrives, so a search finds its
// work done: a worker calls IndexChanges now and then, off its event loop,
// and the mail of every user the store's change feed names since the last
// call goes into the index. Deliveries never wait for it (they only write
// the store, whichever process they come from: LMTP, eas-deliver, easctl
// import, a local SendMail); a search still catches up itself first, so
// what the last round did not reach is never missing from an answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/log_line.hpp"

namespace eas::storage { class Store; }

namespace eas::core::search {

// What one round did, and where the next one starts.
struct IndexRound {
  uint64_t seq = 0;      // the change feed position to pass next time
  bool more = false;     // stopped at the budget: call again soon
  size_t users = 0;      // users looked at
  size_t added = 0, removed = 0;
  std::vector<LogLine> log;
};

// One round: the change feed after `after` (0 at a worker's start: every
// user) says whose data changed; their readable mail folders are caught up
// with the index, together reading at most `budget` change log entries
// (so a store snapshot and the index's write lock are held briefly
// however much came). Blocking (SQLite, LMDB): a thread pool, never the
// event loop. Never throws; a failure is logged and the round's `seq`
// stays at `after`, so the next round tries again.
IndexRound IndexChanges(storage::Store& store, uint64_t after, size_t budget) noexcept;

}  // namespace eas::core::search
