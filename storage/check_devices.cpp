// The check of devices and what they keep: sync states (read through
// core's SyncStateReader), folder readers, held items, SendMail ClientIds,
// and the outgoing queue.
#include <algorithm>
#include <string>

#include "storage/codec.hpp"
#include "storage/keys.hpp"
#include "storage/store_checker.hpp"

namespace eas::storage {
namespace {

// A device key's label: "user/device id".
std::string DeviceLabel(UserId user, std::string_view id) {
  return KeyLabel({Num(user), Printable(id)});
}

}  // namespace

Status StoreChecker::CheckDevices() {
  Status s = Each(dbs_.devices, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    UserId user = k.Be32();
    std::string_view id = k.DeviceId();
    const std::string label = DeviceLabel(user, id);
    DeviceRecord device;
    if (!k.AtEnd()) return Problem("devices", label, "malformed key");
    if (const char* why = DecodeDevice(value, &device)) return Problem("devices", label, why);
    if (device.user != user || device.device_id != id) {
      return Problem("devices", label, "record names device " + DeviceLabel(device.user, device.device_id));
    }
    if (!users_.count(user)) Problem("devices", label, "user is missing");
    devices_.insert(std::string(key));
  });
  report_->devices = devices_.size();
  return s;
}

// A reader whose device is gone is normal: DeleteDevice leaves it for the
// folder's next sweep. A reader of a folder that is gone is not.
Status StoreChecker::CheckReaders() {
  return Each(dbs_.folder_readers, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    FolderId folder = k.Be64();
    std::string_view device = key.substr(std::min<size_t>(8, key.size()));
    UserId user = k.Be32();
    std::string_view id = k.DeviceId();
    const std::string label = KeyLabel({Num(folder), DeviceLabel(user, id)});
    if (!k.AtEnd() || value.size() != 8) return Problem("folder_readers", label, "malformed entry");
    if (!folders_.count(folder)) return Problem("folder_readers", label, "folder is missing");
    readers_.insert({folder, std::string(device)});
  });
}

// A held item must be live or have a tombstone: else the device keeps a
// message the server will never tell it to delete.
Status StoreChecker::CheckHeld() {
  return Each(dbs_.held_items, [&](std::string_view key, std::string_view) {
    KeyParts k(key);
    UserId user = k.Be32();
    std::string_view id = k.DeviceId();
    std::string device(key.substr(0, std::min<size_t>(key.size(), 6 + id.size())));
    FolderId folder = k.Be64();
    ItemId item = k.Be64();
    const std::string label = KeyLabel({DeviceLabel(user, id), Num(folder), Num(item)});
    if (!k.AtEnd()) return Problem("held_items", label, "malformed key");
    if (!devices_.count(device)) return Problem("held_items", label, "device is missing");
    if (!folders_.count(folder)) return Problem("held_items", label, "folder is missing");
    if (!readers_.count({folder, device})) {
      Problem("held_items", label, "the device is no reader of the folder");
    }
    if (!items_.count({folder, item}) && !tombstones_.count({folder, item})) {
      Problem("held_items", label, "item is gone without a tombstone");
    }
  });
}

bool StoreChecker::StateFolderExists(const std::string& label, FolderId folder) {
  if (folders_.count(folder)) return true;
  if (folder != 0 && folder <= Counter(keys::kNextFolderId)) {
    report_->stale_sync_states += 1;
  } else {
    Problem("sync_states", label, "names folder " + Num(folder) + ", which never existed");
  }
  return false;
}

Status StoreChecker::CheckSyncStates() {
  using Kind = SyncStateMeaning::Kind;
  return Each(dbs_.sync_states, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    UserId user = k.Be32();
    std::string_view id = k.DeviceId();
    std::string device(key.substr(0, std::min<size_t>(key.size(), 6 + id.size())));
    std::string_view collection = k.Rest();
    const std::string label = KeyLabel({DeviceLabel(user, id), Printable(collection)});
    ++report_->sync_states;
    if (!k.ok()) return Problem("sync_states", label, "malformed key");
    if (!devices_.count(device)) return Problem("sync_states", label, "device is missing");
    SyncStateMeaning state = states_.Read(collection, value);
    switch (state.kind) {
      case Kind::kUnknown:
        return Problem("sync_states", label, "not a collection the server keeps state for");
      case Kind::kUnreadable:
        return Problem("sync_states", label, "the state cannot be read (the device must resync)");
      case Kind::kHierarchy: {
        uint64_t newest = Counter(keys::kHierarchySeq, user, /*wide=*/false);
        if (state.position > newest) {
          Problem("sync_states", label, "has seen hierarchy seq " + Num(state.position) +
                                            ", after the user's " + Num(newest));
        }
        return;
      }
      case Kind::kFolderAside:
        StateFolderExists(label, state.folder);
        return;
      case Kind::kDeviceAside:
        return;
      case Kind::kCollection:
        break;
    }
    if (!StateFolderExists(label, state.folder)) return;
    const FolderRecord& folder = folders_[state.folder];
    // Unshared since: the device is told the folder is gone, as for a
    // deleted one.
    if (folder.owner != user && !std::any_of(folder.acl.begin(), folder.acl.end(),
                                             [&](const AclEntry& e) { return e.user == user; })) {
      report_->stale_sync_states += 1;
      return;
    }
    if (std::max(state.position, state.highest_modseq) > folder.modseq) {
      Problem("sync_states", label, "key ahead of the change log: names modseq " +
                                        Num(std::max(state.position, state.highest_modseq)) +
                                        ", the folder is at " + Num(folder.modseq));
    }
  });
}

Status StoreChecker::CheckClientIds() {
  return Each(dbs_.client_ids, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    UserId user = k.Be32();
    std::string_view id = k.DeviceId();
    std::string device(key.substr(0, std::min<size_t>(key.size(), 6 + id.size())));
    const std::string label = KeyLabel({DeviceLabel(user, id), Printable(k.Rest())});
    if (!k.ok() || value.size() != 8) return Problem("client_ids", label, "malformed entry");
    if (!devices_.count(device)) Problem("client_ids", label, "device is missing");
  });
}

Status StoreChecker::CheckOutgoing() {
  const uint64_t next = Counter(keys::kNextOutgoingId);
  return Each(dbs_.outgoing, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    uint64_t id = k.Be64();
    OutgoingRecord record;
    ++report_->outgoing;
    if (!k.AtEnd()) return Problem("outgoing", Num(id), "malformed key");
    if (const char* why = DecodeOutgoing(value, &record)) return Problem("outgoing", Num(id), why);
    if (record.id != id) Problem("outgoing", Num(id), "record names message " + Num(record.id));
    if (id > next) Problem("outgoing", Num(id), "id above next_outgoing_id " + Num(next));
    if (record.recipients.empty()) Problem("outgoing", Num(id), "no recipients left");
    for (const std::string& to : record.recipients) {
      if (to.find('@') == std::string::npos) Problem("outgoing", Num(id), "recipient without a domain: " + Printable(to));
    }
    // The queue keeps the message itself: it must be one (headers, blank line).
    if (record.message.find("\r\n\r\n") == std::string::npos &&
        record.message.find("\n\n") == std::string::npos) {
      Problem("outgoing", Num(id), "the message has no header/body boundary (" +
                                       Num(record.message.size()) + " bytes)");
    }
  });
}

}  // namespace eas::storage
