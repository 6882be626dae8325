// The push façade of one worker, owned by its Service: which request of a
// device is its newest, across workers (the shared device generation
// table); what each held Ping or hanging Sync waits for; and the poll that
// decides which held request to answer now. Core decides, the glue holds:
// it keeps the requests and their timers, and at each poll asks about
// every held request in turn. Event loop only: no pool thread comes here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.hpp"
#include "core/http_exchange.hpp"

namespace eas::storage { class Store; }

namespace eas::core::push {

class DeviceGenerations;
struct PingWait;

// Where a device stood in the generation table after one of its requests.
struct DeviceMark {
  uint32_t slot = 0;
  uint64_t word = 0;
  bool set = false;  // false: no table (or no device): never superseded
};

// A request on hold: what it waits for, and its device's mark. Made by
// Hub::Hold, freed by Hub::Release; the glue only keeps the pointer.
struct Held;

// What a poll says about one held request.
struct Wake {
  bool now = false;         // answer it now
  std::string body;         // a Ping's answer (WBXML); a hanging Sync runs again
  int http_status = 200;    // not 200: that status with no body (a refused
                            // device on a protocol older than 14.0)
  const char* reason = "";  // why, for the debug log (a literal)
  LogLine log{LogLevel::kInfo, {}};  // for the error log; empty text: nothing
};

class Hub {
 public:
  // Bytes of the device generation table, and its layout in a fresh
  // zeroed region (once, in the master, before any worker exists).
  static size_t RegionSize();
  static Status FormatRegion(void* region, size_t size) noexcept;

  // `region`: the formatted table every worker shares, or null (then only
  // a newer request in this worker ends a held one). Throws on a region
  // that is not formatted. `store` and `region` must outlive the Hub.
  Hub(storage::Store& store, void* region, size_t size);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Every answered request of a device: it is now the device's newest, so
  // its request held by any worker ends at that worker's next poll. *mark
  // says where the device stands, for a hold this request may become (left
  // unset without a table). Costs a keyed hash and an atomic or two.
  Status NoteRequest(std::string_view user, std::string_view device_id,
                     DeviceMark* mark) noexcept;

  // True when a Response's wait is a hanging Sync's (Wait or
  // HeartbeatInterval), which the glue runs again when the wait ends,
  // rather than a Ping's, which it answers with what Check says.
  static bool HangingSync(const PingWait& wait) noexcept;

  // Takes over what a Response says to wait for (`wait` is left empty);
  // `mark`: the request's own, from NoteRequest. Null when out of memory.
  Held* Hold(std::shared_ptr<PingWait>& wait, const DeviceMark& mark) noexcept;
  // Ends a hold (answered, or the client went away) and frees it.
  void Release(Held* held) noexcept;
  // Seconds after which a held request is answered anyway: a Ping with
  // Status 1, a hanging Sync by running again ("nothing new").
  static uint64_t Heartbeat(const Held& held) noexcept;

  // One poll, on a timer while the worker holds requests. BeginPoll asks,
  // once for all held requests, whether any device sent a newer request
  // (the table's epoch) and whom the store's changes since the last poll
  // concern (one read transaction); an error is for the log, and then the
  // poll ends only superseded requests. Check tells for one held request
  // whether to answer it now, re-checking it in a fresh snapshot when the
  // changes concern its user. EndPoll moves past the changes looked at,
  // unless a re-check failed: the next poll looks at them again.
  Status BeginPoll() noexcept;
  Wake Check(Held& held) noexcept;
  void EndPoll() noexcept;

  // The Status 1 answer: heartbeat over, a newer request of the device, or
  // the worker shutting down. Empty only when out of memory.
  static std::string ExpiredAnswer() noexcept;

 private:
  struct Poll;
  storage::Store& store_;
  std::unique_ptr<DeviceGenerations> generations_;  // null without a table
  std::unique_ptr<Poll> poll_;
};

}  // namespace eas::core::push
