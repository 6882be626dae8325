// Helpers shared by the storage tests: status assertions and one-call
// read/write transactions returning values.
#pragma once

#include <cppunit/extensions/HelperMacros.h>
#include <lmdb.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "base/status.hpp"
#include "storage/store.hpp"

namespace eas::storage {

#define ASSERT_OK(expr)                                   \
  do {                                                    \
    const ::eas::Status s_ = (expr);                      \
    CPPUNIT_ASSERT_MESSAGE(s_.message(), s_.ok());        \
  } while (0)

#define ASSERT_CODE(want, expr)                                            \
  do {                                                                     \
    const ::eas::Status s_ = (expr);                                       \
    CPPUNIT_ASSERT_MESSAGE("got: " + s_.message(), s_.code() == (want));   \
  } while (0)

template <class T>
T Must(Result<T> r) {
  CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.ok());
  return std::move(r).value();
}

inline std::unique_ptr<Store> MustOpen(const std::string& dir, const OpenOptions& options = {}) {
  return Must(Store::Open(dir, options));
}

inline UserRecord NewUser(const std::string& name) {
  UserRecord u;
  u.name = name;
  u.display_name = name + " display";
  u.addresses = {name + "@example.org", name + ".alias@example.org"};
  u.password_hash = "$hash$" + name;
  return u;
}

// Everything from the store in one read transaction, as values.
template <class T, class F>
T ReadValue(Store& store, F&& f) {
  std::optional<T> out;
  ASSERT_OK(store.Read([&](Txn& txn) -> Status {
    Result<T> r = f(txn);
    if (!r.ok()) return r.status();
    out = std::move(r).value();
    return Status::Ok();
  }));
  return std::move(*out);
}

template <class T, class F>
T WriteValue(Store& store, F&& f) {
  std::optional<T> out;
  ASSERT_OK(store.Write([&](Txn& txn) -> Status {
    Result<T> r = f(txn);
    if (!r.ok()) return r.status();
    out = std::move(r).value();
    return Status::Ok();
  }));
  return std::move(*out);
}

// Runs fn in a write transaction on the named database of the store at
// `path`, with LMDB directly, to damage it as a lost write would. No Store
// may be open on it (LMDB wants one environment per file per process).
inline void RawWrite(const std::string& path, const char* name,
                     const std::function<void(MDB_txn*, MDB_dbi)>& fn) {
  MDB_env* env = nullptr;
  CPPUNIT_ASSERT_EQUAL(0, mdb_env_create(&env));
  mdb_env_set_maxdbs(env, 32);
  CPPUNIT_ASSERT_EQUAL(0, mdb_env_open(env, path.c_str(), 0, 0660));
  MDB_txn* txn = nullptr;
  CPPUNIT_ASSERT_EQUAL(0, mdb_txn_begin(env, nullptr, 0, &txn));
  MDB_dbi dbi;
  CPPUNIT_ASSERT_EQUAL(0, mdb_dbi_open(txn, name, 0, &dbi));
  fn(txn, dbi);
  CPPUNIT_ASSERT_EQUAL(0, mdb_txn_commit(txn));
  mdb_env_close(env);
}

}  // namespace eas::storage
