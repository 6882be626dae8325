#include "core/search/background_index.hpp"

#include <exception>
#include <string>

#include "core/search/index_catch_up.hpp"
#include "core/search/mail_index.hpp"
#include "core/search/mailbox_search.hpp"
#include "storage/store.hpp"

namespace eas::core::search {
namespace {

// Who changed after `after`, and the feed's position now. Every user when
// the feed no longer reaches back that far (or at a worker's start).
Status ChangedUsers(storage::Store& store, uint64_t after, uint64_t* seq,
                    std::vector<storage::UserId>* users) {
  return store.Read([&](storage::Txn& txn) -> Status {
    auto now = txn.ChangeSeq();
    if (!now.ok()) return now.status();
    *seq = *now;
    if (*now == after) return Status::Ok();
    auto changed = after == 0 ? Result<std::vector<storage::UserId>>(Status::NotFound(""))
                              : txn.UsersChangedSince(after);
    if (changed.ok()) {
      *users = std::move(changed).value();
      return Status::Ok();
    }
    if (changed.status().code() != Code::kNotFound) return changed.status();
    auto all = txn.ListUsers();
    if (!all.ok()) return all.status();
    for (const storage::UserRecord& u : *all) users->push_back(u.id);
    return Status::Ok();
  });
}

Status Round(storage::Store& store, uint64_t after, size_t budget, IndexRound& round) {
  uint64_t seq = after;
  std::vector<storage::UserId> users;
  Status s = ChangedUsers(store, after, &seq, &users);
  if (!s.ok() || users.empty()) {
    if (s.ok()) round.seq = seq;
    return s;
  }
  auto index = MailIndex::Open(MailIndex::PathFor(store.path()));
  if (!index.ok()) return index.status();
  size_t left = budget;
  for (storage::UserId user : users) {
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
  round.seq = seq;
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
