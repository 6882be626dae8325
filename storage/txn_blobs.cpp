// Blobs: large values written once (blobs), a small record per blob with
// the number of items that refer to it (blob_refs), and the user's names
// for them (blob_keys). Items share a blob instead of copying it; the item
// code counts references (txn_items.cpp), and the last reference to go
// takes the blob along. A blob put but never referred to goes at commit.
#include <string>

#include "storage/codec.hpp"
#include "storage/keys.hpp"
#include "storage/lmdb_txn.hpp"

namespace eas::storage {
namespace {

std::string BlobLabel(uint64_t blob) { return "blob " + std::to_string(blob); }

}  // namespace

Result<uint64_t> LmdbTxn::DoPutBlob(UserId user, std::string_view key, std::string_view bytes) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  if (key.size() > keys::kMaxBlobKeySize) {
    return Status::Invalid("blob key longer than " + std::to_string(keys::kMaxBlobKeySize) +
                           " bytes");
  }
  Result<UserRecord> owner = DoGetUserById(user);
  if (!owner.ok()) return owner.status();
  const std::string key_entry = keys::BlobKey(user, key);
  if (!key.empty()) {
    std::string_view unused;
    s = Get(dbs_.blob_keys, key_entry, &unused);
    if (s.ok()) return Status::Exists("user " + owner->name + " has a blob with this key");
    if (s.code() != Code::kNotFound) return s;
  }

  Result<uint64_t> id = BumpCounter(keys::Counter(keys::kNextBlobId));
  if (!id.ok()) return id.status();
  const std::string id_key = keys::Blob(*id);
  s = Put(dbs_.blobs, id_key, bytes);
  if (s.ok()) s = Put(dbs_.blob_refs, id_key, EncodeBlobRef(BlobRef{0, user, std::string(key)}));
  if (s.ok() && !key.empty()) s = Put(dbs_.blob_keys, key_entry, id_key);
  if (!s.ok()) return s;
  new_blobs_.push_back(*id);
  return *id;
}

Status LmdbTxn::DoViewBlob(uint64_t blob, std::string_view* out) {
  Status s = Get(dbs_.blobs, keys::Blob(blob), out);
  if (s.code() == Code::kNotFound) return Status::NotFound(BlobLabel(blob) + " not found");
  return s;
}

Result<uint64_t> LmdbTxn::DoFindBlob(UserId user, std::string_view key) {
  // No blob has an empty key, nor one too long to be stored.
  if (key.empty() || key.size() > keys::kMaxBlobKeySize) {
    return Status::NotFound("no blob with this key");
  }
  std::string_view value;
  Status s = Get(dbs_.blob_keys, keys::BlobKey(user, key), &value);
  if (s.code() == Code::kNotFound) {
    return Status::NotFound("user " + std::to_string(user) + " has no blob with this key");
  }
  if (!s.ok()) return s;
  if (value.size() != 8) return CorruptRecord("blob key of user " + std::to_string(user));
  return keys::LoadBE<uint64_t>(value, 0);
}

Status LmdbTxn::ReadBlobRef(uint64_t blob, BlobRef* out) {
  std::string_view value;
  Status s = Get(dbs_.blob_refs, keys::Blob(blob), &value);
  if (s.code() == Code::kNotFound) return Status::NotFound(BlobLabel(blob) + " not found");
  if (!s.ok()) return s;
  if (const char* why = DecodeBlobRef(value, out)) {
    return CorruptRecord("references of " + BlobLabel(blob) + ": " + why);
  }
  return Status::Ok();
}

Status LmdbTxn::RetainBlob(uint64_t blob) {
  BlobRef ref;
  Status s = ReadBlobRef(blob, &ref);
  if (!s.ok()) return s;
  ref.count += 1;
  return Put(dbs_.blob_refs, keys::Blob(blob), EncodeBlobRef(ref));
}

Status LmdbTxn::ReleaseBlob(uint64_t blob) {
  BlobRef ref;
  Status s = ReadBlobRef(blob, &ref);
  // An item naming a blob that is gone (a damaged store) must still be
  // deletable: there is nothing left to release.
  if (s.code() == Code::kNotFound) return Status::Ok();
  if (!s.ok()) return s;
  if (ref.count > 1) {
    ref.count -= 1;
    return Put(dbs_.blob_refs, keys::Blob(blob), EncodeBlobRef(ref));
  }
  return DropBlob(blob, ref);
}

Status LmdbTxn::DropBlob(uint64_t blob, const BlobRef& ref) {
  const std::string id_key = keys::Blob(blob);
  Status s = Del(dbs_.blobs, id_key);
  if (s.ok() || s.code() == Code::kNotFound) s = Del(dbs_.blob_refs, id_key);
  if (!s.ok() && s.code() != Code::kNotFound) return s;
  if (ref.key.empty()) return Status::Ok();
  // The key entry goes only if it still names this blob: DeleteUser drops
  // the entries of a user whose blobs other users' items keep alive.
  const std::string key_entry = keys::BlobKey(ref.owner, ref.key);
  std::string_view named;
  s = Get(dbs_.blob_keys, key_entry, &named);
  if (s.code() == Code::kNotFound || (s.ok() && named != id_key)) return Status::Ok();
  if (s.ok()) s = Del(dbs_.blob_keys, key_entry);
  return s;
}

Status LmdbTxn::DoDropUnclaimedBlobs() {
  for (uint64_t blob : new_blobs_) {
    BlobRef ref;
    Status s = ReadBlobRef(blob, &ref);
    if (s.code() == Code::kNotFound) continue;  // its last item went already
    if (s.ok() && ref.count == 0) s = DropBlob(blob, ref);
    if (!s.ok()) return s;
  }
  new_blobs_.clear();
  return Status::Ok();
}

}  // namespace eas::storage
