#include "storage/codec.hpp"

#include <memory>
#include <new>

#include "storage/field_codec.hpp"

namespace eas::storage {
namespace {

// Field tags. Never reuse or renumber a tag: old values still carry it.
enum UserTag : uint8_t {
  kUserId = 1, kUserName = 2, kUserDisplayName = 3, kUserAddress = 4,
  kUserPasswordHash = 5, kUserCreated = 6, kUserFirstName = 7, kUserLastName = 8,
  kUserAlias = 9, kUserCompany = 10, kUserTitle = 11, kUserOffice = 12, kUserPhone = 13,
  kUserMobilePhone = 14, kUserHomePhone = 15,
};
enum FolderTag : uint8_t {
  kFolderId = 1, kFolderOwner = 2, kFolderParent = 3, kFolderType = 4,
  kFolderName = 5, kFolderAcl = 6, kFolderHidden = 7, kFolderModseq = 8,
};
enum AclTag : uint8_t { kAclUser = 1, kAclRights = 2 };
enum ItemTag : uint8_t {
  kItemFolder = 1, kItemId = 2, kItemModseq = 3, kItemData = 4, kItemCreated = 5,
  kItemBlob = 6, kItemTime = 7,
};
enum BlobRefTag : uint8_t { kRefCount = 1, kRefOwner = 2, kRefKey = 3 };
enum HierarchyTag : uint8_t { kHierSeq = 1, kHierFolder = 2, kHierKind = 3 };
enum ItemChangeTag : uint8_t { kChangeModseq = 1, kChangeItem = 2, kChangeKind = 3 };
enum DeviceTag : uint8_t {
  kDevUser = 1, kDevId = 2, kDevType = 3, kDevUserAgent = 4, kDevModel = 5,
  kDevImei = 6, kDevFriendlyName = 7, kDevOs = 8, kDevOsLanguage = 9,
  kDevPhoneNumber = 10, kDevMobileOperator = 11, kDevProtocolVersion = 12,
  kDevFirstSeen = 13, kDevLastSeen = 14, kDevPolicyKey = 15, kDevPendingPolicyKey = 16,
  kDevPolicyDigest = 17, kDevAccess = 18, kDevWipe = 19, kDevLastDecision = 20,
  kDevDecisionReason = 21,
};

constexpr const char* kBadInteger = "bad integer field";

// The decoders fill records in place (the request path reads into records
// it already holds): start from a default record, whatever was there, so
// a field the value lacks never keeps an earlier record's content.
//
// Default-initialised, not value-initialised (std::construct_at): every
// member has its own initialiser, and value-initialisation would first
// zero the whole record (a rep stos of some 500 bytes per request).
template <class Record>
void ResetInPlace(Record& r) {
  std::destroy_at(&r);
  ::new (static_cast<void*>(&r)) Record;
}

bool ParseKind(std::string_view field, ChangeKind* out) {
  uint8_t v = 0;
  if (!ParseUint(field, &v) || v < 1 || v > 3) return false;
  *out = static_cast<ChangeKind>(v);
  return true;
}

bool ParseRights(std::string_view field, Rights* out) {
  uint8_t v = 0;
  if (!ParseUint(field, &v) || (v != 0 && v != 1 && v != 3)) return false;
  *out = static_cast<Rights>(v);
  return true;
}

const char* DecodeAclEntry(std::string_view in, AclEntry* out) {
  FieldReader reader(in, /*nested=*/true);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    if (tag == kAclUser && !ParseUint(v, &out->user)) return kBadInteger;
    if (tag == kAclRights && !ParseRights(v, &out->rights)) return "bad ACL rights";
  }
  return reader.why();
}

}  // namespace

