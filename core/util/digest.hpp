// SHA-256 and MD5 of a byte string, as raw digests: the names messages
// get in a mailbox (core/mail/delivery), ConversationId (MS-ASEMAIL's MD5
// of the topic) and a MoveItems replay's request digest.
#pragma once

#include <string>
#include <string_view>

namespace eas::core::util {

std::string Sha256(std::string_view bytes);  // 32 bytes
std::string Md5(std::string_view bytes);     // 16 bytes

}  // namespace eas::core::util
