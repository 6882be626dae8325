// Protocol constants shared by the front door and the commands (MS-ASHTTP).
#pragma once

#include <string>
#include <string_view>

namespace eas::core {

// Versions we serve, as OPTIONS announces them (MS-ASProtocolVersions).
inline constexpr std::string_view kProtocolVersions =
    "2.5,12.0,12.1,14.0,14.1,16.0,16.1";

// The highest version, assumed when a client sends none.
inline constexpr std::string_view kDefaultProtocolVersion = "14.1";

// True for one of kProtocolVersions.
bool IsSupportedVersion(std::string_view version);

// "14.1" → 141; 0 for anything unsupported.
int VersionNumber(std::string_view version);

}  // namespace eas::core
