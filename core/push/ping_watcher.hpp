// What push::Hub asks the store about held Pings: has the store changed
// since the seq it looked at last, for whom, and does a held Ping of such
// a user now have an answer. One cheap read transaction per question; the
// Hub decides when to ask (at each poll of the glue's timer). Every call
// is noexcept: failures are Status values the glue logs, and it keeps
// waiting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/push/ping_wait.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Store; }

namespace eas::core::push {

// The answer to a held Ping: a WBXML body, or (a refused device on a
// protocol older than 14.0) an HTTP status with no body.
struct PingReply {
  std::string body;
  int http_status = 200;
  bool refused = false;  // the device was blocked or wiped meanwhile
};

class PingWatcher {
 public:
  explicit PingWatcher(storage::Store& store) : store_(store) {}
  PingWatcher(const PingWatcher&) = delete;
  PingWatcher& operator=(const PingWatcher&) = delete;

  // Who changed after `after`: *seq becomes the store's change seq now and
  // *users the users touched since, sorted. *everyone is set instead when
  // the store cannot tell (its feed was pruned past `after`): re-check all.
  Status ChangesSince(uint64_t after, uint64_t* seq, std::vector<storage::UserId>* users,
                      bool* everyone) noexcept;

  // Looks at a held Ping again in a fresh snapshot: nullopt to keep
  // waiting, else the answer (Status 2 with the changed folders, Status 7,
  // or the refusal of a device blocked or wiped meanwhile). May move
  // wait.hierarchy_seq forward. *why says what for the log (Status 7, a
  // refusal).
  Result<std::optional<PingReply>> Recheck(PingWait& wait, std::string* why) noexcept;

 private:
  storage::Store& store_;
};

}  // namespace eas::core::push
