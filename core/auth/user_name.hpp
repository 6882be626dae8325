// One account, three spellings: "user", "user@domain", "DOMAIN\user".
#pragma once

#include <string>
#include <string_view>

namespace eas::core::auth {

// The account name the store knows: domain part dropped, lower-cased.
// "CORP\\Alice" → "alice"; "Alice@example.org" → "alice"; "" → "".
std::string CanonicalUserName(std::string_view login);

}  // namespace eas::core::auth
