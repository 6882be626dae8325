// Reuse of read-only transactions. Store::Read runs on every request, and
// mdb_txn_renew of a reset transaction skips the allocation and the reader
// slot search of mdb_txn_begin. With MDB_NOTLS a transaction may be used by
// any thread.
//
// Better still, a released transaction is parked live: while no write has
// committed since it began, the next Acquire takes it as it is. That skips
// the renew and, above all, LMDB's refresh of every named database at its
// first use in a transaction (a search of the main database each: a request
// touches five). A parked snapshot keeps writers from reusing the pages
// freed after it, so the store resets parked transactions when it idles
// (Store::ReleaseIdleSnapshots) and before the map is resized.
#pragma once

#include <lmdb.h>

#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

namespace eas::storage {

class ReadTxnPool {
 public:
  // Keeps at most `capacity` idle transactions (each holds a reader slot).
  explicit ReadTxnPool(size_t capacity);
  // Aborts the idle transactions; must run before the environment closes.
  ~ReadTxnPool();
  ReadTxnPool(const ReadTxnPool&) = delete;
  ReadTxnPool& operator=(const ReadTxnPool&) = delete;

  // A live read transaction of the newest snapshot: a parked one when no
  // write committed since it began, else a renewed idle one, else a new
  // one. Returns LMDB's rc (MDB_MAP_RESIZED, MDB_READERS_FULL...); *out
  // only on success.
  int Acquire(MDB_env* env, MDB_txn** out) noexcept;
  // Parks txn (live) for the next Acquire, or aborts it when full.
  void Release(MDB_txn* txn) noexcept;
  // Resets the parked transactions, so they pin no snapshot. Before
  // mdb_env_set_mapsize, no other transaction of the process may be open.
  void ResetIdle() noexcept;
  // Parked transactions still holding a snapshot (for tests).
  size_t LiveIdle();

 private:
  struct Idle {
    MDB_txn* txn;
    bool live;  // parked with its snapshot; false once reset
  };
  std::mutex mutex_;
  std::vector<Idle> idle_;  // capacity reserved: push_back never throws
  size_t capacity_;
};

// Owns one transaction from a pool and hands it back on destruction.
class PooledReadTxn {
 public:
  PooledReadTxn() = default;
  ~PooledReadTxn() { Reset(); }
  PooledReadTxn(PooledReadTxn&& other) noexcept
      : pool_(std::exchange(other.pool_, nullptr)), txn_(std::exchange(other.txn_, nullptr)) {}
  PooledReadTxn& operator=(PooledReadTxn&& other) noexcept {
    if (this != &other) {
      Reset();
      pool_ = std::exchange(other.pool_, nullptr);
      txn_ = std::exchange(other.txn_, nullptr);
    }
    return *this;
  }
  PooledReadTxn(const PooledReadTxn&) = delete;
  PooledReadTxn& operator=(const PooledReadTxn&) = delete;

  int Acquire(ReadTxnPool* pool, MDB_env* env) noexcept {
    Reset();
    int rc = pool->Acquire(env, &txn_);
    if (rc == MDB_SUCCESS) pool_ = pool;
    return rc;
  }
  MDB_txn* get() const noexcept { return txn_; }

 private:
  void Reset() noexcept {
    if (txn_ != nullptr) pool_->Release(std::exchange(txn_, nullptr));
    pool_ = nullptr;
  }
  ReadTxnPool* pool_ = nullptr;
  MDB_txn* txn_ = nullptr;
};

}  // namespace eas::storage
