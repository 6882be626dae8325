// The LMDB store: one environment, named databases per kind of record,
// big-endian composite keys. Safe across nginx workers and easctl at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.hpp"
#include "storage/records.hpp"
#include "storage/txn_fn.hpp"

namespace eas::storage {

struct OpenOptions {
  uint64_t initial_map_size = 64ull << 20;  // grows by doubling when full
  uint64_t max_map_size = 1ull << 40;
  bool create = true;                       // create the directory/env if missing
  // Change feed entries kept (see Txn::UsersChangedSince): a watcher that
  // falls further behind re-checks everyone instead. 0 keeps them all.
  uint64_t change_feed_keep = 8192;
};

class Txn;
struct CheckReport;
class SyncStateReader;

// What Txn::SweepFolder did.
struct FolderSweep {
  bool ran = false;
  std::vector<std::pair<UserId, std::string>> forgotten;  // (user, device id)
  size_t tombstones_dropped = 0;
};

// One per process (per nginx worker, opened in init_process; per easctl run).
class Store {
 public:
  struct Impl;
  static Result<std::unique_ptr<Store>> Open(const std::string& dir,
                                             const OpenOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs fn in a read-only transaction (a snapshot); never blocks writers.
  Status Read(TxnFn fn);
  // Runs fn in one write transaction, committed (fsync) when fn returns Ok,
  // aborted otherwise. When the map is full the transaction is aborted, the
  // map grown and fn run once more; still full → Code::kStoreFull. fn may
  // therefore run twice and must not have side effects outside the Txn.
  Status Write(TxnFn fn);

  const std::string& path() const;

  // Reads park their transaction, still holding its snapshot, for the next
  // read (see read_txn_pool.hpp). Call this now and then (nginx: at most a
  // second after a request), so no old snapshot of an idle process keeps
  // writers from reusing freed pages.
  void ReleaseIdleSnapshots();
  // Parked transactions holding a snapshot now (for tests).
  size_t IdleSnapshots();

  // While the returned object lives, Read() calls of this thread share one
  // snapshot, begun at the first of them, instead of one each (a request
  // reads its user, its device and its command's records). Write() on this
  // thread ends the shared snapshot first (a Read after it begins a new
  // one that sees the write); a Write() from inside a Read() callback is
  // refused with kInternal, since the snapshot is in use. One hold per
  // thread at a time; a nested hold leaves the outer one in charge.
  //
  // The shared snapshot's state lives inside the hold (every request takes
  // one; no allocation), so a hold stays where HoldReads() returned it.
  class ReadHold {
   public:
    ReadHold(const ReadHold&) = delete;
    ReadHold& operator=(const ReadHold&) = delete;
    ~ReadHold();

    struct State;

   private:
    friend class Store;
    ReadHold() noexcept {}  // an outer hold is in charge (storage_ left as is)
    explicit ReadHold(Impl* impl);
    static constexpr size_t kStateBytes = 160;
    alignas(std::max_align_t) unsigned char storage_[kStateBytes];
    State* state_ = nullptr;  // in storage_, or null
  };
  ReadHold HoldReads();

  // The consistency check (store_check.hpp) over one read snapshot, so a
  // running server's writes never show up as half-made changes. `states`
  // reads the sync states' bytes, which core owns.
  Result<CheckReport> Check(const SyncStateReader& states);

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Typed access inside one transaction. Mutators fail with kPermissionDenied
// in a read transaction. Every getter answers NotFound for a missing record.
class Txn {
 public:
  virtual ~Txn() = default;

  // Users. CreateUser assigns the id (core adds the default folders:
  // core/default_folders.hpp); kAlreadyExists when the name is taken.
  virtual Result<UserRecord> CreateUser(UserRecord user) = 0;
  // Decodes into *out, reusing its storage (every request looks its user
  // up by name); *out is only valid after Ok. GetUser: the same by value.
  virtual Status ReadUser(std::string_view name, UserRecord* out) = 0;
  Result<UserRecord> GetUser(std::string_view name);
  virtual Result<UserRecord> GetUserById(UserId id) = 0;
  virtual Status UpdateUser(const UserRecord& user) = 0;  // by id; name may not change
  // Removes the user with their folders, items, devices and sync states.
  virtual Status DeleteUser(std::string_view name) = 0;
  virtual Result<std::vector<UserRecord>> ListUsers() = 0;
  // The user's directory picture (JPEG bytes, txn_user_pictures.cpp), apart
  // from the record every request reads. View: *out points into the store,
  // valid until this transaction ends or writes; kNotFound when the user
  // has none. Put: empty bytes remove it; kNotFound for no such user.
  virtual Status ViewUserPicture(UserId user, std::string_view* out) = 0;
  virtual Status PutUserPicture(UserId user, std::string_view jpeg) = 0;

  // Folders. Create/Update/Delete append to the hierarchy log of the owner
  // and of every user in the folder's ACL (old and new ACL on update);
  // a hidden folder's changes are logged for nobody (it is never offered).
  // CreateFolder assigns the id; Delete removes subfolders and items too.
  virtual Result<FolderRecord> CreateFolder(FolderRecord folder) = 0;
  // Decodes into *out (every Sync reads its folders); *out is only valid
  // after Ok. GetFolder: the same by value.
  virtual Status ReadFolder(FolderId id, FolderRecord* out) = 0;
  Result<FolderRecord> GetFolder(FolderId id);
  virtual Status UpdateFolder(const FolderRecord& folder) = 0;
  virtual Status DeleteFolder(FolderId id) = 0;
  // Folders the user owns plus folders shared with them, by id.
  virtual Result<std::vector<FolderRecord>> VisibleFolders(UserId user) = 0;
  // The newest hierarchy log seq for the user (0 when none).
  virtual Result<uint64_t> HierarchySeq(UserId user) = 0;
  // Log entries with seq > after, oldest first.
  virtual Result<std::vector<HierarchyChange>> HierarchyChangesSince(
      UserId user, uint64_t after) = 0;
  // Drops the user's log entries with seq <= through (no device state
  // reads them any more); returns how many went. HierarchySeq stays.
  virtual Result<size_t> TrimHierarchyLog(UserId user, uint64_t through) = 0;

  // Items. PutItem with id 0 assigns a new id (kAdd), else replaces (kUpdate).
  // Each bumps the folder's modseq and logs the change.
  virtual Result<ItemRecord> PutItem(ItemRecord item) = 0;
  virtual Result<ItemRecord> GetItem(FolderId folder, ItemId id) = 0;
  // Leaves a tombstone while a reader holds the item (see SetHeld).
  virtual Status DeleteItem(FolderId folder, ItemId id) = 0;
  virtual Result<uint64_t> FolderModseq(FolderId folder) = 0;
  // Item log entries with modseq > after, oldest first, at most `limit`.
  virtual Result<std::vector<ItemChange>> ItemChangesSince(
      FolderId folder, uint64_t after, size_t limit) = 0;

  // Live items of the folder with id > after, by id, at most `limit`: an
  // initial sync walks these, so its cost follows the live items, not the
  // folder's history.
  virtual Result<std::vector<ItemRecord>> ItemsAfter(FolderId folder, ItemId after,
                                                     size_t limit) = 0;

  // Live items of the folder with ItemRecord::time >= `from`, by (time,
  // id), starting after the position (after_time, after_item) when
  // after_item is not 0, at most `limit`. Items with time 0 are not in it.
  // FilterType reads only its window through this.
  virtual Result<std::vector<ItemRecord>> ItemsByTime(FolderId folder, uint64_t from,
                                                      uint64_t after_time, ItemId after_item,
                                                      size_t limit) = 0;

  // The same newest first: live items with time >= `from`, by (time, id)
  // descending, starting before (before_time, before_item) when
  // before_item is not 0. An initial mail sync sends the newest first.
  virtual Result<std::vector<ItemRecord>> ItemsByTimeDescending(FolderId folder, uint64_t from,
                                                                uint64_t before_time,
                                                                ItemId before_item,
                                                                size_t limit) = 0;

  // The same places, without reading the items: a walk that stops early
  // (a full window, a dry run) reads only the items it gets to, with
  // ViewItemAt.
  virtual Result<std::vector<ItemTime>> ItemTimes(FolderId folder, uint64_t from,
                                                  uint64_t after_time, ItemId after_item,
                                                  size_t limit) = 0;
  virtual Result<std::vector<ItemTime>> ItemTimesDescending(FolderId folder, uint64_t from,
                                                            uint64_t before_time,
                                                            ItemId before_item, size_t limit) = 0;

  // The item without a copy of its data: out->data points into the store,
  // valid until this transaction ends or writes. ViewItemAt: the item at
  // a place of the time index, corrupt (kIoError) when it is missing or
  // has another time.
  virtual Status ViewItem(FolderId folder, ItemId id, ItemView* out) = 0;
  virtual Status ViewItemAt(FolderId folder, const ItemTime& at, ItemView* out) = 0;

  // Blobs: large values written once (ItemRecord::blob). PutBlob stores
  // `bytes` for the user's items and returns its id; a blob no item refers
  // to when the transaction commits is dropped then, so put the item in the
  // same transaction. A non-empty `key` names the blob within the user's
  // mailbox (mail: Message-ID and digest of the bytes) while it lives, for
  // FindBlob: a message handed over twice is stored once. kAlreadyExists
  // when the user has a blob with that key; kInvalidArgument for a key of
  // more than 500 bytes (hash a longer one); kNotFound for no such user.
  // PutItem naming a blob that does not exist fails with kNotFound.
  virtual Result<uint64_t> PutBlob(UserId user, std::string_view key, std::string_view bytes) = 0;
  // *out points into the store, valid until this transaction ends or writes.
  virtual Status ViewBlob(uint64_t blob, std::string_view* out) = 0;
  // The user's live blob with this key; NotFound when none.
  virtual Result<uint64_t> FindBlob(UserId user, std::string_view key) = 0;

  // What each device holds of a folder: the items Sync sent it (or it
  // added) and has not told it to drop. Sync sends a Change or Delete only
  // for a held item and an Add only for one not held; DeleteItem leaves a
  // tombstone only while some reader of the folder holds the item.
  virtual Status SetHeld(UserId user, std::string_view device_id, FolderId folder, ItemId item,
                         bool held) = 0;
  virtual Result<bool> IsHeld(UserId user, std::string_view device_id, FolderId folder,
                              ItemId item) = 0;
  // Registers the device as a reader of the folder, last synced at `now`
  // (unix seconds); `afresh` (SyncKey 0) also forgets what it held.
  virtual Status NoteReader(UserId user, std::string_view device_id, FolderId folder,
                            uint64_t now, bool afresh) = 0;
  // Drops the folder's tombstone at `modseq` (of `item`) unless a reader
  // still holds the item.
  virtual Status TrimTombstone(FolderId folder, uint64_t modseq, ItemId item) = 0;
  // At most once per `interval` seconds per folder (else nothing): forgets
  // the readers neither synced nor seen (DeviceRecord::last_seen) within
  // `expiry` seconds of `now` (0: none), with what they hold, and drops
  // every tombstone no remaining reader holds. The caller drops the
  // forgotten devices' sync states of the folder (it owns their format).
  virtual Result<FolderSweep> SweepFolder(FolderId folder, uint64_t now, uint64_t expiry,
                                          uint64_t interval) = 0;

  // Devices, keyed by (user, device id).
  // Decodes into *out, without moving it there: the device gate reads the
  // record on every request. *out is only valid after Ok. GetDevice: the
  // same by value.
  virtual Status ReadDevice(UserId user, std::string_view device_id, DeviceRecord* out) = 0;
  Result<DeviceRecord> GetDevice(UserId user, std::string_view device_id);
  virtual Status PutDevice(const DeviceRecord& device) = 0;
  virtual Status DeleteDevice(UserId user, std::string_view device_id) = 0;  // and its sync states
  virtual Result<std::vector<DeviceRecord>> ListDevices(std::optional<UserId> user) = 0;

  // Opaque per-(user, device, collection) sync state; core owns the format.
  // collection "" is the folder hierarchy.
  // *out points into the store and is valid until this transaction ends
  // (or writes): a no-change Sync reads two states without a copy.
  // GetSyncState: a copy.
  virtual Status ViewSyncState(UserId user, std::string_view device_id,
                               std::string_view collection, std::string_view* out) = 0;
  Result<std::string> GetSyncState(UserId user, std::string_view device_id,
                                   std::string_view collection);
  virtual Status PutSyncState(UserId user, std::string_view device_id,
                              std::string_view collection, std::string_view state) = 0;
  virtual Status DeleteSyncState(UserId user, std::string_view device_id,
                                 std::string_view collection) = 0;

  // SendMail ClientIds (MS-ASCMD: a resent ClientId is not sent again),
  // per device. Records the id as used at `now` and answers true, or
  // answers false when the device used it already (nothing written).
  // Keeps the newest `keep` ids per device; older ones are forgotten.
  // kInvalidArgument for an empty id or one of more than
  // keys::kMaxClientIdSize bytes. Deleting the device forgets its ids.
  virtual Result<bool> RememberClientId(UserId user, std::string_view device_id,
                                        std::string_view client_id, uint64_t now,
                                        size_t keep) = 0;

  // The outgoing queue (txn_outgoing.cpp). QueueOutgoing assigns the id;
  // ListOutgoing gives every entry by id, without the message bytes
  // unless `with_message`; UpdateOutgoing rewrites one (kNotFound when it
  // went meanwhile), DeleteOutgoing removes it (kNotFound when absent).
  virtual Result<uint64_t> QueueOutgoing(OutgoingRecord record) = 0;
  virtual Result<OutgoingRecord> GetOutgoing(uint64_t id) = 0;
  virtual Result<std::vector<OutgoingRecord>> ListOutgoing(bool with_message) = 0;
  virtual Status UpdateOutgoing(const OutgoingRecord& record) = 0;
  virtual Status DeleteOutgoing(uint64_t id) = 0;

  // Out of office, per user (txn_oof.cpp). GetOof: kNotFound when never
  // set. PutOof also forgets every sender replied to (NoteAutoReply): a new
  // setting starts a new period.
  virtual Result<OofRecord> GetOof(UserId user) = 0;
  virtual Status PutOof(UserId user, const OofRecord& record) = 0;
  // The automatic replies a user sent, per sender (core gives the address
  // in one letter case). Answers true and records `now` when `sender` was
  // not replied to within the last `interval` seconds; false, writing
  // nothing, when it was. kInvalidArgument for an empty sender or one of
  // more than keys::kMaxSenderSize bytes.
  virtual Result<bool> NoteAutoReply(UserId user, std::string_view sender, uint64_t now,
                                     uint64_t interval) = 0;

  // Change feed, for push: every committed write transaction that changed
  // items or folders takes the next global change seq and records the users
  // it touched (owner and ACL users of each folder; a deleted user). A
  // watcher remembers the seq it has looked at and asks who changed since.
  // The feed keeps the newest OpenOptions::change_feed_keep entries (older
  // ones go at commit time). Sync states are not changes, nor are
  // devices, except a change of a device's access or wipe state.
  // The newest change seq (0 when the store never changed).
  virtual Result<uint64_t> ChangeSeq() = 0;
  // Users touched by the transactions with seq > after, sorted, unique.
  // kNotFound when the feed no longer reaches back to after + 1 (pruned, or
  // `after` is from another store): the caller must assume every user
  // changed.
  virtual Result<std::vector<UserId>> UsersChangedSince(uint64_t after) = 0;
};

}  // namespace eas::storage
