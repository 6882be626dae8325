// The named databases of the environment (layouts in keys.hpp).
#pragma once

#include <lmdb.h>

#include "base/status.hpp"

namespace eas::storage {

// Handles of every named database; valid for the environment's lifetime
// in every transaction and thread once Open has succeeded.
struct Databases {
  MDB_dbi users = 0;
  MDB_dbi users_by_name = 0;
  MDB_dbi folders = 0;
  MDB_dbi user_folders = 0;   // per-user index: owned and shared folders
  MDB_dbi children = 0;       // per-folder index of subfolders
  MDB_dbi hierarchy_log = 0;
  MDB_dbi items = 0;
  MDB_dbi item_log = 0;
  MDB_dbi devices = 0;
  MDB_dbi sync_states = 0;
  MDB_dbi meta = 0;           // counters
  MDB_dbi change_feed = 0;    // which users each write transaction touched
  MDB_dbi held_items = 0;     // per device and folder: the items it holds
  MDB_dbi folder_readers = 0; // per folder: the devices that sync it
  MDB_dbi blobs = 0;          // large values, written once
  MDB_dbi blob_refs = 0;      // per blob: reference count, owner, key
  MDB_dbi blob_keys = 0;      // per user: blob key → blob
  MDB_dbi items_by_time = 0;  // per folder: items by ItemRecord::time
  MDB_dbi client_ids = 0;     // per device: the SendMail ClientIds it used
  MDB_dbi outgoing = 0;       // the outgoing queue (mail for the relay)
  MDB_dbi oof = 0;            // per user: out-of-office setting, senders replied to
  MDB_dbi user_pictures = 0;  // per user: the directory picture (JPEG)
};

// Room for the databases above and a few more added later without asking
// every deployment to reopen with a new limit.
inline constexpr unsigned kMaxDatabases = 24;

// Opens every database. Tries a read transaction first, so a worker starting
// while easctl holds the write lock does not wait for it; only a store that
// lacks some database (new, or older version) takes a write transaction to
// create them.
Status OpenDatabases(MDB_env* env, const char* path, Databases* out);

}  // namespace eas::storage
