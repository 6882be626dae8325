#include "core/collection_state.hpp"

#include <charconv>

#include "core/util/text_record.hpp"
#include "storage/store.hpp"

namespace eas::core {

// "C5 <key> <seen_modseq> <initial> <snapshot> <cursor> <replays>
//  <blob request key> <blob, empty>
//  <n> (<blob client id> <blob server id>)... <n> (<item> <modseq>)...
//  <cursor time> <blob options> <oldest held> <age at> <blob supported>";
// C4 (before ghosting) is the same without the last, read as none; C3 (before
// SoftDelete) is the same without the last two, read as 0 (the oldest
// held item unknown: the next write pass looks) and never; C2 (before
// the walk by time and sticky options) also without the two before,
// read as 0 and none.
// C1 states (before devices' holdings were kept) do not decode: such a
// device is told to resync (Status 3) rather than sent wrong commands.
std::string EncodeCollectionState(const CollectionState& s) {
  util::TextRecordWriter w("C5");
  w.Number(s.key).Number(s.seen_modseq).Number(s.initial ? 1 : 0).Number(s.snapshot);
  w.Number(s.cursor).Number(s.replays);
  w.Blob(s.last_request_key).Blob("").Number(s.client_ids.size());  // "": was the answer
  for (const auto& [client, server] : s.client_ids) w.Blob(client).Blob(server);
  w.Number(s.own_changes.size());
  for (const auto& [item, modseq] : s.own_changes) w.Number(item).Number(modseq);
  w.Number(s.cursor_time).Blob(s.options).Number(s.oldest_held).Number(s.age_at);
  w.Blob(s.supported);
  return w.Take();
}

bool DecodeCollectionState(std::string_view bytes, CollectionState* out) {
  // Every field is assigned, so a reused *out keeps nothing of before.
  CollectionState& s = *out;
  util::TextRecordReader r(bytes);
  uint64_t n = 0;
  std::string_view unused_answer;  // older states carried the last answer here
  uint64_t initial = 0;
  const bool c5 = r.Magic("C5");
  const bool c4 = c5 || r.Magic("C4");
  const bool c3 = c4 || r.Magic("C3");
  if (!(c3 || r.Magic("C2")) || !r.Number(s.key) || !r.Number(s.seen_modseq) || !r.Number(initial) ||
      initial > 1 || !r.Number(s.snapshot) || !r.Number(s.cursor) || !r.Number(s.replays) || !r.Blob(s.last_request_key) || !r.Blob(unused_answer) ||
      !r.Number(n) || n > r.remaining()) {
    return false;
  }
  s.initial = initial == 1;
  s.client_ids.resize(n);
  for (auto& [client, server] : s.client_ids) {
    if (!r.Blob(client) || !r.Blob(server)) return false;
  }
  if (!r.Number(n) || n > r.remaining()) return false;
  s.own_changes.resize(n);
  for (auto& [item, modseq] : s.own_changes) {
    if (!r.Number(item) || !r.Number(modseq)) return false;
  }
  s.cursor_time = 0;
  s.options.clear();
  if (c3 && (!r.Number(s.cursor_time) || !r.Blob(s.options))) return false;
  s.oldest_held = 0;
  s.age_at = UINT64_MAX;
  if (c4 && (!r.Number(s.oldest_held) || !r.Number(s.age_at))) return false;
  s.supported.clear();
  if (c5 && !r.Blob(s.supported)) return false;
  return r.AtEnd();
}

bool CollectionState::IsKey(std::string_view text) const {
  char digits[20];
  auto end = std::to_chars(digits, digits + sizeof digits, key).ptr;
  return text == std::string_view(digits, static_cast<size_t>(end - digits));
}

Status LoadCollectionState(storage::Txn& txn, storage::UserId user, std::string_view device_id,
                           std::string_view collection, CollectionState* state, bool* found) {
  std::string_view bytes;
  Status s = txn.ViewSyncState(user, device_id, collection, &bytes);
  *found = s.ok() && DecodeCollectionState(bytes, state);
  return s.ok() || s.code() == Code::kNotFound ? Status::Ok() : s;
}

}  // namespace eas::core
