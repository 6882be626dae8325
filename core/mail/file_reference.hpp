// An attachment's name on the wire (AirSyncBase:FileReference, Email:AttName
// before 12.0): "<folder>:<item>:<part>", the message's ServerId and the
// index of the part in its record's part table. It names the part of one
// stored message, so ItemOperations Fetch finds the bytes without a search.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eas::core::mail {

struct FileReference {
  uint64_t folder = 0;
  uint64_t item = 0;
  uint32_t part = 0;
  bool operator==(const FileReference&) const = default;
};

std::string FormatFileReference(const FileReference& ref);
// nullopt for anything FormatFileReference cannot have written.
std::optional<FileReference> ParseFileReference(std::string_view text);

}  // namespace eas::core::mail
