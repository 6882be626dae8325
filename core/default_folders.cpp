#include "core/default_folders.hpp"

#include <utility>

#include "core/folder_type.hpp"
#include "storage/store.hpp"

namespace eas::core {
namespace {

struct DefaultFolder {
  storage::FolderKind type;
  const char* name;
  bool hidden = false;
};

constexpr DefaultFolder kDefaultFolders[] = {
    {folder_type::kInbox, "Inbox"},
    {folder_type::kDrafts, "Drafts"},
    {folder_type::kDeletedItems, "Deleted Items"},
    {folder_type::kSentItems, "Sent Items"},
    {folder_type::kOutbox, "Outbox"},
    {folder_type::kContacts, "Contacts"},
    {folder_type::kCalendar, "Calendar"},
    {folder_type::kTasks, "Tasks"},
    {folder_type::kNotes, "Notes"},
    {folder_type::kUserContacts, "Collected Addresses", true},
};

}  // namespace

Result<storage::UserRecord> CreateUserWithDefaultFolders(storage::Txn& txn,
                                                         storage::UserRecord user) {
  auto created = txn.CreateUser(std::move(user));
  if (!created.ok()) return created;
  for (const DefaultFolder& d : kDefaultFolders) {
    storage::FolderRecord folder;
    folder.owner = created->id;
    folder.type = d.type;
    folder.name = d.name;
    folder.hidden = d.hidden;
    auto made = txn.CreateFolder(std::move(folder));
    if (!made.ok()) return made.status();
  }
  return created;
}

Result<storage::FolderRecord> FindDefaultFolder(storage::Txn& txn, const storage::UserRecord& user,
                                                storage::FolderKind type, const char* what) {
  auto folders = txn.VisibleFolders(user.id);
  if (!folders.ok()) return folders.status();
  for (auto& f : *folders) {
    if (f.owner == user.id && f.type == type) return std::move(f);
  }
  return Status::NotFound("user " + user.name + " has no " + what + " folder");
}

}  // namespace eas::core
