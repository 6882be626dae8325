// Search (MS-ASCMD 2.2.1.16). Store GAL: the users of this box whose
// names or addresses begin with the Query, with their directory
// properties and pictures (core/commands/gal_result.hpp). Store Mailbox: the user's mail searched
// through the index (core/search/), the page of matches the client's Range
// asks for rendered as a mail Sync renders them (its BodyPreference), each
// with its LongId ("folder:item", which ItemOperations Fetch accepts
// without a CollectionId) and CollectionId. Runs on the thread pool: the
// index catches up (writes) before it answers. Every search reads afresh,
// so RebuildResults changes nothing.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/commands/command.hpp"
#include "core/commands/gal_result.hpp"
#include "core/commands/mailbox_matches.hpp"
#include "core/commands/search_request.hpp"
#include "core/commands/sync_collection.hpp"
#include "core/items/item_class.hpp"
#include "core/util/index_range.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace se = wbxml::tags::search;
namespace as = wbxml::tags::airsync;

// <Search><Status>1</Status><Response><Store><Status>…</Status>, open.
void StartStore(wbxml::Writer& w, int store_status) {
  w.Start(se::kSearch);
  w.Element(se::kStatus, "1");
  w.Start(se::kResponse);
  w.Start(se::kStore);
  w.Element(se::kStatus, std::to_string(store_status));
}

void AnswerStoreStatus(CommandContext& ctx, int status, const std::string& why) {
  wbxml::Writer w;
  StartStore(w, status);
  w.End();
  w.End();
  w.End();
  ctx.Answer(w.Take());
  ctx.response.log.push_back({LogLevel::kInfo, "Search: " + why + ": Store Status " +
                                                   std::to_string(status)});
}

// The page of matches, each as a Result.
Status WriteResults(CommandContext& ctx, wbxml::Writer& w, const MailboxSearchRequest& r,
                    const MailboxMatches& matches) {
  items::RenderOptions render;
  if (r.options != nullptr) {
    render.body_preferences = items::ParseBodyPreferences(*r.options);
    if (const wbxml::Element* mime = r.options->Child(as::kMIMESupport)) {
      render.mime_support = std::atoi(mime->text.c_str());
    }
  }
  render.version = ctx.version;
  render.container = se::kProperties;
  return ctx.store.Read([&](storage::Txn& txn) -> Status {
    for (const search::IndexHit& hit : matches.hits) {
      auto item = txn.GetItem(hit.folder, hit.item);
      if (!item.ok()) return item.status();  // checked a moment ago in a snapshot as new
      w.Start(se::kResult);
      w.Element(as::kClass, "Email");
      w.Element(se::kLongId, ItemServerId(hit.folder, hit.item));
      w.Element(as::kCollectionId, std::to_string(hit.folder));
      items::ClassOf(matches.FolderOf(hit).type)
          .Render(w, txn, items::StoredOf(*item), render, items::RenderScope::kWhole);
      w.End();
    }
    return Status::Ok();
  });
}

void SearchMailbox(CommandContext& ctx, const wbxml::Element& store) {
  ParsedSearch parsed = ParseMailboxSearch(store);
  if (parsed.status != kSearchOk) return AnswerStoreStatus(ctx, parsed.status, parsed.why);
  const MailboxSearchRequest& r = parsed.request;

  MailboxMatches matches = FindMailboxMatches(ctx, r, search::QuerySyntax::kFreeText);
  if (matches.outcome != kSearchOk) return AnswerStoreStatus(ctx, matches.outcome, matches.why);
  const std::vector<search::IndexHit>& hits = matches.hits;

  wbxml::Writer w;
  StartStore(w, kSearchOk);
  if (hits.empty()) {
    w.Empty(se::kResult);  // no match on this page: an empty Result
  } else {
    Status s = WriteResults(ctx, w, r, matches);
    if (!s.ok()) return AnswerStoreStatus(ctx, kSearchServerError, s.message());
    w.Element(se::kRange, std::to_string(r.first) + "-" + std::to_string(r.first + hits.size() - 1));
  }
  w.Element(se::kTotal, std::to_string(matches.total));
  w.End();
  w.End();
  w.End();
  ctx.Answer(w.Take());
}

// <Query>text</Query> and Options Range and Picture; false with why.
bool ReadGalQuery(const wbxml::Element& store, GalQuery& q, std::string& why) {
  const wbxml::Element* query = store.Child(se::kQuery);
  q.text = query != nullptr ? query->text : std::string();
  if (q.text.find_first_not_of(' ') == std::string::npos) {
    why = "a GAL search without Query text";
    return false;
  }
  const wbxml::Element* options = store.Child(se::kOptions);
  if (options == nullptr) return true;
  if (const wbxml::Element* range = options->Child(se::kRange)) {
    if (!util::ParseIndexRange(range->text, q.first, q.last)) {
      why = "Range \"" + range->text + "\" is not m-n";
      return false;
    }
    // GAL: default 0-99, at most 100 entries per answer (MS-ASCMD 2.2.3.143.3).
    if (q.last - q.first >= kMaxSearchResults) q.last = q.first + kMaxSearchResults - 1;
  }
  if (const wbxml::Element* picture = options->Child(se::kPicture)) {
    return ReadPictureRequest(*picture, se::kMaxSize, se::kMaxPictures, &q.picture, &why);
  }
  return true;
}

void SearchGal(CommandContext& ctx, const wbxml::Element& store) {
  GalQuery q;
  std::string why;
  if (!ReadGalQuery(store, q, why)) return AnswerStoreStatus(ctx, kSearchInvalid, why);
  wbxml::Writer w;
  StartStore(w, kSearchOk);
  uint64_t total = 0;
  Status s = ctx.store.Read([&](storage::Txn& txn) -> Status {
    auto written = WriteGalResults(w, txn, q, se::kResult, se::kProperties);
    if (!written.ok()) return written.status();
    total = *written;
    return Status::Ok();
  });
  if (!s.ok()) return AnswerStoreStatus(ctx, kSearchServerError, s.message());
  if (q.first >= total) {
    w.Empty(se::kResult);  // no entry on this page: an empty Result
  } else {
    const uint64_t last = std::min<uint64_t>(q.last, total - 1);
    w.Element(se::kRange, std::to_string(q.first) + "-" + std::to_string(last));
  }
  w.Element(se::kTotal, std::to_string(total));
  w.End();
  w.End();
  w.End();
  ctx.Answer(w.Take());
}

}  // namespace

void Search(CommandContext& ctx) {
  if (!ctx.MayWrite()) return;  // the index catches up first: on the thread pool
  const wbxml::Element* store = ctx.body != nullptr ? ctx.body->Child(se::kStore) : nullptr;
  if (ctx.body == nullptr || ctx.body->tag != se::kSearch || store == nullptr) {
    const std::string sent = ctx.AnswerCommonStatus(103, 400);  // InvalidXML
    ctx.response.log.push_back({LogLevel::kWarn, "Search: no Search/Store in the request (" + sent + ")"});
    return;
  }
  const std::string_view name = store->ChildText(se::kName);
  if (name == "GAL") return SearchGal(ctx, *store);
  if (name != "Mailbox") {
    return AnswerStoreStatus(ctx, kSearchInvalid,
                             "store \"" + std::string(name) + "\" is not searched here (Mailbox, GAL)");
  }
  SearchMailbox(ctx, *store);
}

}  // namespace eas::core::commands
