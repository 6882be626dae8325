// What a reply or forward takes from the message it answers, ready to be
// added to the user's MIME (core/mail/submission): threading headers, the
// quoted original, and a forward's attachments. Plain data, made from the
// stored record by core/mail/source_message.
#pragma once

#include <string>
#include <vector>

namespace eas::core::mail {

// One of the original's attachments, its transfer encoding undone.
struct ForwardedPart {
  std::string content_type;  // "type/subtype", lower case
  std::string charset;       // as the original declared it; "" if none
  std::string file_name;     // UTF-8; "" if none
  std::string content_id;    // without angle brackets; "" if none
  bool inline_part = false;  // Content-Disposition inline (an image the HTML shows)
  std::string bytes;
};

struct SourceAdditions {
  std::string in_reply_to;              // without angle brackets; "" for none
  std::vector<std::string> references;  // oldest first, without angle brackets
  std::string plain_quote;              // appended to the text/plain body; "" for none
  std::string html_quote;               // put at the end of the text/html body
  std::vector<ForwardedPart> attachments;
};

}  // namespace eas::core::mail
