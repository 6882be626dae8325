// What a held Ping waits for. Core decides to hold (core/commands/ping.cpp)
// and re-checks (ping_watcher.hpp); push::Hub keeps this for the glue, and
// nothing else of the request, until the heartbeat, a change or a newer
// request of the device ends the wait. Small on purpose: thousands are
// held at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/records.hpp"

namespace eas::core::push {

struct PingWait {
  storage::UserId user = 0;
  std::string device_id;
  uint64_t heartbeat = 0;      // seconds: answer Status 1 then at the latest
  int version = 0;             // the request's protocol version (141 = 14.1)
  uint64_t change_seq = 0;     // store change seq of the snapshot decided in
  uint64_t hierarchy_seq = 0;  // the user's hierarchy seq the device knows of
  struct Folder {
    storage::FolderId id = 0;
    uint64_t modseq = 0;       // the folder's modseq the device has seen
  };
  std::vector<Folder> folders;
  // A hanging Sync (Wait / HeartbeatInterval) rather than a Ping: however
  // the wait ends, the glue runs the Sync again (with no_hold), which
  // answers the changes or, at the heartbeat, the empty "nothing new".
  bool sync = false;
};

}  // namespace eas::core::push
