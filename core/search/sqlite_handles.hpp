// Move-only owners of the SQLite handles the search index uses, and the few
// calls on them it needs, with SQLite's errors turned into Status. Only
// core/search/*.cpp include this (sqlite3.h stays out of every header other
// code sees).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.hpp"

namespace eas::core::search {

// One connection (sqlite3_close_v2 at the end; statements it still has
// are finalised first by their own owners, declared after it).
class SqliteDb {
 public:
  SqliteDb() = default;
  explicit SqliteDb(sqlite3* db) noexcept : db_(db) {}
  SqliteDb(SqliteDb&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  SqliteDb& operator=(SqliteDb&& other) noexcept {
    if (this != &other) {
      Close();
      db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
  }
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb() { Close(); }

  sqlite3* get() const noexcept { return db_; }

  // Status for a failed call on this connection: `what` and SQLite's words.
  Status Error(std::string_view what) const {
    return Status::Io("search index: " + std::string(what) + ": " +
                      (db_ != nullptr ? sqlite3_errmsg(db_) : "no connection"));
  }
  // Runs statements that return no rows (schema, BEGIN, COMMIT).
  Status Exec(const char* sql) const {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return Error(sql);
    return Status::Ok();
  }

 private:
  void Close() noexcept {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  sqlite3* db_ = nullptr;
};

// One prepared statement.
class SqliteStmt {
 public:
  SqliteStmt() = default;
  SqliteStmt(SqliteStmt&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  SqliteStmt& operator=(SqliteStmt&& other) noexcept {
    if (this != &other) {
      Finalize();
      stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
  }
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;
  ~SqliteStmt() { Finalize(); }

  static Result<SqliteStmt> Prepare(const SqliteDb& db, std::string_view sql) {
    SqliteStmt s;
    if (sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &s.stmt_,
                           nullptr) != SQLITE_OK) {
      return db.Error("preparing " + std::string(sql.substr(0, 60)));
    }
    return s;
  }

  // Parameters count from 1, as in SQLite.
  void Bind(int at, int64_t value) { sqlite3_bind_int64(stmt_, at, value); }
  void Bind(int at, std::string_view text) {
    sqlite3_bind_text(stmt_, at, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step() { return sqlite3_step(stmt_); }
  // Ready to run again with new parameters.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  void Finalize() noexcept {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace eas::core::search
