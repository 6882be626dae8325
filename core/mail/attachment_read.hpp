// An attachment named by its FileReference (Email:AttName before 12.0),
// read for the user who asks: ItemOperations Fetch and GetAttachment hand
// out the same bytes under the same rule (the folder must be one the user
// may read, or for them the attachment does not exist).
#pragma once

#include <string>
#include <string_view>

#include "base/status.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::mail {

struct Attachment {
  std::string content_type;  // "type/subtype" as delivered, lower case; may be empty
  std::string charset;       // as declared, "" if none
  std::string bytes;         // with the transfer encoding undone
};

// kNotFound, with the reason fit for a log line, when `reference` names
// nothing this user may have: not a reference of ours, no such message or
// part, a folder that is not theirs, the message's bytes gone.
// kInvalidArgument when the stored record does not fit the message's bytes.
// Any other code: the store failed.
Result<Attachment> ReadAttachment(storage::Txn& txn, storage::UserId user,
                                  std::string_view reference);

}  // namespace eas::core::mail
