#include "core/collection_state.hpp"

#include "core/util/text_record.hpp"

namespace eas::core {

// "C1 <key> <seen_modseq> <replays> <blob request key> <blob, empty>
//  <n> (<blob client id> <blob server id>)... <n> (<item> <modseq>)..."
std::string EncodeCollectionState(const CollectionState& s) {
  util::TextRecordWriter w("C1");
  w.Number(s.key).Number(s.seen_modseq).Number(s.replays);
  w.Blob(s.last_request_key).Blob("").Number(s.client_ids.size());  // "": was the answer
  for (const auto& [client, server] : s.client_ids) w.Blob(client).Blob(server);
  w.Number(s.own_changes.size());
  for (const auto& [item, modseq] : s.own_changes) w.Number(item).Number(modseq);
  return w.Take();
}

std::optional<CollectionState> DecodeCollectionState(std::string_view bytes) {
  util::TextRecordReader r(bytes);
  CollectionState s;
  uint64_t n = 0;
  std::string unused_answer;  // older states carried the last answer here
  if (!r.Magic("C1") || !r.Number(s.key) || !r.Number(s.seen_modseq) ||
      !r.Number(s.replays) || !r.Blob(s.last_request_key) || !r.Blob(unused_answer) ||
      !r.Number(n) || n > r.remaining()) {
    return std::nullopt;
  }
  s.client_ids.resize(n);
  for (auto& [client, server] : s.client_ids) {
    if (!r.Blob(client) || !r.Blob(server)) return std::nullopt;
  }
  if (!r.Number(n) || n > r.remaining()) return std::nullopt;
  s.own_changes.resize(n);
  for (auto& [item, modseq] : s.own_changes) {
    if (!r.Number(item) || !r.Number(modseq)) return std::nullopt;
  }
  if (!r.AtEnd()) return std::nullopt;
  return s;
}

}  // namespace eas::core
