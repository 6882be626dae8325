// The MS-ASCMD Autodiscover command (2.2.1.1): plain XML, not WBXML. A
// request names an e-mail address and the response schema it accepts; the
// answer carries the ActiveSync URL, or an error in one of the two shapes
// the response schema allows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.hpp"

namespace eas::core::autodiscover {

inline constexpr std::string_view kMobileSyncResponseSchema =
    "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006";

struct MobileSyncRequest {
  std::string email;
  std::string acceptable_schema;
};

// Reads the request document. Invalid when it is not XML, not an
// Autodiscover/Request document, has more than one Request or lacks the
// e-mail address (the answer to that is ErrorCode 600). DTDs and entities
// are neither loaded nor expanded.
Result<MobileSyncRequest> ParseMobileSyncRequest(std::string_view xml);

// Success: the user and the MobileSync server (Url and Name both carry
// the URL, as MS-ASCMD's example does).
std::string MobileSyncSettings(std::string_view display_name, std::string_view email,
                               std::string_view activesync_url);

// ErrorCode 600 (invalid request) or 601 (no provider for the schema asked
// for), in the response schema's own Response element. `now` stamps the
// Time attribute; `id` the Id one.
std::string MobileSyncRequestError(int error_code, std::string_view message, uint64_t now,
                                   uint32_t id);

// An error about the user (Action/Error, Status 2 "protocol error"), e.g.
// an address that is not the authenticated user's.
std::string MobileSyncUserError(std::string_view email, std::string_view message);

}  // namespace eas::core::autodiscover
