// easctl folder list/add/del, share and unshare. Sharing edits the
// folder's ACL through Txn::UpdateFolder, which logs the change in every
// affected user's hierarchy, so the sharee's next FolderSync shows (or
// removes) the folder.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/easctl/commands.hpp"
#include "cli/easctl/json_out.hpp"
#include "core/auth/user_name.hpp"
#include "core/folder_access.hpp"
#include "core/folder_type.hpp"

namespace eas::cli {

namespace folder_type = eas::core::folder_type;
namespace {

using storage::AclEntry;
using storage::FolderRecord;
using storage::Rights;
using storage::Txn;
using storage::UserRecord;

const char* Kind(storage::FolderKind type) {
  switch (type) {
    case folder_type::kInbox: return "inbox";
    case folder_type::kDrafts: return "drafts";
    case folder_type::kDeletedItems: return "deleted";
    case folder_type::kSentItems: return "sent";
    case folder_type::kOutbox: return "outbox";
    case folder_type::kTasks: case folder_type::kUserTasks: return "tasks";
    case folder_type::kCalendar: case folder_type::kUserCalendar: return "calendar";
    case folder_type::kContacts: case folder_type::kUserContacts: return "contacts";
    case folder_type::kNotes: case folder_type::kUserNotes: return "notes";
    case folder_type::kJournal: case folder_type::kUserJournal: return "journal";
    default: return "mail";
  }
}

// The default folders: never deleted (FolderDelete refuses them too).
bool IsSystem(const FolderRecord& f) {
  int t = static_cast<int>(f.type);
  return f.hidden || (t >= static_cast<int>(folder_type::kInbox) &&
                      t <= static_cast<int>(folder_type::kJournal));
}

// DESIGN.md: address books and calendars are what users share.
bool IsShareable(const FolderRecord& f) {
  switch (f.type) {
    case folder_type::kContacts: case folder_type::kUserContacts:
    case folder_type::kCalendar: case folder_type::kUserCalendar:
      return !f.hidden;
    default:
      return false;
  }
}

std::string RightsName(Rights r) { return r == Rights::kReadWrite ? "read-write" : "read-only"; }

Result<UserRecord> NamedUser(Txn& txn, const std::string& name) {
  if (name.empty()) return Status::Invalid("--user NAME is required");
  return txn.GetUser(core::auth::CanonicalUserName(name));
}

struct Row {
  FolderRecord folder;
  std::string owner, access, shares;
};

}  // namespace

storage::FolderId ParseFolderId(const std::string& text) {
  if (text.empty() || text.size() > 19 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  return std::stoull(text);
}

Result<FolderAccess> AccessFolder(Txn& txn, const UserRecord& user, storage::FolderId id) {
  auto folder = txn.GetFolder(id);
  if (!folder.ok()) return folder.status();
  FolderAccess access;
  access.folder = std::move(*folder);
  const eas::core::FolderRole role = eas::core::RoleOf(access.folder, user.id);
  access.owner = role == eas::core::FolderRole::kOwner;
  access.writable = eas::core::MayWriteItems(role);
  if (!eas::core::MayRead(role)) {
    return Status::NotFound("folder " + std::to_string(id) + " is neither " + user.name +
                            "'s nor shared with them");
  }
  return access;
}

int FolderList(storage::Store& store, const Args& a) {
  std::vector<Row> rows;
  Status s = store.Read([&](Txn& txn) {
    auto user = NamedUser(txn, a.user);
    if (!user.ok()) return user.status();
    auto folders = txn.VisibleFolders(user->id);
    if (!folders.ok()) return folders.status();
    for (FolderRecord& f : *folders) {
      Row row;
      auto owner = txn.GetUserById(f.owner);
      row.owner = owner.ok() ? owner->name : std::to_string(f.owner);
      row.access = "owner";
      for (const AclEntry& e : f.acl) {
        auto who = txn.GetUserById(e.user);
        std::string name = who.ok() ? who->name : std::to_string(e.user);
        row.shares += (row.shares.empty() ? "" : ",") + name + ":" +
                      (e.rights == Rights::kReadWrite ? "rw" : "ro");
        if (e.user == user->id) row.access = RightsName(e.rights);
      }
      row.folder = std::move(f);
      rows.push_back(std::move(row));
    }
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  if (a.json) {
    JsonArray out(std::cout);
    for (const Row& r : rows) {
      out.Object({{"id", std::to_string(r.folder.id)},
                  {"type", std::to_string(static_cast<int>(r.folder.type))},
                  {"kind", Kind(r.folder.type)}, {"name", r.folder.name}, {"owner", r.owner},
                  {"access", r.access}, {"hidden", r.folder.hidden ? "yes" : "no"},
                  {"shares", r.shares}});
    }
    return 0;
  }
  std::printf("%-8s %-4s %-9s %-24s %-12s %-10s %s\n", "ID", "TYPE", "KIND", "NAME", "OWNER",
              "ACCESS", "SHARES");
  for (const Row& r : rows) {
    std::string name = r.folder.name + (r.folder.hidden ? " (hidden)" : "");
    std::printf("%-8llu %-4d %-9s %-24s %-12s %-10s %s\n",
                static_cast<unsigned long long>(r.folder.id), static_cast<int>(r.folder.type),
                Kind(r.folder.type), name.c_str(), r.owner.c_str(), r.access.c_str(),
                r.shares.empty() ? "-" : r.shares.c_str());
  }
  return 0;
}

int FolderAdd(storage::Store& store, const Args& a) {
  if (a.positional.size() != 3) return Usage();
  static const std::pair<const char*, storage::FolderKind> kTypes[] = {
      {"contacts", folder_type::kUserContacts},
      {"calendar", folder_type::kUserCalendar},
      {"tasks", folder_type::kUserTasks},
      {"notes", folder_type::kUserNotes},
  };
  FolderRecord folder;
  folder.name = a.positional[2];
  auto type = std::find_if(std::begin(kTypes), std::end(kTypes),
                           [&](const auto& t) { return a.type == t.first; });
  if (type == std::end(kTypes)) return Fail("--type must be contacts, calendar, tasks or notes");
  folder.type = type->second;
  Status s = store.Write([&](Txn& txn) {
    auto user = NamedUser(txn, a.user);
    if (!user.ok()) return user.status();
    auto mine = txn.VisibleFolders(user->id);
    if (!mine.ok()) return mine.status();
    for (const FolderRecord& f : *mine) {
      // FolderCreate refuses a taken name at one level too (Status 2).
      if (f.owner == user->id && f.parent == 0 && f.name == folder.name) {
        return Status::Exists(user->name + " already has a folder named " + folder.name);
      }
    }
    folder.owner = user->id;
    auto made = txn.CreateFolder(folder);
    if (!made.ok()) return made.status();
    folder = *made;
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  std::printf("folder %llu (%s, %s) added for %s\n", static_cast<unsigned long long>(folder.id),
              folder.name.c_str(), Kind(folder.type), a.user.c_str());
  return 0;
}

int FolderDel(storage::Store& store, const Args& a) {
  if (a.positional.size() != 3) return Usage();
  storage::FolderId id = ParseFolderId(a.positional[2]);
  if (id == 0) return Fail("FOLDERID must be a folder id (see folder list)");
  std::string name;
  Status s = store.Write([&](Txn& txn) {
    auto user = NamedUser(txn, a.user);
    if (!user.ok()) return user.status();
    auto access = AccessFolder(txn, *user, id);
    if (!access.ok()) return access.status();
    if (!access->owner) return Status::Denied("only the owner deletes a folder");
    if (IsSystem(access->folder)) {
      return Status::Denied(access->folder.name + " is a default folder and stays");
    }
    name = access->folder.name;
    return txn.DeleteFolder(id);
  });
  if (!s.ok()) return Fail(s.message());
  std::printf("folder %llu (%s) deleted\n", static_cast<unsigned long long>(id), name.c_str());
  return 0;
}

int Share(storage::Store& store, const Args& a) {
  if (a.positional.size() != 2 || a.with.empty() || a.read_only == a.read_write) {
    return Usage();
  }
  storage::FolderId id = ParseFolderId(a.positional[1]);
  if (id == 0) return Fail("FOLDERID must be a folder id (see folder list)");
  const Rights rights = a.read_write ? Rights::kReadWrite : Rights::kRead;
  std::string name, sharee;
  Status s = store.Write([&](Txn& txn) {
    auto folder = txn.GetFolder(id);
    if (!folder.ok()) return folder.status();
    if (!IsShareable(*folder)) {
      return Status::Invalid(folder->name + " is not an address book or a calendar");
    }
    auto user = NamedUser(txn, a.with);
    if (!user.ok()) return user.status();
    if (user->id == folder->owner) return Status::Invalid(user->name + " owns the folder");
    auto entry = std::find_if(folder->acl.begin(), folder->acl.end(),
                              [&](const AclEntry& e) { return e.user == user->id; });
    if (entry != folder->acl.end()) {
      entry->rights = rights;
    } else {
      folder->acl.push_back({user->id, rights});
    }
    name = folder->name;
    sharee = user->name;
    return txn.UpdateFolder(*folder);
  });
  if (!s.ok()) return Fail(s.message());
  std::printf("folder %llu (%s) shared with %s %s\n", static_cast<unsigned long long>(id),
              name.c_str(), sharee.c_str(), RightsName(rights).c_str());
  return 0;
}

int Unshare(storage::Store& store, const Args& a) {
  if (a.positional.size() != 2 || a.with.empty()) return Usage();
  storage::FolderId id = ParseFolderId(a.positional[1]);
  if (id == 0) return Fail("FOLDERID must be a folder id (see folder list)");
  std::string name, sharee;
  Status s = store.Write([&](Txn& txn) {
    auto folder = txn.GetFolder(id);
    if (!folder.ok()) return folder.status();
    auto user = NamedUser(txn, a.with);
    if (!user.ok()) return user.status();
    auto& acl = folder->acl;
    auto gone = std::remove_if(acl.begin(), acl.end(),
                               [&](const AclEntry& e) { return e.user == user->id; });
    if (gone == acl.end()) {
      return Status::NotFound(folder->name + " is not shared with " + user->name);
    }
    acl.erase(gone, acl.end());
    name = folder->name;
    sharee = user->name;
    return txn.UpdateFolder(*folder);
  });
  if (!s.ok()) return Fail(s.message());
  std::printf("folder %llu (%s) no longer shared with %s\n", static_cast<unsigned long long>(id),
              name.c_str(), sharee.c_str());
  return 0;
}

}  // namespace eas::cli
