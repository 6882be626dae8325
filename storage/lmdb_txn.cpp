// LmdbTxn: the Guard wrappers of the public methods and the primitives the
// record code is written in.
#include "storage/lmdb_txn.hpp"

#include "storage/guard.hpp"
#include "storage/keys.hpp"

namespace eas::storage {

// --- public edge: nothing throws past these ---

Result<UserRecord> LmdbTxn::CreateUser(UserRecord user) {
  return Guard([&] { return DoCreateUser(std::move(user)); });
}
Status LmdbTxn::ReadUser(std::string_view name, UserRecord* out) {
  return Guard([&] { return DoReadUser(name, out); });
}
Result<UserRecord> LmdbTxn::GetUserById(UserId id) {
  return Guard([&] { return DoGetUserById(id); });
}
Status LmdbTxn::UpdateUser(const UserRecord& user) {
  return Guard([&] { return DoUpdateUser(user); });
}
Status LmdbTxn::DeleteUser(std::string_view name) {
  return Guard([&] { return DoDeleteUser(name); });
}
Result<std::vector<UserRecord>> LmdbTxn::ListUsers() {
  return Guard([&] { return DoListUsers(); });
}

Result<FolderRecord> LmdbTxn::CreateFolder(FolderRecord folder) {
  return Guard([&] { return DoCreateFolder(std::move(folder)); });
}
Status LmdbTxn::ReadFolder(FolderId id, FolderRecord* out) {
  return Guard([&] { return DoReadFolder(id, out); });
}
Status LmdbTxn::UpdateFolder(const FolderRecord& folder) {
  return Guard([&] { return DoUpdateFolder(folder); });
}
Status LmdbTxn::DeleteFolder(FolderId id) {
  return Guard([&] { return DoDeleteFolder(id); });
}
Result<std::vector<FolderRecord>> LmdbTxn::VisibleFolders(UserId user) {
  return Guard([&] { return DoVisibleFolders(user); });
}
Result<uint64_t> LmdbTxn::HierarchySeq(UserId user) {
  return Guard([&] { return ReadCounter(keys::ScopedCounter(keys::kHierarchySeq, user)); });
}
Result<std::vector<HierarchyChange>> LmdbTxn::HierarchyChangesSince(UserId user,
                                                                    uint64_t after) {
  return Guard([&] { return DoHierarchyChangesSince(user, after); });
}

Result<size_t> LmdbTxn::TrimHierarchyLog(UserId user, uint64_t through) {
  return Guard([&] { return DoTrimHierarchyLog(user, through); });
}

Result<ItemRecord> LmdbTxn::PutItem(ItemRecord item) {
  return Guard([&] { return DoPutItem(std::move(item)); });
}
Result<ItemRecord> LmdbTxn::GetItem(FolderId folder, ItemId id) {
  return Guard([&] { return DoGetItem(folder, id); });
}
Status LmdbTxn::DeleteItem(FolderId folder, ItemId id) {
  return Guard([&] { return DoDeleteItem(folder, id); });
}
Result<uint64_t> LmdbTxn::FolderModseq(FolderId folder) {
  return Guard([&]() -> Result<uint64_t> {
    FolderRecord f;
    Status s = DoReadFolder(folder, &f);
    if (!s.ok()) return s;
    return f.modseq;
  });
}
Result<std::vector<ItemChange>> LmdbTxn::ItemChangesSince(FolderId folder, uint64_t after,
                                                          size_t limit) {
  return Guard([&] { return DoItemChangesSince(folder, after, limit); });
}

Result<std::vector<ItemRecord>> LmdbTxn::ItemsAfter(FolderId folder, ItemId after,
                                                    size_t limit) {
  return Guard([&] { return DoItemsAfter(folder, after, limit); });
}
Result<std::vector<ItemRecord>> LmdbTxn::ItemsByTime(FolderId folder, uint64_t from,
                                                     uint64_t after_time, ItemId after_item,
                                                     size_t limit) {
  return Guard([&] { return DoItemsByTime(folder, from, after_time, after_item, limit); });
}

Result<std::vector<ItemRecord>> LmdbTxn::ItemsByTimeDescending(FolderId folder, uint64_t from,
                                                               uint64_t before_time,
                                                               ItemId before_item, size_t limit) {
  return Guard(
      [&] { return DoItemsByTimeDescending(folder, from, before_time, before_item, limit); });
}

Result<uint64_t> LmdbTxn::PutBlob(UserId user, std::string_view key, std::string_view bytes) {
  return Guard([&] { return DoPutBlob(user, key, bytes); });
}
Status LmdbTxn::ViewBlob(uint64_t blob, std::string_view* out) {
  return Guard([&] { return DoViewBlob(blob, out); });
}
Result<uint64_t> LmdbTxn::FindBlob(UserId user, std::string_view key) {
  return Guard([&] { return DoFindBlob(user, key); });
}

Status LmdbTxn::SetHeld(UserId user, std::string_view device_id, FolderId folder, ItemId item,
                        bool held) {
  return Guard([&] { return DoSetHeld(user, device_id, folder, item, held); });
}
Result<bool> LmdbTxn::IsHeld(UserId user, std::string_view device_id, FolderId folder,
                             ItemId item) {
  return Guard([&] { return DoIsHeld(user, device_id, folder, item); });
}
Status LmdbTxn::NoteReader(UserId user, std::string_view device_id, FolderId folder,
                           uint64_t now, bool afresh) {
  return Guard([&] { return DoNoteReader(user, device_id, folder, now, afresh); });
}
Status LmdbTxn::TrimTombstone(FolderId folder, uint64_t modseq, ItemId item) {
  return Guard([&] { return DoTrimTombstone(folder, modseq, item); });
}
Result<FolderSweep> LmdbTxn::SweepFolder(FolderId folder, uint64_t now, uint64_t expiry,
                                    uint64_t interval) {
  return Guard([&] { return DoSweepFolder(folder, now, expiry, interval); });
}

Status LmdbTxn::ReadDevice(UserId user, std::string_view device_id, DeviceRecord* out) {
  return Guard([&] { return DoReadDevice(user, device_id, out); });
}
Status LmdbTxn::PutDevice(const DeviceRecord& device) {
  return Guard([&] { return DoPutDevice(device); });
}
Status LmdbTxn::DeleteDevice(UserId user, std::string_view device_id) {
  return Guard([&] { return DoDeleteDevice(user, device_id); });
}
Result<std::vector<DeviceRecord>> LmdbTxn::ListDevices(std::optional<UserId> user) {
  return Guard([&] { return DoListDevices(user); });
}
Status LmdbTxn::ViewSyncState(UserId user, std::string_view device_id,
                              std::string_view collection, std::string_view* out) {
  return Guard([&] { return DoViewSyncState(user, device_id, collection, out); });
}
Status LmdbTxn::PutSyncState(UserId user, std::string_view device_id,
                             std::string_view collection, std::string_view state) {
  return Guard([&] { return DoPutSyncState(user, device_id, collection, state); });
}
Status LmdbTxn::DeleteSyncState(UserId user, std::string_view device_id,
                                std::string_view collection) {
  return Guard([&] { return DoDeleteSyncState(user, device_id, collection); });
}

Result<uint64_t> LmdbTxn::ChangeSeq() {
  return Guard([&] { return ReadCounter(keys::Counter(keys::kChangeSeq)); });
}
Result<std::vector<UserId>> LmdbTxn::UsersChangedSince(uint64_t after) {
  return Guard([&] { return DoUsersChangedSince(after); });
}
Status LmdbTxn::RecordChanges() {
  return Guard([&] { return DoRecordChanges(); });
}
Status LmdbTxn::DropUnclaimedBlobs() {
  return Guard([&] { return DoDropUnclaimedBlobs(); });
}

// --- primitives ---

Status LmdbTxn::CheckWritable() const {
  if (writable_) return Status::Ok();
  return Status::Denied("store changed inside a read transaction");
}

Status LmdbTxn::Check(int rc, std::string_view what) {
  if (rc == MDB_SUCCESS) return Status::Ok();
  // These leave the transaction usable; anything else poisons it in LMDB.
  bool survivable = rc == MDB_NOTFOUND || rc == MDB_KEYEXIST || rc == MDB_BAD_VALSIZE;
  if (!survivable && fatal_rc_ == 0) fatal_rc_ = rc;
  return MdbStatus(rc, what);
}

Status LmdbTxn::Get(MDB_dbi dbi, std::string_view key, std::string_view* value) {
  MDB_val k = ToVal(key);
  MDB_val v;
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return Status::NotFound(std::string());
  if (rc != MDB_SUCCESS) return Check(rc, "storage read");
  *value = ToView(v);
  return Status::Ok();
}

Status LmdbTxn::Put(MDB_dbi dbi, std::string_view key, std::string_view value) {
  MDB_val k = ToVal(key);
  MDB_val v = ToVal(value);
  return Check(mdb_put(txn_, dbi, &k, &v, 0), "storage write");
}

Status LmdbTxn::Del(MDB_dbi dbi, std::string_view key) {
  MDB_val k = ToVal(key);
  int rc = mdb_del(txn_, dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) return Status::NotFound(std::string());
  return Check(rc, "storage delete");
}

Status LmdbTxn::DelPrefix(MDB_dbi dbi, std::string_view prefix) {
  Cursor cursor;
  Status s = Check(cursor.Open(txn_, dbi), "opening cursor");
  if (!s.ok()) return s;
  // Re-seek after every delete instead of relying on the cursor's position
  // after mdb_cursor_del: one O(log n) lookup each, and no subtle states.
  for (;;) {
    MDB_val key = ToVal(prefix);
    MDB_val value;
    int rc = cursor.Get(&key, &value, MDB_SET_RANGE);
    if (rc == MDB_NOTFOUND) return Status::Ok();
    if (rc != MDB_SUCCESS) return Check(rc, "reading cursor");
    if (ToView(key).substr(0, prefix.size()) != prefix) return Status::Ok();
    s = Check(cursor.Del(), "storage delete");
    if (!s.ok()) return s;
  }
}

Result<bool> LmdbTxn::RememberClientId(UserId user, std::string_view device_id,
                                       std::string_view client_id, uint64_t now, size_t keep) {
  return Guard([&] { return DoRememberClientId(user, device_id, client_id, now, keep); });
}
Result<uint64_t> LmdbTxn::QueueOutgoing(OutgoingRecord record) {
  return Guard([&] { return DoQueueOutgoing(std::move(record)); });
}
Result<OutgoingRecord> LmdbTxn::GetOutgoing(uint64_t id) {
  return Guard([&] { return DoGetOutgoing(id); });
}
Result<std::vector<OutgoingRecord>> LmdbTxn::ListOutgoing(bool with_message) {
  return Guard([&] { return DoListOutgoing(with_message); });
}
Status LmdbTxn::UpdateOutgoing(const OutgoingRecord& record) {
  return Guard([&] { return DoUpdateOutgoing(record); });
}
Status LmdbTxn::DeleteOutgoing(uint64_t id) {
  return Guard([&]() -> Status {
    Status s = CheckWritable();
    if (!s.ok()) return s;
    s = Del(dbs_.outgoing, keys::Blob(id));
    if (s.code() == Code::kNotFound) {
      return Status::NotFound("no outgoing message " + std::to_string(id));
    }
    return s;
  });
}

Result<uint64_t> LmdbTxn::ReadCounter(std::string_view key) {
  std::string_view value;
  Status s = Get(dbs_.meta, key, &value);
  if (s.code() == Code::kNotFound) return uint64_t{0};
  if (!s.ok()) return s;
  if (value.size() != 8) return CorruptRecord("meta counter: not 8 bytes");
  return keys::LoadBE<uint64_t>(value, 0);
}

Result<uint64_t> LmdbTxn::BumpCounter(std::string_view key) {
  Result<uint64_t> current = ReadCounter(key);
  if (!current.ok()) return current;
  uint64_t next = *current + 1;
  Status s = WriteCounter(key, next);
  if (!s.ok()) return s;
  return next;
}

Status LmdbTxn::WriteCounter(std::string_view key, uint64_t value) {
  std::string bytes;
  keys::AppendBE64(&bytes, value);
  return Put(dbs_.meta, key, bytes);
}

}  // namespace eas::storage
