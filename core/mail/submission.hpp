// A message a user sends, made ready to go: headers completed and the two
// copies that leave from it (SendMail, SmartReply and SmartForward, which
// add what they take from the original here).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/mail/mime_record.hpp"
#include "core/mail/source_additions.hpp"
#include "storage/records.hpp"

namespace eas::core::mail {

// Who a message is sent as.
struct SenderIdentity {
  std::string name;     // display name; may be empty
  std::string address;  // user@domain
  // Every address the user may send as (easctl's --email ones); `address`
  // always counts, so an identity made by hand needs none here.
  std::vector<std::string> own_addresses;
};

// The user's display name, primary address and every address easctl gave
// them; a user without an address is name@ the host's name (easctl gives
// users addresses; a test box may not).
SenderIdentity IdentityOf(const storage::UserRecord& user);

struct Submission {
  std::string envelope_from;            // the sender's own address
  std::vector<std::string> recipients;  // To, Cc and Bcc, each once (any letter case)
  std::vector<Address> mailboxes;       // the same with their display names
  std::string message_id;               // without angle brackets
  std::string for_sent_items;           // headers completed, Bcc kept
  std::string for_recipients;           // the same without Bcc
  std::string from_replaced;            // a From that was not the sender's, as sent
};

// Reads `raw` (RFC 5322 as the client sent it) and completes it: Date
// (`now`) and Message-ID when missing; From set to the sender when there
// is none, and the address of a From that names no domain ("alice", a
// display name alone); a From naming an address that is not one of the
// sender's becomes the sender (nobody sends as a colleague or as the
// boss: `from_replaced` tells what was there, for the log); 8-bit header
// text RFC 2047-encoded as UTF-8. Line
// ends become CRLF. With `additions` (a reply or forward), those are added
// too (core/mail/add_source.hpp). kInvalidArgument with the reason when
// the bytes are no message (empty, no header block). No recipients is not
// an error here: `recipients` is empty and the caller answers.
Result<Submission> PrepareSubmission(std::string_view raw, const SenderIdentity& sender,
                                     uint64_t now, const SourceAdditions* additions = nullptr);

}  // namespace eas::core::mail
