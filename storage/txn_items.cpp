// Items: records keyed (folder, item), the folder's modseq, and the
// folder's item change log keyed (folder, modseq). The log holds only the
// newest entry per item: a change deletes the item's previous entry, found
// through the modseq stored in the item. A delete leaves a tombstone only
// while some device holds the item (txn_held.cpp), and the tombstone goes
// once none does. So the log stays as long as the folder is big, not as
// long as its history.
#include <string>
#include <utility>

#include "storage/codec.hpp"
#include "storage/keys.hpp"
#include "storage/lmdb_txn.hpp"

namespace eas::storage {
namespace {

std::string ItemLabel(FolderId folder, ItemId id) {
  return "item " + std::to_string(id) + " of folder " + std::to_string(folder);
}

}  // namespace

Result<ItemRecord> LmdbTxn::DoGetItem(FolderId folder, ItemId id) {
  std::string_view value;
  Status s = Get(dbs_.items, keys::FolderAnd(folder, id), &value);
  if (s.code() == Code::kNotFound) return Status::NotFound(ItemLabel(folder, id) + " not found");
  if (!s.ok()) return s;
  ItemRecord item;
  if (const char* why = DecodeItem(value, &item)) {
    return CorruptRecord(ItemLabel(folder, id) + ": " + why);
  }
  if (item.folder != folder || item.id != id) {
    return CorruptRecord(ItemLabel(folder, id) + ": ids differ from its key");
  }
  return item;
}

Result<ItemRecord> LmdbTxn::DoPutItem(ItemRecord item) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  Result<FolderRecord> folder = DoGetFolder(item.folder);
  if (!folder.ok()) return folder.status();

  ChangeKind kind = ChangeKind::kAdd;
  if (item.id == 0) {
    Result<uint64_t> id = BumpCounter(keys::ScopedCounter(keys::kNextItemId, item.folder));
    if (!id.ok()) return id.status();
    item.id = *id;
  } else {
    Result<ItemRecord> old = DoGetItem(item.folder, item.id);
    if (!old.ok()) return old.status();
    s = Del(dbs_.item_log, keys::FolderAnd(item.folder, old->modseq));
    if (!s.ok() && s.code() != Code::kNotFound) return s;
    kind = ChangeKind::kUpdate;
    item.created = old->created;
  }

  folder->modseq += 1;
  item.modseq = folder->modseq;
  if (kind == ChangeKind::kAdd) item.created = item.modseq;
  NoteChange(*folder);
  s = SaveFolder(*folder);
  if (s.ok()) s = Put(dbs_.items, keys::FolderAnd(item.folder, item.id), EncodeItem(item));
  if (s.ok()) {
    s = Put(dbs_.item_log, keys::FolderAnd(item.folder, item.modseq),
            EncodeItemChange(ItemChange{item.modseq, item.id, kind}));
  }
  if (!s.ok()) return s;
  return item;
}

Status LmdbTxn::DoDeleteItem(FolderId folder_id, ItemId id) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  Result<FolderRecord> folder = DoGetFolder(folder_id);
  if (!folder.ok()) return folder.status();
  Result<ItemRecord> old = DoGetItem(folder_id, id);
  if (!old.ok()) return old.status();

  s = Del(dbs_.item_log, keys::FolderAnd(folder_id, old->modseq));
  if (!s.ok() && s.code() != Code::kNotFound) return s;
  folder->modseq += 1;
  NoteChange(*folder);
  s = SaveFolder(*folder);
  if (s.ok()) s = Del(dbs_.items, keys::FolderAnd(folder_id, id));
  if (!s.ok()) return s;
  // Only a device that holds the item is ever told of its deletion.
  Result<std::vector<Reader>> readers = FolderReaders(folder_id);
  if (!readers.ok()) return readers.status();
  Result<bool> held = HeldByAny(*readers, folder_id, id);
  if (!held.ok() || !*held) return held.status();
  return Put(dbs_.item_log, keys::FolderAnd(folder_id, folder->modseq),
             EncodeItemChange(ItemChange{folder->modseq, id, ChangeKind::kDelete}));
}

Result<std::vector<ItemRecord>> LmdbTxn::DoItemsAfter(FolderId folder, ItemId after,
                                                      size_t limit) {
  Result<FolderRecord> exists = DoGetFolder(folder);
  if (!exists.ok()) return exists.status();
  std::vector<ItemRecord> items;
  if (limit == 0 || after == UINT64_MAX) return items;
  Status failure;
  Status s = Scan(dbs_.items, keys::Folder(folder), keys::FolderAnd(folder, after + 1),
                  [&](std::string_view key, std::string_view value) {
                    ItemRecord item;
                    const char* why = DecodeItem(value, &item);
                    if (why == nullptr && (key.size() != 16 || item.folder != folder ||
                                           item.id != keys::LoadBE<uint64_t>(key, 8))) {
                      why = "ids differ from its key";
                    }
                    if (why != nullptr) {
                      failure = CorruptRecord("items of folder " + std::to_string(folder) +
                                              ": " + why);
                      return false;
                    }
                    items.push_back(std::move(item));
                    return items.size() < limit;
                  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return items;
}

Result<std::vector<ItemChange>> LmdbTxn::DoItemChangesSince(FolderId folder, uint64_t after,
                                                            size_t limit) {
  Result<FolderRecord> exists = DoGetFolder(folder);
  if (!exists.ok()) return exists.status();
  std::vector<ItemChange> changes;
  if (limit == 0 || after == UINT64_MAX) return changes;
  Status failure;
  const std::string prefix = keys::Folder(folder);
  Status s = Scan(dbs_.item_log, prefix, keys::FolderAnd(folder, after + 1),
                  [&](std::string_view key, std::string_view value) {
                    ItemChange change;
                    const char* why = DecodeItemChange(value, &change);
                    if (why == nullptr && (key.size() != 16 ||
                                           change.modseq != keys::LoadBE<uint64_t>(key, 8))) {
                      why = "modseq differs from its key";
                    }
                    if (why != nullptr) {
                      failure = CorruptRecord("item log of folder " + std::to_string(folder) +
                                              ": " + why);
                      return false;
                    }
                    changes.push_back(change);
                    return changes.size() < limit;
                  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return changes;
}

}  // namespace eas::storage
