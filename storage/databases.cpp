#include "storage/databases.hpp"

#include <string>
#include <utility>

#include "storage/lmdb_handles.hpp"
#include "storage/lmdb_status.hpp"

namespace eas::storage {
namespace {

// Name → member; the names are part of the on-disk format.
std::pair<const char*, MDB_dbi Databases::*> const kTable[] = {
    {"users", &Databases::users},
    {"users_by_name", &Databases::users_by_name},
    {"folders", &Databases::folders},
    {"user_folders", &Databases::user_folders},
    {"children", &Databases::children},
    {"hierarchy_log", &Databases::hierarchy_log},
    {"items", &Databases::items},
    {"item_log", &Databases::item_log},
    {"devices", &Databases::devices},
    {"sync_states", &Databases::sync_states},
    {"meta", &Databases::meta},
    {"change_feed", &Databases::change_feed},
    {"held_items", &Databases::held_items},
    {"folder_readers", &Databases::folder_readers},
    {"blobs", &Databases::blobs},
    {"blob_refs", &Databases::blob_refs},
    {"blob_keys", &Databases::blob_keys},
    {"items_by_time", &Databases::items_by_time},
    {"client_ids", &Databases::client_ids},
    {"outgoing", &Databases::outgoing},
    {"oof", &Databases::oof},
    {"user_pictures", &Databases::user_pictures},
};

// Opens all databases in one transaction; the handles survive only if it
// commits (LMDB closes handles of an aborted transaction).
int OpenAll(MDB_env* env, bool create, Databases* out, const char** failed) {
  TxnHandle txn;
  int rc = txn.Begin(env, create ? 0 : MDB_RDONLY);
  if (rc != MDB_SUCCESS) return rc;
  Databases dbs;
  for (const auto& [name, member] : kTable) {
    rc = mdb_dbi_open(txn.get(), name, create ? MDB_CREATE : 0, &(dbs.*member));
    if (rc != MDB_SUCCESS) {
      *failed = name;
      return rc;
    }
  }
  rc = txn.Commit();
  if (rc == MDB_SUCCESS) *out = dbs;
  return rc;
}

}  // namespace

Status OpenDatabases(MDB_env* env, const char* path, Databases* out) {
  const char* failed = "";
  int rc = OpenAll(env, /*create=*/false, out, &failed);
  if (rc == MDB_NOTFOUND) rc = OpenAll(env, /*create=*/true, out, &failed);
  if (rc == MDB_SUCCESS) return Status::Ok();
  return MdbStatus(rc, std::string("opening database ") + failed + " in " + path);
}

}  // namespace eas::storage
