// Store::Read / Store::Write and the map-size management around them.
#include <lmdb.h>

#include <algorithm>
#include <mutex>
#include <new>
#include <optional>
#include <string>

#include "storage/guard.hpp"
#include "storage/lmdb_status.hpp"
#include "storage/lmdb_txn.hpp"
#include "storage/store_impl.hpp"

namespace eas::storage {
namespace {

// Retries of mdb_txn_begin after MDB_MAP_RESIZED or MDB_READERS_FULL; more
// would mean the environment keeps changing under us faster than we adapt.
constexpr int kBeginAttempts = 4;

}  // namespace

// The snapshot a ReadHold shares: opened by the first Read, closed by a
// Write or when the hold ends. Members end in reverse order: the typed
// view, then the transaction (back to the pool), then the lock.
struct Store::ReadHold::State {
  explicit State(Store::Impl* owner) : impl(owner) {}
  void Close() {
    typed.reset();
    txn = PooledReadTxn();
    if (lock.owns_lock()) lock.unlock();
  }
  Store::Impl* impl;
  std::shared_lock<std::shared_mutex> lock;
  PooledReadTxn txn;
  std::optional<LmdbTxn> typed;
  int depth = 0;  // Read callbacks running on the snapshot now
};

namespace {

// This thread's hold, if any. A plain pointer (the hold owns the state), so
// nothing is left for thread-exit destructors in a module nginx unloads.
thread_local Store::ReadHold::State* tls_hold = nullptr;

}  // namespace

Store::ReadHold::ReadHold(Impl* impl) : state_(new (storage_) State(impl)) {
  static_assert(sizeof(State) <= kStateBytes && alignof(State) <= alignof(std::max_align_t));
  tls_hold = state_;
}

Store::ReadHold::~ReadHold() {
  if (state_ == nullptr) return;
  state_->Close();
  if (tls_hold == state_) tls_hold = nullptr;
  state_->~State();
}

Store::ReadHold Store::HoldReads() {
  if (tls_hold != nullptr) return ReadHold();
  return ReadHold(impl_.get());
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const std::string& Store::path() const { return impl_->path; }

void Store::ReleaseIdleSnapshots() {
  std::shared_lock<std::shared_mutex> lock(impl_->map_mutex);
  impl_->readers.ResetIdle();
}

size_t Store::IdleSnapshots() { return impl_->readers.LiveIdle(); }

uint64_t Store::Impl::MapSize() const {
  MDB_envinfo info;
  mdb_env_info(env.get(), &info);
  return info.me_mapsize;
}

bool Store::Impl::Recover(int rc) {
  if (rc == MDB_MAP_RESIZED) return ResizeMap(0).ok();
  if (rc == MDB_READERS_FULL) {
    int dead = 0;
    return mdb_reader_check(env.get(), &dead) == MDB_SUCCESS && dead > 0;
  }
  return false;
}

Status Store::Impl::BeginWrite(std::shared_lock<std::shared_mutex>* lock, TxnHandle* txn,
                               uint64_t* map_size) {
  int rc = MDB_SUCCESS;
  for (int attempt = 0; attempt < kBeginAttempts; ++attempt) {
    *lock = std::shared_lock<std::shared_mutex>(map_mutex);
    rc = txn->Begin(env.get(), 0);
    if (rc == MDB_SUCCESS) {
      *map_size = MapSize();
      return Status::Ok();
    }
    lock->unlock();
    if (!Recover(rc)) break;
  }
  return MdbStatus(rc, "beginning a write transaction in " + path);
}

Status Store::Impl::BeginRead(std::shared_lock<std::shared_mutex>* lock, PooledReadTxn* txn) {
  int rc = MDB_SUCCESS;
  for (int attempt = 0; attempt < kBeginAttempts; ++attempt) {
    *lock = std::shared_lock<std::shared_mutex>(map_mutex);
    rc = txn->Acquire(&readers, env.get());
    if (rc == MDB_SUCCESS) return Status::Ok();
    lock->unlock();
    if (!Recover(rc)) break;
  }
  return MdbStatus(rc, "beginning a read transaction in " + path);
}

Status Store::Impl::ResizeMap(uint64_t at_least) {
  std::unique_lock<std::shared_mutex> lock(map_mutex);
  readers.ResetIdle();  // no transaction of ours may be open, parked ones neither
  at_least = std::max(at_least, MapSize());  // never shrink our own map
  // Size 0 adopts the size recorded in the environment, which another
  // process may have grown; then grow further if that is not enough.
  int rc = mdb_env_set_mapsize(env.get(), 0);
  if (rc == MDB_SUCCESS && MapSize() < at_least) rc = mdb_env_set_mapsize(env.get(), at_least);
  return MdbStatus(rc, "resizing the map of " + path);
}

Status Store::Impl::GrowMap(uint64_t observed) {
  {
    std::shared_lock<std::shared_mutex> lock(map_mutex);
    if (MapSize() > observed) return Status::Ok();  // another thread was faster
  }
  if (observed >= options.max_map_size) {
    return Status::StoreFull("store " + path + " is full: its map reached the limit of " +
                             std::to_string(options.max_map_size) + " bytes");
  }
  uint64_t target = observed > options.max_map_size / 2 ? options.max_map_size : observed * 2;
  return ResizeMap(target);
}

Status Store::Read(TxnFn fn) {
  if (ReadHold::State* held = tls_hold; held != nullptr && held->impl == impl_.get()) {
    return Guard([&]() -> Status {
      if (!held->typed) {
        Status s = impl_->BeginRead(&held->lock, &held->txn);
        if (!s.ok()) return s;
        held->typed.emplace(held->txn.get(), impl_->dbs, /*writable=*/false);
      }
      Status result;
      {
        struct InUse {
          int& depth;
          ~InUse() { --depth; }
        } in_use{++held->depth};
        result = fn(*held->typed);
      }
      // A transaction LMDB gave up on is not shared any further.
      if (held->depth == 0 && held->typed->fatal_rc() != MDB_SUCCESS) held->Close();
      return result;
    });
  }
  return Guard([&]() -> Status {
    // Destroyed in reverse: the transaction is reset before the lock goes.
    std::shared_lock<std::shared_mutex> lock;
    PooledReadTxn txn;
    Status s = impl_->BeginRead(&lock, &txn);
    if (!s.ok()) return s;
    LmdbTxn typed(txn.get(), impl_->dbs, /*writable=*/false);
    return fn(typed);
  });
}

Status Store::Write(TxnFn fn) {
  if (ReadHold::State* held = tls_hold; held != nullptr && held->impl == impl_.get()) {
    if (held->depth > 0) {
      return Status::Internal("a write transaction begun inside a read of " + impl_->path);
    }
    held->Close();  // a growing map must not wait for our own reader
  }
  return Guard([&]() -> Status {
    bool grown = false;
    for (;;) {
      std::shared_lock<std::shared_mutex> lock;
      TxnHandle txn;
      uint64_t map_size = 0;
      Status s = impl_->BeginWrite(&lock, &txn, &map_size);
      if (!s.ok()) return s;
      LmdbTxn typed(txn.get(), impl_->dbs, /*writable=*/true,
                    impl_->options.change_feed_keep);
      Status result = fn(typed);
      if (result.ok()) result = typed.DropUnclaimedBlobs();
      if (result.ok()) result = typed.RecordChanges();
      int rc = typed.fatal_rc();
      if (result.ok() && rc == MDB_SUCCESS) {
        rc = txn.Commit();
        if (rc == MDB_SUCCESS) return Status::Ok();
      }
      if (rc != MDB_MAP_FULL) {
        if (!result.ok()) return result;
        return MdbStatus(rc, "write transaction in " + impl_->path);
      }
      // Full: nothing of this attempt is kept. Grow once and run fn again.
      txn.Abort();
      lock.unlock();
      if (grown) {
        return Status::StoreFull("store " + impl_->path + " is still full after growing its " +
                                 std::to_string(map_size) + "-byte map");
      }
      s = impl_->GrowMap(map_size);
      if (!s.ok()) return s;
      grown = true;
    }
  });
}

}  // namespace eas::storage
