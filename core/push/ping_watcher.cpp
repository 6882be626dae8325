#include "core/push/ping_watcher.hpp"

#include <exception>
#include <utility>

#include "core/push/ping_check.hpp"
#include "storage/changed_users.hpp"
#include "storage/store.hpp"

namespace eas::core::push {

Status PingWatcher::ChangesSince(uint64_t after, uint64_t* seq,
                                 std::vector<storage::UserId>* users, bool* everyone) noexcept {
  try {
    *everyone = false;
    users->clear();
    auto changed = storage::ReadChangedUsers(store_, after);
    if (!changed.ok()) return changed.status();
    *seq = changed->seq;
    *everyone = changed->everyone;
    if (!*everyone) *users = std::move(changed->users);
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

Result<std::optional<PingReply>> PingWatcher::Recheck(PingWait& wait,
                                                      std::string* why) noexcept {
  try {
    PingOutcome out;
    Status s = store_.Read([&](storage::Txn& txn) {
      auto checked = RecheckPing(txn, wait);
      if (!checked.ok()) return checked.status();
      out = std::move(checked).value();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    PingReply reply;
    if (out.refused_status != 0) {
      *why = std::move(out.why);
      reply.refused = true;
      if (wait.version >= 140) {
        reply.body = PingAnswer(out.refused_status);
        *why += " (Status " + std::to_string(out.refused_status) + ")";
      } else {
        reply.http_status = out.refused_http;
        *why += " (HTTP " + std::to_string(out.refused_http) + ")";
      }
      return std::optional<PingReply>(std::move(reply));
    }
    switch (out.status) {
      case kPingChanges:
        reply.body = PingChangesAnswer(out.changed);
        return std::optional<PingReply>(std::move(reply));
      case kPingFolderSyncRequired:
        *why = std::move(out.why);
        reply.body = PingAnswer(out.status);
        return std::optional<PingReply>(std::move(reply));
      default:
        return std::optional<PingReply>();
    }
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

}  // namespace eas::core::push
