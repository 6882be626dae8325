// The Ping command's look at the store, shared by the handler (first look,
// core/commands/ping.cpp) and the watcher that re-checks held Pings
// (core/push/ping_watcher.cpp), and the answers both send.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/push/ping_params.hpp"
#include "core/push/ping_wait.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::push {

// MS-ASCMD 2.2.3.177.11.
enum PingStatus {
  kPingExpired = 1,          // heartbeat over without changes; ping again
  kPingChanges = 2,          // the listed folders changed; sync them
  kPingMissingParameters = 3,
  kPingSyntaxError = 4,
  kPingBadHeartbeat = 5,     // with the nearest allowed HeartbeatInterval
  kPingTooManyFolders = 6,   // with MaxFolders
  kPingFolderSyncRequired = 7,
  kPingServerError = 8,
};

// What a look found: an answer now (Status 2 or 7, or the device refused)
// or a wait.
struct PingOutcome {
  int status = 0;                     // 0: nothing yet, hold `wait`
  // Set instead of `status` when an administrator blocked or wiped the
  // device meanwhile: the common status (14.0+) or HTTP status (older)
  // its next request would get.
  int refused_status = 0;
  int refused_http = 0;
  std::vector<std::string> changed;   // Status 2: folder ids to sync
  std::string why;                    // Status 7: for the log
  push::PingWait wait;                // status 0: what to watch
};

// First look, in one snapshot: Status 7 when the device never ran
// FolderSync, its hierarchy is behind (net changes FolderSync would send)
// or a folder is not one it may see; Status 2 for folders the device never
// synced or has unseen changes in (modseq beyond its CollectionState's
// seen_modseq); else a wait with the current modseqs as baselines.
Result<PingOutcome> EvaluatePing(storage::Txn& txn, storage::UserId user,
                                 std::string_view device_id, const PingParams& params);

// A later look at a held Ping: refused when an administrator blocked or
// wiped the device since (`easctl device block|wipe`), else Status 7 when the device's hierarchy gained
// net changes or a folder went away, Status 2 for folders whose modseq
// passed the baseline, else keep waiting. A hierarchy change that is no
// news for the device moves wait.hierarchy_seq forward.
Result<PingOutcome> RecheckPing(storage::Txn& txn, push::PingWait& wait);

// Answer bodies (WBXML).
std::string PingAnswer(int status);
std::string PingChangesAnswer(const std::vector<std::string>& folder_ids);
std::string PingHeartbeatAnswer(uint64_t allowed);   // Status 5
std::string PingMaxFoldersAnswer(uint64_t max);      // Status 6

}  // namespace eas::core::push
