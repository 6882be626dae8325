// GetItemEstimate (MS-ASCMD 2.2.1.9): how many changes a Sync would bring,
// per collection, under the same SyncKey rules as Sync. Read-only.
#include "core/commands/command.hpp"
#include "core/commands/sync_collection.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace gie = wbxml::tags::gie;
namespace as = wbxml::tags::airsync;

enum TopStatus { kOk = 1, kInvalidCollection = 2, kProtocolError = 4 };

}  // namespace

void GetItemEstimate(CommandContext& ctx) {
  auto top = [&](int status) {
    ctx.Answer(StatusAnswer(gie::kGetItemEstimate, gie::kStatus, status));
  };
  const wbxml::Element* collections =
      ctx.body && ctx.body->tag == gie::kGetItemEstimate ? ctx.body->Child(gie::kCollections)
                                                         : nullptr;
  if (collections == nullptr) {
    ctx.response.log.push_back({LogLevel::kWarn, "GetItemEstimate: malformed request"});
    top(kProtocolError);
    return;
  }

  struct Answer { std::string id; int status; size_t estimate; };
  std::vector<Answer> answers;
  Status s = ctx.store.Read([&](storage::Txn& txn) {
    answers.clear();
    for (const auto& c : collections->children) {
      if (!(c.tag == gie::kCollection)) continue;
      Answer a{std::string(c.ChildText(gie::kCollectionId)), kInvalidCollection, 0};
      // 14.x puts SyncKey on the AirSync page; keyless (12.x) means "current"
      std::string_view key = c.ChildText(as::kSyncKey);
      // FilterType: in Options (14.x) or the Collection itself (12.x);
      // without one, the device's last Sync's (kStoredFilter).
      const wbxml::Element* options = c.Child(as::kOptions);
      std::string_view filter = (options ? options : &c)->ChildText(as::kFilterType);
      const int filter_type = filter.size() == 1 && filter[0] >= '0' && filter[0] <= '8'
                                  ? filter[0] - '0'
                              : filter.empty() ? kStoredFilter
                                               : 0;
      Status e = EstimateCollection(txn, ctx, a.id, key, filter_type, a.status, a.estimate);
      if (!e.ok()) return e;
      answers.push_back(std::move(a));
    }
    return Status::Ok();
  });
  if (!s.ok()) {
    ctx.response.log.push_back({LogLevel::kError, "GetItemEstimate: store: " + s.message()});
    top(kProtocolError);
    return;
  }

  wbxml::Writer w;
  w.Start(gie::kGetItemEstimate);
  for (const auto& a : answers) {
    w.Start(gie::kResponse);
    w.Element(gie::kStatus, std::to_string(a.status));
    w.Start(gie::kCollection);
    w.Element(gie::kCollectionId, a.id);
    if (a.status == kOk) w.Element(gie::kEstimate, std::to_string(a.estimate));
    w.End();
    w.End();
  }
  w.End();
  ctx.Answer(w.Take());
}

}  // namespace eas::core::commands
