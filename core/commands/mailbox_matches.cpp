#include "core/commands/mailbox_matches.hpp"

#include <stdexcept>

#include "core/commands/hierarchy.hpp"
#include "core/search/mailbox_search.hpp"

namespace eas::core::commands {

const storage::FolderRecord& MailboxMatches::FolderOf(const search::IndexHit& hit) const {
  for (const storage::FolderRecord& f : folders) {
    if (f.id == hit.folder) return f;
  }
  // SearchMailbox answers only hits in the scope, which is of `folders`.
  throw std::logic_error("search hit outside the searched folders");
}

MailboxMatches FindMailboxMatches(CommandContext& ctx, const MailboxSearchRequest& r,
                                  search::QuerySyntax syntax) {
  MailboxMatches out;
  auto folders = search::ReadableMailFolders(ctx.store, ctx.user.id);
  if (!folders.ok()) {
    out.outcome = kSearchServerError;
    out.why = "reading folders: " + folders.status().message();
    return out;
  }
  out.folders = std::move(*folders);

  search::IndexQuery query;
  if (r.collection_id) {
    auto id = ParseFolderId(*r.collection_id);
    for (const storage::FolderRecord& f : out.folders) {
      if (id && f.id == *id) query.folders = search::SearchScope(out.folders, f.id, r.deep_traversal);
    }
    if (query.folders.empty()) {
      out.outcome = kSearchNotFound;
      out.why = "CollectionId " + *r.collection_id + " is no mail folder of " + ctx.user.name;
      return out;
    }
  } else {
    for (const storage::FolderRecord& f : out.folders) query.folders.push_back(f.id);
  }
  // Only mail is indexed: a search of another class finds nothing.
  if (r.class_name && *r.class_name != "Email") query.folders.clear();
  if (r.free_text) query.match = search::FtsMatchExpression(*r.free_text, syntax);
  query.received_after = r.received_after;
  query.received_before = r.received_before;

  std::vector<std::string> notes;
  auto page = search::SearchMailbox(ctx.store, ctx.user.id, out.folders, query, r.first, r.last,
                                    &notes);
  for (std::string& note : notes) ctx.response.log.push_back({LogLevel::kInfo, std::move(note)});
  if (!page.ok()) {
    out.outcome = kSearchServerError;
    out.why = page.status().message();
    return out;
  }
  out.hits = std::move(page->hits);
  out.total = page->total;
  return out;
}

}  // namespace eas::core::commands
