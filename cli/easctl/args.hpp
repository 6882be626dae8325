// easctl's parsed command line and the helpers every command shares.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace eas::cli {

struct Args {
  std::vector<std::string> positional;
  std::vector<std::string> emails;
  std::string store = "/var/lib/eas";
  std::string password, display_name, user;
  std::string type, with, folder, output;  // folder/share/import/export options
  bool has_password = false, password_stdin = false, json = false;
  bool read_only = false, read_write = false, vcard4 = false;
  bool pending = false, all_pending = false, account_only = false;  // device ...
  // user set: the directory fields given (an empty value clears one).
  std::optional<std::string> first_name, last_name, phone, mobile_phone, home_phone, company,
      title, office, alias, picture;
  bool no_picture = false;
};

// Prints the usage text to stderr; returns the exit status 2.
int Usage();
// Prints "easctl: message" to stderr; returns the exit status 1.
int Fail(const std::string& message);

}  // namespace eas::cli
