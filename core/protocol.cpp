#include "core/protocol.hpp"

namespace eas::core {

int VersionNumber(std::string_view version) {
  static constexpr struct { std::string_view name; int number; } kKnown[] = {
      {"2.5", 25},   {"12.0", 120}, {"12.1", 121}, {"14.0", 140},
      {"14.1", 141}, {"16.0", 160}, {"16.1", 161},
  };
  for (const auto& v : kKnown) {
    if (v.name == version) return v.number;
  }
  return 0;
}

bool IsSupportedVersion(std::string_view version) {
  return VersionNumber(version) != 0;
}

}  // namespace eas::core
