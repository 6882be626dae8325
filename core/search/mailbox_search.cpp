#include "core/search/mailbox_search.hpp"

#include <algorithm>

#include "core/folder_access.hpp"
#include "core/items/item_class.hpp"
#include "core/search/index_catch_up.hpp"
#include "storage/store.hpp"

namespace eas::core::search {
namespace {

// The page first..last of the index's matches that the store has, in one
// snapshot: hits are checked in order only until the page is full; the
// rest are counted. `stale` gets the hits the store proves gone (see
// IndexHit::added), which the index may then forget.
Result<MailboxPage> ReadPage(MailIndex& index, storage::Store& store, const IndexQuery& query,
                             uint64_t first, uint64_t last, std::vector<IndexHit>* stale) {
  MailboxPage page;
  uint64_t live = 0, visited = 0;
  Status failed = Status::Ok();
  Result<uint64_t> matches = uint64_t{0};
  Status s = store.Read([&](storage::Txn& txn) -> Status {
    matches = index.Scan(query, [&](const IndexHit& hit) {
      ++visited;
      storage::ItemView item;
      Status found = txn.ViewItem(hit.folder, hit.item, &item);
      if (found.ok()) {
        if (live >= first) page.hits.push_back(hit);
        return ++live <= last;
      }
      if (found.code() != Code::kNotFound) {
        failed = found;
        return false;
      }
      auto modseq = txn.FolderModseq(hit.folder);
      if (!modseq.ok() || *modseq >= hit.added) stale->push_back(hit);
      return true;
    });
    if (!matches.ok()) return matches.status();
    return failed;
  });
  if (!s.ok()) return s;
  page.total = live + (*matches - visited);
  return page;
}

// Drops stale hits from the index. A failure costs only a later check.
void ForgetStale(MailIndex& index, const std::vector<IndexHit>& stale,
                 std::vector<std::string>* notes) {
  if (stale.empty()) return;
  Status s = index.Begin();
  for (const IndexHit& hit : stale) {
    if (s.ok()) s = index.Remove(hit.folder, hit.item);
  }
  if (s.ok()) s = index.Commit();
  if (!s.ok()) {
    index.Rollback();
    notes->push_back("search index: could not forget stale hits: " + s.message());
    return;
  }
  notes->push_back("search index: forgot " + std::to_string(stale.size()) +
                   " messages the store no longer has");
}

}  // namespace

Result<std::vector<storage::FolderRecord>> ReadableMailFolders(storage::Store& store,
                                                               storage::UserId user) {
  std::vector<storage::FolderRecord> mail;
  Status s = store.Read([&](storage::Txn& txn) -> Status {
    auto visible = txn.VisibleFolders(user);
    if (!visible.ok()) return visible.status();
    for (storage::FolderRecord& f : *visible) {
      if (f.hidden || items::ClassNameOf(f.type) != "Email") continue;
      if (!MayRead(RoleOf(f, user))) continue;
      mail.push_back(std::move(f));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return mail;
}

std::vector<storage::FolderId> SearchScope(const std::vector<storage::FolderRecord>& folders,
                                           storage::FolderId start, bool deep) {
  std::vector<storage::FolderId> scope{start};
  if (!deep) return scope;
  // Breadth first: each round adds the children of the folders found so far.
  for (size_t at = 0; at < scope.size(); ++at) {
    for (const storage::FolderRecord& f : folders) {
      if (f.parent == scope[at] && std::find(scope.begin(), scope.end(), f.id) == scope.end()) {
        scope.push_back(f.id);
      }
    }
  }
  return scope;
}

Result<MailboxPage> SearchMailbox(storage::Store& store, storage::UserId user,
                                  const std::vector<storage::FolderRecord>& folders,
                                  const IndexQuery& query, uint64_t first, uint64_t last,
                                  std::vector<std::string>* notes) {
  auto index = MailIndex::Open(MailIndex::PathFor(store.path()));
  if (!index.ok()) return index.status();
  auto caught_up = CatchUp(**index, store, user, folders);
  if (!caught_up.ok()) return caught_up.status();
  if (caught_up->added + caught_up->removed + caught_up->dropped_folders > 0) {
    notes->push_back("search index: caught up (" + std::to_string(caught_up->added) +
                     " added, " + std::to_string(caught_up->removed) + " removed, " +
                     std::to_string(caught_up->dropped_folders) + " folders dropped)");
  }
  if (caught_up->unreadable > 0) {
    notes->push_back("search index: " + std::to_string(caught_up->unreadable) +
                     " items are no mail record and were not indexed");
  }
  std::vector<IndexHit> stale;
  auto page = ReadPage(**index, store, query, first, last, &stale);
  if (!page.ok()) return page.status();
  ForgetStale(**index, stale, notes);
  return page;
}

}  // namespace eas::core::search
