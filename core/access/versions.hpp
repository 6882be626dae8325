// eas_max_protocol_version: the highest protocol version offered to a kind
// of client (a map on $http_user_agent decides per request).
#pragma once

#include <string>
#include <string_view>

namespace eas::core::access {

// kProtocolVersions without those above `max` ("14.1" → "2.5,...,14.1").
// An empty or unknown `max` limits nothing.
std::string OfferedVersions(std::string_view max);

// True when `version` (a supported one) is above a known `max`.
bool AboveMaxVersion(std::string_view version, std::string_view max);

}  // namespace eas::core::access
