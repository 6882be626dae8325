// A Search request's Store (MS-ASCMD 2.2.1.16) for the Mailbox, read into
// plain values: what to look for, where, and which page of the matches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/wbxml/element.hpp"

namespace eas::core::commands {

// MS-ASCMD 2.2.3.177.13: the Store's Status values we answer.
enum SearchStoreStatus { kSearchOk = 1, kSearchInvalid = 2, kSearchServerError = 3,
                         kSearchNotFound = 6, kSearchTooComplex = 8 };

// The most matches one answer carries (MS-ASCMD: Mailbox's default Range
// 0-99 is also its maximum).
constexpr uint64_t kMaxSearchResults = 100;

struct MailboxSearchRequest {
  std::optional<std::string> free_text;      // FreeText
  std::optional<std::string> collection_id;  // airsync:CollectionId, as sent
  std::optional<std::string> class_name;     // airsync:Class
  uint64_t received_after = 0;   // GreaterThan email:DateReceived; 0: none
  uint64_t received_before = 0;  // LessThan email:DateReceived; 0: none
  bool deep_traversal = false;
  bool rebuild_results = false;
  uint64_t first = 0, last = kMaxSearchResults - 1;  // Range, at most kMaxSearchResults
  const wbxml::Element* options = nullptr;  // BodyPreference and MIMESupport; null when none
};

// `status` kSearchOk and `request` filled, or the Store Status to answer
// and why (for the log).
struct ParsedSearch {
  int status = kSearchOk;
  std::string why;
  MailboxSearchRequest request;
};

// Reads a Store whose Name is Mailbox. Query takes FreeText, airsync:Class,
// airsync:CollectionId and GreaterThan / LessThan on email:DateReceived,
// directly or inside one And, and EqualTo on CollectionId or Class;
// anything else (Or, ConversationId, another property) is too complex.
ParsedSearch ParseMailboxSearch(const wbxml::Element& store);

}  // namespace eas::core::commands
