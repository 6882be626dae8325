// The mailbox search index: one SQLite file beside the LMDB store (FTS5,
// tokenizer unicode61 with diacritics removed: "Müller" and "muller" are
// one word, letter case never matters), holding each indexed message's
// words (indexed_text.hpp) under its (folder, item) and received time,
// and per folder how far it has caught up with the store's change log.
//
// The store stays the truth: the index is derived from it, and a missing
// or damaged file is simply built again (index_catch_up.hpp). WAL mode and
// a busy timeout let every nginx worker use it at once; writers take
// turns, readers never wait. No SQLite type leaves this file's .cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/search/indexed_text.hpp"
#include "storage/records.hpp"

namespace eas::core::search {

// A message the index holds.
struct IndexHit {
  storage::FolderId folder = 0;
  storage::ItemId item = 0;
  uint64_t received = 0;  // unix seconds (storage::ItemRecord::time)
  // The folder's modseq when the item was added (storage::ItemRecord::
  // created): a snapshot of the store whose folder modseq is at least
  // this and lacks the item proves it gone (item ids are never reused).
  uint64_t added = 0;
  bool operator==(const IndexHit&) const = default;
};

// What to look for. Every condition must hold.
struct IndexQuery {
  // An FTS5 expression (fts_query.hpp); none: every message in scope.
  std::optional<std::string> match;
  std::vector<storage::FolderId> folders;  // the scope; empty: nothing
  uint64_t received_after = 0;   // strictly after; 0: no bound
  uint64_t received_before = 0;  // strictly before; 0: no bound
};

class MailIndex {
 public:
  // The index file of the store in `store_dir`.
  static std::string PathFor(std::string_view store_dir);
  // Opens the file, creating it (and its tables) when missing.
  static Result<std::unique_ptr<MailIndex>> Open(const std::string& path);
  ~MailIndex();
  MailIndex(const MailIndex&) = delete;
  MailIndex& operator=(const MailIndex&) = delete;

  // Matches, newest first (received time, then the order indexed), handed
  // to `visit` one by one until it returns false; the answer is how many
  // there are in all, also those after `visit` stopped (counted, not
  // read: a common word's hundred thousand matches cost a few ms, a page
  // of them only its own). They may include messages the store has
  // deleted or moved since: the caller checks each against the store
  // (and may Remove it).
  Result<uint64_t> Scan(const IndexQuery& query, const std::function<bool(const IndexHit&)>& visit);
  // Every match, as Scan visits them.
  Result<std::vector<IndexHit>> Query(const IndexQuery& query);

  // Writing: one transaction at a time per file across all processes
  // (BEGIN IMMEDIATE, waiting up to the busy timeout for another writer).
  // Everything written between Begin and Commit becomes visible together;
  // a MailIndex destroyed inside a transaction rolls it back.
  Status Begin();
  Status Commit();
  void Rollback() noexcept;  // nothing when no transaction is open

  // The store modseq up to which `folder`'s changes are in the index; 0
  // when the index knows nothing of the folder.
  Result<uint64_t> Progress(storage::FolderId folder);
  Status SetProgress(storage::FolderId folder, storage::UserId owner, uint64_t modseq);
  // The folders of `user` the index has caught up with.
  Result<std::vector<storage::FolderId>> FoldersOf(storage::UserId user);
  // Forgets a folder and every message indexed in it.
  Status DropFolder(storage::FolderId folder);

  // Adds a message; one already indexed under (folder, item) stays as it
  // is (a mail item's words never change after delivery).
  Status Add(const IndexHit& message, const IndexedText& text);
  // Whether (folder, item) is indexed.
  Result<bool> Has(storage::FolderId folder, storage::ItemId item);
  // Removes a message; nothing when it is not there.
  Status Remove(storage::FolderId folder, storage::ItemId item);

  struct Impl;

 private:
  explicit MailIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace eas::core::search
