// An attachment's file name as a receiver may use it.
#pragma once

#include <string>

namespace eas::core::mail {

// The terminal component of a sender's file name (RFC 2183 2.3: directory
// parts are never to be respected): what follows the last '/' or '\',
// without control characters; "" for a name that is nothing else (".",
// "..", empty), which the reader then names itself.
std::string TerminalFileName(std::string name);

}  // namespace eas::core::mail
