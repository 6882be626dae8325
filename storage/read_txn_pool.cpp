#include "storage/read_txn_pool.hpp"

namespace eas::storage {
namespace {

// Has no write committed since txn began? The newest committed id is read
// from the meta pages, which a writer (of any process) updates before its
// commit returns: a write finished before this call is never missed.
bool IsNewest(MDB_env* env, MDB_txn* txn) {
  MDB_envinfo info;
  return mdb_env_info(env, &info) == MDB_SUCCESS && info.me_last_txnid == mdb_txn_id(txn);
}

}  // namespace

ReadTxnPool::ReadTxnPool(size_t capacity) : capacity_(capacity) { idle_.reserve(capacity); }

ReadTxnPool::~ReadTxnPool() {
  for (const Idle& idle : idle_) mdb_txn_abort(idle.txn);
}

int ReadTxnPool::Acquire(MDB_env* env, MDB_txn** out) noexcept {
  Idle idle{nullptr, false};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      idle = idle_.back();
      idle_.pop_back();
    }
  }
  if (idle.txn != nullptr) {
    if (idle.live) {
      if (IsNewest(env, idle.txn)) {
        *out = idle.txn;
        return MDB_SUCCESS;
      }
      mdb_txn_reset(idle.txn);
    }
    int rc = mdb_txn_renew(idle.txn);
    if (rc == MDB_SUCCESS) {
      *out = idle.txn;
      return rc;
    }
    // The map was resized underneath, or the env failed: start afresh.
    mdb_txn_abort(idle.txn);
    if (rc != EINVAL) return rc;
  }
  return mdb_txn_begin(env, nullptr, MDB_RDONLY, out);
}

void ReadTxnPool::Release(MDB_txn* txn) noexcept {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < capacity_) {
      idle_.push_back({txn, true});
      return;
    }
  }
  mdb_txn_abort(txn);
}

void ReadTxnPool::ResetIdle() noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  for (Idle& idle : idle_) {
    if (!idle.live) continue;
    mdb_txn_reset(idle.txn);
    idle.live = false;
  }
}

size_t ReadTxnPool::LiveIdle() {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t n = 0;
  for (const Idle& idle : idle_) n += idle.live;
  return n;
}

}  // namespace eas::storage
