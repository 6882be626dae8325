// What a device knows of one collection (folder) it syncs: stored per
// (user, device, collection id) as an opaque sync state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core {

struct CollectionState {
  uint64_t key = 0;          // current SyncKey number; counts up, never reused
  // Every folder change up to this reached the device (or was not for it).
  uint64_t seen_modseq = 0;
  // An initial sync (after SyncKey 0) first walks the live items by id as
  // of `snapshot`, the folder's modseq at SyncKey 0; `cursor` is the last
  // item id it passed. Then seen_modseq = snapshot and the log takes over.
  bool initial = false;
  uint64_t snapshot = 0;
  uint64_t cursor = 0;
  uint64_t cursor_time = 0;  // the cursor's time, when the walk goes by time
  // Walking by time (mail): no held item is older (ScanPosition's), and
  // the time at which the oldest one leaves the FilterType window; until
  // then a Sync has nothing to age out. UINT64_MAX: never.
  uint64_t oldest_held = UINT64_MAX;
  uint64_t age_at = UINT64_MAX;
  // The client's last Options, sticky across requests (EncodeSyncOptions
  // in core/commands/sync_request.hpp); empty before any.
  std::string options;
  // The Supported element of the device's SyncKey 0 for this collection
  // (items::EncodeSupported; empty: it sent none): which properties its
  // Changes own (core/items/ghosting.hpp).
  std::string supported;
  // The key of the Sync that produced `key`: a client that lost the answer
  // resends it and gets that answer again (kept apart from this state, see
  // core/commands/sync_collection.cpp, so the frequent reads stay small).
  std::string last_request_key;
  // Recent client Adds (ClientId → ServerId): a resent Add must not make a
  // second item. Bounded; oldest dropped first.
  std::vector<std::pair<std::string, std::string>> client_ids;
  uint64_t replays = 0;  // how often the previous key came back in a row
  // Changes the device made itself after seen_modseq: (item id, modseq).
  // Paging must not echo them back; pruned once seen_modseq passes them.
  std::vector<std::pair<uint64_t, uint64_t>> own_changes;

  std::string KeyString() const { return std::to_string(key); }
  // The modseq up to which the device has every change it should have.
  uint64_t Position() const { return initial ? snapshot : seen_modseq; }
  // Is `text` this state's SyncKey (as KeyString() writes it)?
  bool IsKey(std::string_view text) const;
};

std::string EncodeCollectionState(const CollectionState& state);
// Decodes into *out in place (read on every Sync); false for bytes that are
// not a state we wrote (treated as no state), *out is then unusable.
bool DecodeCollectionState(std::string_view bytes, CollectionState* out);

// The device's state of a collection, read from txn into *state; *found is
// false when it has none (or an unreadable one). Errors are the store's.
Status LoadCollectionState(storage::Txn& txn, storage::UserId user, std::string_view device_id,
                           std::string_view collection, CollectionState* state, bool* found);

}  // namespace eas::core
