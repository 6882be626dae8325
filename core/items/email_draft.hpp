// The Email class's drafts (MS-ASEMAIL 16.0/16.1, MS-ASAIRS attachments
// Add and Delete): a client's Add or Change in the Drafts folder made
// into a message (core/mail/draft.hpp) and stored there, or, with
// Email2:Send, sent by the path SendMail takes (core/mail/submit.hpp)
// and gone from Drafts.
#pragma once

#include "base/status.hpp"
#include "core/items/item_class.hpp"

namespace eas::core::items {

// ItemClass::Compose for the Email class. A Change of a message that is
// no draft (delivered mail moved into Drafts) is kPlain. Refused (Status 6
// with the reason): an attachment Delete
// naming no attachment of this draft, an attachment Add without content,
// a Send without recipients.
Status ComposeDraft(storage::Txn& txn, const ComposeInput& in,
                    const storage::ItemRecord* existing, Composed* out);

}  // namespace eas::core::items
