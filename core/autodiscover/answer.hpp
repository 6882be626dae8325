// A request to a location with `eas_autodiscover on`: which flavour it is,
// whether it needs credentials, and its answer.
#pragma once

#include <string_view>

#include "core/autodiscover/endpoint.hpp"
#include "core/http_exchange.hpp"
#include "storage/records.hpp"

namespace eas::core::autodiscover {

// The $eas_cmd label of each flavour ("Autodiscover", "AutodiscoverV2",
// "AppleProfile"; empty for an unknown path).
std::string_view CommandLabel(Endpoint endpoint);

// AutodiscoverV2 tells anyone the URL (no secret there); the others answer
// with the user's own addresses, so they need Basic credentials.
bool NeedsCredentials(Endpoint endpoint);

// Fills `r`. `user`: the authenticated user (null for the V2 lookup).
void Answer(const Request& request, Endpoint endpoint, const storage::UserRecord* user,
            Response& r);

}  // namespace eas::core::autodiscover
