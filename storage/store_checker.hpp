// The walk behind Store::Check (private to storage/): every database read
// once, in an order where each one's records can be held against those
// read before. One file per concern: store_check.cpp (driver, counters,
// change feed), check_folders.cpp (users, folders, their indexes),
// check_items.cpp (items, change logs, time index, blobs),
// check_devices.cpp (devices, sync states, holdings, the queue).
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.hpp"
#include "storage/databases.hpp"
#include "storage/lmdb_handles.hpp"
#include "storage/records.hpp"
#include "storage/store_check.hpp"

namespace eas::storage {

// Reads a key's parts in order; a short or malformed key makes ok() false
// and every later part 0 or empty.
class KeyParts {
 public:
  explicit KeyParts(std::string_view key) : key_(key) {}
  uint32_t Be32();
  uint64_t Be64();
  std::string_view DeviceId();  // BE16 length, then the id
  std::string_view Rest();
  bool ok() const { return ok_; }
  bool AtEnd() const { return ok_ && at_ == key_.size(); }

 private:
  // Steps over n bytes; false (and not ok() from then on) when fewer are left.
  bool Take(size_t n);
  std::string_view key_;
  size_t at_ = 0;
  bool ok_ = true;
};

// "1/PHONE/5": a key's parts as the problem lines print them.
std::string KeyLabel(std::initializer_list<std::string_view> parts);
std::string Num(uint64_t n);
// Text from the store (device ids, collection names) with anything but
// printable ASCII as '?', so a problem line stays one line.
std::string Printable(std::string_view bytes);

class StoreChecker {
 public:
  StoreChecker(MDB_txn* txn, const Databases& dbs, const SyncStateReader& states,
               CheckReport* report)
      : txn_(txn), dbs_(dbs), states_(states), report_(report) {}

  Status Run();

 private:
  using ItemKey = std::pair<FolderId, ItemId>;
  struct ItemFacts {
    uint64_t modseq = 0, time = 0, blob = 0;
  };
  // A device by its key (BE32 user, BE16 length, id).
  using DeviceKey = std::string;

  // Calls fn(key, value) for every entry of dbi, in key order.
  template <class Fn>
  Status Each(MDB_dbi dbi, Fn&& fn);
  // The value at key, or nullopt when there is none.
  std::optional<std::string_view> Get(MDB_dbi dbi, std::string_view key);
  void Problem(std::string_view db, std::string key, std::string what);
  uint64_t Counter(std::string_view name) const;
  uint64_t Counter(std::string_view name, uint64_t scope, bool wide) const;

  // store_check.cpp
  Status ReadCounters();
  Status CheckCounters();
  Status CheckChangeFeed();
  // check_folders.cpp
  Status CheckUsers();
  Status CheckFolders();
  Status CheckUserFolders();
  Status CheckChildren();
  Status CheckHierarchyLog();
  Status CheckUserRecords();  // oof, user_pictures
  // check_items.cpp
  Status CheckItems();
  Status CheckItemLog();
  Status CheckTimeIndex();
  Status CheckBlobs();
  Status CheckBlobKeys();
  // check_devices.cpp
  Status CheckDevices();
  Status CheckSyncStates();
  Status CheckReaders();
  Status CheckHeld();
  Status CheckClientIds();
  Status CheckOutgoing();
  // A sync state naming a folder: false (and counted or reported) when
  // the folder is not there.
  bool StateFolderExists(const std::string& label, FolderId folder);

  MDB_txn* txn_;
  const Databases& dbs_;
  const SyncStateReader& states_;
  CheckReport* report_;

  std::map<std::string, uint64_t> counters_;  // meta key → value
  std::map<UserId, UserRecord> users_;
  std::map<FolderId, FolderRecord> folders_;
  std::map<ItemKey, ItemFacts> items_;
  std::map<ItemKey, uint64_t> tombstones_;   // item → modseq of its delete
  std::map<uint64_t, uint64_t> blob_uses_;   // blob → items naming it
  std::set<uint64_t> blob_refs_;             // blobs with a blob_refs record
  std::set<DeviceKey> devices_;
  std::set<std::pair<FolderId, DeviceKey>> readers_;
};

template <class Fn>
Status StoreChecker::Each(MDB_dbi dbi, Fn&& fn) {
  Cursor cursor;
  int rc = cursor.Open(txn_, dbi);
  if (rc != MDB_SUCCESS) return Status::Io(std::string("opening a cursor: ") + mdb_strerror(rc));
  MDB_val key, value;
  for (rc = cursor.Get(&key, &value, MDB_FIRST); rc == MDB_SUCCESS;
       rc = cursor.Get(&key, &value, MDB_NEXT)) {
    fn(ToView(key), ToView(value));
  }
  if (rc == MDB_NOTFOUND) return Status::Ok();
  return Status::Io(std::string("reading the store: ") + mdb_strerror(rc));
}

}  // namespace eas::storage
