// Whose data changed since a change feed position: what every reader of
// the change feed (held Pings waiting for news, the background search
// indexer) asks, with one answer for the case the feed cannot serve.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/status.hpp"
#include "storage/records.hpp"

namespace eas::storage {

class Store;

struct ChangedUsers {
  uint64_t seq = 0;          // the store's change seq now: the position to pass next time
  bool everyone = false;     // the feed could not tell: `users` is every user
  std::vector<UserId> users; // touched after the position (sorted), or every user
};

// Reads, in one snapshot, the store's change seq and the users touched
// after `after` (Txn::UsersChangedSince). When `after` is not known
// (nullopt: a reader that has looked at nothing yet) or no longer known
// (the feed was pruned past it, or it is another store's), the answer is
// every user, marked `everyone`, since any of them may have changed. No
// users when nothing changed since `after`.
Result<ChangedUsers> ReadChangedUsers(Store& store, std::optional<uint64_t> after);

}  // namespace eas::storage
