// Items: records keyed (folder, item), the folder's modseq, and the
// folder's item change log keyed (folder, modseq). The log holds only the
// newest entry per item: a change deletes the item's previous entry, found
// through the modseq stored in the item. A delete leaves a tombstone only
// while some device holds the item (txn_held.cpp), and the tombstone goes
// once none does. So the log stays as long as the folder is big, not as
// long as its history.
//
// An item with a time has an entry (folder, time, item) in items_by_time,
// moved when the time changes; an item with a blob holds one reference to
// it (txn_blobs.cpp), taken before anything is written, so a PutItem
// naming a missing blob fails with kNotFound and changes nothing.
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

Status LmdbTxn::DoViewItem(FolderId folder, ItemId id, ItemView* out) {
  std::string_view value;
  Status s = Get(dbs_.items, keys::FolderAnd(folder, id), &value);
  if (s.code() == Code::kNotFound) return Status::NotFound(ItemLabel(folder, id) + " not found");
  if (!s.ok()) return s;
  if (const char* why = DecodeItem(value, out)) {
    return CorruptRecord(ItemLabel(folder, id) + ": " + why);
  }
  if (out->folder != folder || out->id != id) {
    return CorruptRecord(ItemLabel(folder, id) + ": ids differ from its key");
  }
  return Status::Ok();
}

Result<ItemRecord> LmdbTxn::DoGetItem(FolderId folder, ItemId id) {
  ItemView view;
  Status s = DoViewItem(folder, id, &view);
  if (!s.ok()) return s;
  return ItemRecord{view.folder, view.id, view.modseq, view.created, std::string(view.data),
                    view.blob, view.time};
}

Result<ItemRecord> LmdbTxn::DoPutItem(ItemRecord item) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  Result<FolderRecord> folder = DoGetFolder(item.folder);
  if (!folder.ok()) return folder.status();

  // What the item had before: nothing for an add.
  ItemRecord old;
  ChangeKind kind = ChangeKind::kAdd;
  if (item.id != 0) {
    Result<ItemRecord> found = DoGetItem(item.folder, item.id);
    if (!found.ok()) return found.status();
    old = std::move(*found);
    kind = ChangeKind::kUpdate;
    item.created = old.created;
  }
  if (item.blob != old.blob && item.blob != 0) {
    s = RetainBlob(item.blob);
    if (!s.ok()) return s;
  }
  if (kind == ChangeKind::kAdd) {
    Result<uint64_t> id = BumpCounter(keys::ScopedCounter(keys::kNextItemId, item.folder));
    if (!id.ok()) return id.status();
    item.id = *id;
  } else {
    s = Del(dbs_.item_log, keys::FolderAnd(item.folder, old.modseq));
    if (!s.ok() && s.code() != Code::kNotFound) return s;
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
  if (s.ok()) s = IndexTime(item.folder, item.id, old.time, item.time);
  if (s.ok() && item.blob != old.blob && old.blob != 0) s = ReleaseBlob(old.blob);
  if (!s.ok()) return s;
  return item;
}

