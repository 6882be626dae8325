#include "storage/lmdb_status.hpp"

#include <lmdb.h>

#include <cerrno>
#include <string>

namespace eas::storage {

Status MdbStatus(int rc, std::string_view what) {
  if (rc == MDB_SUCCESS) return Status::Ok();
  std::string message(what);
  message += ": ";
  message += mdb_strerror(rc);
  switch (rc) {
    case MDB_NOTFOUND:
    case ENOENT:
      return Status::NotFound(std::move(message));
    case MDB_KEYEXIST:
    case EEXIST:
      return Status::Exists(std::move(message));
    case MDB_MAP_FULL:
    case ENOSPC:
    case EDQUOT:
      return Status::StoreFull(std::move(message));
    case EACCES:
    case EPERM:
    case EROFS:
      return Status::Denied(std::move(message));
    case MDB_BAD_VALSIZE:
      return Status::Invalid(std::move(message));
    case ENOMEM:
      return Status::Internal(std::move(message));
    default:
      return Status::Io(std::move(message));
  }
}

Status CorruptRecord(std::string_view what) {
  std::string message = "corrupt record ";
  message += what;
  return Status::Io(std::move(message));
}

}  // namespace eas::storage
