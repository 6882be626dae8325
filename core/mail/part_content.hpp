// A part of a stored message read back: the bytes at its offsets in the
// original message with the transfer encoding undone (what a client saves
// when it opens an attachment).
#pragma once

#include <string>
#include <string_view>

#include "base/status.hpp"
#include "core/mail/mime_record.hpp"

namespace eas::core::mail {

// kInvalidArgument when the part's offsets lie outside `raw` (a record that
// does not belong to these bytes).
Result<std::string> DecodedPart(std::string_view raw, const Part& part);

}  // namespace eas::core::mail
