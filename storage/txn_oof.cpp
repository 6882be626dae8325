// Out of office: the user's setting and the senders the automatic reply
// went to, under one per-user prefix of the oof database.
#include <string>

#include "storage/codec.hpp"
#include "storage/guard.hpp"
#include "storage/keys.hpp"
#include "storage/lmdb_txn.hpp"

namespace eas::storage {

Result<OofRecord> LmdbTxn::GetOof(UserId user) {
  return Guard([&]() -> Result<OofRecord> {
    std::string_view value;
    Status s = Get(dbs_.oof, keys::Oof(user), &value);
    if (s.code() == Code::kNotFound) {
      return Status::NotFound("user " + std::to_string(user) + " has no out-of-office setting");
    }
    if (!s.ok()) return s;
    OofRecord record;
    if (const char* why = DecodeOof(value, &record)) {
      return CorruptRecord("out-of-office setting of user " + std::to_string(user) + ": " + why);
    }
    return record;
  });
}

Status LmdbTxn::PutOof(UserId user, const OofRecord& record) {
  return Guard([&]() -> Status {
    Status s = CheckWritable();
    if (!s.ok()) return s;
    // Replied-to senders sort after the setting ('r' > 'o'): a new
    // setting forgets them, so everyone gets the new message once.
    std::string replied = keys::User(user);
    replied.push_back('r');
    s = DelPrefix(dbs_.oof, replied);
    if (!s.ok()) return s;
    return Put(dbs_.oof, keys::Oof(user), EncodeOof(record));
  });
}

Result<bool> LmdbTxn::NoteAutoReply(UserId user, std::string_view sender, uint64_t now,
                                    uint64_t interval) {
  return Guard([&]() -> Result<bool> {
    Status s = CheckWritable();
    if (!s.ok()) return s;
    if (sender.empty() || sender.size() > keys::kMaxSenderSize) {
      return Status::Invalid("a sender replied to must have 1 to " +
                             std::to_string(keys::kMaxSenderSize) + " bytes");
    }
    const std::string key = keys::OofReplied(user, sender);
    std::string_view value;
    s = Get(dbs_.oof, key, &value);
    if (s.ok() && value.size() == 8) {
      const uint64_t last = keys::LoadBE<uint64_t>(value, 0);
      if (now < last || now - last < interval) return false;  // a clock set back: still replied
    } else if (!s.ok() && s.code() != Code::kNotFound) {
      return s;
    }
    std::string when;
    keys::AppendBE64(&when, now);
    s = Put(dbs_.oof, key, when);
    if (!s.ok()) return s;
    return true;
  });
}

}  // namespace eas::storage
