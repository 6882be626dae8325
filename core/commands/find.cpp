// Find (MS-ASCMD 2.2.1.2; protocol 16.1, which iOS also sends on a 14.x
// account), MailBoxSearchCriterion: the same search of the user's mail as
// Search (core/commands/mailbox_matches.hpp), with the query syntax iOS
// types (to:"x" OR from:"x" OR "x", core/search/fts_query.hpp), each
// match answered with the short list of properties Find defines (subject,
// date, who, preview, read, attachments) and its ServerId and
// CollectionId. GalSearchCriterion: the users of this box whose names or
// addresses begin with the FreeText, with the GAL properties Find
// defines (core/commands/gal_result.hpp). Runs on the thread pool: the
// index catches up first.
#include <algorithm>
#include <string>

#include "core/commands/command.hpp"
#include "core/commands/gal_result.hpp"
#include "core/commands/mailbox_matches.hpp"
#include "core/commands/sync_collection.hpp"
#include "core/convert/eas_time.hpp"
#include "core/items/email_render.hpp"
#include "core/mail/mail_item.hpp"
#include "core/util/index_range.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace fi = wbxml::tags::find;
namespace as = wbxml::tags::airsync;
namespace em = wbxml::tags::email;

// MS-ASCMD 2.2.3.177.2 (Status, Find).
enum FindStatus { kFindOk = 1, kFindInvalid = 2 };

void AnswerStatus(CommandContext& ctx, int status, const std::string& why) {
  ctx.Answer(StatusAnswer(fi::kFind, fi::kStatus, status));
  ctx.response.log.push_back({LogLevel::kInfo, "Find: " + why + ": Status " + std::to_string(status)});
}

// MS-ASCMD 2.2.3.143.1: 0 <= m <= n <= 999. Trimmed to what one answer
// carries (kMaxSearchResults).
bool ReadRange(const wbxml::Element& options, uint64_t& first, uint64_t& last, std::string& why) {
  const wbxml::Element* range = options.Child(fi::kRange);
  if (range == nullptr) return true;
  if (!util::ParseIndexRange(range->text, first, last) || last > 999) {
    why = "Range \"" + range->text + "\" is not m-n within 0-999";
    return false;
  }
  if (last - first >= kMaxSearchResults) last = first + kMaxSearchResults - 1;
  return true;
}

// <Find><Status>1</Status><Response><Store>…</Store><Status>1</Status>, open.
// The Store is "Mailbox" also for the GAL (MS-ASCMD 2.2.3.178.1 knows no
// other value).
void StartResponse(wbxml::Writer& w) {
  w.Start(fi::kFind);
  w.Element(fi::kStatus, std::to_string(kFindOk));
  w.Start(fi::kResponse);
  w.Element(wbxml::tags::itemops::kStore, "Mailbox");
  w.Element(fi::kStatus, std::to_string(kFindOk));
}

// "m-n" of the entries [first, end) sent; nothing when none were.
void WriteRange(wbxml::Writer& w, uint64_t first, uint64_t end) {
  if (first < end) w.Element(fi::kRange, std::to_string(first) + "-" + std::to_string(end - 1));
}

// The criterion as a MailboxSearchRequest, or false with `why`.
bool ReadCriterion(const wbxml::Element& criterion, MailboxSearchRequest& r, std::string& why) {
  const wbxml::Element* query = criterion.Child(fi::kQuery);
  if (query == nullptr) {
    why = "MailBoxSearchCriterion without a Query";
    return false;
  }
  for (const wbxml::Element& c : query->children) {
    if (c.tag == fi::kFreeText) r.free_text = c.text;
    else if (c.tag == as::kClass) r.class_name = c.text;
    else if (c.tag == as::kCollectionId) r.collection_id = c.text;
    else {
      why = "a Query element Find does not define";
      return false;
    }
  }
  if (const wbxml::Element* options = criterion.Child(fi::kOptions)) {
    r.deep_traversal = options->Has(fi::kDeepTraversal);
    return ReadRange(*options, r.first, r.last, why);
  }
  return true;
}

// One match with Find's properties.
Status WriteResult(wbxml::Writer& w, storage::Txn& txn, const search::IndexHit& hit) {
  storage::ItemView item;
  Status s = txn.ViewItem(hit.folder, hit.item, &item);
  if (!s.ok()) return s;
  mail::MailItemView mail;
  s = mail::DecodeMailItem(item.data, &mail);
  if (!s.ok()) return s;
  const mail::MessageView& m = mail.message;
  w.Start(fi::kResult);
  w.Element(as::kClass, "Email");
  w.Element(as::kServerId, ItemServerId(hit.folder, hit.item));
  w.Element(as::kCollectionId, std::to_string(hit.folder));
  w.Start(fi::kProperties);
  w.Element(em::kSubject, m.subject);
  w.Element(em::kDateReceived, convert::ExtendedUtc(static_cast<int64_t>(m.received)));
  w.Element(em::kDisplayTo, items::DisplayNames(m.to));
  if (!m.cc.empty()) w.Element(fi::kDisplayCc, items::DisplayNames(m.cc));
  w.Element(em::kImportance, std::to_string(static_cast<int>(m.importance)));
  w.Element(em::kRead, mail.state.read ? "1" : "0");
  w.Element(fi::kPreview, m.preview);
  const bool attachments = std::any_of(m.parts.begin(), m.parts.end(),
                                       [](const mail::PartView& p) { return mail::IsAttachmentPart(p); });
  w.Element(fi::kHasAttachments, attachments ? "1" : "0");
  if (!m.from.empty()) w.Element(em::kFrom, items::FormatAddresses(m.from));
  w.End();
  w.End();
  return Status::Ok();
}

