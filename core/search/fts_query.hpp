// What a user typed into a phone's search box, as an FTS5 MATCH expression
// over the index's columns (mail_index.hpp). Every word the user typed is
// quoted, so no text of theirs can become FTS5 syntax (a column filter,
// NEAR, NOT, a stray parenthesis): the expression's operators are only
// the ones this translation writes.
#pragma once

#include <string>
#include <string_view>

namespace eas::core::search {

enum class QuerySyntax {
  // Search's FreeText (MS-ASCMD 2.2.3.73): words, all of which must match,
  // each also as the start of a longer word; "a quoted phrase" matches
  // those words in a row (its last one also as a start). AND, OR and
  // "field:" are plain words here.
  kFreeText,
  // Find's Query (16.1, and what iOS sends): the same, plus OR and AND
  // between terms and a field in front of one: to:, cc:, bcc: (the
  // recipients), from:, subject:, body:, attachment: — e.g.
  // to:"x" OR cc:"x" OR from:"x" OR subject:"x" OR "x". A word ending in
  // ':' that names no field is a plain word.
  kFind,
};

// The MATCH expression, or "" when the text holds no word to look for (only
// spaces or punctuation): such a query matches nothing.
std::string FtsMatchExpression(std::string_view text, QuerySyntax syntax);

}  // namespace eas::core::search
