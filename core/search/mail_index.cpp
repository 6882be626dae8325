#include "core/search/mail_index.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/search/sqlite_handles.hpp"
#include "core/util/join.hpp"

namespace eas::core::search {
namespace {

// A writer waits this long for another process's write transaction
// (a worker catching up a large mailbox) before the search fails.
constexpr int kBusyTimeoutMs = 30000;

// synchronous=NORMAL: in WAL mode a power cut may lose the last commits,
// never consistency; what was lost is caught up again from the store,
// since the progress of a folder commits with its messages.
constexpr const char* kPragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";

// The layout's version (PRAGMA user_version). A file of another one is
// emptied and built again from the store: the index is derived data.
constexpr int kLayoutVersion = 2;

// A message's doc (the rowid in both tables) is its received time, shifted
// up by kSeqBits, plus a sequence among those of the same second: doc
// order is newest-first order, which FTS5 walks natively (ORDER BY rowid
// DESC), so the first page of a common word's matches is read without
// reading, joining or sorting all of them, and a date range is a rowid
// range. The `folder` column holds one word, "f<id>": the search's scope
// is a term FTS5 intersects with the user's words, so counting a scope's
// matches reads doclists only.
constexpr int kSeqBits = 20;
constexpr uint64_t kMaxReceived = (uint64_t{1} << (62 - kSeqBits)) - 1;

constexpr const char* kLayout =
    "DROP TABLE IF EXISTS message_text; DROP TABLE IF EXISTS messages;"
    "DROP TABLE IF EXISTS folders;"
    "CREATE TABLE folders("
    "  folder INTEGER PRIMARY KEY, owner INTEGER NOT NULL, modseq INTEGER NOT NULL);"
    "CREATE INDEX folders_by_owner ON folders(owner);"
    "CREATE TABLE messages("
    "  doc INTEGER PRIMARY KEY, folder INTEGER NOT NULL, item INTEGER NOT NULL,"
    "  received INTEGER NOT NULL, added INTEGER NOT NULL, UNIQUE(folder, item));"
    // Prefix indexes of 2 and 3 characters: a phone searches as the user
    // types, and short prefixes would otherwise scan the whole term list.
    "CREATE VIRTUAL TABLE message_text USING fts5("
    "  subject, sender, recipients, body, attachments, folder,"
    "  tokenize='unicode61 remove_diacritics 2', prefix='2 3');"
    "PRAGMA user_version=";  // kLayoutVersion follows

// The columns a user's words are looked for in (never `folder`).
constexpr const char* kTextColumns = "{subject sender recipients body attachments}";

int64_t DocBase(uint64_t received) {
  return static_cast<int64_t>(std::min(received, kMaxReceived) << kSeqBits);
}

std::string FolderWord(storage::FolderId folder) { return "f" + std::to_string(folder); }

}  // namespace

struct MailIndex::Impl {
  SqliteDb db;  // first: destroyed last, after the statements
  SqliteStmt progress, set_progress, insert_message, insert_text, find_doc, last_doc, hit_of_doc,
      match, count_all, count_range, delete_message, delete_text;
  bool in_transaction = false;

