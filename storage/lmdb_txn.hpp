// Txn over one LMDB transaction (private to storage/). The public methods
// are thin Guard wrappers; the Do* bodies live in txn_users.cpp,
// txn_folders.cpp, txn_items.cpp, txn_blobs.cpp and txn_devices.cpp and may throw
// std::bad_alloc, which the wrapper turns into Code::kInternal.
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/codec.hpp"
#include "storage/databases.hpp"
#include "storage/lmdb_handles.hpp"
#include "storage/lmdb_status.hpp"
#include "storage/store.hpp"

namespace eas::storage {

// kInvalid unless 1 to keys::kMaxDeviceIdSize bytes (txn_devices.cpp).
Status CheckDeviceId(std::string_view device_id);

class LmdbTxn final : public Txn {
 public:
  // Borrows txn (owned by Store::Read/Write) for the duration of fn.
  LmdbTxn(MDB_txn* txn, const Databases& dbs, bool writable, uint64_t feed_keep = 0)
      : txn_(txn), dbs_(dbs), writable_(writable), feed_keep_(feed_keep) {}
  LmdbTxn(const LmdbTxn&) = delete;
  LmdbTxn& operator=(const LmdbTxn&) = delete;

  // The first LMDB error that made the transaction unusable (0 if none).
  // Store::Write looks for MDB_MAP_FULL here, because fn may have turned the
  // failed Status into another one, or ignored it.
  int fatal_rc() const { return fatal_rc_; }

  Result<UserRecord> CreateUser(UserRecord user) override;
  Status ReadUser(std::string_view name, UserRecord* out) override;
  Result<UserRecord> GetUserById(UserId id) override;
  Status UpdateUser(const UserRecord& user) override;
  Status DeleteUser(std::string_view name) override;
  Result<std::vector<UserRecord>> ListUsers() override;
  Status ViewUserPicture(UserId user, std::string_view* out) override;
  Status PutUserPicture(UserId user, std::string_view jpeg) override;

  Result<FolderRecord> CreateFolder(FolderRecord folder) override;
  Status ReadFolder(FolderId id, FolderRecord* out) override;
  Status UpdateFolder(const FolderRecord& folder) override;
  Status DeleteFolder(FolderId id) override;
  Result<std::vector<FolderRecord>> VisibleFolders(UserId user) override;
  Result<uint64_t> HierarchySeq(UserId user) override;
  Result<std::vector<HierarchyChange>> HierarchyChangesSince(UserId user,
                                                             uint64_t after) override;
  Result<size_t> TrimHierarchyLog(UserId user, uint64_t through) override;

  Result<ItemRecord> PutItem(ItemRecord item) override;
  Result<ItemRecord> GetItem(FolderId folder, ItemId id) override;
  Status DeleteItem(FolderId folder, ItemId id) override;
  Result<uint64_t> FolderModseq(FolderId folder) override;
  Result<std::vector<ItemChange>> ItemChangesSince(FolderId folder, uint64_t after,
                                                   size_t limit) override;

  Result<std::vector<ItemRecord>> ItemsAfter(FolderId folder, ItemId after,
                                             size_t limit) override;
  Result<std::vector<ItemRecord>> ItemsByTime(FolderId folder, uint64_t from,
                                              uint64_t after_time, ItemId after_item,
                                              size_t limit) override;
  Result<std::vector<ItemRecord>> ItemsByTimeDescending(FolderId folder, uint64_t from,
                                                        uint64_t before_time, ItemId before_item,
                                                        size_t limit) override;

  Result<std::vector<ItemTime>> ItemTimes(FolderId folder, uint64_t from, uint64_t after_time,
                                          ItemId after_item, size_t limit) override;
  Result<std::vector<ItemTime>> ItemTimesDescending(FolderId folder, uint64_t from,
                                                    uint64_t before_time, ItemId before_item,
                                                    size_t limit) override;
  Status ViewItem(FolderId folder, ItemId id, ItemView* out) override;
  Status ViewItemAt(FolderId folder, const ItemTime& at, ItemView* out) override;

  Result<uint64_t> PutBlob(UserId user, std::string_view key, std::string_view bytes) override;
  Status ViewBlob(uint64_t blob, std::string_view* out) override;
  Result<uint64_t> FindBlob(UserId user, std::string_view key) override;

  Status SetHeld(UserId user, std::string_view device_id, FolderId folder, ItemId item,
                 bool held) override;
  Result<bool> IsHeld(UserId user, std::string_view device_id, FolderId folder,
                      ItemId item) override;
  Status NoteReader(UserId user, std::string_view device_id, FolderId folder, uint64_t now,
                    bool afresh) override;
  Status TrimTombstone(FolderId folder, uint64_t modseq, ItemId item) override;
  Result<FolderSweep> SweepFolder(FolderId folder, uint64_t now, uint64_t expiry,
                             uint64_t interval) override;

