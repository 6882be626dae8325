// What a device is sent next of one collection, in order.
//
// The device's position says how far it got: an initial sync (after
// SyncKey 0) walks the folder's live items by id as of a snapshot modseq,
// leaving items changed after the snapshot to the change log; then the
// change log after the snapshot takes over. Whether a live item goes out
// as an Add or a Change depends only on whether the device holds it
// (Txn::IsHeld), and a tombstone goes out only to a device that holds its
// item — never on log positions, which the log's newest-entry-per-item
// rule makes ambiguous once another item's entry passes them.
//
// For a class walked by time (mail), the FilterType window moves: as time
// passes, held items that fell out of it go as SoftDeletes (the device
// drops them, the server keeps them), oldest first, before the log; a
// wider FilterType than before walks the new window again, newest first,
// and offers what the device does not hold.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }
namespace eas::core::items { class ItemClass; }

namespace eas::core::commands {

// The item's data is a view into the store (Txn::ViewItem): valid while
// the change is offered, until the transaction writes. So a taker uses it
// (renders the item) before it writes anything (Txn::SetHeld).
struct ServerChange {
  enum Kind { kAdd, kChange, kDelete, kSoftDelete } kind = kAdd;
  storage::ItemId item = 0;
  uint64_t modseq = 0;     // its change log entry; 0 from a walk
  std::string_view data;   // the item (Add, Change)
  uint64_t blob = 0;       // ... and its blob
};

// No held item is older than this: nothing held to age out (the walk-by-
// time classes' ScanPosition::oldest_held).
constexpr uint64_t kNothingHeld = UINT64_MAX;

// The part of a CollectionState a scan moves.
struct ScanPosition {
  bool initial = false;        // still walking the live items
  uint64_t snapshot = 0;       // ... as of this modseq
  storage::ItemId cursor = 0;  // ... and past this item id
  uint64_t cursor_time = 0;    // ... with this time, walking by time (newest first)
  uint64_t seen = 0;           // the log is read after this modseq
  // Walking by time: no item the device holds has an earlier time (a
  // lower bound; kNothingHeld when it holds none). Items age out of its
  // window only once the window's start passes this.
  uint64_t oldest_held = kNothingHeld;
};

class ChangeScan {
 public:
  struct Options {
    storage::UserId user = 0;
    std::string_view device_id;
    storage::FolderId folder = 0;
    // The folder's item class and its FilterType cutoff (0: none): items
    // outside the window are not sent to a device that does not hold them.
    const items::ItemClass* item_class = nullptr;
    uint64_t cutoff = 0;
    // The FilterType is wider than the one the device synced with: the
    // window is walked again for what it does not hold.
    bool widened = false;
    bool trim = false;    // write pass: drop unneeded tombstones on the way
  };
  // A change the device made itself: never echoed back.
  using IsOwnFn = std::function<bool(storage::ItemId item, uint64_t modseq)>;
  // Offered each change the device is to be sent; false refuses it (the
  // window is full, or an error the caller keeps) and ends the scan.
  using TakeFn = std::function<bool(ServerChange& change)>;

  ChangeScan(storage::Txn& txn, const Options& options, const ScanPosition& from,
             IsOwnFn is_own)
      : txn_(txn), options_(options), pos_(from), is_own_(std::move(is_own)) {}

  // Changes the device is not sent (its own, tombstones of items it never
  // held, events outside its window) are passed over.
  Status Run(const TakeFn& take);

  // Past everything taken or passed over; a refused change is not passed.
  const ScanPosition& position() const { return pos_; }
  // A change was refused: something remains for the next Sync.
  bool more() const { return more_; }

 private:
  bool OutsideWindow(const storage::ItemView& item) const;
  bool WalksByTime() const;
  Status WalkLiveItems(const TakeFn& take);
  // The walk's step: a live item offered unless the log sends it or it
  // lies outside the window; false when it was refused (more_ is set).
  Result<bool> OfferLive(const storage::ItemView& item, const TakeFn& take);
  // Held items older than the window's start go as SoftDeletes.
  Status AgeOut(const TakeFn& take);
  // After AgeOut: the time of the oldest held item left (a lower bound).
  Status FindOldestHeld();
  // An Add of an item with this time is taken.
  void NoteHeld(uint64_t time);
  Status ReadLog(const TakeFn& take);

  storage::Txn& txn_;
  Options options_;
  ScanPosition pos_;
  IsOwnFn is_own_;
  bool more_ = false;
};

}  // namespace eas::core::commands
