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

bool ChangeScan::OutsideWindow(const storage::ItemView& item) const {
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
    auto places = txn_.ItemTimes(options_.folder, pos_.oldest_held, after_time, after_item, kBatch);
    if (!places.ok()) return places.status();
    for (const auto& at : *places) {
      if (at.time >= options_.cutoff) return FindOldestHeld();
      auto held = txn_.IsHeld(options_.user, options_.device_id, options_.folder, at.id);
      if (!held.ok()) return held.status();
      if (*held) {
        ServerChange change{ServerChange::kSoftDelete, at.id, 0, {}};
        if (!take(change)) {
          more_ = true;
          return Status::Ok();
        }
      }
      // Held ones went; what is left before the next one is not held.
      pos_.oldest_held = at.time;
      after_time = at.time;
      after_item = at.id;
    }
    if (places->size() < kBatch) return FindOldestHeld();
  }
}

Status ChangeScan::FindOldestHeld() {
  auto places = txn_.ItemTimes(options_.folder, options_.cutoff, 0, 0, kOldestHeldSearch);
  if (!places.ok()) return places.status();
  pos_.oldest_held = kNothingHeld;
  for (const auto& at : *places) {
    auto held = txn_.IsHeld(options_.user, options_.device_id, options_.folder, at.id);
    if (!held.ok()) return held.status();
    if (*held) {
      pos_.oldest_held = at.time;
      return Status::Ok();
    }
  }
  // None of the first ones: the last one read bounds the rest.
  if (places->size() == kOldestHeldSearch) pos_.oldest_held = places->back().time;
  return Status::Ok();
}

Result<bool> ChangeScan::OfferLive(const storage::ItemView& item, const TakeFn& take) {
  // Changed after the snapshot: the log sends it, as an Add, since the
  // device does not hold it.
  const bool later = item.modseq > pos_.snapshot;
  if (!later && !OutsideWindow(item)) {
    // Held already: a wider window walked again (an initial walk follows
    // SyncKey 0, which forgets what the device held).
    auto held = txn_.IsHeld(options_.user, options_.device_id, options_.folder, item.id);
    if (!held.ok()) return held.status();
    if (!*held) {
      ServerChange change{ServerChange::kAdd, item.id, 0, item.data, item.blob};
      if (!take(change)) {
        more_ = true;
        return false;
      }
      NoteHeld(item.time);
    }
  }
  pos_.cursor = item.id;
  pos_.cursor_time = item.time;
  return true;
}

Status ChangeScan::WalkLiveItems(const TakeFn& take) {
  if (WalksByTime()) {
    // By time, the window's start bounds the walk: older items are not
    // read. Each item is read when the walk gets to it, in place: the
    // taker renders it before it writes.
    for (;;) {
      auto places = txn_.ItemTimesDescending(options_.folder, options_.cutoff, pos_.cursor_time,
                                             pos_.cursor, kBatch);
      if (!places.ok()) return places.status();
      for (const auto& at : *places) {
        storage::ItemView item;
        if (Status s = txn_.ViewItemAt(options_.folder, at, &item); !s.ok()) return s;
        auto offered = OfferLive(item, take);
        if (!offered.ok()) return offered.status();
        if (!*offered) return Status::Ok();
      }
      if (places->size() < kBatch) return Status::Ok();
    }
  }
  for (;;) {
    auto items = txn_.ItemsAfter(options_.folder, pos_.cursor, kBatch);
    if (!items.ok()) return items.status();
    for (const auto& item : *items) {
      auto offered = OfferLive(storage::ViewOf(item), take);
      if (!offered.ok()) return offered.status();
      if (!*offered) return Status::Ok();
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
        storage::ItemView item;  // in place: nothing writes before take()
        if (Status s = txn_.ViewItem(options_.folder, entry.item, &item); !s.ok()) return s;
        if (!*held && OutsideWindow(item)) {
          pos_.seen = entry.modseq;  // outside the device's window: not sent
          continue;
        }
        change.kind = *held ? ServerChange::kChange : ServerChange::kAdd;
        change.data = item.data;
        change.blob = item.blob;
        if (!*held) NoteHeld(item.time);
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
