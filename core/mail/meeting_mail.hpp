// Mail that carries iTIP (RFC 6047, iMIP): multipart/alternative with a
// line of text (or the user's own words) and the iCalendar as
// text/calendar; method=..., so the other side's mail program can apply
// it. The bytes go through PrepareSubmission like any message the user
// sends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/convert/itip_reply.hpp"
#include "core/mail/submission.hpp"

namespace eas::core::mail {

// The message from `from` to `to` with `text` and `ics` (its METHOD is
// `method`, upper case).
std::string ItipMail(const SenderIdentity& from, const std::vector<Address>& to,
                     const std::string& subject, const std::string& text, std::string_view method,
                     const std::string& ics, uint64_t now);

// An attendee's answer to the organizer (iTIP REPLY, "Accepted: ...").
// `text`: the body the user wrote (MeetingResponse's SendResponse), or
// empty for a line that says the answer.
std::string MeetingReplyMessage(const SenderIdentity& from, const convert::ItipReply& reply,
                                const std::string& text, uint64_t now);

}  // namespace eas::core::mail
