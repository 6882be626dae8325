// Key layouts of every named database. Integers are big-endian and fixed
// width, so LMDB's bytewise order is numeric order and a composite key
// (user BE32, seq BE64) sorts by user, then seq — one cursor range per user
// (as knot's journal does). A string in the middle of a key carries a BE16
// length prefix, so "ab"+"c" and "a"+"bc" never collide and a prefix scan
// for one device id never matches another.
//
//   users          BE32 user                     → UserRecord
//   users_by_name  name bytes                    → BE32 user
//   folders        BE64 folder                   → FolderRecord
//   user_folders   BE32 user, BE64 folder        → 1 byte: kOwned / kShared
//   children       BE64 parent, BE64 child       → empty
//   hierarchy_log  BE32 user, BE64 seq           → HierarchyChange
//   items          BE64 folder, BE64 item        → ItemRecord
//   item_log       BE64 folder, BE64 modseq      → ItemChange
//   devices        BE32 user, BE16 len, id       → DeviceRecord
//   sync_states    BE32 user, BE16 len, id, collection bytes → opaque bytes
//   meta           counter name, NUL, BE32/BE64 scope (or none) → BE64 value
//   change_feed    BE64 change seq               → BE32 user... (sorted, unique)
//   held_items     BE32 user, BE16 len, id, BE64 folder, BE64 item → empty
//   folder_readers BE64 folder, BE32 user, BE16 len, id → BE64 last sync (unix s)
//   blobs          BE64 blob                     → the bytes (written once)
//   blob_refs      BE64 blob                     → BlobRef: item count, owner, key
//   blob_keys      BE32 user, key bytes          → BE64 blob (non-empty keys only)
//   items_by_time  BE64 folder, BE64 time, BE64 item → empty (items with time != 0)
//   client_ids     BE32 user, BE16 len, id, client id bytes → BE64 when used (unix s)
//   outgoing       BE64 queue id                 → OutgoingRecord
//   oof            BE32 user, 'o'                → OofRecord
//                  BE32 user, 'r', sender bytes  → BE64 when replied (unix s)
//   user_pictures  BE32 user                     → JPEG bytes
//
// A blob's bytes and its reference count live apart, so that referring to
// a blob (an item moved or copied) rewrites a small record, not megabytes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/records.hpp"

namespace eas::storage::keys {

// Writers of big-endian integers at p, returning the end. Keys are built
// at their final size and filled in place: one is built for every lookup.
inline char* PutBE16(char* p, uint16_t v) {
  p[0] = static_cast<char>(v >> 8);
  p[1] = static_cast<char>(v);
  return p + 2;
}
inline char* PutBE32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (24 - 8 * i));
  return p + 4;
}
inline char* PutBE64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (56 - 8 * i));
  return p + 8;
}

inline void AppendBE32(std::string* out, uint32_t v) {
  size_t at = out->size();
  out->resize(at + 4);
  PutBE32(out->data() + at, v);
}
inline void AppendBE64(std::string* out, uint64_t v) {
  size_t at = out->size();
  out->resize(at + 8);
  PutBE64(out->data() + at, v);
}

// Reads a big-endian integer of sizeof(T) bytes at `pos`; the caller has
// checked the length.
template <class T>
T LoadBE(std::string_view in, size_t pos) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    v = static_cast<T>((v << 8) | static_cast<unsigned char>(in[pos + i]));
  }
  return v;
}

// Values of user_folders: whether the user owns the folder or has it
// through the folder's ACL.
inline constexpr char kOwned = 'o';
inline constexpr char kShared = 's';

// Longest device id we accept; EAS clients send at most 32 characters.
inline constexpr size_t kMaxDeviceIdSize = 128;

// Longest SendMail ClientId kept (LMDB keys have at most 511 bytes; the
// device key takes up to 134). Clients send GUIDs or counters.
inline constexpr size_t kMaxClientIdSize = 256;

// Longest sender address an automatic reply is remembered for (SMTP
// allows paths of 256 octets; LMDB keys have at most 511 bytes).
inline constexpr size_t kMaxSenderSize = 320;

// Longest blob key: LMDB keys have at most 511 bytes, the user id takes 4.
inline constexpr size_t kMaxBlobKeySize = 500;

inline std::string User(UserId user) {
  std::string k;
  AppendBE32(&k, user);
  return k;
}

inline std::string Folder(FolderId folder) {
  std::string k;
  AppendBE64(&k, folder);
  return k;
}

