#include "core/mail/file_reference.hpp"

#include <charconv>

namespace eas::core::mail {
namespace {

// One decimal field ending at `stop` (or the end); no sign, no leading
// zeros, no empty field, so each reference has one spelling.
template <class T>
bool Field(std::string_view& in, char stop, T& out) {
  size_t end = stop == '\0' ? in.size() : in.find(stop);
  if (end == std::string_view::npos || end == 0) return false;
  std::string_view digits = in.substr(0, end);
  if (digits.size() > 1 && digits.front() == '0') return false;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (ec != std::errc() || p != digits.data() + digits.size()) return false;
  in.remove_prefix(stop == '\0' ? end : end + 1);
  return true;
}

}  // namespace

std::string FormatFileReference(const FileReference& ref) {
  return std::to_string(ref.folder) + ':' + std::to_string(ref.item) + ':' +
         std::to_string(ref.part);
}

std::optional<FileReference> ParseFileReference(std::string_view text) {
  FileReference ref;
  if (!Field(text, ':', ref.folder) || !Field(text, ':', ref.item) ||
      !Field(text, '\0', ref.part) || !text.empty()) {
    return std::nullopt;
  }
  return ref;
}

}  // namespace eas::core::mail
