// A search of one user's mail, as Search (Store Mailbox) and Find ask for
// it: the index caught up with the store first, then queried, then every
// hit checked against the store, so a message deleted or moved away is
// never in an answer and one delivered before the request always is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/search/mail_index.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Store; }

namespace eas::core::search {

// The mail folders `user` may read (their own and shared ones), by id.
Result<std::vector<storage::FolderRecord>> ReadableMailFolders(storage::Store& store,
                                                               storage::UserId user);

// The folders a search of `start` covers: `start` alone, or with `deep`
// (DeepTraversal) also every folder below it among `folders`.
std::vector<storage::FolderId> SearchScope(const std::vector<storage::FolderRecord>& folders,
                                           storage::FolderId start, bool deep);

// The matches of `query` (its folders: a scope of `folders`, which are
// ReadableMailFolders), newest first, each in the store now. `notes` gets
// lines for the log (what catching up did, hits found stale).
Result<std::vector<IndexHit>> SearchMailbox(storage::Store& store, storage::UserId user,
                                            const std::vector<storage::FolderRecord>& folders,
                                            const IndexQuery& query,
                                            std::vector<std::string>* notes);

}  // namespace eas::core::search
