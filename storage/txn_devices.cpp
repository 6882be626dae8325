// Devices keyed (user, device id) and their opaque sync states keyed
// (user, device id, collection); a device's key is the prefix of its
// states, so deleting a device sweeps them in one range.
#include <string>
#include <utility>

#include "storage/codec.hpp"
#include "storage/keys.hpp"
#include "storage/lmdb_txn.hpp"

namespace eas::storage {
Status CheckDeviceId(std::string_view device_id) {
  if (device_id.empty() || device_id.size() > keys::kMaxDeviceIdSize) {
    return Status::Invalid("device id must have 1 to 128 bytes");
  }
  return Status::Ok();
}

namespace {

std::string DeviceLabel(UserId user, std::string_view device_id) {
  return "device " + std::string(device_id) + " of user " + std::to_string(user);
}

}  // namespace

Status LmdbTxn::DoReadDevice(UserId user, std::string_view device_id, DeviceRecord* out) {
  Status s = CheckDeviceId(device_id);
  if (!s.ok()) return s;
  std::string_view value;
  s = Get(dbs_.devices, keys::Device(user, device_id), &value);
  if (s.code() == Code::kNotFound) {
    return Status::NotFound(DeviceLabel(user, device_id) + " not found");
  }
  if (!s.ok()) return s;
  if (const char* why = DecodeDevice(value, out)) {
    return CorruptRecord(DeviceLabel(user, device_id) + ": " + why);
  }
  if (out->user != user || out->device_id != device_id) {
    return CorruptRecord(DeviceLabel(user, device_id) + ": ids differ from its key");
  }
  return Status::Ok();
}

Status LmdbTxn::DoPutDevice(const DeviceRecord& device) {
  Status s = CheckWritable();
  if (s.ok()) s = CheckDeviceId(device.device_id);
  if (!s.ok()) return s;
  Result<UserRecord> user = DoGetUserById(device.user);
  if (!user.ok()) return user.status();
  // An administrator's block, approval or wipe is news for a held Ping of
  // the device, which must end with the answer its next request gets.
  DeviceRecord before;
  s = DoReadDevice(device.user, device.device_id, &before);
  if (s.ok() && (before.access != device.access || before.wipe != device.wipe)) {
    NoteChange(device.user);
  } else if (!s.ok() && s.code() != Code::kNotFound) {
    return s;
  }
  return Put(dbs_.devices, keys::Device(device.user, device.device_id), EncodeDevice(device));
}

Status LmdbTxn::DoDeleteDevice(UserId user, std::string_view device_id) {
  Status s = CheckWritable();
  if (s.ok()) s = CheckDeviceId(device_id);
  if (!s.ok()) return s;
  const std::string key = keys::Device(user, device_id);
  s = Del(dbs_.devices, key);
  if (s.code() == Code::kNotFound) {
    return Status::NotFound(DeviceLabel(user, device_id) + " not found");
  }
  if (!s.ok()) return s;
  s = DelPrefix(dbs_.held_items, key);
  if (s.ok()) s = DelPrefix(dbs_.client_ids, key);
  if (!s.ok()) return s;
  return DelPrefix(dbs_.sync_states, key);
}

Status LmdbTxn::DeleteDevicesOf(UserId user) {
  const std::string prefix = keys::User(user);
  Status s = DelPrefix(dbs_.devices, prefix);
  if (s.ok()) s = DelPrefix(dbs_.sync_states, prefix);
  if (s.ok()) s = DelPrefix(dbs_.held_items, prefix);
  if (s.ok()) s = DelPrefix(dbs_.client_ids, prefix);
  return s;
}

Result<std::vector<DeviceRecord>> LmdbTxn::DoListDevices(std::optional<UserId> user) {
  std::vector<DeviceRecord> devices;
  Status failure;
  const std::string prefix = user ? keys::User(*user) : std::string();
  Status s = Scan(dbs_.devices, prefix, prefix, [&](std::string_view key, std::string_view value) {
    DeviceRecord device;
    if (const char* why = DecodeDevice(value, &device)) {
      UserId owner = key.size() >= 6 ? keys::LoadBE<UserId>(key, 0) : 0;
      std::string id(key.size() >= 6 ? key.substr(6) : std::string_view());
      failure = CorruptRecord(DeviceLabel(owner, id) + ": " + why);
      return false;
    }
    devices.push_back(std::move(device));
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return devices;
}

Status LmdbTxn::DoViewSyncState(UserId user, std::string_view device_id,
                                std::string_view collection, std::string_view* out) {
  Status s = CheckDeviceId(device_id);
  if (!s.ok()) return s;
  s = Get(dbs_.sync_states, keys::SyncState(user, device_id, collection), out);
  if (s.code() == Code::kNotFound) {
    return Status::NotFound("sync state of collection '" + std::string(collection) + "' for " +
                            DeviceLabel(user, device_id) + " not found");
  }
  return s;
}

Status LmdbTxn::DoPutSyncState(UserId user, std::string_view device_id,
                               std::string_view collection, std::string_view state) {
  Status s = CheckWritable();
  if (s.ok()) s = CheckDeviceId(device_id);
  if (!s.ok()) return s;
  return Put(dbs_.sync_states, keys::SyncState(user, device_id, collection), state);
}

Status LmdbTxn::DoDeleteSyncState(UserId user, std::string_view device_id,
                                  std::string_view collection) {
  Status s = CheckWritable();
  if (s.ok()) s = CheckDeviceId(device_id);
  if (!s.ok()) return s;
  s = Del(dbs_.sync_states, keys::SyncState(user, device_id, collection));
  if (s.code() == Code::kNotFound) {
    return Status::NotFound("sync state of collection '" + std::string(collection) + "' for " +
                            DeviceLabel(user, device_id) + " not found");
  }
  return s;
}

}  // namespace eas::storage
