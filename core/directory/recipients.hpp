// Who a name or address typed on a phone may be (ResolveRecipients): the
// users of this box (the GAL), the user's own contacts and the addresses
// the user has written to. Matching is pure, over entries read once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::directory {

enum class EntryType { kGal = 1, kContact = 2 };  // the Type element's values

struct Entry {
  EntryType type = EntryType::kGal;
  std::string display_name;
  std::string address;               // the one answered with
  std::vector<std::string> aliases;  // more addresses that find it (GAL)
  std::string login;                 // GAL: the user's login name
  storage::UserId user = 0;          // GAL: the user, for free/busy
  std::string picture_base64;        // contacts with a picture
};

// Every entry `user` may find: each user of this box once (primary address,
// the others as aliases), then the user's contacts (one entry per e-mail
// address) and collected addresses. An address a user of this box has is
// that user's GAL entry only; an address is listed once.
Result<std::vector<Entry>> ReadDirectory(storage::Txn& txn, const storage::UserRecord& user);

// The entries `query` names. Text with an '@' is an address: the entry
// with that address or alias (any letter case). Other text matches an
// entry whose display name, a word of it, its login name or its address's
// local part starts with it (ASCII letters in any case). In entry order.
std::vector<const Entry*> Match(const std::vector<Entry>& entries, std::string_view query);

}  // namespace eas::core::directory
