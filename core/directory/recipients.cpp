#include "core/directory/recipients.hpp"

#include <strings.h>

#include <set>

#include "core/convert/tags.hpp"
#include "core/folder_type.hpp"
#include "core/items/item_data.hpp"
#include "core/mail/collected_addresses.hpp"
#include "core/util/base64.hpp"
#include "storage/store.hpp"

namespace eas::core::directory {
namespace {

namespace ct = convert::tags::contacts;
constexpr size_t kPage = 256;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool StartsWithFolded(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && strncasecmp(text.data(), prefix.data(), prefix.size()) == 0;
}

bool SameFolded(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// A contact's Email1Address is often written `"Name" <addr>`: the address
// and the name.
std::pair<std::string, std::string> SplitMailbox(std::string_view text) {
  size_t open = text.rfind('<');
  size_t close = text.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return {std::string(text), std::string()};
  }
  std::string_view name = text.substr(0, open);
  while (!name.empty() && (name.back() == ' ' || name.back() == '"')) name.remove_suffix(1);
  while (!name.empty() && (name.front() == ' ' || name.front() == '"')) name.remove_prefix(1);
  return {std::string(text.substr(open + 1, close - open - 1)), std::string(name)};
}

std::string ContactName(const wbxml::Element& app) {
  std::string first(app.ChildText(ct::kFirstName)), last(app.ChildText(ct::kLastName));
  if (!first.empty() || !last.empty()) {
    return first.empty() ? last : last.empty() ? first : first + " " + last;
  }
  return std::string(app.ChildText(ct::kFileAs));
}

bool IsContacts(storage::FolderKind kind) {
  return kind == folder_type::kContacts || kind == folder_type::kUserContacts;
}

// Does a word of `name` (or all of it) start with `prefix`?
bool NameMatches(std::string_view name, std::string_view prefix) {
  if (StartsWithFolded(name, prefix)) return true;
  for (size_t i = 0; i < name.size(); ++i) {
    if ((name[i] == ' ' || name[i] == '-' || name[i] == ',') && StartsWithFolded(name.substr(i + 1), prefix)) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::vector<Entry>> ReadGal(storage::Txn& txn) {
  std::vector<Entry> entries;
  auto users = txn.ListUsers();
  if (!users.ok()) return users.status();
  for (storage::UserRecord& u : *users) {
    if (u.addresses.empty()) continue;  // nothing to write to
    Entry e;
    e.type = EntryType::kGal;
    e.display_name = u.display_name.empty() ? u.name : u.display_name;
    e.address = u.addresses.front();
    e.aliases.assign(u.addresses.begin() + 1, u.addresses.end());
    e.login = u.name;
    e.user = u.id;
    e.fields = std::move(u.directory);
    entries.push_back(std::move(e));
  }
  return entries;
}

Result<std::vector<Entry>> ReadDirectory(storage::Txn& txn, const storage::UserRecord& user) {
  auto gal = ReadGal(txn);
  if (!gal.ok()) return gal.status();
  std::vector<Entry> entries = std::move(gal).value();
  std::set<std::string> taken;  // lower-case addresses already listed
  for (const Entry& e : entries) {
    taken.insert(Lower(e.address));
    for (const std::string& a : e.aliases) taken.insert(Lower(a));
  }
  auto add_contact = [&](std::string address, std::string name, std::string picture) {
    if (address.empty() || !taken.insert(Lower(address)).second) return;
    Entry e;
    e.type = EntryType::kContact;
    e.display_name = name.empty() ? address : std::move(name);
    e.address = std::move(address);
    e.picture_base64 = std::move(picture);
    entries.push_back(std::move(e));
  };

  auto folders = txn.VisibleFolders(user.id);
  if (!folders.ok()) return folders.status();
  for (const storage::FolderRecord& folder : *folders) {
    if (folder.owner != user.id || !IsContacts(folder.type)) continue;
    storage::ItemId after = 0;
    for (;;) {
      auto items = txn.ItemsAfter(folder.id, after, kPage);
      if (!items.ok()) return items.status();
      for (const storage::ItemRecord& item : *items) {
        after = item.id;
        auto app = items::DecodeItemData(item.data);
        if (!app.ok()) continue;
        const std::string name = ContactName(*app);
        for (wbxml::Tag tag : {ct::kEmail1Address, ct::kEmail2Address, ct::kEmail3Address}) {
          auto [address, written_name] = SplitMailbox(app->ChildText(tag));
          add_contact(std::move(address), name.empty() ? written_name : name,
                      std::string(app->ChildText(ct::kPicture)));
        }
      }
      if (items->size() < kPage) break;
    }
  }
  auto collected = mail::CollectedAddresses(txn, user.id);
  if (!collected.ok()) return collected.status();
  for (mail::CollectedAddress& c : *collected) {
    add_contact(std::move(c.address), std::move(c.name), std::string());
  }
  return entries;
}

Result<std::string> PictureOf(storage::Txn& txn, const Entry& entry) {
  if (entry.type == EntryType::kContact) {
    if (entry.picture_base64.empty()) return std::string();
    return util::Base64Decode(entry.picture_base64).value_or(std::string());
  }
  std::string_view jpeg;
  Status s = txn.ViewUserPicture(entry.user, &jpeg);
  if (s.code() == Code::kNotFound) return std::string();
  if (!s.ok()) return s;
  return std::string(jpeg);
}

std::vector<const Entry*> Match(const std::vector<Entry>& entries, std::string_view query,
                                AddressMatch addresses) {
  std::vector<const Entry*> found;
  while (!query.empty() && query.front() == ' ') query.remove_prefix(1);
  while (!query.empty() && query.back() == ' ') query.remove_suffix(1);
  if (query.empty()) return found;
  const bool address = query.find('@') != std::string_view::npos;
  for (const Entry& e : entries) {
    bool hit = false;
    if (address) {
      auto same = [&](std::string_view a) {
        return addresses == AddressMatch::kWhole ? SameFolded(a, query) : StartsWithFolded(a, query);
      };
      hit = same(e.address);
      for (const std::string& a : e.aliases) hit = hit || same(a);
    } else {
      std::string_view local = std::string_view(e.address).substr(0, e.address.find('@'));
      const storage::UserDirectoryFields& f = e.fields;
      hit = NameMatches(e.display_name, query) || StartsWithFolded(e.login, query) ||
            StartsWithFolded(local, query) || NameMatches(f.first_name, query) ||
            NameMatches(f.last_name, query) || StartsWithFolded(f.alias, query);
    }
    if (hit) found.push_back(&e);
  }
  return found;
}

}  // namespace eas::core::directory
