#include "core/collection_state.hpp"

#include "core/util/text_record.hpp"

namespace eas::core {

// "C1 <key> <seen_modseq> <replays> <blob request key> <blob response>
//  <n> (<blob client id> <blob server id>)..."
std::string EncodeCollectionState(const CollectionState& s) {
  util::TextRecordWriter w("C1");
  w.Number(s.key).Number(s.seen_modseq).Number(s.replays);
  w.Blob(s.last_request_key).Blob(s.last_response).Number(s.client_ids.size());
  for (const auto& [client, server] : s.client_ids) w.Blob(client).Blob(server);
  return w.Take();
}

std::optional<CollectionState> DecodeCollectionState(std::string_view bytes) {
  util::TextRecordReader r(bytes);
  CollectionState s;
  uint64_t n = 0;
  if (!r.Magic("C1") || !r.Number(s.key) || !r.Number(s.seen_modseq) ||
      !r.Number(s.replays) || !r.Blob(s.last_request_key) || !r.Blob(s.last_response) ||
      !r.Number(n) || n > r.remaining()) {
    return std::nullopt;
  }
  s.client_ids.resize(n);
  for (auto& [client, server] : s.client_ids) {
    if (!r.Blob(client) || !r.Blob(server)) return std::nullopt;
  }
  if (!r.AtEnd()) return std::nullopt;
  return s;
}

}  // namespace eas::core