  Status ReadDevice(UserId user, std::string_view device_id, DeviceRecord* out) override;
  Status PutDevice(const DeviceRecord& device) override;
  Status DeleteDevice(UserId user, std::string_view device_id) override;
  Result<std::vector<DeviceRecord>> ListDevices(std::optional<UserId> user) override;

  Status ViewSyncState(UserId user, std::string_view device_id, std::string_view collection,
                       std::string_view* out) override;
  Status PutSyncState(UserId user, std::string_view device_id, std::string_view collection,
                      std::string_view state) override;
  Status DeleteSyncState(UserId user, std::string_view device_id,
                         std::string_view collection) override;

  Result<bool> RememberClientId(UserId user, std::string_view device_id,
                                std::string_view client_id, uint64_t now, size_t keep) override;
  Result<uint64_t> QueueOutgoing(OutgoingRecord record) override;
  Result<OutgoingRecord> GetOutgoing(uint64_t id) override;
  Result<std::vector<OutgoingRecord>> ListOutgoing(bool with_message) override;
  Status UpdateOutgoing(const OutgoingRecord& record) override;
  Status DeleteOutgoing(uint64_t id) override;

  Result<OofRecord> GetOof(UserId user) override;
  Status PutOof(UserId user, const OofRecord& record) override;
  Result<bool> NoteAutoReply(UserId user, std::string_view sender, uint64_t now,
                             uint64_t interval) override;

  Result<uint64_t> ChangeSeq() override;
  Result<std::vector<UserId>> UsersChangedSince(uint64_t after) override;

  // Store::Write calls this once fn succeeded, before the commit: when the
  // transaction touched items or folders, it takes the next change seq,
  // appends the touched users to the change feed and prunes it to the
  // newest feed_keep entries (txn_changes.cpp).
  Status RecordChanges();
  // Store::Write calls this once fn succeeded, before RecordChanges: drops
  // the blobs this transaction put that no item refers to (txn_blobs.cpp).
  Status DropUnclaimedBlobs();

 private:
  // --- bodies (may throw std::bad_alloc) ---
  Result<UserRecord> DoCreateUser(UserRecord user);
  Result<UserRecord> DoGetUserById(UserId id);
  Result<UserRecord> DoGetUser(std::string_view name);
  Status DoReadUser(std::string_view name, UserRecord* out);
  Status DoReadUserById(UserId id, UserRecord* out);
  Status DoUpdateUser(const UserRecord& user);
  Status DoDeleteUser(std::string_view name);
  Result<std::vector<UserRecord>> DoListUsers();

  Result<FolderRecord> DoCreateFolder(FolderRecord folder);
  Result<FolderRecord> DoGetFolder(FolderId id);
  Status DoReadFolder(FolderId id, FolderRecord* out);
  Status DoUpdateFolder(const FolderRecord& folder);
  Status DoDeleteFolder(FolderId id);
  Result<std::vector<FolderRecord>> DoVisibleFolders(UserId user);
  Result<std::vector<HierarchyChange>> DoHierarchyChangesSince(UserId user, uint64_t after);
  Result<size_t> DoTrimHierarchyLog(UserId user, uint64_t through);

  Result<ItemRecord> DoPutItem(ItemRecord item);
  Result<ItemRecord> DoGetItem(FolderId folder, ItemId id);
  Status DoDeleteItem(FolderId folder, ItemId id);
  Result<std::vector<ItemChange>> DoItemChangesSince(FolderId folder, uint64_t after,
                                                     size_t limit);

