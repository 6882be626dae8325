// Sync (MS-ASCMD 2.2.1.21): several collections in one request, each with
// its own SyncKey. Answers what needs no write from a snapshot on the
// event loop (a phone's "anything new?" costs one read transaction); the
// rest runs in one write transaction on the thread pool.
#include <map>
#include <memory>

#include "core/commands/hierarchy.hpp"
#include "core/push/ping_wait.hpp"

#include "core/commands/command.hpp"
#include "core/commands/sync_collection.hpp"
#include "core/commands/sync_request.hpp"
#include "core/sync_state_names.hpp"
#include "core/wbxml/decoder.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace as = wbxml::tags::airsync;

enum SyncStatus {
  kProtocolError = 4, kServerError = 5, kRequestIncomplete = 13, kInvalidWait = 14,
};

// The last full Sync request of the device, kept so an empty Sync (or a
// Partial one) can reuse its collections and options (MS-ASCMD 3.1.5.3).
constexpr std::string_view kCachedRequest = kCachedSyncRequest;

std::string TopStatus(int status) { return StatusAnswer(as::kSync, as::kStatus, status); }

Result<std::string> LoadCachedRequest(storage::Store& store, const CommandContext& ctx) {
  std::string cached;
  Status s = store.Read([&](storage::Txn& txn) {
    auto bytes = txn.GetSyncState(ctx.user.id, ctx.device_id, kCachedRequest);
    if (bytes.ok()) cached = std::move(bytes).value();
    return bytes.ok() || bytes.status().code() == Code::kNotFound ? Status::Ok()
                                                                  : bytes.status();
  });
  if (!s.ok()) return s;
  return cached;
}

// Collections of `cached` the request does not name, keeping their options
// and using whatever key is current for them.
void MergeCached(SyncRequest& request, const SyncRequest& cached) {
  for (const auto& c : cached.collections) {
    bool named = false;
    for (const auto& r : request.collections) named |= r.collection_id == c.collection_id;
    if (named) continue;
    CollectionRequest reuse = c;
    reuse.sync_key.clear();
    reuse.commands.clear();
    request.collections.push_back(std::move(reuse));
  }
  if (request.window == 0) request.window = cached.window;
}

// A hanging Sync that found nothing: what to wait for (the collections'
// modseqs now), held by the glue like a Ping.
Status HoldSync(CommandContext& ctx, const SyncRequest& request) {
  auto wait = std::make_shared<push::PingWait>();
  wait->user = ctx.user.id;
  wait->device_id = ctx.device_id;
  wait->heartbeat = request.wait_seconds;
  wait->version = ctx.version;
  wait->sync = true;
  Status s = ctx.store.Read([&](storage::Txn& txn) {
    auto change_seq = txn.ChangeSeq();
    if (!change_seq.ok()) return change_seq.status();
    auto hierarchy_seq = txn.HierarchySeq(ctx.user.id);
    if (!hierarchy_seq.ok()) return hierarchy_seq.status();
    wait->change_seq = *change_seq;
    wait->hierarchy_seq = *hierarchy_seq;
    for (const auto& c : request.collections) {
      auto id = ParseFolderId(c.collection_id);
      if (!id) continue;
      auto modseq = txn.FolderModseq(*id);
      if (!modseq.ok()) continue;  // gone: the answer said Status 12 already
      wait->folders.push_back({*id, *modseq});
    }
    return Status::Ok();
  });
  if (s.ok()) ctx.response.wait = std::move(wait);
  return s;
}

}  // namespace

