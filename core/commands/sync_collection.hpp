// One collection of a Sync: the client's commands, the server's changes
// since what the device has seen, and the new state — in one transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.hpp"
#include "core/commands/command.hpp"
#include "core/commands/sync_request.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::commands {

// Limits on one collection's answer.
struct SyncLimits {
  size_t default_window = 100;
  size_t max_window = 512;          // MS-ASCMD's cap; eas_sync_window_max lowers it
  size_t max_bytes = 1024 * 1024;   // a big item still goes alone, then MoreAvailable
  // eas_sync_state_expiry: a device neither syncing a folder nor seen for
  // this long stops holding back the folder's tombstones and must resync
  // it (Status 3). 0 = never.
  uint64_t state_expiry = 30 * 86400;
};

struct CollectionOutcome {
  CollectionOutcome() noexcept {}  // see CollectionRequest: no zeroing first

  // This collection's <Collection> element as a replayable fragment; empty
  // when there is nothing to say (no change, no client command).
  std::string fragment;
  bool need_write = false;  // read pass only: this collection must write
  std::string log;          // a line for the error log, if any
  LogLevel log_level = LogLevel::kInfo;
};

// With writable false only decides (and answers what needs no write).
Status SyncCollection(storage::Txn& txn, CommandContext& ctx, const CollectionRequest& req,
                      const SyncLimits& limits, bool writable, CollectionOutcome& out);

// GetItemEstimate's view of a collection: how many changes the next Sync
// with `sync_key` would bring. `status` is GetItemEstimate's: 1 ok, 2 not a
// collection of the user, 3 key 0 (not primed), 4 unknown key.
// Items outside `filter_type`'s window (Sync's FilterType) are not counted;
// kStoredFilter: the FilterType of the device's last Sync.
constexpr int kStoredFilter = -1;
Status EstimateCollection(storage::Txn& txn, CommandContext& ctx, std::string_view collection_id,
                          std::string_view sync_key, int filter_type, int& status,
                          size_t& estimate);

// "<folder>:<item>" on the wire, and back to the item id if it names an
// item of `folder`.
std::string ItemServerId(uint64_t folder, uint64_t item);
std::optional<storage::ItemId> ParseItemServerId(std::string_view sid, storage::FolderId folder);

}  // namespace eas::core::commands
