#include "core/search/background_index.hpp"

#include <exception>
#include <optional>
#include <string>

#include "core/search/index_catch_up.hpp"
#include "core/search/mail_index.hpp"
#include "core/search/mailbox_search.hpp"
#include "storage/changed_users.hpp"
#include "storage/store.hpp"

namespace eas::core::search {
namespace {

Status Round(storage::Store& store, uint64_t after, size_t budget, IndexRound& round) {
  // 0: this worker has indexed nothing yet, so every user may lag.
  auto changed = storage::ReadChangedUsers(
      store, after == 0 ? std::nullopt : std::optional<uint64_t>(after));
  if (!changed.ok()) return changed.status();
  if (changed->users.empty()) {
    round.seq = changed->seq;
    return Status::Ok();
  }
  auto index = MailIndex::Open(MailIndex::PathFor(store.path()));
  if (!index.ok()) return index.status();
  size_t left = budget;
  for (storage::UserId user : changed->users) {
    auto folders = ReadableMailFolders(store, user);
    if (!folders.ok()) return folders.status();
    auto report = CatchUp(**index, store, user, *folders, left);
    if (!report.ok()) return report.status();
    ++round.users;
    round.added += report->added;
    round.removed += report->removed;
    if (report->unreadable > 0) {
      round.log.push_back({LogLevel::kWarn,
                           "search index: " + std::to_string(report->unreadable) +
                               " items of user " + std::to_string(user) +
                               " are no mail record and were not indexed"});
    }
    if (report->more) {
      round.more = true;  // the feed stays at `after`: this user and the rest come again
      return Status::Ok();
    }
    // Each user's catch-up reads at least its folders' progress: charge
    // one entry so a store of many quiet users still ends a round.
    size_t used = report->read + 1;
    left = used < left ? left - used : 0;
    if (left == 0) {
      round.more = true;
      return Status::Ok();
    }
  }
  round.seq = changed->seq;
  return Status::Ok();
}

}  // namespace

IndexRound IndexChanges(storage::Store& store, uint64_t after, size_t budget) noexcept {
  IndexRound round;
  round.seq = after;
  try {
    Status s = Round(store, after, budget, round);
    if (!s.ok()) {
      round.more = false;
      round.log.push_back({LogLevel::kError, "search index: background indexing: " + s.message()});
    } else if (round.added + round.removed > 0) {
      round.log.push_back({LogLevel::kInfo, "search index: indexed " +
                                                std::to_string(round.added) + " messages, removed " +
                                                std::to_string(round.removed) + " (" +
                                                std::to_string(round.users) + " users)" +
                                                (round.more ? ", more to come" : "")});
    }
  } catch (const std::exception& e) {
    round.more = false;
    round.log.push_back({LogLevel::kError, std::string("search index: background indexing: ") +
                                               e.what()});
  }
  return round;
}

}  // namespace eas::core::search