// (BE32, BE64) keys: user_folders and hierarchy_log.
inline std::string UserAnd(UserId user, uint64_t second) {
  std::string k(12, '\0');
  PutBE64(PutBE32(k.data(), user), second);
  return k;
}

// (BE64, BE64) keys: children, items and item_log.
inline std::string FolderAnd(FolderId folder, uint64_t second) {
  std::string k(16, '\0');
  PutBE64(PutBE64(k.data(), folder), second);
  return k;
}

// items_by_time: the folder, then the item's time, then its id.
inline std::string ItemTime(FolderId folder, uint64_t time, ItemId item) {
  std::string k(24, '\0');
  PutBE64(PutBE64(PutBE64(k.data(), folder), time), item);
  return k;
}

// blobs and blob_refs keys: the BE64 blob id.
inline std::string Blob(uint64_t blob) {
  std::string k;
  AppendBE64(&k, blob);
  return k;
}

// blob_keys: the owner, then the key as is (it ends the key, so needs no
// length). At most kMaxBlobKeySize bytes.
inline std::string BlobKey(UserId user, std::string_view key) {
  std::string k = User(user);
  k.append(key);
  return k;
}

// A sync state's key: its device's key, then the collection.
// device_id must be at most kMaxDeviceIdSize bytes.
inline std::string SyncState(UserId user, std::string_view device_id,
                             std::string_view collection) {
  std::string k(6 + device_id.size() + collection.size(), '\0');
  char* p = PutBE16(PutBE32(k.data(), user), static_cast<uint16_t>(device_id.size()));
  p = std::copy(device_id.begin(), device_id.end(), p);
  std::copy(collection.begin(), collection.end(), p);
  return k;
}

// The key of a device, which is also the prefix of its sync states.
inline std::string Device(UserId user, std::string_view device_id) {
  return SyncState(user, device_id, {});
}

// held_items: what a device holds of a folder, under its device key.
inline std::string HeldPrefix(UserId user, std::string_view device_id, FolderId folder) {
  std::string k = Device(user, device_id);
  AppendBE64(&k, folder);
  return k;
}
inline std::string Held(UserId user, std::string_view device_id, FolderId folder, ItemId item) {
  std::string k = HeldPrefix(user, device_id, folder);
  AppendBE64(&k, item);
  return k;
}

// client_ids: a ClientId a device sent with SendMail, under its device key.
inline std::string ClientId(UserId user, std::string_view device_id,
                            std::string_view client_id) {
  return SyncState(user, device_id, client_id);
}

// folder_readers: the devices that sync a folder, under the folder.
inline std::string FolderReader(FolderId folder, UserId user, std::string_view device_id) {
  std::string k = Folder(folder);
  k += Device(user, device_id);
  return k;
}

// change_feed keys: the BE64 change seq.
inline std::string ChangeSeq(uint64_t seq) {
  std::string k(8, '\0');
  PutBE64(k.data(), seq);
  return k;
}

// Meta counters: a name, NUL, then the big-endian scope id if any.
inline std::string Counter(std::string_view name) {
  std::string k(name);
  k.push_back('\0');
  return k;
}

template <class Id>
std::string ScopedCounter(std::string_view name, Id scope) {
  std::string k = Counter(name);
  if constexpr (sizeof(Id) == 4) {
    AppendBE32(&k, scope);
  } else {
    AppendBE64(&k, scope);
  }
  return k;
}

inline constexpr std::string_view kNextUserId = "next_user_id";
inline constexpr std::string_view kNextFolderId = "next_folder_id";
inline constexpr std::string_view kNextItemId = "next_item_id";    // per folder
inline constexpr std::string_view kNextBlobId = "next_blob_id";    // global
inline constexpr std::string_view kHierarchySeq = "hierarchy_seq";  // per user
inline constexpr std::string_view kChangeSeq = "change_seq";        // global
inline constexpr std::string_view kSweptAt = "swept_at";            // per folder, unix s
inline constexpr std::string_view kNextOutgoingId = "next_outgoing_id";  // global

// oof: the user's setting, and the senders the user's automatic replies
// went to (after the setting's key, one prefix per user).
inline std::string Oof(UserId user) {
  std::string k = User(user);
  k.push_back('o');
  return k;
}
inline std::string OofReplied(UserId user, std::string_view sender) {
  std::string k = User(user);
  k.push_back('r');
  k.append(sender);
  return k;
}

}  // namespace eas::storage::keys
