#include "core/push/hub.hpp"

#include <algorithm>
#include <exception>
#include <new>
#include <utility>
#include <vector>

#include "core/push/device_generations.hpp"
#include "core/push/ping_check.hpp"
#include "core/push/ping_wait.hpp"
#include "core/push/ping_watcher.hpp"
#include "storage/records.hpp"

namespace eas::core::push {
namespace {

// Devices the generation table tells apart (8 bytes each): far more than
// the devices one box serves, so its sets rarely fill (see
// device_generations.hpp).
constexpr size_t kDeviceSlots = 65536;

}  // namespace

struct Held {
  PingWait wait;
  DeviceGenerations::Token token;
  bool marked = false;  // token is the device's, from NoteRequest
};

// What the worker's polls have looked at, and what the current one found.
struct Hub::Poll {
  explicit Poll(storage::Store& store) : watcher(store) {}

  PingWatcher watcher;
  size_t held = 0;          // Held alive
  uint64_t change_seq = 0;  // the store's changes up to here are looked at
  uint64_t epoch = 0;       // the table's epoch last looked at; 0: look again

  // The current poll.
  bool superseded = false;      // the epoch moved: some device sent a newer request
  bool changes_read = false;    // the change feed answered
  bool everyone = false;        // ... without saying whom: re-check every held request
  bool recheck_failed = false;  // a re-check failed: look at these changes again
  uint64_t seq = 0;             // the store's change seq the feed was read at
  std::vector<storage::UserId> users;  // whom the changes concern, sorted
};

size_t Hub::RegionSize() { return DeviceGenerations::RegionSize(kDeviceSlots); }

Status Hub::FormatRegion(void* region, size_t size) noexcept {
  try {
    DeviceGenerations::Format(region, size);
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

Hub::Hub(storage::Store& store, void* region, size_t size)
    : store_(store), poll_(std::make_unique<Poll>(store)) {
  if (region != nullptr) generations_ = std::make_unique<DeviceGenerations>(region, size);
}

Hub::~Hub() = default;

Status Hub::NoteRequest(std::string_view user, std::string_view device_id,
                        DeviceMark* mark) noexcept {
  if (!generations_) return Status::Ok();
  try {
    DeviceGenerations::Token t = generations_->Bump(user, device_id);
    mark->slot = t.slot;
    mark->word = t.word;
    mark->set = true;
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

bool Hub::HangingSync(const PingWait& wait) noexcept { return wait.sync; }

Held* Hub::Hold(std::shared_ptr<PingWait>& wait, const DeviceMark& mark) noexcept {
  if (!wait) return nullptr;
  Held* held = new (std::nothrow) Held;
  if (held == nullptr) return nullptr;
  held->wait = std::move(*wait);
  wait.reset();
  held->token = {mark.slot, mark.word};
  held->marked = mark.set;

  Poll& p = *poll_;
  // The poll must look at every change after the snapshot the wait was
  // decided in ...
  if (p.held == 0 || held->wait.change_seq < p.change_seq) p.change_seq = held->wait.change_seq;
  // ... and at the new request's device once even if the epoch seems
  // known: another worker may have bumped it since this request's own bump.
  p.epoch = 0;
  ++p.held;
  return held;
}

void Hub::Release(Held* held) noexcept {
  if (held == nullptr) return;
  delete held;
  --poll_->held;
}

uint64_t Hub::Heartbeat(const Held& held) noexcept { return held.wait.heartbeat; }

Status Hub::BeginPoll() noexcept {
  Poll& p = *poll_;
  p.superseded = false;
  p.changes_read = false;
  p.recheck_failed = false;
  if (generations_) {
    uint64_t epoch = generations_->Epoch();
    p.superseded = epoch != p.epoch;
    p.epoch = epoch;
  }
  p.seq = p.change_seq;
  Status s = p.watcher.ChangesSince(p.change_seq, &p.seq, &p.users, &p.everyone);
  p.changes_read = s.ok();
  return s;
}

Wake Hub::Check(Held& held) noexcept {
  Poll& p = *poll_;
  try {
    Wake w;
    if (p.superseded && held.marked && generations_->Stale(held.token)) {
      w.now = true;
      w.body = ExpiredAnswer();
      w.reason = "a newer request of the device";
      return w;
    }
    if (!p.changes_read ||
        !(p.everyone || std::binary_search(p.users.begin(), p.users.end(), held.wait.user))) {
      return w;
    }
    std::string why;
    auto answer = p.watcher.Recheck(held.wait, &why);
    if (!answer.ok()) {
      p.recheck_failed = true;
      w.log = {LogLevel::kError, "Ping: re-check: " + answer.status().message()};
      return w;
    }
    if (*answer) {
      w.now = true;
      w.body = std::move((*answer)->body);
      w.http_status = (*answer)->http_status;
      if ((*answer)->refused) {
        w.reason = "the device was refused";
        w.log = {LogLevel::kNotice, std::string(held.wait.sync ? "Sync" : "Ping") + " held for device \"" +
                                        held.wait.device_id + "\" refused: " + why};
      } else {
        w.reason = "changes";
        if (!why.empty()) w.log = {LogLevel::kInfo, "Ping: FolderSync required: " + why};
      }
    }
    return w;
  } catch (...) {  // out of memory: keep waiting, look again next time
    p.recheck_failed = true;
    return Wake();
  }
}

void Hub::EndPoll() noexcept {
  Poll& p = *poll_;
  if (p.changes_read && !p.recheck_failed) p.change_seq = p.seq;
  p.superseded = false;
  p.changes_read = false;
}

std::string Hub::ExpiredAnswer() noexcept {
  try {
    return PingAnswer(kPingExpired);
  } catch (...) {
    return std::string();
  }
}

}  // namespace eas::core::push
