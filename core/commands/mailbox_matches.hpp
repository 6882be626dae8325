// What Search (Store Mailbox) and Find (MailBoxSearchCriterion) share: the
// user's mail folders, the scope a request's CollectionId and
// DeepTraversal give, and the page of its Range of the matches of its
// query there, newest first, with their Total.
#pragma once

#include <string>
#include <vector>

#include "core/commands/command.hpp"
#include "core/commands/search_request.hpp"
#include "core/search/fts_query.hpp"
#include "core/search/mail_index.hpp"

namespace eas::core::commands {

struct MailboxMatches {
  // kSearchOk, kSearchNotFound (the CollectionId is no mail folder of the
  // user) or kSearchServerError; `why` says which, for the log.
  int outcome = kSearchOk;
  std::string why;
  std::vector<search::IndexHit> hits;  // the Range's matches (none past the last)
  uint64_t total = 0;                  // search::MailboxPage::total
  std::vector<storage::FolderRecord> folders;  // the user's mail folders
  // The folder of a hit (one of `folders`).
  const storage::FolderRecord& FolderOf(const search::IndexHit& hit) const;
};

// Runs the request's query; what catching up the index did goes to the
// log (ctx.response.log).
MailboxMatches FindMailboxMatches(CommandContext& ctx, const MailboxSearchRequest& request,
                                  search::QuerySyntax syntax);

}  // namespace eas::core::commands
