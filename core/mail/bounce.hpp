// The non-delivery report a sender finds in their Inbox when the relay
// refused a message for good (RFC 3464's multipart/report shape).
#pragma once

#include <cstdint>
#include <string>

#include "storage/records.hpp"

namespace eas::core::mail {

// `reason`: what the relay said ("550 5.1.1 no such user"). The report
// names every recipient of `entry`, quotes the original's headers, and is
// marked Auto-Submitted so that no auto-reply answers it.
std::string BuildBounce(const storage::OutgoingRecord& entry, const std::string& reason,
                        uint64_t now);

}  // namespace eas::core::mail
