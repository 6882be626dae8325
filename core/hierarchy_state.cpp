#include "core/hierarchy_state.hpp"

#include <charconv>

namespace eas::core {
namespace {

// Layout: "H1 <key> <seen_seq> <n> <own>... <keylen>:<key><resplen>:<resp>"
// Text numbers keep it readable in a store dump; lengths make it binary-safe.
void AppendBlob(std::string& out, std::string_view blob) {
  out += std::to_string(blob.size());
  out += ':';
  out.append(blob);
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Number(uint64_t& v) {
    while (!in_.empty() && in_.front() == ' ') in_.remove_prefix(1);
    auto [p, ec] = std::from_chars(in_.data(), in_.data() + in_.size(), v);
    if (ec != std::errc()) return false;
    in_.remove_prefix(p - in_.data());
    return true;
  }
  bool Blob(std::string& out) {
    uint64_t n = 0;
    if (!Number(n) || in_.empty() || in_.front() != ':') return false;
    in_.remove_prefix(1);
    if (n > in_.size()) return false;
    out.assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return true;
  }
  bool Literal(std::string_view s) {
    if (in_.substr(0, s.size()) != s) return false;
    in_.remove_prefix(s.size());
    return true;
  }
  bool AtEnd() const { return in_.empty(); }

 private:
  std::string_view in_;
};

}  // namespace

std::string EncodeHierarchyState(const HierarchyState& s) {
  std::string out = "H1 " + std::to_string(s.key) + ' ' +
                    std::to_string(s.seen_seq) + ' ' +
                    std::to_string(s.own_seqs.size());
  for (uint64_t seq : s.own_seqs) out += ' ' + std::to_string(seq);
  out += ' ';
  AppendBlob(out, s.last_request_key);
  AppendBlob(out, s.last_response);
  return out;
}

std::optional<HierarchyState> DecodeHierarchyState(std::string_view bytes) {
  Reader r(bytes);
  HierarchyState s;
  uint64_t n = 0;
  if (!r.Literal("H1") || !r.Number(s.key) || !r.Number(s.seen_seq) ||
      !r.Number(n) || n > bytes.size()) {
    return std::nullopt;
  }
  s.own_seqs.resize(n);
  for (auto& seq : s.own_seqs) {
    if (!r.Number(seq)) return std::nullopt;
  }
  if (!r.Literal(" ") || !r.Blob(s.last_request_key) ||
      !r.Blob(s.last_response) || !r.AtEnd()) {
    return std::nullopt;
  }
  return s;
}

}  // namespace eas::core
