#include "core/commands/hierarchy.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "core/folder_type.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {

using storage::ChangeKind;
using storage::FolderRecord;

Result<std::optional<HierarchyState>> LoadHierarchyState(storage::Txn& txn,
                                                         const CommandContext& ctx) {
  auto bytes = txn.GetSyncState(ctx.user.id, ctx.device_id, "");
  if (!bytes.ok()) {
    if (bytes.status().code() == Code::kNotFound) return std::optional<HierarchyState>();
    return bytes.status();
  }
  return DecodeHierarchyState(*bytes);
}

Status SaveHierarchyState(storage::Txn& txn, const CommandContext& ctx,
                          const HierarchyState& state) {
  return txn.PutSyncState(ctx.user.id, ctx.device_id, "", EncodeHierarchyState(state));
}

bool OfferedToDevices(const FolderRecord& folder) { return !folder.hidden; }

std::string FolderIdString(storage::FolderId id) { return std::to_string(id); }

std::optional<storage::FolderId> ParseFolderId(std::string_view text) {
  storage::FolderId id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return id;
}

bool IsUserCreatableType(int type) {
  return type == static_cast<int>(folder_type::kUserGeneric) ||
         (type >= static_cast<int>(folder_type::kUserMail) &&
          type <= static_cast<int>(folder_type::kUserNotes));
}

bool IsSystemFolder(const FolderRecord& folder) {
  int t = static_cast<int>(folder.type);
  return t >= static_cast<int>(folder_type::kInbox) &&
         t <= static_cast<int>(folder_type::kJournal);
}

namespace {

// Folders visible to `user` and offered to devices, by id.
Result<std::map<storage::FolderId, FolderRecord>> OfferedFolders(storage::Txn& txn,
                                                                 storage::UserId user) {
  auto visible = txn.VisibleFolders(user);
  if (!visible.ok()) return visible.status();
  std::map<storage::FolderId, FolderRecord> out;
  for (auto& f : *visible) {
    if (OfferedToDevices(f)) out.emplace(f.id, std::move(f));
  }
  return out;
}

// How a folder shared with `user` shows on their devices: a user-created
// folder of its kind at the top level, named after its owner too.
Status PresentShared(storage::Txn& txn, storage::UserId user, FolderRecord& f) {
  if (f.owner == user) return Status::Ok();
  auto owner = txn.GetUserById(f.owner);
  if (!owner.ok()) return owner.status();
  const std::string& who = owner->display_name.empty() ? owner->name : owner->display_name;
  f.name += " (" + who + ")";
  f.parent = 0;
  switch (f.type) {
    case folder_type::kContacts: f.type = folder_type::kUserContacts; break;
    case folder_type::kCalendar: f.type = folder_type::kUserCalendar; break;
    case folder_type::kTasks: f.type = folder_type::kUserTasks; break;
    case folder_type::kNotes: f.type = folder_type::kUserNotes; break;
    case folder_type::kJournal: f.type = folder_type::kUserJournal; break;
    default:
      if (IsSystemFolder(f)) f.type = folder_type::kUserMail;
      break;
  }
  return Status::Ok();
}

}  // namespace

Result<FolderChanges> HierarchyChanges(storage::Txn& txn, storage::UserId user,
                                       const HierarchyState* state) {
  FolderChanges changes;
  auto seq = txn.HierarchySeq(user);
  if (!seq.ok()) return seq.status();
  changes.seq = *seq;

  // The frequent case: nothing new since the device's state.
  if (state != nullptr && changes.seq <= state->seen_seq) return changes;

  auto offered = OfferedFolders(txn, user);
  if (!offered.ok()) return offered.status();
  for (auto& [id, f] : *offered) {
    if (Status s = PresentShared(txn, user, f); !s.ok()) return s;
  }

  if (state == nullptr) {  // initial sync: everything, parents first (lower ids)
    for (auto& [id, f] : *offered) changes.added.push_back(f);
    return changes;
  }
  auto log = txn.HierarchyChangesSince(user, state->seen_seq);
  if (!log.ok()) return log.status();

  // Net effect per folder: first and last kind of its entries.
  struct Net { ChangeKind first; ChangeKind last; };
  std::map<storage::FolderId, Net> net;
  for (const auto& entry : *log) {
    if (std::find(state->own_seqs.begin(), state->own_seqs.end(), entry.seq) !=
        state->own_seqs.end()) {
      continue;  // the device made this change itself
    }
    auto [it, inserted] = net.try_emplace(entry.folder, Net{entry.kind, entry.kind});
    if (!inserted) it->second.last = entry.kind;
  }

  for (const auto& [id, n] : net) {
    auto current = offered->find(id);
    bool exists = current != offered->end();
    if (n.first == ChangeKind::kAdd) {
      if (exists) changes.added.push_back(current->second);
      continue;  // added and gone again: the device never knew it
    }
    if (exists && n.last != ChangeKind::kDelete) {
      changes.updated.push_back(current->second);
    } else {
      changes.deleted.push_back(id);
    }
  }
  return changes;
}

Status TrimHierarchy(storage::Txn& txn, storage::UserId user, uint64_t now, uint64_t expiry) {
  auto seq = txn.HierarchySeq(user);
  if (!seq.ok()) return seq.status();
  auto devices = txn.ListDevices(user);
  if (!devices.ok()) return devices.status();
  uint64_t through = *seq;
  for (const auto& device : *devices) {
    auto bytes = txn.GetSyncState(user, device.device_id, "");
    if (bytes.status().code() == Code::kNotFound) continue;
    if (!bytes.ok()) return bytes.status();
    auto state = DecodeHierarchyState(*bytes);
    if (!state) continue;  // unreadable: it starts over anyway
    if (expiry != 0 && device.last_seen + expiry < now) {
      Status s = txn.DeleteSyncState(user, device.device_id, "");
      if (!s.ok()) return s;
      continue;
    }
    through = std::min(through, state->seen_seq);
  }
  return txn.TrimHierarchyLog(user, through).status();
}

}  // namespace eas::core::commands
