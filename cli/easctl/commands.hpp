// easctl commands beyond users and devices: folders, shares, and
// vCard/iCalendar import and export. Each returns the exit status.
#pragma once

#include "base/status.hpp"
#include "cli/easctl/args.hpp"
#include "storage/store.hpp"

namespace eas::cli {

int FolderList(storage::Store& store, const Args& a);
int FolderAdd(storage::Store& store, const Args& a);
int FolderDel(storage::Store& store, const Args& a);
int Share(storage::Store& store, const Args& a);
int Unshare(storage::Store& store, const Args& a);
int Import(storage::Store& store, const Args& a);
int Export(storage::Store& store, const Args& a);
// user_directory_commands.cpp: users as listed, and their directory fields.
int UserList(storage::Store& store, const Args& a);
int UserSet(storage::Store& store, const Args& a);
// collected_commands.cpp: the addresses a user wrote to.
int UserCollected(storage::Store& store, const Args& a);
// check_command.cpp: the store's consistency check; opens the store
// itself (exit status 2 when it cannot).
int StoreCheck(const Args& a);
// queue_commands.cpp: the outgoing queue.
int QueueList(storage::Store& store, const Args& a);
// retry (due at once) or drop (removed unsent) the entries named.
int QueueChange(storage::Store& store, const Args& a, bool drop);

// What `user` may do with folder `id`: everything as its owner, what the
// ACL grants as a sharee; NotFound when the folder is not theirs to see.
struct FolderAccess {
  storage::FolderRecord folder;
  bool owner = false;
  bool writable = false;
};
Result<FolderAccess> AccessFolder(storage::Txn& txn, const storage::UserRecord& user,
                                  storage::FolderId id);

// A decimal folder id ("15"); 0 when the text is not one.
storage::FolderId ParseFolderId(const std::string& text);

}  // namespace eas::cli
