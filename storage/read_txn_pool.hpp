// Reuse of read-only transactions. Store::Read runs on every request, and
// mdb_txn_renew of a reset transaction skips the allocation and the reader
// slot search of mdb_txn_begin. With MDB_NOTLS a reset transaction may be
// renewed by any thread.
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

  // A live read transaction: a renewed idle one, else a new one. Returns
  // LMDB's rc (MDB_MAP_RESIZED, MDB_READERS_FULL...); *out only on success.
  int Acquire(MDB_env* env, MDB_txn** out) noexcept;
  // Resets txn and keeps it for the next Acquire, or aborts it when full.
  void Release(MDB_txn* txn) noexcept;

 private:
  std::mutex mutex_;
  std::vector<MDB_txn*> idle_;  // capacity reserved: push_back never throws
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
