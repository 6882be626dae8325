// A draft a 16.x client writes in its Drafts folder (MS-ASEMAIL 16.0:
// Sync Add and Change with To, Cc, Email2:Bcc, Subject, Importance, the
// body and attachments), kept as a real message: its fields are made into
// RFC 5322 bytes, so every device, ItemOperations and a later Send see the
// same message. A Change reads the stored draft back into fields, changes
// them and makes the message again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/mail/mail_item.hpp"
#include "core/mail/source_additions.hpp"
#include "core/mail/submission.hpp"

namespace eas::core::mail {

struct Draft {
  std::string to, cc, bcc;  // address lists as the client writes them
  std::string subject;
  Importance importance = Importance::kNormal;
  bool html = false;        // the body is HTML (else plain text)
  std::string body;         // UTF-8
  std::vector<ForwardedPart> attachments;  // in the order the message has them
};

// The stored draft's fields: its record, state (Bcc) and original bytes;
// To and Cc are left to the caller, who writes address lists the way
// devices are sent them (items::FormatAddresses).
// kInvalidArgument when the record does not fit the bytes.
Result<Draft> ReadDraft(const MailItem& item, std::string_view raw);

// The draft as a message from `sender`: Date `now`, a Message-ID, the
// body as UTF-8 text, the attachments beside it (multipart/mixed), 8-bit
// header text RFC 2047-encoded, Bcc kept (what Sent Items gets when it is
// sent). kInvalidArgument when the fields make no message.
Result<std::string> DraftMessage(const Draft& draft, const SenderIdentity& sender, uint64_t now);

// The index in the record's part table of the draft's `n`th attachment
// (the message DraftMessage made, as BuildMessageRecord reads it); -1
// when it has fewer.
int AttachmentPartIndex(const MessageRecord& record, size_t n);

}  // namespace eas::core::mail
