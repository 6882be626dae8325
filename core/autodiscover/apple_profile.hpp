// An Apple configuration profile with one Exchange ActiveSync account
// payload (com.apple.eas.account): iPhones since iOS 11 often skip
// Autodiscover, and opening this file in Safari sets the account up with
// only the password left to type. Unsigned: iOS shows it as "Not Signed".
#pragma once

#include <string>
#include <string_view>

namespace eas::core::autodiscover {

struct AppleProfileAccount {
  std::string_view email;         // the account's address
  std::string_view login;         // the user name the phone sends
  std::string_view display_name;  // may be empty
  std::string_view activesync_url;
};

// The profile (an XML property list). The payload UUIDs are derived from
// the login and the URL, so installing it again replaces the account
// rather than adding a second one.
std::string AppleProfile(const AppleProfileAccount& account);

// "host" or "host:port" of an http(s) URL; `ssl` says whether it is https.
std::string HostOfUrl(std::string_view url, bool* ssl);

}  // namespace eas::core::autodiscover
