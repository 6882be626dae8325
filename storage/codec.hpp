// Encoding of record values. Every value is
//
//   version byte (kFormatVersion) · field* · 0x00
//   field = tag byte (1..255) · LEB128 length · bytes
//
// Integers are LEB128 varints inside their field, repeated tags form lists
// (addresses, ACL entries), a nested record is a field list without version
// byte or end marker. A decoder skips tags it does not know and leaves
// missing fields at their defaults, so a field can be added later without a
// migration; only an incompatible change bumps the version byte. The end
// marker catches a value cut short at a field boundary.
//
// Decoders never trust their input: on malformed bytes they return a static
// reason ("truncated field", ...) instead of crashing; nullptr means success.
// The caller turns the reason into CorruptRecord(...).
#pragma once

#include <string>
#include <string_view>

#include "storage/records.hpp"

namespace eas::storage {

inline constexpr unsigned char kFormatVersion = 1;

std::string EncodeUser(const UserRecord& user);
const char* DecodeUser(std::string_view in, UserRecord* out);

std::string EncodeFolder(const FolderRecord& folder);
const char* DecodeFolder(std::string_view in, FolderRecord* out);

std::string EncodeItem(const ItemRecord& item);
const char* DecodeItem(std::string_view in, ItemRecord* out);
// The same with the data a view into `in`.
const char* DecodeItem(std::string_view in, ItemView* out);
// Only the item's blob id (0 when none), without copying its data: a
// folder's deletion reads this from every item.
const char* DecodeItemBlob(std::string_view in, uint64_t* blob);

// The blob_refs value of a blob (private to storage/): how many items
// refer to it, and the (owner, key) of its blob_keys entry, so the entry
// goes with it. Apart from the bytes, so a reference costs a small write.
struct BlobRef {
  uint64_t count = 0;
  UserId owner = 0;
  std::string key;  // empty: no blob_keys entry
};

std::string EncodeBlobRef(const BlobRef& ref);
const char* DecodeBlobRef(std::string_view in, BlobRef* out);

std::string EncodeHierarchyChange(const HierarchyChange& change);
const char* DecodeHierarchyChange(std::string_view in, HierarchyChange* out);

std::string EncodeItemChange(const ItemChange& change);
const char* DecodeItemChange(std::string_view in, ItemChange* out);

std::string EncodeDevice(const DeviceRecord& device);
const char* DecodeDevice(std::string_view in, DeviceRecord* out);

// codec_outgoing.cpp
std::string EncodeOutgoing(const OutgoingRecord& record);
const char* DecodeOutgoing(std::string_view in, OutgoingRecord* out);

// codec_oof.cpp
std::string EncodeOof(const OofRecord& record);
const char* DecodeOof(std::string_view in, OofRecord* out);

}  // namespace eas::storage
