#include "core/search/index_catch_up.hpp"

#include <algorithm>

#include "core/mail/mail_item.hpp"
#include "core/search/indexed_text.hpp"
#include "storage/store.hpp"

namespace eas::core::search {
namespace {

// Log entries read per call: a large first catch-up goes page by page.
constexpr size_t kLogPage = 1024;

// Indexes one folder's changes after `from` up to the snapshot's modseq,
// or as many as `*budget` allows (each log entry read takes one; null: no
// bound). Progress is what was read: the log is in modseq order.
Status CatchUpFolder(MailIndex& index, storage::Txn& txn, const storage::FolderRecord& folder,
                     uint64_t from, uint64_t to, size_t* budget, CatchUpReport& report) {
  const bool bounded = budget != nullptr;
  mail::MailItemView mail;  // its lists keep their storage from one message to the next
  uint64_t after = from;
  while (after < to) {
    if (bounded && *budget == 0) {
      report.more = true;
      break;
    }
    size_t page = bounded ? std::min(*budget, kLogPage) : kLogPage;
    auto changes = txn.ItemChangesSince(folder.id, after, page);
    if (!changes.ok()) return changes.status();
    if (changes->empty()) break;
    if (bounded) *budget -= changes->size();
    report.read += changes->size();
    for (const storage::ItemChange& change : *changes) {
      after = change.modseq;
      storage::ItemView item;
      Status s = change.kind == storage::ChangeKind::kDelete
                     ? Status::NotFound("")
                     : txn.ViewItem(folder.id, change.item, &item);
      if (s.code() == Code::kNotFound) {
        s = index.Remove(folder.id, change.item);
        if (!s.ok()) return s;
        ++report.removed;
        continue;
      }
      if (!s.ok()) return s;
      // An update of a mail item changes its flags, never its words.
      auto known = index.Has(folder.id, change.item);
      if (!known.ok()) return known.status();
      if (*known) continue;
      if (!mail::DecodeMailItem(item.data, &mail).ok()) {
        ++report.unreadable;
        continue;
      }
      s = index.Add({folder.id, change.item, item.time, item.created}, IndexedTextOf(mail.message));
      if (!s.ok()) return s;
      ++report.added;
    }
  }
  return index.SetProgress(folder.id, folder.owner, report.more ? after : to);
}

// CatchUp's work; the caller rolls the index back when it fails.
Status CatchUpInTransaction(MailIndex& index, storage::Store& store, storage::UserId user,
                            const std::vector<storage::FolderRecord>& folders, size_t limit,
                            CatchUpReport& report) {
  // Taken before the snapshot: another process catching up the same
  // folders has committed by then, and what it did is not done twice.
  Status s = index.Begin();
  if (!s.ok()) return s;

  auto known = index.FoldersOf(user);
  if (!known.ok()) return known.status();
  for (storage::FolderId id : *known) {
    bool still = std::any_of(folders.begin(), folders.end(),
                             [&](const storage::FolderRecord& f) { return f.id == id; });
    if (still) continue;
    s = index.DropFolder(id);
    if (!s.ok()) return s;
    ++report.dropped_folders;
  }

  size_t budget = limit;
  s = store.Read([&](storage::Txn& txn) -> Status {
    for (const storage::FolderRecord& folder : folders) {
      if (report.more) break;
      auto now = txn.FolderModseq(folder.id);
      if (!now.ok() && now.status().code() == Code::kNotFound) continue;  // deleted since the caller looked
      if (!now.ok()) return now.status();
      auto done = index.Progress(folder.id);
      if (!done.ok()) return done.status();
      // Ahead of this snapshot: another process caught up from a newer one.
      if (*done >= *now) continue;
      Status f = CatchUpFolder(index, txn, folder, *done, *now, limit > 0 ? &budget : nullptr,
                               report);
      if (!f.ok()) return f;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return index.Commit();
}

}  // namespace

Result<CatchUpReport> CatchUp(MailIndex& index, storage::Store& store, storage::UserId user,
                              const std::vector<storage::FolderRecord>& folders,
                              size_t limit) {
  CatchUpReport report;
  Status s = CatchUpInTransaction(index, store, user, folders, limit, report);
  if (!s.ok()) {
    index.Rollback();
    return s;
  }
  return report;
}


}  // namespace eas::core::search
