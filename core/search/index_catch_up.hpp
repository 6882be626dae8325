// Brings the search index up to date with the store for one user's mail
// folders. Delivery never waits for the index: the store's per-folder
// change log says what came, changed or went after the modseq the index
// last reached, and a search catches up first. Since a folder's progress
// commits with the messages it covers, a crash (or a lost index file)
// costs only work done again, never a message.
#pragma once

#include <cstddef>
#include <vector>

#include "base/status.hpp"
#include "core/search/mail_index.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Store; }

namespace eas::core::search {

struct CatchUpReport {
  size_t added = 0;            // messages indexed
  size_t removed = 0;          // messages the log says were deleted
  size_t dropped_folders = 0;  // folders of the user that no longer exist
  size_t unreadable = 0;       // items that are no mail record (left out)
};

// `folders`: every mail folder `user` may read now. Their changes since the
// index's progress go in, in one index transaction reading one store
// snapshot; the user's folders the index knows and `folders` lacks (deleted
// since) are forgotten. A delete the log no longer shows (its tombstone
// trimmed) leaves the message in the index: searches check every hit
// against the store anyway.
Result<CatchUpReport> CatchUp(MailIndex& index, storage::Store& store, storage::UserId user,
                              const std::vector<storage::FolderRecord>& folders);

}  // namespace eas::core::search
