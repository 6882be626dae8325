// A few header fields read straight from a message's bytes, without a MIME
// parser: what the auto-reply decision looks at (List-Id, Precedence,
// Auto-Submitted...) and eas-deliver's Return-Path. Only the top header
// block is read (up to the first empty line).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace eas::core::mail {

// Calls fn(name, value) for each field in order: the value unfolded
// (continuation lines joined), white space trimmed at both ends; fn
// returns false to stop. A line that is no field (no colon) ends the block.
void ForEachHeader(std::string_view message,
                   const std::function<bool(std::string_view name, std::string_view value)>& fn);

// The value of the first field named `name` (any letter case), if any.
std::optional<std::string> FirstHeader(std::string_view message, std::string_view name);

// ASCII letter case ignored.
bool SameText(std::string_view a, std::string_view b);

}  // namespace eas::core::mail
