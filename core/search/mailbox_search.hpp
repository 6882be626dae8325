// A search of one user's mail, as Search (Store Mailbox) and Find ask for
// it: the index caught up with the store first, then the page of matches
// the client asked for, each checked against the store, so a message
// deleted or moved away is never in an answer and one delivered before
// the request always is.
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

// One page of the matches, and how many there are.
struct MailboxPage {
  std::vector<IndexHit> hits;  // matches first..last (of those in the store), newest first
  // The matches in the store. Hits after the page are counted, not
  // checked against the store (that check was most of a common word's
  // time): exact unless the index still holds a message the store has
  // lost in a way its change log no longer shows (a tombstone trimmed
  // before the index caught up), which the page's checks then find and
  // forget. Exact whenever the page reached the last match.
  uint64_t total = 0;
};

// The matches first..last of `query` (its folders: a scope of `folders`,
// which are ReadableMailFolders), newest first. `notes` gets lines for
// the log (what catching up did, hits found stale).
Result<MailboxPage> SearchMailbox(storage::Store& store, storage::UserId user,
                                  const std::vector<storage::FolderRecord>& folders,
                                  const IndexQuery& query, uint64_t first, uint64_t last,
                                  std::vector<std::string>* notes);

}  // namespace eas::core::search
