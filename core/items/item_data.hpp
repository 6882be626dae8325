// How an item (contact, event, task, note) is stored: the children of its
// ApplicationData as WBXML tokens, exactly as a phone sent them or an import
// produced them. Sync answers copy them straight into the response (no
// per-field work on the hot path), and what a phone sends is what it gets
// back. vCard/iCalendar conversion works on the decoded tree.
#pragma once

#include <string>
#include <string_view>

#include "base/status.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::items {

// The children of `application_data` as a self-contained token fragment
// (starts with SWITCH_PAGE, so it can be replayed inside any document).
std::string EncodeItemData(const wbxml::Element& application_data);

// Back to an ApplicationData element (AirSync page) with those children.
Result<wbxml::Element> DecodeItemData(std::string_view data);

}  // namespace eas::core::items
