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
  size_t read = 0;             // change log entries read
  // Stopped at the limit: some folders' changes are still to come (their
  // progress says how far this call got).
  bool more = false;
};

// `folders`: every mail folder `user` may read now. Their changes since the
// index's progress go in, in one index transaction reading one store
// snapshot; the user's folders the index knows and `folders` lacks (deleted
// since) are forgotten. A delete the log no longer shows (its tombstone
// trimmed) leaves the message in the index: searches check every hit
// against the store anyway. `limit` (0: none) bounds the change log
// entries read in this call, so one transaction (a store snapshot and the
// index's write lock) stays short however much came; report.more says
// whether to call again.
Result<CatchUpReport> CatchUp(MailIndex& index, storage::Store& store, storage::UserId user,
                              const std::vector<storage::FolderRecord>& folders,
                              size_t limit = 0);

}  // namespace eas::core::search
