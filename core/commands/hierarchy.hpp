// Shared by FolderSync and FolderCreate/Update/Delete: the device's
// hierarchy state and the net folder changes since it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/commands/command.hpp"
#include "core/hierarchy_state.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::commands {

// The device's state; nullopt when it has none (or an unreadable one).
Result<std::optional<HierarchyState>> LoadHierarchyState(storage::Txn& txn,
                                                         const CommandContext& ctx);
Status SaveHierarchyState(storage::Txn& txn, const CommandContext& ctx,
                          const HierarchyState& state);

struct FolderChanges {
  std::vector<storage::FolderRecord> added;
  std::vector<storage::FolderRecord> updated;
  std::vector<storage::FolderId> deleted;
  uint64_t seq = 0;  // the newest log seq looked at
  bool empty() const { return added.empty() && updated.empty() && deleted.empty(); }
};

// Net changes of the folders the device may see after `state` (all visible
// folders as adds when state is null), skipping the device's own changes.
Result<FolderChanges> HierarchyChanges(storage::Txn& txn, storage::UserId user,
                                       const HierarchyState* state);

// Forgets the folder hierarchy of the user's devices not seen for `expiry`
// seconds (0: never; their next FolderSync gets Status 9, start over) and
// drops the log entries every remaining device has seen. Run by the
// commands that write a hierarchy state.
Status TrimHierarchy(storage::Txn& txn, storage::UserId user, uint64_t now, uint64_t expiry);

// Folders a device is offered: not hidden.
bool OfferedToDevices(const storage::FolderRecord& folder);

// ServerId / ParentId on the wire.
std::string FolderIdString(storage::FolderId id);
std::optional<storage::FolderId> ParseFolderId(std::string_view text);

// Folder types a client may create (user-created kinds only).
bool IsUserCreatableType(int type);
// Inbox, Drafts, ... the default set: never renamed, moved or deleted.
bool IsSystemFolder(const storage::FolderRecord& folder);

}  // namespace eas::core::commands