  Status PrepareAll() {
    struct { SqliteStmt* stmt; const char* sql; } all[] = {
        {&progress, "SELECT modseq FROM folders WHERE folder = ?1"},
        {&set_progress, "INSERT INTO folders(folder, owner, modseq) VALUES(?1, ?2, ?3) "
                        "ON CONFLICT(folder) DO UPDATE SET owner = ?2, modseq = ?3"},
        {&insert_message, "INSERT INTO messages(doc, folder, item, received, added) "
                           "VALUES(?1, ?2, ?3, ?4, ?5)"},
        {&insert_text, "INSERT INTO message_text(rowid, subject, sender, recipients, body, "
                       "attachments, folder) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
        {&find_doc, "SELECT doc FROM messages WHERE folder = ?1 AND item = ?2"},
        {&last_doc, "SELECT max(doc) FROM messages WHERE doc >= ?1 AND doc < ?2"},
        {&hit_of_doc, "SELECT folder, item, received, added FROM messages WHERE doc = ?1"},
        {&match, "SELECT rowid FROM message_text WHERE message_text MATCH ?1 "
                 "AND rowid >= ?2 AND rowid < ?3 ORDER BY rowid DESC"},
        // The matches after a page are only counted: in FTS5's own order
        // (ascending) and, without a date range, with no rowid bounds,
        // which makes a common word's count about twice as fast as
        // stepping on through the page's statement.
        {&count_all, "SELECT count(*) FROM message_text WHERE message_text MATCH ?1"},
        {&count_range, "SELECT count(*) FROM message_text WHERE message_text MATCH ?1 "
                       "AND rowid >= ?2 AND rowid < ?3"},
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

  // The doc for a message received at `received`: after every other of
  // that second.
  Result<int64_t> NextDoc(uint64_t received) {
    const int64_t base = DocBase(received);
    last_doc.Bind(1, base);
    last_doc.Bind(2, base + (int64_t{1} << kSeqBits));
    int rc = last_doc.Step();
    int64_t doc = rc == SQLITE_ROW && !last_doc.IsNull(0) ? last_doc.Int(0) + 1 : base;
    last_doc.Reset();
    if (rc != SQLITE_ROW) return db.Error("numbering a message");
    if (doc >= base + (int64_t{1} << kSeqBits)) {
      return Status::Internal("search index: more than 2^20 messages received in one second");
    }
    return doc;
  }

  // The message of `doc`, or nullopt.
  Result<std::optional<IndexHit>> HitOf(int64_t doc) {
    hit_of_doc.Bind(1, doc);
    int rc = hit_of_doc.Step();
    std::optional<IndexHit> hit;
    if (rc == SQLITE_ROW) {
      hit = IndexHit{static_cast<storage::FolderId>(hit_of_doc.Int(0)),
                     static_cast<storage::ItemId>(hit_of_doc.Int(1)),
                     static_cast<uint64_t>(hit_of_doc.Int(2)), static_cast<uint64_t>(hit_of_doc.Int(3))};
    }
    hit_of_doc.Reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.Error("reading a match");
    return hit;
  }

  // Brings a file of another layout (or a new, empty one) to this one.
  Status Migrate() {
    Result<int64_t> version = UserVersion();
    if (!version.ok()) return version.status();
    if (*version == kLayoutVersion) return Status::Ok();
    // Another process may be doing the same: one at a time, and the
    // second finds it done.
    Status s = db.Exec("BEGIN IMMEDIATE");
    if (!s.ok()) return s;
    version = UserVersion();
    if (!version.ok()) {
      s = version.status();
    } else if (*version != kLayoutVersion) {
      s = db.Exec((kLayout + std::to_string(kLayoutVersion)).c_str());
    }
    if (s.ok()) return db.Exec("COMMIT");
    (void)db.Exec("ROLLBACK");
    return s;
  }

  Result<int64_t> UserVersion() {
    Result<SqliteStmt> stmt = SqliteStmt::Prepare(db, "PRAGMA user_version");
    if (!stmt.ok()) return stmt.status();
    if (stmt->Step() != SQLITE_ROW) return db.Error("reading the layout version");
    return stmt->Int(0);
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
  Status s = impl->db.Exec(kPragmas);
  if (s.ok()) s = impl->Migrate();
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

Result<uint64_t> MailIndex::Scan(const IndexQuery& query,
                                 const std::function<bool(const IndexHit&)>& visit) {
  if (query.folders.empty() || (query.match && query.match->empty())) return uint64_t{0};
  // received > after and received < before, as doc bounds.
  const int64_t from = query.received_after != 0 ? DocBase(query.received_after + 1) : 0;
  const int64_t to = query.received_before != 0 ? DocBase(query.received_before) : INT64_MAX;
  uint64_t count = 0;
  bool visiting = true;
  int rc;
  if (query.match) {
    // The user's text travels only inside *query.match, which fts_query.hpp
    // made of quoted words; the scope is our folder words.
    std::string expression = std::string(kTextColumns) + " : (" + *query.match + ") AND folder : (";
    for (size_t i = 0; i < query.folders.size(); ++i) {
      expression += (i > 0 ? " OR " : "") + FolderWord(query.folders[i]);
    }
    expression += ')';
    SqliteStmt& stmt = impl_->match;
    stmt.Bind(1, expression);
    stmt.Bind(2, from);
    stmt.Bind(3, to);
    while (visiting && (rc = stmt.Step()) == SQLITE_ROW) {
      ++count;
      Result<std::optional<IndexHit>> hit = impl_->HitOf(stmt.Int(0));
      if (!hit.ok()) {
        stmt.Reset();
        return hit.status();
      }
      if (hit->has_value()) visiting = visit(**hit);
    }
    stmt.Reset();
    if (visiting) {  // read to the end
      if (rc != SQLITE_DONE) return impl_->db.Error("searching");
      return count;
    }
    const bool ranged = from != 0 || to != INT64_MAX;
    SqliteStmt& all = ranged ? impl_->count_range : impl_->count_all;
    all.Bind(1, expression);
    if (ranged) {
      all.Bind(2, from);
      all.Bind(3, to);
    }
    rc = all.Step();
    const uint64_t matches = rc == SQLITE_ROW ? static_cast<uint64_t>(all.Int(0)) : 0;
    all.Reset();
    if (rc != SQLITE_ROW) return impl_->db.Error("counting matches");
    // What the page read is among them; a match indexed since the page's
    // statement ran (another writer) may add one, never take one away.
    return std::max(matches, count);
  }
  // No words: every message of the scope in the date range. The folder
  // ids are numbers of ours, written into the statement.
  std::string sql =
      "SELECT folder, item, received, added FROM messages WHERE doc >= ?1 AND doc < ?2 "
      "AND folder IN (";
  sql += util::JoinWith(query.folders, ",") + ") ORDER BY doc DESC";
  Result<SqliteStmt> stmt = SqliteStmt::Prepare(impl_->db, sql);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, from);
  stmt->Bind(2, to);
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    ++count;
    if (visiting) {
      visiting = visit({static_cast<storage::FolderId>(stmt->Int(0)),
                        static_cast<storage::ItemId>(stmt->Int(1)),
                        static_cast<uint64_t>(stmt->Int(2)), static_cast<uint64_t>(stmt->Int(3))});
    }
  }
  if (rc != SQLITE_DONE) return impl_->db.Error("searching");
  return count;
}

Result<std::vector<IndexHit>> MailIndex::Query(const IndexQuery& query) {
  std::vector<IndexHit> hits;
  Result<uint64_t> count = Scan(query, [&](const IndexHit& hit) {
    hits.push_back(hit);
    return true;
  });
  if (!count.ok()) return count.status();
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
  auto known = impl_->FindDoc(message.folder, message.item);
  if (!known.ok()) return known.status();
  if (known->has_value()) return Status::Ok();  // indexed before
  Result<int64_t> doc = impl_->NextDoc(message.received);
  if (!doc.ok()) return doc.status();
  SqliteStmt& msg = impl_->insert_message;
  msg.Bind(1, *doc);
  msg.Bind(2, static_cast<int64_t>(message.folder));
  msg.Bind(3, static_cast<int64_t>(message.item));
  msg.Bind(4, static_cast<int64_t>(message.received));
  msg.Bind(5, static_cast<int64_t>(message.added));
  Status s = impl_->Run(msg, "adding a message");
  if (!s.ok()) return s;
  SqliteStmt& words = impl_->insert_text;
  words.Bind(1, *doc);
  words.Bind(2, text.subject);
  words.Bind(3, text.sender);
  words.Bind(4, text.recipients);
  words.Bind(5, text.body);
  words.Bind(6, text.attachments);
  words.Bind(7, FolderWord(message.folder));
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