Status LmdbTxn::IndexTime(FolderId folder, ItemId item, uint64_t old_time, uint64_t new_time) {
  if (old_time == new_time) return Status::Ok();
  if (old_time != 0) {
    Status s = Del(dbs_.items_by_time, keys::ItemTime(folder, old_time, item));
    if (!s.ok() && s.code() != Code::kNotFound) return s;
  }
  if (new_time == 0) return Status::Ok();
  return Put(dbs_.items_by_time, keys::ItemTime(folder, new_time, item), {});
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
  if (s.ok()) s = IndexTime(folder_id, id, old->time, 0);
  if (s.ok() && old->blob != 0) s = ReleaseBlob(old->blob);
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

Status LmdbTxn::DeleteFolderItems(FolderId folder) {
  const std::string prefix = keys::Folder(folder);
  Status s = DelPrefix(dbs_.items_by_time, prefix);
  Cursor cursor;
  if (s.ok()) s = Check(cursor.Open(txn_, dbs_.items), "opening cursor");
  // As DelPrefix: a fresh seek after every delete, so releasing a blob
  // (writes elsewhere) never meets a cursor in a subtle state.
  while (s.ok()) {
    MDB_val key = ToVal(prefix);
    MDB_val value;
    int rc = cursor.Get(&key, &value, MDB_SET_RANGE);
    if (rc == MDB_NOTFOUND) return Status::Ok();
    if (rc != MDB_SUCCESS) return Check(rc, "reading cursor");
    if (ToView(key).substr(0, prefix.size()) != prefix) return Status::Ok();
    uint64_t blob = 0;
    if (const char* why = DecodeItemBlob(ToView(value), &blob)) {
      return CorruptRecord("items of folder " + std::to_string(folder) + ": " + why);
    }
    s = Check(cursor.Del(), "storage delete");
    if (s.ok() && blob != 0) s = ReleaseBlob(blob);
  }
  return s;
}

Result<std::vector<ItemRecord>> LmdbTxn::DoItemsByTime(FolderId folder, uint64_t from,
                                                       uint64_t after_time, ItemId after_item,
                                                       size_t limit) {
  Result<std::vector<ItemTime>> at = DoItemTimes(folder, from, after_time, after_item, limit);
  if (!at.ok()) return at.status();
  return ItemsAt(folder, *at);
}

Result<std::vector<ItemRecord>> LmdbTxn::DoItemsByTimeDescending(FolderId folder, uint64_t from,
                                                                 uint64_t before_time,
                                                                 ItemId before_item,
                                                                 size_t limit) {
  Result<std::vector<ItemTime>> at =
      DoItemTimesDescending(folder, from, before_time, before_item, limit);
  if (!at.ok()) return at.status();
  return ItemsAt(folder, *at);
}

Result<std::vector<ItemRecord>> LmdbTxn::ItemsAt(FolderId folder,
                                                 const std::vector<ItemTime>& at) {
  std::vector<ItemRecord> items;
  items.reserve(at.size());
  for (const ItemTime& place : at) {
    ItemView view;
    Status s = DoViewItemAt(folder, place, &view);
    if (!s.ok()) return s;
    items.push_back(ItemRecord{view.folder, view.id, view.modseq, view.created,
                               std::string(view.data), view.blob, view.time});
  }
  return items;
}

Result<std::vector<ItemTime>> LmdbTxn::DoItemTimes(FolderId folder, uint64_t from,
                                                   uint64_t after_time, ItemId after_item,
                                                   size_t limit) {
  Result<FolderRecord> exists = DoGetFolder(folder);
  if (!exists.ok()) return exists.status();
  std::vector<ItemTime> at;
  if (limit == 0) return at;
  // The first position: (from, 0), or just past (after_time, after_item)
  // when that lies further on.
  std::string start = keys::ItemTime(folder, from, 0);
  if (after_item != 0 && after_time >= from) {
    if (after_item == UINT64_MAX && after_time == UINT64_MAX) return at;
    start = after_item == UINT64_MAX ? keys::ItemTime(folder, after_time + 1, 0)
                                     : keys::ItemTime(folder, after_time, after_item + 1);
  }
  Status failure;
  Status s = Scan(dbs_.items_by_time, keys::Folder(folder), start,
                  [&](std::string_view key, std::string_view) {
                    return TakeTime(folder, key, limit, at, failure);
                  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return at;
}

Result<std::vector<ItemTime>> LmdbTxn::DoItemTimesDescending(FolderId folder, uint64_t from,
                                                             uint64_t before_time,
                                                             ItemId before_item, size_t limit) {
  Result<FolderRecord> exists = DoGetFolder(folder);
  if (!exists.ok()) return exists.status();
  std::vector<ItemTime> at;
  if (limit == 0) return at;
  // No real entry has time and id both UINT64_MAX: the end of the folder.
  const std::string end = before_item != 0 ? keys::ItemTime(folder, before_time, before_item)
                                           : keys::ItemTime(folder, UINT64_MAX, UINT64_MAX);
  Status failure;
  Status s = ScanBack(dbs_.items_by_time, keys::Folder(folder), end,
                      [&](std::string_view key, std::string_view) {
                        if (key.size() == 24 && keys::LoadBE<uint64_t>(key, 8) < from) return false;
                        return TakeTime(folder, key, limit, at, failure);
                      });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return at;
}

bool LmdbTxn::TakeTime(FolderId folder, std::string_view key, size_t limit,
                       std::vector<ItemTime>& at, Status& failure) {
  if (key.size() != 24) {
    failure = CorruptRecord("time index of folder " + std::to_string(folder) + ": bad key");
    return false;
  }
  at.push_back({keys::LoadBE<uint64_t>(key, 8), keys::LoadBE<ItemId>(key, 16)});
  return at.size() < limit;
}

Status LmdbTxn::DoViewItemAt(FolderId folder, const ItemTime& at, ItemView* out) {
  Status s = DoViewItem(folder, at.id, out);
  const char* why = s.code() == Code::kNotFound ? " is missing"
                    : s.ok() && out->time != at.time ? " has another time"
                                                     : nullptr;
  if (why != nullptr) {
    return CorruptRecord("time index of folder " + std::to_string(folder) + ": " +
                         ItemLabel(folder, at.id) + why);
  }
  return s;
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
