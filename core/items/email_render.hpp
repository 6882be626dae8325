// A stored message into a Sync or Fetch answer's <ApplicationData>
// (MS-ASEMAIL, MS-ASAIRS), from its mail item (core/mail/mail_item.hpp)
// and, for a MIME body, its original bytes (the item's blob).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/items/item_class.hpp"
#include "core/mail/mime_record.hpp"

namespace eas::core::items {

void RenderEmail(wbxml::Writer& w, storage::Txn& txn, const StoredItem& item,
                 const RenderOptions& options, RenderScope scope);

// "Name" <address>, ... as Email:To/Cc/From/Reply-To carry them.
template <class Text>
std::string FormatAddresses(const std::vector<mail::BasicAddress<Text>>& list);
// Name; Name; ... (the address where there is no name): Email:DisplayTo.
template <class Text>
std::string DisplayNames(const std::vector<mail::BasicAddress<Text>>& list);
// The subject without its reply/forward prefixes (Email:ThreadTopic).
std::string_view ThreadTopic(std::string_view subject);

}  // namespace eas::core::items
