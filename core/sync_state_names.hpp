// The names of the sync states a device keeps besides one per collection
// (a folder's decimal id) and "" (the folder hierarchy): kept in one place
// so the store check (core/sync_state_reader.hpp) knows every one.
#pragma once

#include <string_view>

namespace eas::core {

// The last full Sync request, reused by an empty or Partial Sync.
inline constexpr std::string_view kCachedSyncRequest = "sync-request";
// The last MoveItems request that moved something (digest, answer). No
// folder id is spelled like this.
inline constexpr std::string_view kLastMoveItems = "moveitems";
// Ping's remembered parameters (core/push/ping_params.hpp).
inline constexpr std::string_view kPingParameters = "ping";
// Beside a collection's state: the answer of its last Sync, for a resend.
inline constexpr std::string_view kAnswerSuffix = "#answer";

}  // namespace eas::core
