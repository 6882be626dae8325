// SourceAdditions put into a message being sent, with GMime (included only
// by core/mail/submission.cpp, which parses the message once for both).
#pragma once

#include "core/mail/gmime_handles.hpp"
#include "core/mail/source_additions.hpp"

namespace eas::core::mail {

// In-Reply-To and References when the client set none; the plain quote at
// the end of the body's text/plain part and the HTML quote at the end of
// its text/html part (both parts of an alternative; the first body of a
// mixed or related message), each part rewritten as UTF-8 text in a 7-bit
// transfer encoding; the attachments beside the body (the message becomes
// multipart/mixed when it was not).
void AddSource(GMimeMessage* message, const SourceAdditions& what);

}  // namespace eas::core::mail
