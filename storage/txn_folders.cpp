// Folders: records, the per-user index of owned and shared folders, the
// subfolder index, and the per-user hierarchy change log.
#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "storage/codec.hpp"
#include "storage/keys.hpp"
#include "storage/lmdb_txn.hpp"

namespace eas::storage {
namespace {

std::string FolderLabel(FolderId id) { return "folder " + std::to_string(id); }

// Everyone whose hierarchy shows the folder: the owner, then the ACL users.
std::vector<UserId> Audience(const FolderRecord& folder) {
  std::vector<UserId> users{folder.owner};
  for (const AclEntry& entry : folder.acl) users.push_back(entry.user);
  return users;
}

bool AclNames(const FolderRecord& folder, UserId user) {
  return std::any_of(folder.acl.begin(), folder.acl.end(),
                     [&](const AclEntry& e) { return e.user == user; });
}

}  // namespace

Status LmdbTxn::DoReadFolder(FolderId id, FolderRecord* out) {
  std::string_view value;
  Status s = Get(dbs_.folders, keys::Folder(id), &value);
  if (s.code() == Code::kNotFound) return Status::NotFound(FolderLabel(id) + " not found");
  if (!s.ok()) return s;
  if (const char* why = DecodeFolder(value, out)) {
    return CorruptRecord(FolderLabel(id) + ": " + why);
  }
  if (out->id != id) return CorruptRecord(FolderLabel(id) + ": id differs from its key");
  return Status::Ok();
}

Result<FolderRecord> LmdbTxn::DoGetFolder(FolderId id) {
  return Filled<FolderRecord>([&](FolderRecord* folder) { return DoReadFolder(id, folder); });
}

Status LmdbTxn::SaveFolder(const FolderRecord& folder) {
  return Put(dbs_.folders, keys::Folder(folder.id), EncodeFolder(folder));
}

Status LmdbTxn::CheckAcl(const FolderRecord& folder) {
  std::set<UserId> seen;
  for (const AclEntry& entry : folder.acl) {
    if (entry.user == folder.owner) return Status::Invalid("the ACL names the folder's owner");
    if (!seen.insert(entry.user).second) return Status::Invalid("the ACL names a user twice");
    if (entry.rights != Rights::kNone && entry.rights != Rights::kRead &&
        entry.rights != Rights::kReadWrite) {
      return Status::Invalid("unknown ACL rights");
    }
    Result<UserRecord> user = DoGetUserById(entry.user);
    if (!user.ok()) return user.status();
  }
  return Status::Ok();
}

// The parent must exist and belong to the same owner, so a folder tree
// never spans users and DeleteUser removes whole trees. A folder may not
// move below itself.
Status LmdbTxn::CheckParent(const FolderRecord& folder) {
  std::set<FolderId> seen{folder.id};
  for (FolderId up = folder.parent; up != 0;) {
    if (!seen.insert(up).second) return Status::Invalid("a folder cannot move below itself");
    Result<FolderRecord> parent = DoGetFolder(up);
    if (!parent.ok()) return parent.status();
    if (parent->owner != folder.owner) {
      return Status::Invalid("the parent folder belongs to another user");
    }
    up = parent->parent;
  }
  return Status::Ok();
}

Status LmdbTxn::LogHierarchy(UserId user, FolderId folder, ChangeKind kind) {
  NoteChange(user);  // every hierarchy change is news for push
  Result<uint64_t> seq = BumpCounter(keys::ScopedCounter(keys::kHierarchySeq, user));
  if (!seq.ok()) return seq.status();
  return Put(dbs_.hierarchy_log, keys::UserAnd(user, *seq),
             EncodeHierarchyChange(HierarchyChange{*seq, folder, kind}));
}

Result<FolderRecord> LmdbTxn::DoCreateFolder(FolderRecord folder) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  if (folder.name.empty()) return Status::Invalid("folder name is empty");
  Result<UserRecord> owner = DoGetUserById(folder.owner);
  if (!owner.ok()) return owner.status();
  folder.id = 0;
  s = CheckParent(folder);
  if (s.ok()) s = CheckAcl(folder);
  if (!s.ok()) return s;

  Result<uint64_t> id = BumpCounter(keys::Counter(keys::kNextFolderId));
  if (!id.ok()) return id.status();
  folder.id = *id;
  folder.modseq = 0;
  s = SaveFolder(folder);
  if (s.ok() && folder.parent != 0) {
    s = Put(dbs_.children, keys::FolderAnd(folder.parent, folder.id), std::string_view(""));
  }
  for (UserId user : Audience(folder)) {
    if (!s.ok()) break;
    char role = user == folder.owner ? keys::kOwned : keys::kShared;
    s = Put(dbs_.user_folders, keys::UserAnd(user, folder.id), std::string_view(&role, 1));
    if (s.ok() && !folder.hidden) s = LogHierarchy(user, folder.id, ChangeKind::kAdd);
  }
  if (!s.ok()) return s;
  return folder;
}