std::string EncodeUser(const UserRecord& user) {
  FieldWriter w;
  w.Uint(kUserId, user.id);
  w.Bytes(kUserName, user.name);
  w.Bytes(kUserDisplayName, user.display_name);
  for (const std::string& address : user.addresses) w.Bytes(kUserAddress, address);
  w.Bytes(kUserPasswordHash, user.password_hash);
  w.Uint(kUserCreated, user.created);
  // Directory fields only when set: most users have none, and every
  // request decodes the record.
  const UserDirectoryFields& d = user.directory;
  for (const auto& [tag, text] : {std::pair{kUserFirstName, &d.first_name}, {kUserLastName, &d.last_name},
                                  {kUserAlias, &d.alias}, {kUserCompany, &d.company},
                                  {kUserTitle, &d.title}, {kUserOffice, &d.office},
                                  {kUserPhone, &d.phone}, {kUserMobilePhone, &d.mobile_phone},
                                  {kUserHomePhone, &d.home_phone}}) {
    if (!text->empty()) w.Bytes(tag, *text);
  }
  return std::move(w).Finish();
}

const char* DecodeUser(std::string_view in, UserRecord* out) {
  // In place (read on every request); *out is only valid when nullptr
  // comes back.
  UserRecord& r = *out;
  ResetInPlace(r);
  FieldReader reader(in);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    bool ok = true;
    switch (tag) {
      case kUserId: ok = ParseUint(v, &r.id); break;
      case kUserName: r.name.assign(v); break;
      case kUserDisplayName: r.display_name.assign(v); break;
      case kUserAddress: r.addresses.emplace_back(v); break;
      case kUserPasswordHash: r.password_hash.assign(v); break;
      case kUserCreated: ok = ParseUint(v, &r.created); break;
      case kUserFirstName: r.directory.first_name.assign(v); break;
      case kUserLastName: r.directory.last_name.assign(v); break;
      case kUserAlias: r.directory.alias.assign(v); break;
      case kUserCompany: r.directory.company.assign(v); break;
      case kUserTitle: r.directory.title.assign(v); break;
      case kUserOffice: r.directory.office.assign(v); break;
      case kUserPhone: r.directory.phone.assign(v); break;
      case kUserMobilePhone: r.directory.mobile_phone.assign(v); break;
      case kUserHomePhone: r.directory.home_phone.assign(v); break;
      default: break;  // written by a newer version
    }
    if (!ok) return kBadInteger;
  }
  return reader.why();
}

std::string EncodeFolder(const FolderRecord& folder) {
  FieldWriter w;
  w.Uint(kFolderId, folder.id);
  w.Uint(kFolderOwner, folder.owner);
  w.Uint(kFolderParent, folder.parent);
  w.Uint(kFolderType, static_cast<uint8_t>(folder.type));
  w.Bytes(kFolderName, folder.name);
  for (const AclEntry& entry : folder.acl) {
    FieldWriter nested(/*nested=*/true);
    nested.Uint(kAclUser, entry.user);
    nested.Uint(kAclRights, static_cast<uint8_t>(entry.rights));
    w.Bytes(kFolderAcl, std::move(nested).Finish());
  }
  w.Uint(kFolderHidden, folder.hidden ? 1 : 0);
  w.Uint(kFolderModseq, folder.modseq);
  return std::move(w).Finish();
}

const char* DecodeFolder(std::string_view in, FolderRecord* out) {
  // In place (read on every Sync); *out is only valid when nullptr comes
  // back.
  FolderRecord& r = *out;
  ResetInPlace(r);
  FieldReader reader(in);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    bool ok = true;
    uint8_t small = 0;
    switch (tag) {
      case kFolderId: ok = ParseUint(v, &r.id); break;
      case kFolderOwner: ok = ParseUint(v, &r.owner); break;
      case kFolderParent: ok = ParseUint(v, &r.parent); break;
      case kFolderType:
        ok = ParseUint(v, &small) && small != 0;
        r.type = static_cast<FolderKind>(small);
        break;
      case kFolderName: r.name.assign(v); break;
      case kFolderAcl: {
        AclEntry entry;
        if (const char* why = DecodeAclEntry(v, &entry)) return why;
        r.acl.push_back(entry);
        break;
      }
      case kFolderHidden:
        ok = ParseUint(v, &small) && small <= 1;
        r.hidden = small == 1;
        break;
      case kFolderModseq: ok = ParseUint(v, &r.modseq); break;
      default: break;
    }
    if (!ok) return kBadInteger;
  }
  return reader.why();
}

