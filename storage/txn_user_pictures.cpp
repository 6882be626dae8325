// Users' directory pictures: JPEG bytes under the user's key of their own
// database, so that reading a UserRecord (every request) never copies one.
#include <string>

#include "storage/guard.hpp"
#include "storage/keys.hpp"
#include "storage/lmdb_txn.hpp"

namespace eas::storage {

Status LmdbTxn::ViewUserPicture(UserId user, std::string_view* out) {
  return Guard([&]() -> Status {
    Status s = Get(dbs_.user_pictures, keys::User(user), out);
    if (s.code() == Code::kNotFound) {
      return Status::NotFound("user " + std::to_string(user) + " has no picture");
    }
    return s;
  });
}

Status LmdbTxn::PutUserPicture(UserId user, std::string_view jpeg) {
  return Guard([&]() -> Status {
    Status s = CheckWritable();
    if (!s.ok()) return s;
    Result<UserRecord> owner = DoGetUserById(user);
    if (!owner.ok()) return owner.status();
    if (!jpeg.empty()) return Put(dbs_.user_pictures, keys::User(user), jpeg);
    s = Del(dbs_.user_pictures, keys::User(user));
    return s.code() == Code::kNotFound ? Status::Ok() : s;
  });
}

}  // namespace eas::storage
