// Who a name or address typed on a phone may be (ResolveRecipients): the
// users of this box (the GAL, also searched alone by Search and Find),
// the user's own contacts and the addresses the user has written to.
// Matching is pure, over entries read once.
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
  storage::UserId user = 0;          // GAL: the user, for free/busy and picture
  storage::UserDirectoryFields fields;  // GAL: names, phones, company...
  std::string picture_base64;        // contacts with a picture
};

// The users of this box that have an address, one GAL entry each (primary
// address, the others as aliases), in user id order.
Result<std::vector<Entry>> ReadGal(storage::Txn& txn);

// Every entry `user` may find: each user of this box once (primary address,
// the others as aliases), then the user's contacts (one entry per e-mail
// address) and collected addresses. An address a user of this box has is
// that user's GAL entry only; an address is listed once.
Result<std::vector<Entry>> ReadDirectory(storage::Txn& txn, const storage::UserRecord& user);

// The entry's photo as JPEG bytes: a user's stored picture, a contact's
// decoded one; empty when there is none (or a contact's is not base64).
Result<std::string> PictureOf(storage::Txn& txn, const Entry& entry);

// How text with an '@' matches: a recipient being resolved is one address
// (whole), a directory search finds the addresses it begins.
enum class AddressMatch { kWhole, kPrefix };

// The entries `query` names. Text with an '@' is an address: the entry
// with that address or alias (any letter case; whole or as a prefix).
// Other text matches an entry whose display name, a word of it, first or
// last name, alias, login name or an address's local part starts with it
// (ASCII letters in any case). In entry order.
std::vector<const Entry*> Match(const std::vector<Entry>& entries, std::string_view query,
                                AddressMatch addresses = AddressMatch::kWhole);

}  // namespace eas::core::directory
