// Store::Impl: the environment, its database handles, the map-size lock
// and the read transaction pool (private to storage/).
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>

#include "storage/databases.hpp"
#include "storage/lmdb_handles.hpp"
#include "storage/read_txn_pool.hpp"
#include "storage/store.hpp"

namespace eas::storage {

// Idle read transactions kept per process (each holds a reader slot).
inline constexpr size_t kIdleReadTxns = 4;
// Reader slots of the environment: nginx workers × pooled readers + tools.
inline constexpr unsigned kMaxReaders = 1024;

struct Store::Impl {
  Impl(std::string dir, const OpenOptions& opts, Env environment)
      : path(std::move(dir)), options(opts), env(std::move(environment)),
        readers(kIdleReadTxns) {}

  // Begin a transaction while holding *lock shared (mdb_env_set_mapsize
  // may not run while any transaction of this process is open). Handles
  // MDB_MAP_RESIZED (another process grew the map: adopt its size) and
  // MDB_READERS_FULL (clear slots of dead processes) by retrying.
  Status BeginWrite(std::shared_lock<std::shared_mutex>* lock, TxnHandle* txn,
                    uint64_t* map_size);
  Status BeginRead(std::shared_lock<std::shared_mutex>* lock, PooledReadTxn* txn);

  // After MDB_MAP_FULL in a transaction begun at map size `observed`:
  // doubles it (capped at options.max_map_size). Ok without resizing when
  // another thread already grew it; kStoreFull at the cap.
  Status GrowMap(uint64_t observed);
  // Makes the map at least `at_least` bytes, never smaller than now, and at
  // least the size another process recorded in the environment (so
  // ResizeMap(0) adopts a map grown elsewhere). Takes the lock exclusively.
  Status ResizeMap(uint64_t at_least);
  uint64_t MapSize() const;

  const std::string path;
  const OpenOptions options;
  Env env;
  Databases dbs;
  // Shared by every open transaction, exclusive for mdb_env_set_mapsize.
  std::shared_mutex map_mutex;
  // Declared after env, so idle transactions end before the env closes.
  ReadTxnPool readers;

 private:
  // Handles a failed begin; false when rc is not worth a retry.
  bool Recover(int rc);
};

}  // namespace eas::storage