std::string EncodeItem(const ItemRecord& item) {
  FieldWriter w;
  w.Reserve(item.data.size() + 40);
  w.Uint(kItemFolder, item.folder);
  w.Uint(kItemId, item.id);
  w.Uint(kItemModseq, item.modseq);
  w.Bytes(kItemData, item.data);
  w.Uint(kItemCreated, item.created);
  // Only when set: most items have neither, and a value without the tags
  // reads as 0 (as every item written before they existed does).
  if (item.blob != 0) w.Uint(kItemBlob, item.blob);
  if (item.time != 0) w.Uint(kItemTime, item.time);
  return std::move(w).Finish();
}

const char* DecodeItem(std::string_view in, ItemView* out) {
  ItemView r;
  FieldReader reader(in);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    bool ok = true;
    switch (tag) {
      case kItemFolder: ok = ParseUint(v, &r.folder); break;
      case kItemId: ok = ParseUint(v, &r.id); break;
      case kItemModseq: ok = ParseUint(v, &r.modseq); break;
      case kItemData: r.data = v; break;
      case kItemCreated: ok = ParseUint(v, &r.created); break;
      case kItemBlob: ok = ParseUint(v, &r.blob); break;
      case kItemTime: ok = ParseUint(v, &r.time); break;
      default: break;
    }
    if (!ok) return kBadInteger;
  }
  if (reader.why() != nullptr) return reader.why();
  *out = r;
  return nullptr;
}

const char* DecodeItem(std::string_view in, ItemRecord* out) {
  ItemView view;
  if (const char* why = DecodeItem(in, &view)) return why;
  out->folder = view.folder;
  out->id = view.id;
  out->modseq = view.modseq;
  out->created = view.created;
  out->data.assign(view.data);
  out->blob = view.blob;
  out->time = view.time;
  return nullptr;
}

const char* DecodeItemBlob(std::string_view in, uint64_t* blob) {
  uint64_t r = 0;
  FieldReader reader(in);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    if (tag == kItemBlob && !ParseUint(v, &r)) return kBadInteger;
  }
  if (reader.why() != nullptr) return reader.why();
  *blob = r;
  return nullptr;
}

std::string EncodeBlobRef(const BlobRef& ref) {
  FieldWriter w;
  w.Uint(kRefCount, ref.count);
  w.Uint(kRefOwner, ref.owner);
  w.Bytes(kRefKey, ref.key);
  return std::move(w).Finish();
}

const char* DecodeBlobRef(std::string_view in, BlobRef* out) {
  BlobRef r;
  FieldReader reader(in);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    bool ok = true;
    switch (tag) {
      case kRefCount: ok = ParseUint(v, &r.count); break;
      case kRefOwner: ok = ParseUint(v, &r.owner); break;
      case kRefKey: r.key.assign(v); break;
      default: break;
    }
    if (!ok) return kBadInteger;
  }
  if (reader.why() != nullptr) return reader.why();
  *out = std::move(r);
  return nullptr;
}

std::string EncodeHierarchyChange(const HierarchyChange& change) {
  FieldWriter w;
  w.Uint(kHierSeq, change.seq);
  w.Uint(kHierFolder, change.folder);
  w.Uint(kHierKind, static_cast<uint8_t>(change.kind));
  return std::move(w).Finish();
}

const char* DecodeHierarchyChange(std::string_view in, HierarchyChange* out) {
  HierarchyChange r;
  FieldReader reader(in);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    bool ok = true;
    switch (tag) {
      case kHierSeq: ok = ParseUint(v, &r.seq); break;
      case kHierFolder: ok = ParseUint(v, &r.folder); break;
      case kHierKind: ok = ParseKind(v, &r.kind); break;
      default: break;
    }
    if (!ok) return kBadInteger;
  }
  if (reader.why() != nullptr) return reader.why();
  *out = r;
  return nullptr;
}

std::string EncodeItemChange(const ItemChange& change) {
  FieldWriter w;
  w.Uint(kChangeModseq, change.modseq);
  w.Uint(kChangeItem, change.item);
  w.Uint(kChangeKind, static_cast<uint8_t>(change.kind));
  return std::move(w).Finish();
}

