// SendMail ClientIds per device and the outgoing queue: the two records
// mail out keeps besides the messages themselves.
#include <algorithm>
#include <string>
#include <utility>

#include "storage/codec.hpp"
#include "storage/keys.hpp"
#include "storage/lmdb_txn.hpp"

namespace eas::storage {
namespace {

std::string OutgoingLabel(uint64_t id) { return "outgoing message " + std::to_string(id); }

}  // namespace

Result<bool> LmdbTxn::DoRememberClientId(UserId user, std::string_view device_id,
                                         std::string_view client_id, uint64_t now,
                                         size_t keep) {
  Status s = CheckWritable();
  if (s.ok()) s = CheckDeviceId(device_id);
  if (!s.ok()) return s;
  if (client_id.empty() || client_id.size() > keys::kMaxClientIdSize) {
    return Status::Invalid("ClientId must have 1 to " + std::to_string(keys::kMaxClientIdSize) +
                           " bytes");
  }
  const std::string key = keys::ClientId(user, device_id, client_id);
  std::string_view value;
  s = Get(dbs_.client_ids, key, &value);
  if (s.ok()) return false;
  if (s.code() != Code::kNotFound) return s;
  std::string when;
  keys::AppendBE64(&when, now);
  s = Put(dbs_.client_ids, key, when);
  if (!s.ok()) return s;

  // Bounded: a device that sends for years keeps only its newest ids (a
  // retry comes within minutes, never after `keep` other messages).
  const std::string prefix = keys::Device(user, device_id);
  std::vector<std::pair<uint64_t, std::string>> used;
  s = Scan(dbs_.client_ids, prefix, prefix, [&](std::string_view k, std::string_view v) {
    used.emplace_back(v.size() == 8 ? keys::LoadBE<uint64_t>(v, 0) : 0, std::string(k));
    return true;
  });
  if (!s.ok()) return s;
  if (used.size() <= keep) return true;
  std::sort(used.begin(), used.end());
  for (size_t i = 0; i + keep < used.size(); ++i) {
    if (used[i].second == key) continue;  // the one just used stays
    s = Del(dbs_.client_ids, used[i].second);
    if (!s.ok()) return s;
  }
  return true;
}

Result<uint64_t> LmdbTxn::DoQueueOutgoing(OutgoingRecord record) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  if (record.recipients.empty()) return Status::Invalid("outgoing message without recipients");
  auto id = BumpCounter(keys::Counter(keys::kNextOutgoingId));
  if (!id.ok()) return id;
  record.id = *id;
  s = Put(dbs_.outgoing, keys::Blob(record.id), EncodeOutgoing(record));
  if (!s.ok()) return s;
  return record.id;
}

Result<OutgoingRecord> LmdbTxn::DoGetOutgoing(uint64_t id) {
  std::string_view value;
  Status s = Get(dbs_.outgoing, keys::Blob(id), &value);
  if (s.code() == Code::kNotFound) return Status::NotFound(OutgoingLabel(id) + " not found");
  if (!s.ok()) return s;
  OutgoingRecord record;
  if (const char* why = DecodeOutgoing(value, &record)) {
    return CorruptRecord(OutgoingLabel(id) + ": " + why);
  }
  return record;
}

Result<std::vector<OutgoingRecord>> LmdbTxn::DoListOutgoing(bool with_message) {
  std::vector<OutgoingRecord> out;
  Status failure;
  Status s = Scan(dbs_.outgoing, {}, {}, [&](std::string_view key, std::string_view value) {
    OutgoingRecord record;
    if (const char* why = DecodeOutgoing(value, &record)) {
      failure = CorruptRecord(
          OutgoingLabel(key.size() == 8 ? keys::LoadBE<uint64_t>(key, 0) : 0) + ": " + why);
      return false;
    }
    if (!with_message) record.message.clear();
    out.push_back(std::move(record));
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return out;
}

Status LmdbTxn::DoUpdateOutgoing(const OutgoingRecord& record) {
  Status s = CheckWritable();
  if (!s.ok()) return s;
  const std::string key = keys::Blob(record.id);
  std::string_view value;
  s = Get(dbs_.outgoing, key, &value);
  if (s.code() == Code::kNotFound) return Status::NotFound(OutgoingLabel(record.id) + " not found");
  if (!s.ok()) return s;
  return Put(dbs_.outgoing, key, EncodeOutgoing(record));
}

}  // namespace eas::storage
