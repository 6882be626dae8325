// The change feed: one entry per committed write transaction that changed
// items or folders, keyed by the global change seq, naming the users it
// touched. A push watcher in another process reads the seq cheaply on every
// poll and the feed only when the seq moved, so it re-checks only the held
// requests of those users. Pruned at commit to the newest change_feed_keep
// entries (OpenOptions): the store stays small however long it runs.
#include <algorithm>
#include <string>

#include "storage/keys.hpp"
#include "storage/lmdb_txn.hpp"

namespace eas::storage {

void LmdbTxn::NoteChange(UserId user) { touched_.push_back(user); }

void LmdbTxn::NoteChange(const FolderRecord& folder) {
  NoteChange(folder.owner);
  for (const AclEntry& entry : folder.acl) NoteChange(entry.user);
}

Status LmdbTxn::DoRecordChanges() {
  if (touched_.empty()) return Status::Ok();
  std::sort(touched_.begin(), touched_.end());
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());

  Result<uint64_t> seq = BumpCounter(keys::Counter(keys::kChangeSeq));
  if (!seq.ok()) return seq.status();
  std::string users;
  users.reserve(touched_.size() * 4);
  for (UserId user : touched_) keys::AppendBE32(&users, user);
  Status s = Put(dbs_.change_feed, keys::ChangeSeq(*seq), users);
  if (!s.ok()) return s;
  touched_.clear();  // a second call (retry) must not log twice

  // Drop what fell out of the window; normally exactly one entry.
  if (feed_keep_ == 0 || *seq <= feed_keep_) return Status::Ok();
  const std::string bound = keys::ChangeSeq(*seq - feed_keep_ + 1);
  Cursor cursor;
  s = Check(cursor.Open(txn_, dbs_.change_feed), "opening cursor");
  for (;;) {
    if (!s.ok()) return s;
    MDB_val key, value;
    int rc = cursor.Get(&key, &value, MDB_FIRST);
    if (rc == MDB_NOTFOUND) return Status::Ok();
    if (rc != MDB_SUCCESS) return Check(rc, "reading cursor");
    if (ToView(key) >= bound) return Status::Ok();
    s = Check(cursor.Del(), "storage delete");
  }
}

Result<std::vector<UserId>> LmdbTxn::DoUsersChangedSince(uint64_t after) {
  Result<uint64_t> now = ReadCounter(keys::Counter(keys::kChangeSeq));
  if (!now.ok()) return now.status();
  std::vector<UserId> users;
  if (after >= *now) {
    if (after == *now) return users;
    return Status::NotFound("change seq " + std::to_string(after) + " is ahead of the store");
  }
  const std::string first = keys::ChangeSeq(after + 1);
  std::string_view unused;
  Status s = Get(dbs_.change_feed, first, &unused);
  if (s.code() == Code::kNotFound) {
    return Status::NotFound("the change feed no longer reaches back to seq " +
                            std::to_string(after + 1));
  }
  if (!s.ok()) return s;
  Status failure;
  s = Scan(dbs_.change_feed, {}, first, [&](std::string_view key, std::string_view value) {
    if (key.size() != 8 || value.size() % 4 != 0) {
      failure = CorruptRecord("change feed entry of unexpected size");
      return false;
    }
    for (size_t at = 0; at < value.size(); at += 4) {
      users.push_back(keys::LoadBE<UserId>(value, at));
    }
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  return users;
}

}  // namespace eas::storage
