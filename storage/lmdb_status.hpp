// The one place where LMDB and errno codes become eas::Status values.
#pragma once

#include <string_view>

#include "base/status.hpp"

namespace eas::storage {

// Maps an LMDB return code (MDB_* or an errno value) to a Status whose
// message is "<what>: <mdb_strerror>". rc == 0 gives Ok. The mapping:
//   MDB_NOTFOUND, ENOENT            → kNotFound
//   MDB_KEYEXIST, EEXIST            → kAlreadyExists
//   MDB_MAP_FULL, ENOSPC, EDQUOT    → kStoreFull   (nginx answers 503)
//   EACCES, EPERM, EROFS            → kPermissionDenied
//   MDB_BAD_VALSIZE                 → kInvalidArgument (key too long)
//   ENOMEM                          → kInternal
//   everything else (corruption, version mismatch, EIO, MDB_TXN_FULL,
//   MDB_READERS_FULL, MDB_MAP_RESIZED...) → kIoError
Status MdbStatus(int rc, std::string_view what);

// A record or key that did not decode: always kIoError "corrupt record ...",
// so a damaged store is reported, never crashed on.
Status CorruptRecord(std::string_view what);

}  // namespace eas::storage
