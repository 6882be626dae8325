// The check of items and what hangs on them: each folder's change log
// (only the newest entry per item; a live item's entry at its modseq, a
// tombstone only for an item that is gone), the time index, and blobs with
// their reference counts and key entries.
#include <string>

#include "storage/codec.hpp"
#include "storage/keys.hpp"
#include "storage/store_checker.hpp"

namespace eas::storage {

Status StoreChecker::CheckItems() {
  Status s = Each(dbs_.items, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    FolderId folder_id = k.Be64();
    ItemId id = k.Be64();
    const std::string label = KeyLabel({Num(folder_id), Num(id)});
    ItemView item;
    if (!k.AtEnd()) return Problem("items", label, "malformed key");
    if (const char* why = DecodeItem(value, &item)) return Problem("items", label, why);
    if (item.folder != folder_id || item.id != id) {
      return Problem("items", label, "record names item " + KeyLabel({Num(item.folder), Num(item.id)}));
    }
    items_[{folder_id, id}] = {item.modseq, item.time, item.blob};
    if (item.blob != 0) blob_uses_[item.blob] += 1;
    auto folder = folders_.find(folder_id);
    if (folder == folders_.end()) return Problem("items", label, "folder is missing");
    if (item.modseq > folder->second.modseq) {
      Problem("items", label, "modseq " + Num(item.modseq) + " after the folder's " +
                                  Num(folder->second.modseq));
    }
    uint64_t next = Counter(keys::kNextItemId, folder_id, /*wide=*/true);
    if (id > next) Problem("items", label, "id above the folder's next_item_id " + Num(next));
    if (item.time != 0 && !Get(dbs_.items_by_time, keys::ItemTime(folder_id, item.time, id))) {
      Problem("items", label, "no items_by_time entry at time " + Num(item.time));
    }
    if (item.blob != 0 && !Get(dbs_.blobs, keys::Blob(item.blob))) {
      Problem("items", label, "blob " + Num(item.blob) + " is missing");
    }
  });
  report_->items = items_.size();
  return s;
}

Status StoreChecker::CheckItemLog() {
  std::map<ItemKey, uint64_t> logged;  // item → modseq of its entry
  Status s = Each(dbs_.item_log, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    FolderId folder_id = k.Be64();
    uint64_t modseq = k.Be64();
    const std::string label = KeyLabel({Num(folder_id), Num(modseq)});
    ItemChange change;
    ++report_->log_entries;
    if (!k.AtEnd()) return Problem("item_log", label, "malformed key");
    if (const char* why = DecodeItemChange(value, &change)) return Problem("item_log", label, why);
    if (change.modseq != modseq) Problem("item_log", label, "entry names modseq " + Num(change.modseq));
    auto folder = folders_.find(folder_id);
    if (folder == folders_.end()) return Problem("item_log", label, "folder is missing");
    if (modseq > folder->second.modseq) {
      Problem("item_log", label, "after the folder's modseq " + Num(folder->second.modseq));
    }
    const ItemKey item{folder_id, change.item};
    auto [earlier, first] = logged.emplace(item, modseq);
    if (!first) {
      Problem("item_log", label, "second entry of item " + Num(change.item) + " (another at " +
                                     Num(earlier->second) + ")");
    }
    auto live = items_.find(item);
    if (change.kind == ChangeKind::kDelete) {
      tombstones_[item] = modseq;
      if (live != items_.end()) Problem("item_log", label, "delete of item " + Num(change.item) + ", which exists");
    } else if (live == items_.end()) {
      Problem("item_log", label, "add or change of item " + Num(change.item) + ", which is missing");
    } else if (live->second.modseq != modseq) {
      Problem("item_log", label, "entry of item " + Num(change.item) + ", whose modseq is " +
                                     Num(live->second.modseq));
    }
  });
  if (!s.ok()) return s;
  // An item without its entry is never sent to a device syncing the log.
  for (const auto& [item, facts] : items_) {
    if (!folders_.count(item.first)) continue;  // reported already
    auto entry = logged.find(item);
    if (entry == logged.end() || entry->second != facts.modseq) {
      Problem("items", KeyLabel({Num(item.first), Num(item.second)}),
              "no item_log entry at its modseq " + Num(facts.modseq));
    }
  }
  return Status::Ok();
}

Status StoreChecker::CheckTimeIndex() {
  return Each(dbs_.items_by_time, [&](std::string_view key, std::string_view) {
    KeyParts k(key);
    FolderId folder = k.Be64();
    uint64_t time = k.Be64();
    ItemId id = k.Be64();
    const std::string label = KeyLabel({Num(folder), Num(time), Num(id)});
    if (!k.AtEnd()) return Problem("items_by_time", label, "malformed key");
    auto item = items_.find({folder, id});
    if (item == items_.end()) return Problem("items_by_time", label, "item is missing");
    if (item->second.time != time) {
      Problem("items_by_time", label, "the item's time is " + Num(item->second.time));
    }
  });
}

Status StoreChecker::CheckBlobs() {
  const uint64_t next = Counter(keys::kNextBlobId);
  Status s = Each(dbs_.blob_refs, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    uint64_t blob = k.Be64();
    BlobRef ref;
    if (!k.AtEnd()) return Problem("blob_refs", Num(blob), "malformed key");
    if (const char* why = DecodeBlobRef(value, &ref)) return Problem("blob_refs", Num(blob), why);
    blob_refs_.insert(blob);
    if (blob > next) Problem("blob_refs", Num(blob), "id above next_blob_id " + Num(next));
    uint64_t uses = blob_uses_.count(blob) ? blob_uses_[blob] : 0;
    if (ref.count != uses) {
      Problem("blob_refs", Num(blob), "count " + Num(ref.count) + ", but " + Num(uses) +
                                          " items refer to it");
    }
    if (!Get(dbs_.blobs, key)) Problem("blob_refs", Num(blob), "the blob's bytes are missing");
    // A deleted user's key entries went with them; their blobs may live on.
    if (!ref.key.empty() && users_.count(ref.owner)) {
      std::optional<std::string_view> named = Get(dbs_.blob_keys, keys::BlobKey(ref.owner, ref.key));
      if (!named || *named != key) {
        Problem("blob_refs", Num(blob), "its key has no blob_keys entry naming it");
      }
    }
  });
  if (!s.ok()) return s;
  s = Each(dbs_.blobs, [&](std::string_view key, std::string_view) {
    KeyParts k(key);
    uint64_t blob = k.Be64();
    ++report_->blobs;
    if (!k.AtEnd()) return Problem("blobs", Num(blob), "malformed key");
    if (!blob_refs_.count(blob)) Problem("blobs", Num(blob), "no blob_refs record");
  });
  return s;
}

Status StoreChecker::CheckBlobKeys() {
  return Each(dbs_.blob_keys, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    UserId user = k.Be32();
    const std::string label = KeyLabel({Num(user), "(key of " + Num(k.Rest().size()) + " bytes)"});
    if (!k.ok() || value.size() != 8) return Problem("blob_keys", label, "malformed entry");
    uint64_t blob = keys::LoadBE<uint64_t>(value, 0);
    if (!users_.count(user)) return Problem("blob_keys", label, "user is missing");
    if (!blob_refs_.count(blob)) Problem("blob_keys", label, "blob " + Num(blob) + " is missing");
  });
}

}  // namespace eas::storage
