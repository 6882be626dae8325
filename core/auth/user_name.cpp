#include "core/auth/user_name.hpp"

namespace eas::core::auth {

// "DOMAIN\user" keeps what follows the last backslash; "user@domain" keeps
// what precedes the last '@' (a quoted local part may itself hold '@').
// Only ASCII letters are folded: folding UTF-8 needs a locale-free Unicode
// table we do not carry, and byte-wise tolower would corrupt it.
std::string CanonicalUserName(std::string_view login) {
  size_t slash = login.rfind('\\');
  if (slash != std::string_view::npos) login.remove_prefix(slash + 1);
  size_t at = login.rfind('@');
  if (at != std::string_view::npos) login = login.substr(0, at);
  std::string out(login);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace eas::core::auth
