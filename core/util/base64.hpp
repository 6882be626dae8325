// Base64 with the standard alphabet (RFC 4648 section 4), as MS-ASHTTP's
// binary query and our password hashes use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace eas::core::util {

// Standard alphabet, '=' padded to a multiple of four characters.
std::string Base64Encode(std::string_view data);

// The same without the trailing '=' (PHC-style strings, compact tokens).
std::string Base64EncodeUnpadded(std::string_view data);

// Decodes the standard alphabet. Padding is optional, but when present it
// must be exactly what completes the last quantum. Any other character
// (whitespace, '-', '_', '=' in the middle), a lone trailing character, or
// non-zero bits left over in the last character give nullopt, so every
// byte string has exactly one accepted unpadded spelling and one padded.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace eas::core::util
