// The check of users, folders and what indexes them: users_by_name,
// user_folders (the owner and every ACL user of a folder), children, the
// hierarchy log, and the per-user records (oof, user_pictures).
#include <algorithm>
#include <optional>
#include <string>

#include "storage/codec.hpp"
#include "storage/keys.hpp"
#include "storage/store_checker.hpp"

namespace eas::storage {
namespace {

bool InAcl(const FolderRecord& folder, UserId user) {
  return std::any_of(folder.acl.begin(), folder.acl.end(),
                     [&](const AclEntry& e) { return e.user == user; });
}

}  // namespace

Status StoreChecker::CheckUsers() {
  const uint64_t next = Counter(keys::kNextUserId);
  Status s = Each(dbs_.users, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    UserId id = k.Be32();
    UserRecord user;
    if (!k.AtEnd()) return Problem("users", Num(id), "malformed key");
    if (const char* why = DecodeUser(value, &user)) return Problem("users", Num(id), why);
    if (user.id != id) return Problem("users", Num(id), "record names user " + Num(user.id));
    if (id > next) Problem("users", Num(id), "id above next_user_id " + Num(next));
    users_.emplace(id, std::move(user));
  });
  if (!s.ok()) return s;
  std::set<UserId> named;
  s = Each(dbs_.users_by_name, [&](std::string_view key, std::string_view value) {
    std::string name(key);
    if (value.size() != 4) return Problem("users_by_name", name, "value is not a user id");
    UserId id = keys::LoadBE<UserId>(value, 0);
    auto it = users_.find(id);
    if (it == users_.end()) return Problem("users_by_name", name, "user " + Num(id) + " is missing");
    if (it->second.name != name) {
      return Problem("users_by_name", name, "user " + Num(id) + " is named " + it->second.name);
    }
    named.insert(id);
  });
  for (const auto& [id, user] : users_) {
    if (!named.count(id)) Problem("users", Num(id), "no users_by_name entry for " + user.name);
  }
  report_->users = users_.size();
  return s;
}

Status StoreChecker::CheckFolders() {
  const uint64_t next = Counter(keys::kNextFolderId);
  Status s = Each(dbs_.folders, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    FolderId id = k.Be64();
    FolderRecord folder;
    if (!k.AtEnd()) return Problem("folders", Num(id), "malformed key");
    if (const char* why = DecodeFolder(value, &folder)) return Problem("folders", Num(id), why);
    if (folder.id != id) return Problem("folders", Num(id), "record names folder " + Num(folder.id));
    if (id > next) Problem("folders", Num(id), "id above next_folder_id " + Num(next));
    if (!users_.count(folder.owner)) {
      Problem("folders", Num(id), "owner " + Num(folder.owner) + " is missing");
    }
    for (const AclEntry& e : folder.acl) {
      if (!users_.count(e.user)) Problem("folders", Num(id), "ACL user " + Num(e.user) + " is missing");
    }
    folders_.emplace(id, std::move(folder));
  });
  if (!s.ok()) return s;
  // Each folder's index entries, looked up from its side.
  for (const auto& [id, folder] : folders_) {
    if (folder.parent != 0) {
      auto parent = folders_.find(folder.parent);
      if (parent == folders_.end()) {
        Problem("folders", Num(id), "parent " + Num(folder.parent) + " is missing");
      } else if (parent->second.owner != folder.owner) {
        Problem("folders", Num(id), "parent " + Num(folder.parent) + " has another owner");
      }
      if (!Get(dbs_.children, keys::FolderAnd(folder.parent, id))) {
        Problem("folders", Num(id), "no children entry under its parent " + Num(folder.parent));
      }
    }
    // id named again: clang 14 (the fuzz build) cannot capture a structured binding.
    auto expect_role = [&, id = id](UserId user, char role) {
      std::optional<std::string_view> value = Get(dbs_.user_folders, keys::UserAnd(user, id));
      if (!value) {
        Problem("folders", Num(id), "no user_folders entry for user " + Num(user));
      } else if (*value != std::string_view(&role, 1)) {
        Problem("folders", Num(id), "user_folders entry of user " + Num(user) + " has the wrong role");
      }
    };
    expect_role(folder.owner, keys::kOwned);
    for (const AclEntry& e : folder.acl) expect_role(e.user, keys::kShared);
  }
  report_->folders = folders_.size();
  return Status::Ok();
}

Status StoreChecker::CheckUserFolders() {
  return Each(dbs_.user_folders, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    UserId user = k.Be32();
    FolderId id = k.Be64();
    const std::string label = KeyLabel({Num(user), Num(id)});
    if (!k.AtEnd() || value.size() != 1) return Problem("user_folders", label, "malformed entry");
    auto folder = folders_.find(id);
    if (folder == folders_.end()) return Problem("user_folders", label, "folder is missing");
    bool listed = folder->second.owner == user || InAcl(folder->second, user);
    if (!listed) Problem("user_folders", label, "the user neither owns the folder nor is in its ACL");
  });
}

Status StoreChecker::CheckChildren() {
  return Each(dbs_.children, [&](std::string_view key, std::string_view) {
    KeyParts k(key);
    FolderId parent = k.Be64();
    FolderId child = k.Be64();
    const std::string label = KeyLabel({Num(parent), Num(child)});
    if (!k.AtEnd()) return Problem("children", label, "malformed key");
    if (!folders_.count(parent)) return Problem("children", label, "parent folder is missing");
    auto it = folders_.find(child);
    if (it == folders_.end()) return Problem("children", label, "child folder is missing");
    if (it->second.parent != parent) {
      Problem("children", label, "the child's parent is " + Num(it->second.parent));
    }
  });
}

Status StoreChecker::CheckHierarchyLog() {
  return Each(dbs_.hierarchy_log, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    UserId user = k.Be32();
    uint64_t seq = k.Be64();
    const std::string label = KeyLabel({Num(user), Num(seq)});
    HierarchyChange change;
    if (!k.AtEnd()) return Problem("hierarchy_log", label, "malformed key");
    if (const char* why = DecodeHierarchyChange(value, &change)) {
      return Problem("hierarchy_log", label, why);
    }
    if (change.seq != seq) Problem("hierarchy_log", label, "entry names seq " + Num(change.seq));
    if (!users_.count(user)) return Problem("hierarchy_log", label, "user is missing");
    uint64_t newest = Counter(keys::kHierarchySeq, user, /*wide=*/false);
    if (seq > newest) Problem("hierarchy_log", label, "after the user's hierarchy_seq " + Num(newest));
  });
}

Status StoreChecker::CheckUserRecords() {
  Status s = Each(dbs_.oof, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    UserId user = k.Be32();
    std::string_view rest = k.Rest();
    const std::string label = KeyLabel({Num(user), rest.substr(0, 1)});
    if (!k.ok() || rest.empty()) return Problem("oof", label, "malformed key");
    if (!users_.count(user)) return Problem("oof", label, "user is missing");
    OofRecord oof;
    if (rest == "o") {
      if (const char* why = DecodeOof(value, &oof)) Problem("oof", label, why);
    } else if (rest[0] != 'r' || value.size() != 8) {
      Problem("oof", label, "neither a setting nor a sender replied to");
    }
  });
  if (!s.ok()) return s;
  return Each(dbs_.user_pictures, [&](std::string_view key, std::string_view) {
    KeyParts k(key);
    UserId user = k.Be32();
    if (!k.AtEnd()) return Problem("user_pictures", Num(user), "malformed key");
    if (!users_.count(user)) Problem("user_pictures", Num(user), "user is missing");
  });
}

}  // namespace eas::storage
