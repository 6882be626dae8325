#include "core/push/ping_check.hpp"

#include <map>
#include <optional>

#include "core/access/decide.hpp"
#include "core/collection_state.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/hierarchy_state.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::push {

// The folder hierarchy as FolderSync shows it to a device.
using commands::FolderIdString;
using commands::HierarchyChanges;
using commands::OfferedToDevices;
using commands::ParseFolderId;

namespace {

namespace ping = wbxml::tags::ping;

// The device's FolderSync state; nullopt when it has none.
Result<std::optional<HierarchyState>> DeviceHierarchy(storage::Txn& txn, storage::UserId user,
                                                      std::string_view device_id) {
  auto bytes = txn.GetSyncState(user, device_id, "");
  if (!bytes.ok()) {
    if (bytes.status().code() == Code::kNotFound) return std::optional<HierarchyState>();
    return bytes.status();
  }
  return DecodeHierarchyState(*bytes);
}

// Why FolderSync must run first; empty when the device's hierarchy is current.
Result<std::string> HierarchyBehind(storage::Txn& txn, storage::UserId user,
                                    std::string_view device_id) {
  auto state = DeviceHierarchy(txn, user, device_id);
  if (!state.ok()) return state.status();
  if (!*state) return std::string("the device has no folder hierarchy yet");
  auto changes = HierarchyChanges(txn, user, &**state);
  if (!changes.ok()) return changes.status();
  if (!changes->empty()) return std::string("the folder hierarchy changed");
  return std::string();
}

std::string Render(int status, const std::vector<std::string>* folders,
                   const wbxml::Tag* limit_tag, uint64_t limit) {
  wbxml::Writer w;
  w.Start(ping::kPing);
  w.Element(ping::kStatus, std::to_string(status));
  if (folders != nullptr) {
    w.Start(ping::kFolders);
    for (const auto& id : *folders) w.Element(ping::kFolder, id);
    w.End();
  }
  if (limit_tag != nullptr) w.Element(*limit_tag, std::to_string(limit));
  w.End();
  return w.Take();
}

}  // namespace

Result<PingOutcome> EvaluatePing(storage::Txn& txn, storage::UserId user,
                                 std::string_view device_id, const PingParams& params) {
  PingOutcome out;
  auto behind = HierarchyBehind(txn, user, device_id);
  if (!behind.ok()) return behind.status();
  if (!behind->empty()) {
    out.status = kPingFolderSyncRequired;
    out.why = std::move(*behind);
    return out;
  }
  auto visible = txn.VisibleFolders(user);
  if (!visible.ok()) return visible.status();
  std::map<storage::FolderId, uint64_t> modseqs;
  for (const auto& f : *visible) {
    if (OfferedToDevices(f)) modseqs.emplace(f.id, f.modseq);
  }
  auto hierarchy_seq = txn.HierarchySeq(user);
  if (!hierarchy_seq.ok()) return hierarchy_seq.status();
  auto change_seq = txn.ChangeSeq();
  if (!change_seq.ok()) return change_seq.status();

  out.wait.user = user;
  out.wait.device_id = std::string(device_id);
  out.wait.heartbeat = params.heartbeat;
  out.wait.hierarchy_seq = *hierarchy_seq;
  out.wait.change_seq = *change_seq;
  out.wait.folders.reserve(params.folders.size());
  for (const auto& f : params.folders) {
    auto id = ParseFolderId(f.id);
    auto found = id ? modseqs.find(*id) : modseqs.end();
    if (found == modseqs.end()) {
      out.status = kPingFolderSyncRequired;
      out.why = "folder " + f.id + " is not in the device's hierarchy";
      return out;
    }
    CollectionState seen;
    bool has_seen = false;
    Status s = LoadCollectionState(txn, user, device_id, FolderIdString(*id), &seen, &has_seen);
    if (!s.ok()) return s;
    if (!has_seen || found->second > seen.seen_modseq) out.changed.push_back(FolderIdString(*id));
    out.wait.folders.push_back({*id, found->second});
  }
  if (!out.changed.empty()) out.status = kPingChanges;
  return out;
}

Result<PingOutcome> RecheckPing(storage::Txn& txn, push::PingWait& wait) {
  PingOutcome out;
  storage::DeviceRecord device;
  if (txn.ReadDevice(wait.user, wait.device_id, &device).ok()) {
    // Only the administrator's stored decisions: the configuration's rules
    // change with a reload, which answers every held Ping anyway.
    const access::Admission a = access::Decide(access::AccessOptions(), {}, &device, 0);
    const access::Refusal refusal = access::RefusalFor(a.verdict, "Ping", wait.version);
    if (refusal.status != 0) {
      out.refused_status = refusal.status;
      out.refused_http = refusal.legacy_http;
      out.why = std::string(access::VerdictName(a.verdict)) + " by " + a.reason;
      return out;
    }
  }
  auto hierarchy_seq = txn.HierarchySeq(wait.user);
  if (!hierarchy_seq.ok()) return hierarchy_seq.status();
  if (*hierarchy_seq != wait.hierarchy_seq) {
    auto behind = HierarchyBehind(txn, wait.user, wait.device_id);
    if (!behind.ok()) return behind.status();
    if (!behind->empty()) {
      out.status = kPingFolderSyncRequired;
      out.why = std::move(*behind);
      return out;
    }
    wait.hierarchy_seq = *hierarchy_seq;  // nothing the device would see
  }
  for (const auto& f : wait.folders) {
    auto modseq = txn.FolderModseq(f.id);
    if (!modseq.ok()) {
      if (modseq.status().code() != Code::kNotFound) return modseq.status();
      out.status = kPingFolderSyncRequired;
      out.why = "folder " + FolderIdString(f.id) + " is gone";
      return out;
    }
    if (*modseq > f.modseq) out.changed.push_back(FolderIdString(f.id));
  }
  if (!out.changed.empty()) out.status = kPingChanges;
  return out;
}

std::string PingAnswer(int status) { return Render(status, nullptr, nullptr, 0); }

std::string PingChangesAnswer(const std::vector<std::string>& folder_ids) {
  return Render(kPingChanges, &folder_ids, nullptr, 0);
}

std::string PingHeartbeatAnswer(uint64_t allowed) {
  return Render(kPingBadHeartbeat, nullptr, &ping::kHeartbeatInterval, allowed);
}

std::string PingMaxFoldersAnswer(uint64_t max) {
  return Render(kPingTooManyFolders, nullptr, &ping::kMaxFolders, max);
}

}  // namespace eas::core::push
