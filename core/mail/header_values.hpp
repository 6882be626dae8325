// Values the server writes into header fields of mail it makes itself
// (submissions, bounces, out-of-office replies): one rule for each, so a
// Message-ID or a Date looks the same whichever path wrote it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace eas::core::mail {

// The part after the last '@', or this host's name for a bare user name
// (RFC 5322 wants a domain; the host is the best one we know).
std::string DomainOrHostName(std::string_view address);

// A Message-ID's content (no angle brackets): `prefix`, 128 random bits as
// hex, '@' and the sender's domain. Unique without a counter processes
// share.
std::string NewMessageId(std::string_view sender_address, std::string_view prefix = {});

// RFC 5322 date-time in UTC ("Mon, 07 Dec 2026 07:41:00 +0000").
std::string RfcDate(uint64_t unix_seconds);

}  // namespace eas::core::mail