void Sync(CommandContext& ctx) {
  SyncLimits limits;
  limits.max_window = ctx.request.options.sync_window_max;
  limits.state_expiry = ctx.request.options.sync_state_expiry;

  // The cached request, read (and decoded) only when an empty or Partial
  // request needs it; a full request is compared with it inside `run`.
  std::optional<wbxml::Element> cached_tree;
  std::optional<Status> cached_error;
  auto decode_cached = [&] {
    auto bytes = LoadCachedRequest(ctx.store, ctx);
    if (!bytes.ok()) {
      cached_error = bytes.status();
      return;
    }
    if (bytes->empty()) return;
    auto tree = wbxml::Decode(*bytes);
    if (tree.ok()) cached_tree = std::move(tree).value();
  };

  SyncRequest request;
  if (ctx.body == nullptr) {
    decode_cached();
    if (cached_error) {
      ctx.response.log.push_back({LogLevel::kError, "Sync: store: " + cached_error->message()});
      ctx.Answer(TopStatus(kServerError));
      return;
    }
    if (!cached_tree) {
      ctx.response.log.push_back({LogLevel::kInfo, "Sync: empty request and none to reuse"});
      ctx.Answer(TopStatus(kRequestIncomplete));
      return;
    }
    auto reused = ParseSyncRequest(*cached_tree);
    if (!reused.ok()) {
      ctx.Answer(TopStatus(kRequestIncomplete));
      return;
    }
    MergeCached(request, *reused);
  } else {
    if (Status parsed = ParseSyncRequest(*ctx.body, &request); !parsed.ok()) {
      ctx.response.log.push_back({LogLevel::kWarn, "Sync: " + parsed.message()});
      ctx.Answer(TopStatus(kProtocolError));
      return;
    }
    if (request.partial) {
      decode_cached();
      if (!cached_tree) {
        ctx.Answer(TopStatus(kRequestIncomplete));
        return;
      }
      auto reused = ParseSyncRequest(*cached_tree);
      if (reused.ok()) MergeCached(request, *reused);
    }
  }
  for (auto& c : request.collections) {
    if (c.window == 0) c.window = request.window;
  }
  // Wait (minutes) / HeartbeatInterval (seconds) within the Ping limits.
  const auto& options = ctx.request.options;
  if (request.wait_seconds &&
      (request.wait_seconds < options.ping_min || request.wait_seconds > options.ping_max)) {
    uint64_t limit = request.wait_seconds < options.ping_min ? options.ping_min : options.ping_max;
    bool minutes = ctx.body && ctx.body->Has(as::kWait);
    wbxml::Writer w;
    w.Start(as::kSync);
    w.Element(as::kStatus, std::to_string(kInvalidWait));
    w.Element(as::kLimit, std::to_string(minutes ? limit / 60 : limit));
    w.End();
    ctx.response.log.push_back({LogLevel::kInfo, "Sync: wait of " +
                                                     std::to_string(request.wait_seconds) +
                                                     " s out of range"});
    ctx.Answer(w.Take());
    return;
  }

  // A full request with collections becomes the one to reuse.
  const bool full_request =
      ctx.body != nullptr && !request.partial && !request.collections.empty();

  auto run = [&](storage::Txn& txn, bool writable, std::vector<CollectionOutcome>& outs,
                 bool& need_write) -> Status {
    bool remember = false;
    if (full_request) {
      std::string_view cached;  // compared at once: valid while nothing is written
      Status c = txn.ViewSyncState(ctx.user.id, ctx.device_id, kCachedRequest, &cached);
      if (c.ok()) {
        remember = cached != ctx.request.body;
      } else if (c.code() == Code::kNotFound) {
        remember = true;
      } else {
        return c;
      }
    }
    outs.clear();
    outs.resize(request.collections.size());
    need_write = remember;
    for (size_t i = 0; i < request.collections.size(); ++i) {
      Status s = SyncCollection(txn, ctx, request.collections[i], limits, writable, outs[i]);
      if (!s.ok()) return s;
      need_write |= outs[i].need_write;
    }
    if (writable && remember) {
      return txn.PutSyncState(ctx.user.id, ctx.device_id, kCachedRequest, ctx.request.body);
    }
    return Status::Ok();
  };

  std::vector<CollectionOutcome> outs;
  bool need_write = false;
  Status s = ctx.store.Read([&](storage::Txn& txn) { return run(txn, false, outs, need_write); });
  if (s.ok() && need_write) {
    if (!ctx.MayWrite()) return;
    s = ctx.store.Write([&](storage::Txn& txn) { return run(txn, true, outs, need_write); });
  }
  if (!s.ok()) {
    ctx.response.log.push_back({LogLevel::kError, "Sync: store: " + s.message()});
    ctx.Answer(TopStatus(kServerError));
    return;
  }

  bool any = false;
  for (const auto& o : outs) {
    any |= !o.fragment.empty();
    if (!o.log.empty()) ctx.response.log.push_back({o.log_level, o.log});
  }
  if (!any) {
    if (request.wait_seconds && !ctx.request.no_hold && ctx.body != nullptr) {
      // Hanging Sync: wait for a change instead of answering "nothing".
      if (Status h = HoldSync(ctx, request); h.ok()) {
        ctx.Answer(std::string());
        return;
      } else {
        ctx.response.log.push_back({LogLevel::kError, "Sync: cannot wait: " + h.message()});
      }
    }
    // Nothing changed anywhere: MS-ASCMD's empty answer.
    ctx.Answer(std::string());
    return;
  }
  wbxml::Writer w;
  size_t fragments = 0;
  for (const auto& o : outs) fragments += o.fragment.size();
  w.Reserve(fragments + 16);  // the fragments and four tokens
  w.Start(as::kSync);
  w.Start(as::kCollections);
  for (const auto& o : outs) {
    if (!o.fragment.empty()) w.Fragment(o.fragment);
  }
  w.End();
  w.End();
  ctx.Answer(w.Take());
}

}  // namespace eas::core::commands
