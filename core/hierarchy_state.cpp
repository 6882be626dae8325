#include "core/hierarchy_state.hpp"

#include "core/util/text_record.hpp"

namespace eas::core {

// "H1 <key> <seen_seq> <n> <own>... <blob last_request_key> <blob last_response>"
std::string EncodeHierarchyState(const HierarchyState& s) {
  util::TextRecordWriter w("H1");
  w.Number(s.key).Number(s.seen_seq).Number(s.own_seqs.size());
  for (uint64_t seq : s.own_seqs) w.Number(seq);
  w.Blob(s.last_request_key).Blob(s.last_response);
  return w.Take();
}

std::optional<HierarchyState> DecodeHierarchyState(std::string_view bytes) {
  util::TextRecordReader r(bytes);
  HierarchyState s;
  uint64_t n = 0;
  if (!r.Magic("H1") || !r.Number(s.key) || !r.Number(s.seen_seq) || !r.Number(n) ||
      n > r.remaining()) {
    return std::nullopt;
  }
  s.own_seqs.resize(n);
  for (auto& seq : s.own_seqs) {
    if (!r.Number(seq)) return std::nullopt;
  }
  if (!r.Blob(s.last_request_key) || !r.Blob(s.last_response) || !r.AtEnd()) {
    return std::nullopt;
  }
  return s;
}

}  // namespace eas::core
