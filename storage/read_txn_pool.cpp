#include "storage/read_txn_pool.hpp"

namespace eas::storage {

ReadTxnPool::ReadTxnPool(size_t capacity) : capacity_(capacity) { idle_.reserve(capacity); }

ReadTxnPool::~ReadTxnPool() {
  for (MDB_txn* txn : idle_) mdb_txn_abort(txn);
}

int ReadTxnPool::Acquire(MDB_env* env, MDB_txn** out) noexcept {
  MDB_txn* txn = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      txn = idle_.back();
      idle_.pop_back();
    }
  }
  if (txn != nullptr) {
    int rc = mdb_txn_renew(txn);
    if (rc == MDB_SUCCESS) {
      *out = txn;
      return rc;
    }
    // The map was resized underneath, or the env failed: start afresh.
    mdb_txn_abort(txn);
    if (rc != EINVAL) return rc;
  }
  return mdb_txn_begin(env, nullptr, MDB_RDONLY, out);
}

void ReadTxnPool::Release(MDB_txn* txn) noexcept {
  mdb_txn_reset(txn);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < capacity_) {
      idle_.push_back(txn);
      return;
    }
  }
  mdb_txn_abort(txn);
}

}  // namespace eas::storage
