// Users: records by id, a name → id index and the id counter.
#include <ctime>
#include <string>
#include <utility>

#include "storage/codec.hpp"
#include "storage/keys.hpp"
#include "storage/lmdb_txn.hpp"

namespace eas::storage {
namespace {

// Longest login name; keeps users_by_name keys far below LMDB's 511 bytes.
constexpr size_t kMaxUserNameSize = 255;

std::string UserLabel(UserId id) { return "user " + std::to_string(id); }

}  // namespace

Result<UserRecord> LmdbTxn::DoCreateUser(UserRecord user) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  if (user.name.empty() || user.name.size() > kMaxUserNameSize) {
    return Status::Invalid("user name must have 1 to 255 bytes");
  }
  std::string_view unused;
  s = Get(dbs_.users_by_name, user.name, &unused);
  if (s.ok()) return Status::Exists("user " + user.name + " already exists");
  if (s.code() != Code::kNotFound) return s;

  Result<uint64_t> id = BumpCounter(keys::Counter(keys::kNextUserId));
  if (!id.ok()) return id.status();
  if (*id > UINT32_MAX) return Status::StoreFull("no user ids left");
  user.id = static_cast<UserId>(*id);
  if (user.created == 0) user.created = static_cast<uint64_t>(std::time(nullptr));

  std::string id_key = keys::User(user.id);
  s = Put(dbs_.users, id_key, EncodeUser(user));
  if (s.ok()) s = Put(dbs_.users_by_name, user.name, id_key);
  if (!s.ok()) return s;
  return user;
}

Status LmdbTxn::DoReadUserById(UserId id, UserRecord* out) {
  std::string_view value;
  Status s = Get(dbs_.users, keys::User(id), &value);
  if (s.code() == Code::kNotFound) return Status::NotFound(UserLabel(id) + " not found");
  if (!s.ok()) return s;
  if (const char* why = DecodeUser(value, out)) {
    return CorruptRecord(UserLabel(id) + ": " + why);
  }
  if (out->id != id) return CorruptRecord(UserLabel(id) + ": id differs from its key");
  return Status::Ok();
}

Result<UserRecord> LmdbTxn::DoGetUserById(UserId id) {
  return Filled<UserRecord>([&](UserRecord* user) { return DoReadUserById(id, user); });
}

Status LmdbTxn::DoReadUser(std::string_view name, UserRecord* out) {
  std::string_view value;
  Status s = Get(dbs_.users_by_name, name, &value);
  if (s.code() == Code::kNotFound) {
    return Status::NotFound("user " + std::string(name) + " not found");
  }
  if (!s.ok()) return s;
  if (value.size() != 4) return CorruptRecord("name index entry of " + std::string(name));
  s = DoReadUserById(keys::LoadBE<UserId>(value, 0), out);
  if (s.ok() && out->name != name) {
    return CorruptRecord("name index entry of " + std::string(name) + ": names another user");
  }
  return s;
}

Result<UserRecord> LmdbTxn::DoGetUser(std::string_view name) {
  return Filled<UserRecord>([&](UserRecord* user) { return DoReadUser(name, user); });
}

Status LmdbTxn::DoUpdateUser(const UserRecord& user) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  Result<UserRecord> old = DoGetUserById(user.id);
  if (!old.ok()) return old.status();
  if (old->name != user.name) {
    return Status::Invalid("the name of " + UserLabel(user.id) + " may not change");
  }
  return Put(dbs_.users, keys::User(user.id), EncodeUser(user));
}

Status LmdbTxn::DoDeleteUser(std::string_view name) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  Result<UserRecord> user = DoGetUser(name);
  if (!user.ok()) return user.status();
  const UserId id = user->id;
  const std::string prefix = keys::User(id);
  NoteChange(id);  // a held Ping of this user must end

  std::vector<std::pair<FolderId, char>> folders;
  s = Scan(dbs_.user_folders, prefix, prefix, [&](std::string_view key, std::string_view v) {
    if (key.size() == 12 && v.size() == 1) {
      folders.emplace_back(keys::LoadBE<FolderId>(key, 4), v[0]);
    }
    return true;
  });
  if (!s.ok()) return s;
  for (const auto& [folder_id, role] : folders) {
    if (role == keys::kShared) {
      s = DropFromAcl(folder_id, id);
    } else {
      Result<FolderRecord> folder = DoGetFolder(folder_id);
      // Already gone as a subfolder of an earlier one.
      if (folder.status().code() == Code::kNotFound) continue;
      s = folder.ok() ? DeleteFolderTree(*folder) : folder.status();
    }
    if (!s.ok()) return s;
  }

  // The user's items released their blobs with their folders; a blob that
  // an item in another user's folder still refers to lives on, without the
  // deleted user's key for it.
  for (MDB_dbi dbi : {dbs_.user_folders, dbs_.hierarchy_log, dbs_.blob_keys, dbs_.oof, dbs_.user_pictures}) {
    s = DelPrefix(dbi, prefix);
    if (!s.ok()) return s;
  }
  s = Del(dbs_.meta, keys::ScopedCounter(keys::kHierarchySeq, id));
  if (!s.ok() && s.code() != Code::kNotFound) return s;
  s = DeleteDevicesOf(id);
  if (s.ok()) s = Del(dbs_.users, prefix);
  if (s.ok()) s = Del(dbs_.users_by_name, name);
  return s;
}

Result<std::vector<UserRecord>> LmdbTxn::DoListUsers() {
  std::vector<UserRecord> users;
  Status failure;
  Status s = Scan(dbs_.users, {}, {}, [&](std::string_view key, std::string_view value) {
    UserRecord user;
    if (const char* why = DecodeUser(value, &user)) {
      uint32_t id = key.size() == 4 ? keys::LoadBE<UserId>(key, 0) : 0;
      failure = CorruptRecord(UserLabel(id) + ": " + why);
      return false;
    }
    users.push_back(std::move(user));
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return users;
}

}  // namespace eas::storage