  Result<std::vector<ItemRecord>> DoItemsAfter(FolderId folder, ItemId after, size_t limit);
  Result<std::vector<ItemRecord>> DoItemsByTime(FolderId folder, uint64_t from,
                                                uint64_t after_time, ItemId after_item,
                                                size_t limit);
  Result<std::vector<ItemRecord>> DoItemsByTimeDescending(FolderId folder, uint64_t from,
                                                          uint64_t before_time,
                                                          ItemId before_item, size_t limit);
  Status DoViewItem(FolderId folder, ItemId id, ItemView* out);
  Result<std::vector<ItemTime>> DoItemTimes(FolderId folder, uint64_t from, uint64_t after_time,
                                            ItemId after_item, size_t limit);
  Result<std::vector<ItemTime>> DoItemTimesDescending(FolderId folder, uint64_t from,
                                                      uint64_t before_time, ItemId before_item,
                                                      size_t limit);
  // The item at a place of the time index, checked against it.
  Status DoViewItemAt(FolderId folder, const ItemTime& at, ItemView* out);
  // The items at these places, copied.
  Result<std::vector<ItemRecord>> ItemsAt(FolderId folder, const std::vector<ItemTime>& at);
  // A time-index scan's step: the key's place onto `at`; false when the
  // scan is to stop (`limit` reached, or *failure set).
  bool TakeTime(FolderId folder, std::string_view key, size_t limit, std::vector<ItemTime>& at,
                Status& failure);
  // Moves the item's items_by_time entry from old_time to new_time (0: none).
  Status IndexTime(FolderId folder, ItemId item, uint64_t old_time, uint64_t new_time);
  // Deletes every item of the folder (being deleted) in one walk, with its
  // time index and the blob reference of each.
  Status DeleteFolderItems(FolderId folder);

  // --- blobs (txn_blobs.cpp) ---
  Result<uint64_t> DoPutBlob(UserId user, std::string_view key, std::string_view bytes);
  Status DoViewBlob(uint64_t blob, std::string_view* out);
  Result<uint64_t> DoFindBlob(UserId user, std::string_view key);
  Status DoDropUnclaimedBlobs();
  // kNotFound when the blob does not exist (its blob_refs record).
  Status ReadBlobRef(uint64_t blob, BlobRef* out);
  // One more item refers to the blob; kNotFound when there is no such blob.
  Status RetainBlob(uint64_t blob);
  // One item fewer refers to the blob; the last one takes it along.
  Status ReleaseBlob(uint64_t blob);
  // Deletes the blob's bytes, its refs record and its key entry.
  Status DropBlob(uint64_t blob, const BlobRef& ref);

  // --- what devices hold (txn_held.cpp) ---
  Status DoSetHeld(UserId user, std::string_view device_id, FolderId folder, ItemId item,
                   bool held);
  Result<bool> DoIsHeld(UserId user, std::string_view device_id, FolderId folder, ItemId item);
  Status DoNoteReader(UserId user, std::string_view device_id, FolderId folder, uint64_t now,
                      bool afresh);
  Status DoTrimTombstone(FolderId folder, uint64_t modseq, ItemId item);
  Result<FolderSweep> DoSweepFolder(FolderId folder, uint64_t now, uint64_t expiry,
                               uint64_t interval);
  struct Reader {
    UserId user = 0;
    std::string device_id;
    uint64_t synced_at = 0;
  };
  Result<std::vector<Reader>> FolderReaders(FolderId folder);
  // Does any of `readers` hold the item?
  Result<bool> HeldByAny(const std::vector<Reader>& readers, FolderId folder, ItemId item);
  // Forgets every reader of the folder and what they hold (folder deleted).
  Status ForgetReaders(FolderId folder);

  Status DoReadDevice(UserId user, std::string_view device_id, DeviceRecord* out);
  Status DoPutDevice(const DeviceRecord& device);
  Status DoDeleteDevice(UserId user, std::string_view device_id);
  Result<std::vector<DeviceRecord>> DoListDevices(std::optional<UserId> user);
  Status DoViewSyncState(UserId user, std::string_view device_id, std::string_view collection,
                         std::string_view* out);
  Status DoPutSyncState(UserId user, std::string_view device_id, std::string_view collection,
                        std::string_view state);
  Status DoDeleteSyncState(UserId user, std::string_view device_id,
                           std::string_view collection);
  Result<std::vector<UserId>> DoUsersChangedSince(uint64_t after);
  Status DoRecordChanges();

  // --- ClientIds and the outgoing queue (txn_outgoing.cpp) ---
  Result<bool> DoRememberClientId(UserId user, std::string_view device_id,
                                  std::string_view client_id, uint64_t now, size_t keep);
  Result<uint64_t> DoQueueOutgoing(OutgoingRecord record);
  Result<OutgoingRecord> DoGetOutgoing(uint64_t id);
  Result<std::vector<OutgoingRecord>> DoListOutgoing(bool with_message);
  Status DoUpdateOutgoing(const OutgoingRecord& record);

  // --- change feed (txn_changes.cpp) ---
  // Remembers that `user` (or everyone who sees `folder`) must hear of
  // this transaction; written by RecordChanges.
  void NoteChange(UserId user);
  void NoteChange(const FolderRecord& folder);

