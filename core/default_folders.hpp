// The folder set every user has from the start.
#pragma once

#include "base/status.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core {

// Creates the user (Txn::CreateUser) and their default folders, in this
// order so Inbox gets the lowest id: Inbox, Drafts, Deleted Items, Sent
// Items, Outbox, Contacts, Calendar, Tasks, Notes, and "Collected
// Addresses", a hidden contacts folder (the addresses the user wrote to,
// for recipient completion; never offered to devices).
Result<storage::UserRecord> CreateUserWithDefaultFolders(storage::Txn& txn,
                                                         storage::UserRecord user);

// The user's own default folder of `type` (Sent Items, Calendar...);
// NotFound, naming `what`, when they have none.
Result<storage::FolderRecord> FindDefaultFolder(storage::Txn& txn, const storage::UserRecord& user,
                                                storage::FolderKind type, const char* what);

}  // namespace eas::core
