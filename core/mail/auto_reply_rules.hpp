// Whether a delivered message may get an automatic reply (RFC 3834,
// section 2: "when not to send"): never to a null or system sender
// (MAILER-DAEMON, owner-*, *-request...), to automatic mail (an
// Auto-Submitted other than "no", a delivery report), to mailing lists
// (List-Id or any List-* field, Precedence bulk / list / junk), when the
// sender asked for none (Microsoft's X-Auto-Response-Suppress: OOF or All),
// to the user's own mail, or when the user is not in To or Cc (a Bcc, a
// list or alias expansion: the sender did not write to the user by name).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/mail/mime_record.hpp"

namespace eas::core::mail {

enum class AutoReplyVerdict : uint8_t {
  kReply,
  kNullSender,
  kSystemSender,
  kOwnMail,
  kAutoSubmitted,
  kReport,
  kMailingList,
  kBulk,
  kSuppressed,
  kNotAddressed,
};

// `envelope_sender`: MAIL FROM or Return-Path, with or without angle
// brackets; `message`: the raw bytes (its header fields are read);
// `record`: the message's record (To and Cc); `user_addresses`: the
// recipient user's addresses.
AutoReplyVerdict DecideAutoReply(std::string_view envelope_sender, std::string_view message,
                                 const MessageRecord& record,
                                 const std::vector<std::string>& user_addresses);

// For the log: "a mailing list", "a null sender"...
std::string_view Describe(AutoReplyVerdict verdict);

// The address inside an envelope path: angle brackets and white space
// gone ("<a@b>" → "a@b", "<>" → "").
std::string_view BareAddress(std::string_view path);

// Lower case, for comparing addresses and remembering senders.
std::string LowerAddress(std::string_view address);

}  // namespace eas::core::mail
