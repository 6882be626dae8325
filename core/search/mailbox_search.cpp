#include "core/search/mailbox_search.hpp"

#include <algorithm>

#include "core/folder_access.hpp"
#include "core/items/item_class.hpp"
#include "core/search/index_catch_up.hpp"
#include "storage/store.hpp"

namespace eas::core::search {
namespace {

// The hits the store has; `stale` gets those it proves gone (see
// IndexHit::added), which the index may then forget.
Result<std::vector<IndexHit>> CheckHits(storage::Store& store, const std::vector<IndexHit>& hits,
                                        std::vector<IndexHit>* stale) {
  std::vector<IndexHit> live;
  live.reserve(hits.size());
  Status s = store.Read([&](storage::Txn& txn) -> Status {
    for (const IndexHit& hit : hits) {
      storage::ItemView item;
      Status found = txn.ViewItem(hit.folder, hit.item, &item);
      if (found.ok()) {
        live.push_back(hit);
        continue;
      }
      if (found.code() != Code::kNotFound) return found;
      auto modseq = txn.FolderModseq(hit.folder);
      if (!modseq.ok() || *modseq >= hit.added) stale->push_back(hit);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return live;
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

Result<std::vector<IndexHit>> SearchMailbox(storage::Store& store, storage::UserId user,
                                            const std::vector<storage::FolderRecord>& folders,
                                            const IndexQuery& query,
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
  auto hits = (*index)->Query(query);
  if (!hits.ok()) return hits.status();
  std::vector<IndexHit> stale;
  auto live = CheckHits(store, *hits, &stale);
  if (!live.ok()) return live.status();
  ForgetStale(**index, stale, notes);
  return live;
}

}  // namespace eas::core::search
