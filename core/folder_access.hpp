// Who may do what to a folder, the one rule every command and easctl use:
// its owner everything; a user its ACL names with read rights reads, with
// read-write rights also writes items; anyone else nothing (for them the
// folder does not exist). Rights::kNone in the ACL is no access.
#pragma once

#include "storage/records.hpp"

namespace eas::core {

enum class FolderRole { kNone, kReader, kWriter, kOwner };

FolderRole RoleOf(const storage::FolderRecord& folder, storage::UserId user);

inline bool MayRead(FolderRole role) { return role != FolderRole::kNone; }
inline bool MayWriteItems(FolderRole role) {
  return role == FolderRole::kWriter || role == FolderRole::kOwner;
}

}  // namespace eas::core
