#include "core/mail/file_name.hpp"

#include <algorithm>

namespace eas::core::mail {

std::string TerminalFileName(std::string name) {
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name.erase(0, slash + 1);
  // A NUL or line break would end or split the name in a header, a log line
  // or a phone's file system.
  std::erase_if(name, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  size_t first = name.find_first_not_of(' ');
  size_t last = name.find_last_not_of(' ');
  name = first == std::string::npos ? std::string() : name.substr(first, last - first + 1);
  if (name == "." || name == "..") name.clear();
  return name;
}

}  // namespace eas::core::mail