  // --- folder helpers (txn_folders.cpp) ---
  Status SaveFolder(const FolderRecord& folder);
  Status CheckAcl(const FolderRecord& folder);
  Status CheckParent(const FolderRecord& folder);
  // Appends (folder, kind) to the user's hierarchy log under the next seq.
  Status LogHierarchy(UserId user, FolderId folder, ChangeKind kind);
  // Deletes the folder, its subfolders (children first), their items, item
  // logs and index entries, releasing the items' blobs; logs kDelete for
  // owner and ACL users of each.
  Status DeleteFolderTree(const FolderRecord& folder);
  Result<std::vector<FolderId>> ChildFolders(FolderId parent);
  // Removes a deleted user from the ACL of a folder shared with them.
  Status DropFromAcl(FolderId folder, UserId user);
  Status DeleteDevicesOf(UserId user);

  // --- primitives (lmdb_txn.cpp) ---
  Status CheckWritable() const;
  // Records rc as fatal unless it is one a transaction survives.
  Status Check(int rc, std::string_view what);
  // kNotFound (no message) when absent; *value points into the map and is
  // valid only until the next write in this transaction.
  Status Get(MDB_dbi dbi, std::string_view key, std::string_view* value);
  Status Put(MDB_dbi dbi, std::string_view key, std::string_view value);
  // kNotFound when absent.
  Status Del(MDB_dbi dbi, std::string_view key);
  Status DelPrefix(MDB_dbi dbi, std::string_view prefix);
  // 0 when the counter was never set.
  Result<uint64_t> ReadCounter(std::string_view key);
  // Increments and stores the counter; returns the new value.
  Result<uint64_t> BumpCounter(std::string_view key);
  Status WriteCounter(std::string_view key, uint64_t value);

  // Calls fn(key, value) for each entry whose key starts with `prefix`, in
  // key order from the first key >= `start` (>= prefix); fn returns false to
  // stop. fn must not write: views point into the map.
  template <class Fn>
  Status Scan(MDB_dbi dbi, std::string_view prefix, std::string_view start, Fn&& fn);
  // The same backwards: each entry with `prefix` and a key < `end`, in
  // descending key order.
  template <class Fn>
  Status ScanBack(MDB_dbi dbi, std::string_view prefix, std::string_view end, Fn&& fn);

  MDB_txn* txn_;
  const Databases& dbs_;
  bool writable_;
  int fatal_rc_ = 0;
  uint64_t feed_keep_;           // change feed entries to keep (writes only)
  std::vector<UserId> touched_;  // users this transaction changed things for
  // Blobs this transaction put, checked for references before the commit.
  // A transaction object lives for one attempt (Store::Write makes a new
  // one when it runs fn again), so a retry starts with an empty list.
  std::vector<uint64_t> new_blobs_;
};

template <class Fn>
Status LmdbTxn::Scan(MDB_dbi dbi, std::string_view prefix, std::string_view start, Fn&& fn) {
  Cursor cursor;
  Status s = Check(cursor.Open(txn_, dbi), "opening cursor");
  if (!s.ok()) return s;
  if (start < prefix) start = prefix;
  MDB_val key = ToVal(start);
  MDB_val value;
  int rc = cursor.Get(&key, &value, start.empty() ? MDB_FIRST : MDB_SET_RANGE);
  while (rc == MDB_SUCCESS) {
    std::string_view k = ToView(key);
    if (k.substr(0, prefix.size()) != prefix) return Status::Ok();
    if (!fn(k, ToView(value))) return Status::Ok();
    rc = cursor.Get(&key, &value, MDB_NEXT);
  }
  if (rc == MDB_NOTFOUND) return Status::Ok();
  return Check(rc, "reading cursor");
}

template <class Fn>
Status LmdbTxn::ScanBack(MDB_dbi dbi, std::string_view prefix, std::string_view end, Fn&& fn) {
  Cursor cursor;
  Status s = Check(cursor.Open(txn_, dbi), "opening cursor");
  if (!s.ok()) return s;
  MDB_val key = ToVal(end);
  MDB_val value;
  // The first key >= end, then one back; none >= end: the very last.
  int rc = cursor.Get(&key, &value, MDB_SET_RANGE);
  rc = cursor.Get(&key, &value, rc == MDB_SUCCESS ? MDB_PREV : MDB_LAST);
  while (rc == MDB_SUCCESS) {
    std::string_view k = ToView(key);
    if (k.substr(0, prefix.size()) != prefix) return Status::Ok();
    if (k < end && !fn(k, ToView(value))) return Status::Ok();
    rc = cursor.Get(&key, &value, MDB_PREV);
  }
  if (rc == MDB_NOTFOUND) return Status::Ok();
  return Check(rc, "reading cursor");
}

}  // namespace eas::storage
