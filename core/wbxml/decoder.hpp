// WBXML (1.3, UTF-8, ActiveSync public id) → Element tree.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/status.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::wbxml {

struct DecodeLimits {
  size_t max_depth = 32;        // deeper nesting is refused as absurd
  size_t max_elements = 200000;
};

// Decodes a whole document. Malformed or truncated input, attributes,
// literals, tokens not in libwbxml's ActiveSync table, more than one root,
// or limits exceeded give Code::kInvalidArgument with a message naming the
// byte offset. Never reads out of bounds (fuzzed in fuzz/).
Result<Element> Decode(std::string_view wbxml, const DecodeLimits& limits = {});
// The same into *out, a fresh Element (unspecified after an error): every
// request body is decoded, and this skips moving the tree.
Status Decode(std::string_view wbxml, Element* out, const DecodeLimits& limits = {});

}  // namespace eas::core::wbxml
