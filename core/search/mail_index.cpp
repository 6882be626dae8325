#include "core/search/mail_index.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "core/search/sqlite_handles.hpp"

namespace eas::core::search {
namespace {

// A writer waits this long for another process's write transaction
// (a worker catching up a large mailbox) before the search fails.
constexpr int kBusyTimeoutMs = 30000;

// synchronous=NORMAL: in WAL mode a power cut may lose the last commits,
// never consistency; what was lost is caught up again from the store,
// since the progress of a folder commits with its messages.
constexpr const char* kSchema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS folders("
    "  folder INTEGER PRIMARY KEY, owner INTEGER NOT NULL, modseq INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS folders_by_owner ON folders(owner);"
    "CREATE TABLE IF NOT EXISTS messages("
    "  doc INTEGER PRIMARY KEY, folder INTEGER NOT NULL, item INTEGER NOT NULL,"
    "  received INTEGER NOT NULL, added INTEGER NOT NULL, UNIQUE(folder, item));"
    "CREATE INDEX IF NOT EXISTS messages_by_time ON messages(folder, received);"
    // Prefix indexes of 2 and 3 characters: a phone searches as the user
    // types, and short prefixes would otherwise scan the whole term list.
    "CREATE VIRTUAL TABLE IF NOT EXISTS message_text USING fts5("
    "  subject, sender, recipients, body, attachments,"
    "  tokenize='unicode61 remove_diacritics 2', prefix='2 3');";

}  // namespace

struct MailIndex::Impl {
  SqliteDb db;  // first: destroyed last, after the statements
  SqliteStmt progress, set_progress, insert_message, insert_text, find_doc, delete_message,
      delete_text;
  bool in_transaction = false;

  Status PrepareAll() {
    struct { SqliteStmt* stmt; const char* sql; } all[] = {
        {&progress, "SELECT modseq FROM folders WHERE folder = ?1"},
        {&set_progress, "INSERT INTO folders(folder, owner, modseq) VALUES(?1, ?2, ?3) "
                        "ON CONFLICT(folder) DO UPDATE SET owner = ?2, modseq = ?3"},
        {&insert_message, "INSERT OR IGNORE INTO messages(folder, item, received, added) "
                           "VALUES(?1, ?2, ?3, ?4)"},
        {&insert_text, "INSERT INTO message_text(rowid, subject, sender, recipients, body, "
                       "attachments) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"},
        {&find_doc, "SELECT doc FROM messages WHERE folder = ?1 AND item = ?2"},
        {&delete_message, "DELETE FROM messages WHERE doc = ?1"},
        {&delete_text, "DELETE FROM message_text WHERE rowid = ?1"},
    };
    for (auto& s : all) {
      Result<SqliteStmt> prepared = SqliteStmt::Prepare(db, s.sql);
      if (!prepared.ok()) return prepared.status();
      *s.stmt = std::move(*prepared);
    }
    return Status::Ok();
  }

  // Runs a prepared statement that returns no rows, then resets it.
  Status Run(SqliteStmt& stmt, const char* what) {
    int rc = stmt.Step();
    stmt.Reset();
    return rc == SQLITE_DONE ? Status::Ok() : db.Error(what);
  }

  // The doc of (folder, item), or nullopt.
  Result<std::optional<int64_t>> FindDoc(storage::FolderId folder, storage::ItemId item) {
    find_doc.Bind(1, static_cast<int64_t>(folder));
    find_doc.Bind(2, static_cast<int64_t>(item));
    int rc = find_doc.Step();
    std::optional<int64_t> doc;
    if (rc == SQLITE_ROW) doc = find_doc.Int(0);
    find_doc.Reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.Error("looking up a message");
    return doc;
  }

