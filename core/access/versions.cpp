#include "core/access/versions.hpp"

#include "core/protocol.hpp"

namespace eas::core::access {

std::string OfferedVersions(std::string_view max) {
  const int limit = VersionNumber(max);
  if (limit == 0) return std::string(kProtocolVersions);
  std::string out;
  std::string_view all = kProtocolVersions;
  while (!all.empty()) {
    size_t comma = all.find(',');
    std::string_view v = all.substr(0, comma);
    all = comma == std::string_view::npos ? std::string_view() : all.substr(comma + 1);
    if (VersionNumber(v) > limit) continue;
    if (!out.empty()) out += ',';
    out += v;
  }
  return out;
}

bool AboveMaxVersion(std::string_view version, std::string_view max) {
  const int limit = VersionNumber(max);
  return limit != 0 && VersionNumber(version) > limit;
}

}  // namespace eas::core::access