void FindInMailbox(CommandContext& ctx, const wbxml::Element& criterion) {
  MailboxSearchRequest r;
  std::string why;
  if (!ReadCriterion(criterion, r, why)) return AnswerStatus(ctx, kFindInvalid, why);
  MailboxMatches matches = FindMailboxMatches(ctx, r, search::QuerySyntax::kFind);
  if (matches.outcome != kSearchOk) {
    if (matches.outcome == kSearchNotFound) return AnswerStatus(ctx, kFindInvalid, matches.why);
    ctx.Fail(500, LogLevel::kError, "Find: " + matches.why);
    return;
  }
  wbxml::Writer w;
  StartResponse(w);
  Status s = ctx.store.Read([&](storage::Txn& txn) -> Status {
    for (const search::IndexHit& hit : matches.hits) {
      Status one = WriteResult(w, txn, hit);
      if (!one.ok()) return one;
    }
    return Status::Ok();
  });
  if (!s.ok()) {
    ctx.Fail(500, LogLevel::kError, "Find: " + s.message());
    return;
  }
  WriteRange(w, r.first, r.first + matches.hits.size());
  w.Element(fi::kTotal, std::to_string(matches.total));
  w.End();
  w.End();
  ctx.Answer(w.Take());
}

// GalSearchCriterion: Query's FreeText, Options Range and Picture.
bool ReadGalCriterion(const wbxml::Element& criterion, GalQuery& q, std::string& why) {
  const wbxml::Element* query = criterion.Child(fi::kQuery);
  const wbxml::Element* text = query != nullptr ? query->Child(fi::kFreeText) : nullptr;
  if (text == nullptr || text->text.find_first_not_of(' ') == std::string::npos) {
    why = "GalSearchCriterion without FreeText in its Query";
    return false;
  }
  q.text = text->text;
  const wbxml::Element* options = criterion.Child(fi::kOptions);
  if (options == nullptr) return true;
  if (!ReadRange(*options, q.first, q.last, why)) return false;
  if (const wbxml::Element* picture = options->Child(fi::kPicture)) {
    return ReadPictureRequest(*picture, fi::kMaxSize, fi::kMaxPictures, &q.picture, &why);
  }
  return true;
}

void FindInGal(CommandContext& ctx, const wbxml::Element& criterion) {
  GalQuery q;
  std::string why;
  if (!ReadGalCriterion(criterion, q, why)) return AnswerStatus(ctx, kFindInvalid, why);
  wbxml::Writer w;
  StartResponse(w);
  uint64_t total = 0;
  Status s = ctx.store.Read([&](storage::Txn& txn) -> Status {
    auto written = WriteGalResults(w, txn, q, fi::kResult, fi::kProperties);
    if (!written.ok()) return written.status();
    total = *written;
    return Status::Ok();
  });
  if (!s.ok()) {
    ctx.Fail(500, LogLevel::kError, "Find: GAL: " + s.message());
    return;
  }
  WriteRange(w, q.first, std::min<uint64_t>(q.last + 1, total));
  w.Element(fi::kTotal, std::to_string(total));
  w.End();
  w.End();
  ctx.Answer(w.Take());
}

}  // namespace

void Find(CommandContext& ctx) {
  if (!ctx.MayWrite()) return;  // the index catches up first: on the thread pool
  const wbxml::Element* execute =
      ctx.body != nullptr && ctx.body->tag == fi::kFind ? ctx.body->Child(fi::kExecuteSearch) : nullptr;
  if (execute == nullptr) {
    return AnswerStatus(ctx, kFindInvalid, "no Find/ExecuteSearch in the request");
  }
  if (const wbxml::Element* criterion = execute->Child(fi::kMailBoxSearchCriterion)) {
    return FindInMailbox(ctx, *criterion);
  }
  if (const wbxml::Element* criterion = execute->Child(fi::kGalSearchCriterion)) {
    return FindInGal(ctx, *criterion);
  }
  AnswerStatus(ctx, kFindInvalid, "ExecuteSearch without a MailBoxSearchCriterion or GalSearchCriterion");
}

}  // namespace eas::core::commands