  Status RemoveDoc(int64_t doc) {
    delete_text.Bind(1, doc);
    Status s = Run(delete_text, "removing a message's words");
    if (!s.ok()) return s;
    delete_message.Bind(1, doc);
    return Run(delete_message, "removing a message");
  }
};

std::string MailIndex::PathFor(std::string_view store_dir) {
  return std::string(store_dir) + "/search-index.sqlite";
}

namespace {

// The index holds words of everyone's mail. SQLite would create it 0644
// minus the umask, readable by every local user; it is made here as the
// LMDB files are (0660: the workers and easctl share a group), and SQLite
// gives its -wal and -shm files the database file's mode.
constexpr mode_t kIndexFileMode = 0660;

Status CreatePrivately(const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, kIndexFileMode);
  if (fd < 0) return Status::Io("creating " + path + ": " + std::strerror(errno));
  struct stat st;
  Status s = Status::Ok();
  if (fstat(fd, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 07777) != kIndexFileMode &&
      fchmod(fd, kIndexFileMode) != 0) {
    s = Status::Io("chmod " + path + ": " + std::strerror(errno));
  }
  close(fd);
  return s;
}

}  // namespace

Result<std::unique_ptr<MailIndex>> MailIndex::Open(const std::string& path) {
  if (Status s = CreatePrivately(path); !s.ok()) return s;
  auto impl = std::make_unique<Impl>();
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  impl->db = SqliteDb(raw);  // owns it even when the open failed
  if (rc != SQLITE_OK) return impl->db.Error("opening " + path);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  Status s = impl->db.Exec(kSchema);
  if (s.ok()) s = impl->PrepareAll();
  if (!s.ok()) return s;
  return std::unique_ptr<MailIndex>(new MailIndex(std::move(impl)));
}

MailIndex::MailIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MailIndex::~MailIndex() { Rollback(); }

void MailIndex::Rollback() noexcept {
  if (!impl_->in_transaction) return;
  (void)impl_->db.Exec("ROLLBACK");
  impl_->in_transaction = false;
}

Result<std::vector<IndexHit>> MailIndex::Query(const IndexQuery& query) {
  std::vector<IndexHit> hits;
  if (query.folders.empty() || (query.match && query.match->empty())) return hits;
  // The folder ids are numbers of ours, written into the statement; the
  // user's text only ever travels as the bound parameter ?1.
  std::string sql = query.match
      ? "SELECT m.folder, m.item, m.received, m.added FROM message_text "
        "JOIN messages m ON m.doc = message_text.rowid WHERE message_text MATCH ?1 AND "
      : "SELECT m.folder, m.item, m.received, m.added FROM messages m WHERE ";
  sql += "m.received > ?2 AND m.received < ?3 AND m.folder IN (";
  for (size_t i = 0; i < query.folders.size(); ++i) {
    if (i > 0) sql += ',';
    sql += std::to_string(query.folders[i]);
  }
  sql += ") ORDER BY m.received DESC, m.doc DESC";
  Result<SqliteStmt> stmt = SqliteStmt::Prepare(impl_->db, sql);
  if (!stmt.ok()) return stmt.status();
  if (query.match) stmt->Bind(1, *query.match);
  // No lower bound: -1, so that a message without a time (0) is in too.
  stmt->Bind(2, query.received_after != 0 ? static_cast<int64_t>(query.received_after) : -1);
  stmt->Bind(3, query.received_before != 0 ? static_cast<int64_t>(query.received_before)
                                           : INT64_MAX);
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    hits.push_back({static_cast<storage::FolderId>(stmt->Int(0)),
                    static_cast<storage::ItemId>(stmt->Int(1)),
                    static_cast<uint64_t>(stmt->Int(2)), static_cast<uint64_t>(stmt->Int(3))});
  }
  if (rc != SQLITE_DONE) return impl_->db.Error("searching");
  return hits;
}

Status MailIndex::Begin() {
  Status s = impl_->db.Exec("BEGIN IMMEDIATE");
  if (s.ok()) impl_->in_transaction = true;
  return s;
}

Status MailIndex::Commit() {
  Status s = impl_->db.Exec("COMMIT");
  if (s.ok()) impl_->in_transaction = false;
  return s;
}

Result<uint64_t> MailIndex::Progress(storage::FolderId folder) {
  SqliteStmt& stmt = impl_->progress;
  stmt.Bind(1, static_cast<int64_t>(folder));
  int rc = stmt.Step();
  uint64_t modseq = rc == SQLITE_ROW ? static_cast<uint64_t>(stmt.Int(0)) : 0;
  stmt.Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return impl_->db.Error("reading a folder's progress");
  return modseq;
}

Status MailIndex::SetProgress(storage::FolderId folder, storage::UserId owner, uint64_t modseq) {
  SqliteStmt& stmt = impl_->set_progress;
  stmt.Bind(1, static_cast<int64_t>(folder));
  stmt.Bind(2, static_cast<int64_t>(owner));
  stmt.Bind(3, static_cast<int64_t>(modseq));
  return impl_->Run(stmt, "recording a folder's progress");
}

Result<std::vector<storage::FolderId>> MailIndex::FoldersOf(storage::UserId user) {
  Result<SqliteStmt> stmt =
      SqliteStmt::Prepare(impl_->db, "SELECT folder FROM folders WHERE owner = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(user));
  std::vector<storage::FolderId> folders;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    folders.push_back(static_cast<storage::FolderId>(stmt->Int(0)));
  }
  if (rc != SQLITE_DONE) return impl_->db.Error("listing folders");
  return folders;
}

Status MailIndex::DropFolder(storage::FolderId folder) {
  const std::string id = std::to_string(folder);
  return impl_->db.Exec(
      ("DELETE FROM message_text WHERE rowid IN (SELECT doc FROM messages WHERE folder = " + id +
       "); DELETE FROM messages WHERE folder = " + id + "; DELETE FROM folders WHERE folder = " +
       id + ";")
          .c_str());
}

Status MailIndex::Add(const IndexHit& message, const IndexedText& text) {
  SqliteStmt& msg = impl_->insert_message;
  msg.Bind(1, static_cast<int64_t>(message.folder));
  msg.Bind(2, static_cast<int64_t>(message.item));
  msg.Bind(3, static_cast<int64_t>(message.received));
  msg.Bind(4, static_cast<int64_t>(message.added));
  Status s = impl_->Run(msg, "adding a message");
  if (!s.ok()) return s;
  if (sqlite3_changes(impl_->db.get()) == 0) return Status::Ok();  // indexed before
  SqliteStmt& words = impl_->insert_text;
  words.Bind(1, sqlite3_last_insert_rowid(impl_->db.get()));
  words.Bind(2, text.subject);
  words.Bind(3, text.sender);
  words.Bind(4, text.recipients);
  words.Bind(5, text.body);
  words.Bind(6, text.attachments);
  return impl_->Run(words, "adding a message's words");
}

Result<bool> MailIndex::Has(storage::FolderId folder, storage::ItemId item) {
  auto doc = impl_->FindDoc(folder, item);
  if (!doc.ok()) return doc.status();
  return doc->has_value();
}

Status MailIndex::Remove(storage::FolderId folder, storage::ItemId item) {
  auto doc = impl_->FindDoc(folder, item);
  if (!doc.ok()) return doc.status();
  if (!doc->has_value()) return Status::Ok();
  return impl_->RemoveDoc(**doc);
}

}  // namespace eas::core::search
