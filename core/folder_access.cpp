#include "core/folder_access.hpp"

namespace eas::core {

FolderRole RoleOf(const storage::FolderRecord& folder, storage::UserId user) {
  if (folder.owner == user) return FolderRole::kOwner;
  for (const storage::AclEntry& entry : folder.acl) {
    if (entry.user != user) continue;
    switch (entry.rights) {
      case storage::Rights::kReadWrite: return FolderRole::kWriter;
      case storage::Rights::kRead: return FolderRole::kReader;
      case storage::Rights::kNone: return FolderRole::kNone;
    }
  }
  return FolderRole::kNone;
}

}  // namespace eas::core
