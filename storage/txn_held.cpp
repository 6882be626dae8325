// What each device holds of each folder (held_items) and which devices
// read a folder at all (folder_readers). Sync decides Add / Change / Delete
// by what the device holds, never by positions in the change log, so a
// paged sync with writes between its windows still sends every item once.
// The same knowledge bounds the change log: a tombstone is written and
// kept only while some reader holds its item.
#include <cstdint>
#include <string>
#include <vector>

#include "storage/codec.hpp"
#include "storage/keys.hpp"
#include "storage/lmdb_txn.hpp"

namespace eas::storage {

Status LmdbTxn::DoSetHeld(UserId user, std::string_view device_id, FolderId folder, ItemId item,
                          bool held) {
  Status s = CheckWritable();
  if (s.ok()) s = CheckDeviceId(device_id);
  if (!s.ok()) return s;
  const std::string key = keys::Held(user, device_id, folder, item);
  if (held) return Put(dbs_.held_items, key, {});
  s = Del(dbs_.held_items, key);
  return s.code() == Code::kNotFound ? Status::Ok() : s;
}

Result<bool> LmdbTxn::DoIsHeld(UserId user, std::string_view device_id, FolderId folder,
                               ItemId item) {
  Status s = CheckDeviceId(device_id);
  if (!s.ok()) return s;
  std::string_view unused;
  s = Get(dbs_.held_items, keys::Held(user, device_id, folder, item), &unused);
  if (s.code() == Code::kNotFound) return false;
  if (!s.ok()) return s;
  return true;
}

Status LmdbTxn::DoNoteReader(UserId user, std::string_view device_id, FolderId folder,
                             uint64_t now, bool afresh) {
  Status s = CheckWritable();
  if (s.ok()) s = CheckDeviceId(device_id);
  if (s.ok() && afresh) s = DelPrefix(dbs_.held_items, keys::HeldPrefix(user, device_id, folder));
  if (!s.ok()) return s;
  std::string when;
  keys::AppendBE64(&when, now);
  return Put(dbs_.folder_readers, keys::FolderReader(folder, user, device_id), when);
}

Result<std::vector<LmdbTxn::Reader>> LmdbTxn::FolderReaders(FolderId folder) {
  std::vector<Reader> readers;
  Status failure;
  const std::string prefix = keys::Folder(folder);
  Status s = Scan(dbs_.folder_readers, prefix, prefix,
                  [&](std::string_view key, std::string_view value) {
                    // BE64 folder, BE32 user, BE16 length, device id
                    if (key.size() < 14 || value.size() != 8 ||
                        key.size() != 14u + keys::LoadBE<uint16_t>(key, 12)) {
                      failure = CorruptRecord("folder reader of folder " +
                                              std::to_string(folder) + ": bad key or value");
                      return false;
                    }
                    readers.push_back({keys::LoadBE<UserId>(key, 8), std::string(key.substr(14)),
                                       keys::LoadBE<uint64_t>(value, 0)});
                    return true;
                  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return readers;
}

Result<bool> LmdbTxn::HeldByAny(const std::vector<Reader>& readers, FolderId folder,
                                ItemId item) {
  for (const Reader& r : readers) {
    Result<bool> held = DoIsHeld(r.user, r.device_id, folder, item);
    if (!held.ok() || *held) return held;
  }
  return false;
}

Status LmdbTxn::DoTrimTombstone(FolderId folder, uint64_t modseq, ItemId item) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  Result<std::vector<Reader>> readers = FolderReaders(folder);
  if (!readers.ok()) return readers.status();
  Result<bool> held = HeldByAny(*readers, folder, item);
  if (!held.ok()) return held.status();
  if (*held) return Status::Ok();
  s = Del(dbs_.item_log, keys::FolderAnd(folder, modseq));
  return s.code() == Code::kNotFound ? Status::Ok() : s;
}

Result<FolderSweep> LmdbTxn::DoSweepFolder(FolderId folder, uint64_t now, uint64_t expiry,
                                           uint64_t interval) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  FolderSweep sweep;
  const std::string swept_key = keys::ScopedCounter(keys::kSweptAt, folder);
  Result<uint64_t> swept_at = ReadCounter(swept_key);
  if (!swept_at.ok()) return swept_at.status();
  if (*swept_at != 0 && now < *swept_at + interval) return sweep;
  s = WriteCounter(swept_key, now);
  if (!s.ok()) return s;
  sweep.ran = true;

  Result<std::vector<Reader>> readers = FolderReaders(folder);
  if (!readers.ok()) return readers.status();
  std::vector<Reader> current;
  for (Reader& r : *readers) {
    bool recent = expiry == 0 || r.synced_at + expiry >= now;
    if (!recent) {  // a device that only Pings is still there
      DeviceRecord device;
      Status found = DoReadDevice(r.user, r.device_id, &device);
      if (!found.ok() && found.code() != Code::kNotFound) return found;
      recent = found.ok() && device.last_seen + expiry >= now;
    }
    if (recent) {
      current.push_back(std::move(r));
      continue;
    }
    s = DelPrefix(dbs_.held_items, keys::HeldPrefix(r.user, r.device_id, folder));
    if (s.ok()) s = Del(dbs_.folder_readers, keys::FolderReader(folder, r.user, r.device_id));
    if (!s.ok()) return s;
    sweep.forgotten.emplace_back(r.user, std::move(r.device_id));
  }

  Result<std::vector<ItemChange>> log = DoItemChangesSince(folder, 0, SIZE_MAX);
  if (!log.ok()) return log.status();
  for (const ItemChange& t : *log) {
    if (t.kind != ChangeKind::kDelete) continue;
    Result<bool> held = HeldByAny(current, folder, t.item);
    if (!held.ok()) return held.status();
    if (*held) continue;
    s = Del(dbs_.item_log, keys::FolderAnd(folder, t.modseq));
    if (!s.ok()) return s;
    ++sweep.tombstones_dropped;
  }
  return sweep;
}

Status LmdbTxn::ForgetReaders(FolderId folder) {
  Result<std::vector<Reader>> readers = FolderReaders(folder);
  if (!readers.ok()) return readers.status();
  for (const Reader& r : *readers) {
    Status s = DelPrefix(dbs_.held_items, keys::HeldPrefix(r.user, r.device_id, folder));
    if (!s.ok()) return s;
  }
  return DelPrefix(dbs_.folder_readers, keys::Folder(folder));
}

}  // namespace eas::storage
