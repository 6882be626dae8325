#include "core/mail/collected_addresses.hpp"

#include <algorithm>

#include "core/folder_type.hpp"
#include "core/util/text_record.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {
namespace {

constexpr std::string_view kMagic = "CA1";

std::string Encode(const CollectedAddress& a) {
  return util::TextRecordWriter(kMagic)
      .Blob(a.address).Blob(a.name).Number(a.count).Number(a.last_used).Take();
}

bool Decode(std::string_view bytes, CollectedAddress& a) {
  util::TextRecordReader r(bytes);
  return r.Magic(kMagic) && r.Blob(a.address) && r.Blob(a.name) && r.Number(a.count) &&
         r.Number(a.last_used) && r.AtEnd();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

bool IsCollectedFolder(const storage::FolderRecord& f, storage::UserId user) {
  return f.owner == user && f.hidden && f.type == folder_type::kUserContacts;
}

// The folder's id; 0 when the user has none.
Result<storage::FolderId> FindFolder(storage::Txn& txn, storage::UserId user) {
  auto folders = txn.VisibleFolders(user);
  if (!folders.ok()) return folders.status();
  for (const auto& f : *folders) {
    if (IsCollectedFolder(f, user)) return f.id;
  }
  return storage::FolderId{0};
}

struct Entry {
  storage::ItemRecord item;
  CollectedAddress address;
};

// Every entry of the folder (entries that do not decode are left alone).
Result<std::vector<Entry>> ReadAll(storage::Txn& txn, storage::FolderId folder) {
  std::vector<Entry> out;
  storage::ItemId after = 0;
  for (;;) {
    auto page = txn.ItemsAfter(folder, after, 256);
    if (!page.ok()) return page.status();
    if (page->empty()) return out;
    for (auto& item : *page) {
      after = item.id;
      Entry e;
      if (!Decode(item.data, e.address)) continue;
      e.item = std::move(item);
      out.push_back(std::move(e));
    }
  }
}

}  // namespace

Status CollectAddresses(storage::Txn& txn, const storage::UserRecord& user,
                        const std::vector<Address>& written_to, uint64_t now) {
  auto folder = FindFolder(txn, user.id);
  if (!folder.ok()) return folder.status();
  if (*folder == 0) {
    storage::FolderRecord made;
    made.owner = user.id;
    made.type = folder_type::kUserContacts;
    made.name = "Collected Addresses";
    made.hidden = true;
    auto created = txn.CreateFolder(std::move(made));
    if (!created.ok()) return created.status();
    *folder = created->id;
  }
  auto entries = ReadAll(txn, *folder);
  if (!entries.ok()) return entries.status();
  for (const Address& mailbox : written_to) {
    if (mailbox.address.empty()) continue;
    const std::string key = Lower(mailbox.address);
    auto known = std::find_if(entries->begin(), entries->end(),
                              [&](const Entry& e) { return Lower(e.address.address) == key; });
    if (known == entries->end()) {
      if (entries->size() >= kMaxCollectedAddresses) {
        auto oldest = std::min_element(entries->begin(), entries->end(),
                                       [](const Entry& a, const Entry& b) {
                                         return a.address.last_used < b.address.last_used;
                                       });
        if (Status s = txn.DeleteItem(*folder, oldest->item.id); !s.ok()) return s;
        entries->erase(oldest);
      }
      Entry fresh;
      fresh.item.folder = *folder;
      entries->push_back(std::move(fresh));
      known = entries->end() - 1;
    }
    CollectedAddress& a = known->address;
    a.address = mailbox.address;
    if (!mailbox.name.empty()) a.name = mailbox.name;
    a.count += 1;
    a.last_used = now;
    known->item.data = Encode(a);
    known->item.time = now;
    auto put = txn.PutItem(known->item);
    if (!put.ok()) return put.status();
    known->item = std::move(put).value();  // a new entry now has its id
  }
  return Status::Ok();
}

Result<std::vector<CollectedAddress>> CollectedAddresses(storage::Txn& txn,
                                                         storage::UserId user) {
  std::vector<CollectedAddress> out;
  auto folder = FindFolder(txn, user);
  if (!folder.ok()) return folder.status();
  if (*folder == 0) return out;
  auto entries = ReadAll(txn, *folder);
  if (!entries.ok()) return entries.status();
  for (auto& e : *entries) out.push_back(std::move(e.address));
  std::sort(out.begin(), out.end(), [](const CollectedAddress& a, const CollectedAddress& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.last_used > b.last_used;
  });
  return out;
}

}  // namespace eas::core::mail