const char* DecodeItemChange(std::string_view in, ItemChange* out) {
  ItemChange r;
  FieldReader reader(in);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    bool ok = true;
    switch (tag) {
      case kChangeModseq: ok = ParseUint(v, &r.modseq); break;
      case kChangeItem: ok = ParseUint(v, &r.item); break;
      case kChangeKind: ok = ParseKind(v, &r.kind); break;
      default: break;
    }
    if (!ok) return kBadInteger;
  }
  if (reader.why() != nullptr) return reader.why();
  *out = r;
  return nullptr;
}

std::string EncodeDevice(const DeviceRecord& d) {
  FieldWriter w;
  w.Uint(kDevUser, d.user);
  w.Bytes(kDevId, d.device_id);
  w.Bytes(kDevType, d.device_type);
  w.Bytes(kDevUserAgent, d.user_agent);
  w.Bytes(kDevModel, d.model);
  w.Bytes(kDevImei, d.imei);
  w.Bytes(kDevFriendlyName, d.friendly_name);
  w.Bytes(kDevOs, d.os);
  w.Bytes(kDevOsLanguage, d.os_language);
  w.Bytes(kDevPhoneNumber, d.phone_number);
  w.Bytes(kDevMobileOperator, d.mobile_operator);
  w.Bytes(kDevProtocolVersion, d.protocol_version);
  w.Uint(kDevFirstSeen, d.first_seen);
  w.Uint(kDevLastSeen, d.last_seen);
  w.Uint(kDevPolicyKey, d.policy_key);
  w.Uint(kDevPendingPolicyKey, d.pending_policy_key);
  w.Bytes(kDevPolicyDigest, d.policy_digest);
  w.Uint(kDevAccess, static_cast<uint8_t>(d.access));
  w.Uint(kDevWipe, static_cast<uint8_t>(d.wipe));
  w.Uint(kDevLastDecision, static_cast<uint8_t>(d.last_decision));
  w.Bytes(kDevDecisionReason, d.decision_reason);
  return std::move(w).Finish();
}

const char* DecodeDevice(std::string_view in, DeviceRecord* out) {
  // Decoded in place (read on every request): *out is only valid when
  // nullptr comes back. The string fields share one assign below instead
  // of one inlined copy per case: this runs on every request, and its size
  // in the instruction cache is what it costs under load.
  DeviceRecord& r = *out;
  ResetInPlace(r);
  FieldReader reader(in);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    bool ok = true;
    std::string* text = nullptr;
    uint8_t small = 0;
    switch (tag) {
      case kDevUser: ok = ParseUint(v, &r.user); break;
      case kDevId: text = &r.device_id; break;
      case kDevType: text = &r.device_type; break;
      case kDevUserAgent: text = &r.user_agent; break;
      case kDevModel: text = &r.model; break;
      case kDevImei: text = &r.imei; break;
      case kDevFriendlyName: text = &r.friendly_name; break;
      case kDevOs: text = &r.os; break;
      case kDevOsLanguage: text = &r.os_language; break;
      case kDevPhoneNumber: text = &r.phone_number; break;
      case kDevMobileOperator: text = &r.mobile_operator; break;
      case kDevProtocolVersion: text = &r.protocol_version; break;
      case kDevFirstSeen: ok = ParseUint(v, &r.first_seen); break;
      case kDevLastSeen: ok = ParseUint(v, &r.last_seen); break;
      case kDevPolicyKey: ok = ParseUint(v, &r.policy_key); break;
      case kDevPendingPolicyKey: ok = ParseUint(v, &r.pending_policy_key); break;
      case kDevPolicyDigest: text = &r.policy_digest; break;
      case kDevAccess:
        ok = ParseUint(v, &small) && small <= 2;
        r.access = static_cast<DeviceRecord::Access>(small);
        break;
      case kDevWipe:
        ok = ParseUint(v, &small) && small <= 3;
        r.wipe = static_cast<DeviceRecord::Wipe>(small);
        break;
      case kDevLastDecision:
        ok = ParseUint(v, &small) && small <= 3;
        r.last_decision = static_cast<DeviceRecord::Decision>(small);
        break;
      case kDevDecisionReason: text = &r.decision_reason; break;
      default: break;
    }
    if (!ok) return kBadInteger;
    if (text != nullptr) text->assign(v);
  }
  return reader.why();
}

}  // namespace eas::storage
