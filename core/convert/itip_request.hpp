// The organizer's side of iTIP (RFC 5546 3.2.2, 3.2.5): a Calendar item
// the user organizes as the invitation its attendees get (METHOD:REQUEST)
// or the cancellation (METHOD:CANCEL), through the same export as easctl's
// (EventToICal: zones, recurrence, exceptions), with what iTIP adds: the
// organizer, SEQUENCE, and every attendee asked to answer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::convert {

struct ItipRequestOptions {
  bool cancel = false;  // METHOD:CANCEL (STATUS:CANCELLED) instead of REQUEST
  int sequence = 0;
  std::string organizer_email, organizer_name;
  std::string fallback_uid;  // for an item without UID
  int64_t dtstamp = 0;       // when it was sent
};

// kInvalidArgument when the item has no readable StartTime.
Result<std::string> ItipRequestText(const wbxml::Element& application_data,
                                    const ItipRequestOptions& options);

}  // namespace eas::core::convert
