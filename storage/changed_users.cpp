#include "storage/changed_users.hpp"

#include <utility>

#include "storage/store.hpp"

namespace eas::storage {

Result<ChangedUsers> ReadChangedUsers(Store& store, std::optional<uint64_t> after) {
  ChangedUsers out;
  Status s = store.Read([&](Txn& txn) -> Status {
    auto now = txn.ChangeSeq();
    if (!now.ok()) return now.status();
    out.seq = *now;
    if (after && *after == *now) return Status::Ok();
    if (after) {
      auto changed = txn.UsersChangedSince(*after);
      if (changed.ok()) {
        out.users = std::move(changed).value();
        return Status::Ok();
      }
      if (changed.status().code() != Code::kNotFound) return changed.status();
    }
    auto all = txn.ListUsers();
    if (!all.ok()) return all.status();
    out.everyone = true;
    for (const UserRecord& u : *all) out.users.push_back(u.id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace eas::storage
