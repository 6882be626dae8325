#include "core/commands/sync_changes.hpp"

#include <algorithm>

#include "core/items/item_class.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

// Records read from the store at a time; a refused change stops the scan,
// so a window of a few items reads little more than it sends.
constexpr size_t kBatch = 64;
// Items read after the window's start, looking for the oldest one held,
// before settling for a lower bound.
constexpr size_t kOldestHeldSearch = 64;

}  // namespace

bool ChangeScan::OutsideWindow(const storage::ItemRecord& item) const {
  return options_.cutoff != 0 && options_.item_class != nullptr &&
         options_.item_class->OutsideWindow(item.data, item.time, options_.cutoff);
}

bool ChangeScan::WalksByTime() const {
  return options_.item_class != nullptr && options_.item_class->WalksByTime();
}

void ChangeScan::NoteHeld(uint64_t time) {
  if (WalksByTime() && time != 0) pos_.oldest_held = std::min(pos_.oldest_held, time);
}

Status ChangeScan::Run(const TakeFn& take) {
  if (!pos_.initial && options_.widened && WalksByTime()) {
    // The whole new window again, newest first, as of now; what changes
    // later comes by the log. Items the device holds are passed over.
    pos_.initial = true;
    pos_.snapshot = pos_.seen;
    pos_.cursor = 0;
    pos_.cursor_time = 0;
  }
  if (pos_.initial) {
    if (Status s = WalkLiveItems(take); !s.ok() || more_) return s;
    pos_.initial = false;
    pos_.seen = std::max(pos_.seen, pos_.snapshot);
  }
  if (WalksByTime() && options_.cutoff > pos_.oldest_held) {
    if (Status s = AgeOut(take); !s.ok() || more_) return s;
  }
  return ReadLog(take);
}

Status ChangeScan::AgeOut(const TakeFn& take) {
  uint64_t after_time = 0;
  storage::ItemId after_item = 0;
  for (;;) {
    auto items = txn_.ItemsByTime(options_.folder, pos_.oldest_held, after_time, after_item, kBatch);
    if (!items.ok()) return items.status();
    for (const auto& item : *items) {
      if (item.time >= options_.cutoff) return FindOldestHeld();
      auto held = txn_.IsHeld(options_.user, options_.device_id, options_.folder, item.id);
      if (!held.ok()) return held.status();
      if (*held) {
        ServerChange change{ServerChange::kSoftDelete, item.id, 0, {}};
        if (!take(change)) {
          more_ = true;
          return Status::Ok();
        }
      }
      // Held ones went; what is left before the next one is not held.
      pos_.oldest_held = item.time;
      after_time = item.time;
      after_item = item.id;
    }
    if (items->size() < kBatch) return FindOldestHeld();
  }
}

Status ChangeScan::FindOldestHeld() {
  auto items = txn_.ItemsByTime(options_.folder, options_.cutoff, 0, 0, kOldestHeldSearch);
  if (!items.ok()) return items.status();
  pos_.oldest_held = kNothingHeld;
  for (const auto& item : *items) {
    auto held = txn_.IsHeld(options_.user, options_.device_id, options_.folder, item.id);
    if (!held.ok()) return held.status();
    if (*held) {
      pos_.oldest_held = item.time;
      return Status::Ok();
    }
  }
  // None of the first ones: the last one read bounds the rest.
  if (items->size() == kOldestHeldSearch) pos_.oldest_held = items->back().time;
  return Status::Ok();
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
        // Held already: a wider window walked again (an initial walk
        // follows SyncKey 0, which forgets what the device held).
        auto held = txn_.IsHeld(options_.user, options_.device_id, options_.folder, item.id);
        if (!held.ok()) return held.status();
        ServerChange change{ServerChange::kAdd, item.id, 0, std::move(item.data), item.blob};
        if (!*held && !take(change)) {
          more_ = true;
          return Status::Ok();
        }
        if (!*held) NoteHeld(item.time);
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
        if (!*held) NoteHeld(item->time);
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
