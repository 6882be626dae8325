// The out-of-office reply itself (RFC 3834, section 3): From the user, To
// the sender, Subject "Auto: " and the original's, In-Reply-To and
// References naming the original, `Auto-Submitted: auto-replied`, and the
// user's text as text/plain or text/html in UTF-8. Plain bytes, no MIME
// library: the message is small and made while a delivery's write
// transaction is open.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/mail/mime_record.hpp"
#include "core/mail/submission.hpp"
#include "storage/records.hpp"

namespace eas::core::mail {

std::string BuildAutoReply(const SenderIdentity& from, std::string_view to,
                           const MessageRecord& original, const storage::OofMessage& reply,
                           uint64_t now);

// Header text as RFC 2047 encoded-words (UTF-8, base64) when it is not
// plain printable ASCII; as it is otherwise. Folded lines keep each word
// within 75 characters.
std::string EncodeHeaderText(std::string_view utf8);

}  // namespace eas::core::mail
