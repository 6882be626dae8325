// Txn's by-value getters: each is the record's one in-place read into a
// fresh record, for callers off the hot path.
#include "storage/store.hpp"

namespace eas::storage {
namespace {

template <class T, class Read>
Result<T> ByValue(Read&& read) {
  T record;
  Status s = read(&record);
  if (!s.ok()) return s;
  return record;
}

}  // namespace

Result<UserRecord> Txn::GetUser(std::string_view name) {
  return ByValue<UserRecord>([&](UserRecord* out) { return ReadUser(name, out); });
}

Result<FolderRecord> Txn::GetFolder(FolderId id) {
  return ByValue<FolderRecord>([&](FolderRecord* out) { return ReadFolder(id, out); });
}

Result<DeviceRecord> Txn::GetDevice(UserId user, std::string_view device_id) {
  return ByValue<DeviceRecord>(
      [&](DeviceRecord* out) { return ReadDevice(user, device_id, out); });
}

Result<std::string> Txn::GetSyncState(UserId user, std::string_view device_id,
                                      std::string_view collection) {
  std::string_view view;
  Status s = ViewSyncState(user, device_id, collection, &view);
  if (!s.ok()) return s;
  return std::string(view);
}

}  // namespace eas::storage
