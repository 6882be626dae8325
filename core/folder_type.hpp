// The kinds of folder, as MS-ASCMD FolderSync's Type numbers them. Core
// decides them; the store keeps the byte (storage::FolderKind) unread.
#pragma once

#include "storage/records.hpp"

namespace eas::core::folder_type {

using storage::FolderKind;
inline constexpr FolderKind kUserGeneric{1}, kInbox{2}, kDrafts{3}, kDeletedItems{4},
    kSentItems{5}, kOutbox{6}, kTasks{7}, kCalendar{8}, kContacts{9}, kNotes{10},
    kJournal{11}, kUserMail{12}, kUserCalendar{13}, kUserContacts{14}, kUserTasks{15},
    kUserJournal{16}, kUserNotes{17};

}  // namespace eas::core::folder_type
