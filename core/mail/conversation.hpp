// Which conversation a message belongs to (MS-ASEMAIL ConversationId and
// ConversationIndex, computed as MS-OXOMSG 2.2.1.2 says for mail that does
// not track an Outlook conversation index): the MD5 of the upper-cased
// UTF-16LE normalized subject, so every reply and forward of a thread,
// from any mail program, lands in the same conversation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace eas::core::mail {

// The subject without its reply/forward prefixes ("Re:", "AW:", "Fwd:",
// "SV:", ...), repeated, and the spaces before it.
std::string_view NormalizedSubject(std::string_view subject);

// 16 bytes; empty for an empty normalized subject (no conversation).
std::string ConversationIdOf(std::string_view subject);

// The message's Thread-Index header decoded when it is a valid conversation
// index (a 22-byte header starting 0x01, then 5-byte child blocks); else a
// header of our own: 0x01, the top five bytes of the date as a FILETIME,
// and the conversation id. Empty when there is no conversation id either.
std::string ConversationIndexOf(std::string_view thread_index_header, uint64_t date,
                                std::string_view conversation_id);

}  // namespace eas::core::mail
