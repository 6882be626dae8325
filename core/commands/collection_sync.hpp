// The Sync of one collection inside its transaction (private to Sync's
// files): the client's commands applied (collection_apply.cpp), the
// server's changes collected and the answer and next state written
// (collection_sync.cpp). Knows no item class: what differs per class is
// items::ItemClass.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/collection_state.hpp"
#include "core/commands/sync_changes.hpp"
#include "core/commands/sync_collection.hpp"
#include "core/items/item_class.hpp"
#include "storage/records.hpp"

namespace eas::core::commands {

enum SyncStatus {
  kSyncSuccess = 1, kSyncInvalidKey = 3, kSyncProtocolError = 4, kSyncServerError = 5,
  kSyncNotPermitted = 6, kSyncObjectNotFound = 8, kSyncHierarchyChanged = 12,
  kSyncInvalidItem = 6,  // "error in client/server conversion": an item we cannot take
};

// The folder a collection names, as this user may use it.
struct SyncTarget {
  storage::FolderRecord folder;
  bool writable = false;
  const items::ItemClass* item_class = nullptr;
};

// The folder behind a CollectionId (or MoveItems' SrcFldId / DstFldId),
// read into *target; *found is false when this user may not use it (no
// such folder, hidden, foreign).
Status ResolveTarget(storage::Txn& txn, const CommandContext& ctx, std::string_view collection_id,
                     SyncTarget* target, bool* found);

// The stored answer of a collection (replayed to a resent key), kept apart
// from its state: the state is read on every Sync, the answer only then.
std::string AnswerKey(std::string_view collection_id);
Status SaveAnswer(storage::Txn& txn, const CommandContext& ctx, std::string_view collection_id,
                  std::string_view answer);

// A change the device made itself after its position.
bool IsOwn(const CollectionState& s, storage::ItemId item, uint64_t modseq);

// Runs the folder's sweep when due (Txn::SweepFolder) and drops the sync
// states of the devices it forgot: their next Sync gets Status 3. Says in
// *log whom it forgot.
Status SweepFolder(storage::Txn& txn, storage::FolderId folder, uint64_t now, uint64_t expiry,
                   std::string* log);

// What a scan of the target's changes for this request's device starts from.
ChangeScan::Options ScanOptions(const CommandContext& ctx, const SyncTarget& target);
// Where the device stands, as a scan moves it.
inline ScanPosition PositionOf(const CollectionState& s) {
  return {s.initial, s.snapshot, s.cursor, s.cursor_time, s.seen_modseq, s.oldest_held};
}
// Whether a device whose state is `s` may have items to age out of its
// FilterType window at `now` (CollectionState::age_at); the no-change
// Sync's test, next to the folder's modseq.
inline bool MayAgeOut(const CollectionState& s, uint64_t now) { return now >= s.age_at; }
// The scan options of a Sync of `target` with `filter_type`, for a device
// whose stored Options are `stored_options` (CollectionState::options).
ChangeScan::Options WindowedScanOptions(const CommandContext& ctx, const SyncTarget& target,
                                        int filter_type, std::string_view stored_options);

class CollectionSync {
 public:
  // `target` and `state` outlive this object (the caller's).
  CollectionSync(storage::Txn& txn, CommandContext& ctx, const CollectionRequest& req,
                 const SyncLimits& limits, const SyncTarget& target, const CollectionState& state);

  // Applies the client's commands (write pass only).
  Status ApplyCommands();
  // Collects what the device is sent next (sync_changes.hpp), within the
  // window and bytes. With dry_run, only says whether the write pass has
  // anything to do: changes to send, or a position to record.
  Status CollectChanges(bool dry_run, bool& any);
  // Nothing to tell the device, but changes it never gets (outside its
  // FilterType, its own, deletes of items it never had) were passed:
  // remember that, same key.
  Status AdvanceSeen();
  // The answer and the device's next state.
  Status Finish(CollectionOutcome& out);

  // A line for the log from this Sync's housekeeping, if any.
  const std::string& log() const { return log_; }

 private:
  struct Reply {
    ClientCommand::Kind kind;
    std::string client_id, server_id;
    int status = kSyncSuccess;
    std::string application_data;  // Fetch: rendered (RenderItem)
    // Attachments a composed Add or Change added: ClientId, FileReference.
    std::vector<std::pair<std::string, std::string>> attachments;
  };
  // A server-side change to send in <Commands>.
  struct Outgoing {
    enum Kind { kAdd, kChange, kDelete, kSoftDelete } kind;
    std::string server_id;
    std::string application_data;  // rendered (RenderItem); empty for a (Soft)Delete
  };

  // The item's <ApplicationData> as the client asked for it, rendered when
  // it is chosen, so the answer's byte limit counts what is really sent.
  std::string RenderItem(const items::StoredItem& item, items::RenderScope scope) const;

  // The scan's position into `next`; own changes it passed are forgotten.
  void SetPosition(CollectionState& next) const;
  // The device now holds an Add's item and no longer a Delete's; a
  // tombstone no device needs any more goes.
  Status NoteSent(const ServerChange& change);
  // The device is a current reader of the folder; now and then the folder
  // forgets readers gone for longer than the expiry (their sync states
  // with them: they resync, Status 3) and the tombstones nobody needs.
  Status NoteSynced();
  // A change this very request made.
  bool IsOwnNow(storage::ItemId item, uint64_t modseq) const;

  Status Apply(const ClientCommand& cmd);
  Status ApplyAdd(const ClientCommand& cmd, Reply& reply);
  Status ApplyChange(const ClientCommand& cmd, storage::ItemRecord& existing, Reply& reply,
                     bool& answered);
  // An Add (`existing` null) or Change the item's class composes
  // (ItemClass::Composes: 16.x drafts), stored or sent; *plain when the
  // class leaves this Change to the usual path (Composed::kPlain).
  Status ApplyComposed(const ClientCommand& cmd, const storage::ItemRecord* existing,
                       Reply& reply, bool& answered, bool* plain);
  // Whether the item's class takes what the client sent (else Status 6 in
  // `reply` and a log line).
  bool Acceptable(const wbxml::Element& application_data, Reply& reply);
  // Tells the item's class what the client writes (ItemClass::OnClientWrite).
  Status ClientWrote(std::string_view before, uint64_t before_blob, storage::ItemRecord* item);
  Status ApplyDelete(const ClientCommand& cmd, storage::ItemRecord& existing, Reply& reply,
                     bool& answered);

  std::string Render(const std::string& key) const;
  void WriteReply(wbxml::Writer& w, const Reply& r) const;

  storage::Txn& txn_;
  CommandContext& ctx_;
  const CollectionRequest& req_;
  const SyncLimits& limits_;
  const SyncTarget& target_;
  const CollectionState& state_;
  const items::RenderOptions render_options_;
  std::vector<Reply> replies_;
  std::vector<Outgoing> outgoing_;
  std::vector<std::pair<uint64_t, uint64_t>> own_changes_;
  std::vector<std::pair<std::string, std::string>> new_client_ids_;
  ScanPosition pos_;
  bool scanned_ = false;  // CollectChanges ran a scan, with this cutoff:
  uint64_t cutoff_ = 0;
  bool more_ = false;
  std::string log_;
};

}  // namespace eas::core::commands