Status LmdbTxn::DoUpdateFolder(const FolderRecord& folder) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  Result<FolderRecord> old = DoGetFolder(folder.id);
  if (!old.ok()) return old.status();
  if (folder.owner != old->owner) return Status::Invalid("a folder's owner cannot change");
  if (folder.name.empty()) return Status::Invalid("folder name is empty");
  s = CheckParent(folder);
  if (s.ok()) s = CheckAcl(folder);
  if (!s.ok()) return s;

  FolderRecord updated = folder;
  updated.modseq = old->modseq;  // item changes own it, not the caller
  s = SaveFolder(updated);
  if (s.ok() && old->parent != updated.parent) {
    if (old->parent != 0) s = Del(dbs_.children, keys::FolderAnd(old->parent, updated.id));
    if (s.ok() && updated.parent != 0) {
      s = Put(dbs_.children, keys::FolderAnd(updated.parent, updated.id), std::string_view(""));
    }
  }
  if (!s.ok()) return s;

  // Union of old and new audience: removed users lose the folder, added
  // users gain it, everyone else sees an update.
  for (UserId user : Audience(*old)) {
    bool kept = user == updated.owner || AclNames(updated, user);
    if (!kept) {
      s = Del(dbs_.user_folders, keys::UserAnd(user, updated.id));
      if (!s.ok() && s.code() != Code::kNotFound) return s;
    }
    // A hidden folder is never offered to devices: its changes are news to
    // none, and hiding or showing one is a delete or an add for them.
    ChangeKind kind = kept ? ChangeKind::kUpdate : ChangeKind::kDelete;
    if (old->hidden) kind = kept ? ChangeKind::kAdd : kind;
    if (updated.hidden) kind = ChangeKind::kDelete;
    if (old->hidden && (updated.hidden || !kept)) continue;
    s = LogHierarchy(user, updated.id, kind);
    if (!s.ok()) return s;
  }
  for (const AclEntry& entry : updated.acl) {
    if (AclNames(*old, entry.user)) continue;
    char role = keys::kShared;
    s = Put(dbs_.user_folders, keys::UserAnd(entry.user, updated.id),
            std::string_view(&role, 1));
    if (s.ok() && !updated.hidden) s = LogHierarchy(entry.user, updated.id, ChangeKind::kAdd);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<std::vector<FolderId>> LmdbTxn::ChildFolders(FolderId parent) {
  std::vector<FolderId> children;
  const std::string prefix = keys::Folder(parent);
  Status s = Scan(dbs_.children, prefix, prefix, [&](std::string_view key, std::string_view) {
    if (key.size() == 16) children.push_back(keys::LoadBE<FolderId>(key, 8));
    return true;
  });
  if (!s.ok()) return s;
  return children;
}

Status LmdbTxn::DeleteFolderTree(const FolderRecord& root) {
  // Breadth-first discovery, then deletion in reverse: children go (and are
  // logged) before their parents.
  std::vector<FolderRecord> tree{root};
  std::set<FolderId> seen{root.id};
  for (size_t i = 0; i < tree.size(); ++i) {
    Result<std::vector<FolderId>> children = ChildFolders(tree[i].id);
    if (!children.ok()) return children.status();
    for (FolderId child : *children) {
      if (!seen.insert(child).second) continue;  // a damaged index; do not loop
      Result<FolderRecord> folder = DoGetFolder(child);
      if (folder.status().code() == Code::kNotFound) continue;
      if (!folder.ok()) return folder.status();
      tree.push_back(std::move(*folder));
    }
  }
  for (auto it = tree.rbegin(); it != tree.rend(); ++it) {
    const FolderRecord& folder = *it;
    const std::string prefix = keys::Folder(folder.id);
    Status s = ForgetReaders(folder.id);
    if (s.ok()) s = DeleteFolderItems(folder.id);
    if (s.ok()) s = DelPrefix(dbs_.item_log, prefix);
    if (s.ok()) s = Del(dbs_.meta, keys::ScopedCounter(keys::kSweptAt, folder.id));
    if (s.code() == Code::kNotFound) s = Status::Ok();
    if (s.ok()) s = DelPrefix(dbs_.children, prefix);
    if (s.ok()) s = Del(dbs_.meta, keys::ScopedCounter(keys::kNextItemId, folder.id));
    if (s.code() == Code::kNotFound) s = Status::Ok();
    if (s.ok() && folder.parent != 0) {
      s = Del(dbs_.children, keys::FolderAnd(folder.parent, folder.id));
      if (s.code() == Code::kNotFound) s = Status::Ok();
    }
    if (s.ok()) s = Del(dbs_.folders, prefix);
    for (UserId user : Audience(folder)) {
      if (!s.ok()) return s;
      s = Del(dbs_.user_folders, keys::UserAnd(user, folder.id));
      if (s.code() == Code::kNotFound) s = Status::Ok();
      if (s.ok() && !folder.hidden) s = LogHierarchy(user, folder.id, ChangeKind::kDelete);
    }
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status LmdbTxn::DoDeleteFolder(FolderId id) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  Result<FolderRecord> folder = DoGetFolder(id);
  if (!folder.ok()) return folder.status();
  return DeleteFolderTree(*folder);
}

Status LmdbTxn::DropFromAcl(FolderId id, UserId user) {
  Result<FolderRecord> folder = DoGetFolder(id);
  if (folder.status().code() == Code::kNotFound) return Status::Ok();
  if (!folder.ok()) return folder.status();
  auto& acl = folder->acl;
  acl.erase(std::remove_if(acl.begin(), acl.end(),
                           [&](const AclEntry& e) { return e.user == user; }),
            acl.end());
  Status s = SaveFolder(*folder);
  if (s.ok()) s = Del(dbs_.user_folders, keys::UserAnd(user, id));
  return s.code() == Code::kNotFound ? Status::Ok() : s;
}

Result<std::vector<FolderRecord>> LmdbTxn::DoVisibleFolders(UserId user) {
  std::vector<FolderId> ids;
  const std::string prefix = keys::User(user);
  Status s = Scan(dbs_.user_folders, prefix, prefix, [&](std::string_view key, std::string_view) {
    if (key.size() == 12) ids.push_back(keys::LoadBE<FolderId>(key, 4));
    return true;
  });
  if (!s.ok()) return s;
  std::vector<FolderRecord> folders;
  folders.reserve(ids.size());
  for (FolderId id : ids) {
    Result<FolderRecord> folder = DoGetFolder(id);
    if (folder.status().code() == Code::kNotFound) {
      return CorruptRecord("folder index of user " + std::to_string(user) + ": " +
                           FolderLabel(id) + " is missing");
    }
    if (!folder.ok()) return folder.status();
    folders.push_back(std::move(*folder));
  }
  return folders;
}

Result<std::vector<HierarchyChange>> LmdbTxn::DoHierarchyChangesSince(UserId user,
                                                                      uint64_t after) {
  std::vector<HierarchyChange> changes;
  if (after == UINT64_MAX) return changes;
  Status failure;
  const std::string prefix = keys::User(user);
  Status s = Scan(dbs_.hierarchy_log, prefix, keys::UserAnd(user, after + 1),
                  [&](std::string_view key, std::string_view value) {
                    HierarchyChange change;
                    const char* why = DecodeHierarchyChange(value, &change);
                    if (why == nullptr && (key.size() != 12 ||
                                           change.seq != keys::LoadBE<uint64_t>(key, 4))) {
                      why = "seq differs from its key";
                    }
                    if (why != nullptr) {
                      failure = CorruptRecord("hierarchy log of user " +
                                              std::to_string(user) + ": " + why);
                      return false;
                    }
                    changes.push_back(change);
                    return true;
                  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return changes;
}

Result<size_t> LmdbTxn::DoTrimHierarchyLog(UserId user, uint64_t through) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  size_t dropped = 0;
  const std::string prefix = keys::User(user);
  const std::string end = keys::UserAnd(user, through);
  Cursor cursor;
  s = Check(cursor.Open(txn_, dbs_.hierarchy_log), "opening cursor");
  for (;;) {
    if (!s.ok()) return s;
    MDB_val key = ToVal(prefix);
    MDB_val value;
    int rc = cursor.Get(&key, &value, MDB_SET_RANGE);
    if (rc == MDB_NOTFOUND) return dropped;
    if (rc != MDB_SUCCESS) return Check(rc, "reading cursor");
    std::string_view k = ToView(key);
    if (k.substr(0, prefix.size()) != prefix || k > end) return dropped;
    s = Check(cursor.Del(), "storage delete");
    ++dropped;
  }
}

}  // namespace eas::storage
