#include "core/commands/sync_changes.hpp"

#include <algorithm>

#include "core/items/item_class.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

// Records read from the store at a time; a refused change stops the scan,
// so a window of a few items reads little more than it sends.
constexpr size_t kBatch = 64;

}  // namespace

bool ChangeScan::OutsideWindow(const storage::ItemRecord& item) const {
  return options_.cutoff != 0 && options_.item_class != nullptr &&
         options_.item_class->OutsideWindow(item.data, item.time, options_.cutoff);
}

Status ChangeScan::Run(const TakeFn& take) {
  if (pos_.initial) {
    if (Status s = WalkLiveItems(take); !s.ok() || more_) return s;
    pos_.initial = false;
    pos_.seen = std::max(pos_.seen, pos_.snapshot);
  }
  return ReadLog(take);
}

Status ChangeScan::WalkLiveItems(const TakeFn& take) {
  const bool by_time = options_.item_class != nullptr && options_.item_class->WalksByTime();
  for (;;) {
    // By time, the window's start bounds the walk: older items are not read.
    auto items = by_time ? txn_.ItemsByTimeDescending(options_.folder, options_.cutoff,
                                                      pos_.cursor_time, pos_.cursor, kBatch)
                         : txn_.ItemsAfter(options_.folder, pos_.cursor, kBatch);
    if (!items.ok()) return items.status();
    for (auto& item : *items) {
      // Changed after the snapshot: the log sends it, as an Add, since the
      // device does not hold it.
      const bool later = item.modseq > pos_.snapshot;
      if (!later && !OutsideWindow(item)) {
        ServerChange change{ServerChange::kAdd, item.id, 0, std::move(item.data), item.blob};
        if (!take(change)) {
          more_ = true;
          return Status::Ok();
        }
      }
      pos_.cursor = item.id;
      pos_.cursor_time = item.time;
    }
    if (items->size() < kBatch) return Status::Ok();
  }
}

Status ChangeScan::ReadLog(const TakeFn& take) {
  for (;;) {
    auto changes = txn_.ItemChangesSince(options_.folder, pos_.seen, kBatch);
    if (!changes.ok()) return changes.status();
    for (const auto& entry : *changes) {
      if (is_own_ && is_own_(entry.item, entry.modseq)) {
        pos_.seen = entry.modseq;
        continue;
      }
      auto held = txn_.IsHeld(options_.user, options_.device_id, options_.folder, entry.item);
      if (!held.ok()) return held.status();
      ServerChange change{ServerChange::kDelete, entry.item, entry.modseq, {}};
      if (entry.kind == storage::ChangeKind::kDelete) {
        if (!*held) {  // never sent to this device: not its business
          if (options_.trim) {
            Status s = txn_.TrimTombstone(options_.folder, entry.modseq, entry.item);
            if (!s.ok()) return s;
          }
          pos_.seen = entry.modseq;
          continue;
        }
      } else {
        auto item = txn_.GetItem(options_.folder, entry.item);
        if (!item.ok()) return item.status();
        if (!*held && OutsideWindow(*item)) {
          pos_.seen = entry.modseq;  // outside the device's window: not sent
          continue;
        }
        change.kind = *held ? ServerChange::kChange : ServerChange::kAdd;
        change.data = std::move(item->data);
        change.blob = item->blob;
      }
      if (!take(change)) {
        more_ = true;
        return Status::Ok();
      }
      pos_.seen = entry.modseq;
    }
    if (changes->size() < kBatch) return Status::Ok();
  }
}

}  // namespace eas::core::commands
