// What of a message the search index holds, one string per column: the
// words a user may look for (subject, who sent it, who got it, the text
// body, attachment file names), taken from the record made at delivery
// (core/mail/mime_record.hpp): indexing never parses MIME.
#pragma once

#include <string>

#include "core/mail/mime_record.hpp"

namespace eas::core::search {

struct IndexedText {
  std::string subject;
  std::string sender;      // From and Reply-To: names and addresses
  std::string recipients;  // To and Cc
  std::string body;        // the plain text (HTML converted at delivery)
  std::string attachments; // file names, one per line
};

IndexedText IndexedTextOf(const mail::MessageView& message);

}  // namespace eas::core::search
