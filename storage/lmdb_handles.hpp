// Move-only owners of LMDB handles (in the manner of hoytech/lmdbxx): each
// releases its handle in a noexcept destructor, so no early return or
// exception can leak an environment, a transaction or a cursor.
#pragma once

#include <lmdb.h>

#include <string_view>
#include <utility>

namespace eas::storage {

// An MDB_val over s (never a null pointer, even for an empty view).
inline MDB_val ToVal(std::string_view s) noexcept {
  return MDB_val{s.size(), const_cast<char*>(s.empty() ? "" : s.data())};
}

inline std::string_view ToView(const MDB_val& v) noexcept {
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}

// Owns an MDB_env; mdb_env_close on destruction. Every transaction and
// cursor of the environment must be gone by then.
class Env {
 public:
  Env() = default;
  ~Env() { Reset(); }
  Env(Env&& other) noexcept : env_(std::exchange(other.env_, nullptr)) {}
  Env& operator=(Env&& other) noexcept {
    if (this != &other) {
      Reset();
      env_ = std::exchange(other.env_, nullptr);
    }
    return *this;
  }
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  // mdb_env_create into *this; returns its rc.
  int Create() noexcept {
    Reset();
    return mdb_env_create(&env_);
  }
  MDB_env* get() const noexcept { return env_; }

 private:
  void Reset() noexcept {
    if (env_ != nullptr) mdb_env_close(std::exchange(env_, nullptr));
  }
  MDB_env* env_ = nullptr;
};

// Owns an MDB_txn: aborted on destruction unless committed or released.
class TxnHandle {
 public:
  TxnHandle() = default;
  explicit TxnHandle(MDB_txn* txn) noexcept : txn_(txn) {}
  ~TxnHandle() { Abort(); }
  TxnHandle(TxnHandle&& other) noexcept : txn_(std::exchange(other.txn_, nullptr)) {}
  TxnHandle& operator=(TxnHandle&& other) noexcept {
    if (this != &other) {
      Abort();
      txn_ = std::exchange(other.txn_, nullptr);
    }
    return *this;
  }
  TxnHandle(const TxnHandle&) = delete;
  TxnHandle& operator=(const TxnHandle&) = delete;

  // mdb_txn_begin into *this (aborting what it held); returns its rc.
  int Begin(MDB_env* env, unsigned flags) noexcept {
    Abort();
    return mdb_txn_begin(env, nullptr, flags, &txn_);
  }
  // mdb_txn_commit; the handle is empty afterwards whatever the outcome,
  // because LMDB frees the transaction even when the commit fails.
  int Commit() noexcept { return mdb_txn_commit(std::exchange(txn_, nullptr)); }
  void Abort() noexcept {
    if (txn_ != nullptr) mdb_txn_abort(std::exchange(txn_, nullptr));
  }
  // Gives up ownership (e.g. to a pool of reset read transactions).
  MDB_txn* Release() noexcept { return std::exchange(txn_, nullptr); }
  MDB_txn* get() const noexcept { return txn_; }

 private:
  MDB_txn* txn_ = nullptr;
};

// Owns an MDB_cursor. Must be destroyed before its transaction ends: a
// cursor of a write transaction is freed by LMDB at commit/abort.
class Cursor {
 public:
  Cursor() = default;
  ~Cursor() { Close(); }
  Cursor(Cursor&& other) noexcept : cursor_(std::exchange(other.cursor_, nullptr)) {}
  Cursor& operator=(Cursor&& other) noexcept {
    if (this != &other) {
      Close();
      cursor_ = std::exchange(other.cursor_, nullptr);
    }
    return *this;
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  int Open(MDB_txn* txn, MDB_dbi dbi) noexcept {
    Close();
    return mdb_cursor_open(txn, dbi, &cursor_);
  }
  int Get(MDB_val* key, MDB_val* value, MDB_cursor_op op) noexcept {
    return mdb_cursor_get(cursor_, key, value, op);
  }
  int Del() noexcept { return mdb_cursor_del(cursor_, 0); }
  MDB_cursor* get() const noexcept { return cursor_; }

 private:
  void Close() noexcept {
    if (cursor_ != nullptr) mdb_cursor_close(std::exchange(cursor_, nullptr));
  }
  MDB_cursor* cursor_ = nullptr;
};

}  // namespace eas::storage
