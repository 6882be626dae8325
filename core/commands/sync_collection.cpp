// Sync of one collection: which folder it is, the SyncKey (new, current,
// previous: replayed, unknown: Status 3), then the work of CollectionSync
// (collection_sync.hpp); and GetItemEstimate's count of the same.
#include "core/commands/sync_collection.hpp"

#include <algorithm>
#include <optional>

#include "core/collection_state.hpp"
#include "core/commands/collection_sync.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/commands/sync_changes.hpp"
#include "core/commands/sync_request.hpp"
#include "core/folder_access.hpp"
#include "core/sync_state_names.hpp"
#include "core/wbxml/decoder.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace as = wbxml::tags::airsync;
using storage::FolderRecord;

// A device that gets the same lost answer this often is stuck on it.
constexpr uint64_t kLoopThreshold = 3;

std::string StatusFragment(const CollectionRequest& req, int status) {
  wbxml::Writer w;
  w.ForgetPage();
  w.Start(as::kCollection);
  if (status == kSyncInvalidKey) w.Element(as::kSyncKey, "0");
  w.Element(as::kCollectionId, req.collection_id);
  w.Element(as::kStatus, std::to_string(status));
  w.End();
  return w.TakeFragment();
}

}  // namespace

Status ResolveTarget(storage::Txn& txn, const CommandContext& ctx, std::string_view collection_id,
                     SyncTarget* target, bool* found) {
  *found = false;
  auto id = ParseFolderId(collection_id);
  if (!id || *id == 0) return Status::Ok();
  Status s = txn.ReadFolder(*id, &target->folder);
  if (s.code() == Code::kNotFound) return Status::Ok();
  if (!s.ok()) return s;
  const FolderRecord& folder = target->folder;
  if (folder.hidden) return Status::Ok();
  const FolderRole role = RoleOf(folder, ctx.user.id);
  if (!MayRead(role)) return Status::Ok();  // foreign: unknown
  target->writable = MayWriteItems(role);
  target->item_class = &items::ClassOf(folder.type);
  *found = true;
  return Status::Ok();
}

std::optional<storage::ItemId> ParseItemServerId(std::string_view sid, storage::FolderId folder) {
  size_t colon = sid.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto f = ParseFolderId(sid.substr(0, colon));
  auto i = ParseFolderId(sid.substr(colon + 1));
  if (!f || !i || *f != folder || *i == 0) return std::nullopt;
  return *i;
}

std::string AnswerKey(std::string_view collection_id) {
  return std::string(collection_id) + std::string(kAnswerSuffix);
}

Status SaveAnswer(storage::Txn& txn, const CommandContext& ctx, std::string_view collection_id,
                  std::string_view answer) {
  return txn.PutSyncState(ctx.user.id, ctx.device_id, AnswerKey(collection_id), answer);
}

Status SweepFolder(storage::Txn& txn, storage::FolderId folder, uint64_t now, uint64_t expiry,
                   std::string* log) {
  constexpr uint64_t kDay = 86400;
  const uint64_t interval = expiry == 0 ? kDay : std::clamp<uint64_t>(expiry / 8, 1, kDay);
  auto sweep = txn.SweepFolder(folder, now, expiry, interval);
  if (!sweep.ok()) return sweep.status();
  if (sweep->forgotten.empty()) return Status::Ok();
  const std::string collection = FolderIdString(folder);
  std::string who;
  for (const auto& [user, device] : sweep->forgotten) {
    for (const std::string& key : {collection, AnswerKey(collection)}) {
      Status s = txn.DeleteSyncState(user, device, key);
      if (!s.ok() && s.code() != Code::kNotFound) return s;
    }
    auto owner = txn.GetUserById(user);
    who += " " + device + " of " + (owner.ok() ? owner->name : "user " + std::to_string(user));
  }
  *log = "Sync: folder " + collection + " forgot " + std::to_string(sweep->forgotten.size()) +
         " device(s) neither syncing nor seen for " + std::to_string(expiry) +
         " s (they must resync):" + who + "; " + std::to_string(sweep->tombstones_dropped) +
         " tombstone(s) dropped";
  return Status::Ok();
}

bool IsOwn(const CollectionState& s, storage::ItemId item, uint64_t modseq) {
  return std::find(s.own_changes.begin(), s.own_changes.end(), std::make_pair(item, modseq)) !=
         s.own_changes.end();
}


std::string ItemServerId(uint64_t folder, uint64_t item) {
  return std::to_string(folder) + ":" + std::to_string(item);
}

Status EstimateCollection(storage::Txn& txn, CommandContext& ctx, std::string_view collection_id,
                          std::string_view sync_key, int filter_type, int& status,
                          size_t& estimate) {
  constexpr size_t kMaxCounted = 100000;
  estimate = 0;
  SyncTarget target;
  bool resolved = false;
  if (Status s = ResolveTarget(txn, ctx, collection_id, &target, &resolved); !s.ok()) return s;
  if (!resolved) {
    status = 2;
    return Status::Ok();
  }
  if (sync_key == "0") {
    status = 3;
    return Status::Ok();
  }
  CollectionState state;
  bool has_state = false;
  if (Status s = LoadCollectionState(txn, ctx.user.id, ctx.device_id, collection_id, &state,
                                     &has_state);
      !s.ok()) {
    return s;
  }
  if (!has_state || (!sync_key.empty() && !state.IsKey(sync_key))) {
    status = 4;
    return Status::Ok();
  }
  if (filter_type == kStoredFilter) {
    CollectionRequest stored;
    filter_type = ApplySyncOptions(state.options, stored) ? stored.filter_type : 0;
  }
  ChangeScan::Options options = WindowedScanOptions(ctx, target, filter_type, state.options);
  ChangeScan scan(txn, options, PositionOf(state),
                  [&](storage::ItemId item, uint64_t modseq) { return IsOwn(state, item, modseq); });
  Status s = scan.Run([&](ServerChange&) { return ++estimate < kMaxCounted; });
  if (!s.ok()) return s;
  status = 1;
  return Status::Ok();
}

// The answer to a resent key. From the kLoopThreshold-th time in a row on,
// the items in it are skipped (the device moves on without them) and named
// in the log, instead of looping forever.
Status Replay(storage::Txn& txn, CommandContext& ctx, const CollectionRequest& req,
              CollectionState state, CollectionOutcome& out) {
  auto answer = txn.GetSyncState(ctx.user.id, ctx.device_id, AnswerKey(req.collection_id));
  if (!answer.ok()) {
    if (answer.status().code() != Code::kNotFound) return answer.status();
    out.fragment = StatusFragment(req, kSyncInvalidKey);  // nothing to replay
    return Status::Ok();
  }
  state.replays += 1;
  out.fragment = *answer;
  out.log = "Sync: replayed the answer to SyncKey " + req.sync_key + " of collection " +
            req.collection_id;
  if (state.replays >= kLoopThreshold) {
    auto doc = wbxml::Decode(std::string("\x03\x01\x6a\x00", 4) + *answer);
    if (doc.ok()) {
      std::string skipped;
      wbxml::Writer w;
      w.ForgetPage();
      w.Start(as::kCollection);
      for (const auto& child : doc->children) {
        if (!(child.tag == as::kCommands)) {
          wbxml::WriteElement(w, child);
          continue;
        }
        const auto folder = ParseFolderId(req.collection_id);
        for (const auto& cmd : child.children) {
          std::string_view sid = cmd.ChildText(as::kServerId);
          skipped += " " + std::string(sid);
          // The device never took it: it does not hold it.
          auto item = folder ? ParseItemServerId(sid, *folder) : std::nullopt;
          if (cmd.tag == as::kAdd && item) {
            Status unheld = txn.SetHeld(ctx.user.id, ctx.device_id, *folder, *item, false);
            if (!unheld.ok()) return unheld;
          }
        }
      }
      w.End();
      out.fragment = w.TakeFragment();
      if (Status saved = SaveAnswer(txn, ctx, req.collection_id, out.fragment); !saved.ok()) {
        return saved;
      }
      out.log = "Sync: device " + ctx.device_id + " of " + ctx.user.name + " asked " +
                std::to_string(state.replays) + " times for the answer to SyncKey " +
                req.sync_key + " of collection " + req.collection_id +
                "; skipping the items it cannot take:" + skipped;
      out.log_level = LogLevel::kWarn;
      state.replays = 0;
    }
  }
  return txn.PutSyncState(ctx.user.id, ctx.device_id, req.collection_id,
                          EncodeCollectionState(state));
}

Status SyncCollection(storage::Txn& txn, CommandContext& ctx, const CollectionRequest& req,
                      const SyncLimits& limits, bool writable, CollectionOutcome& out) {
  out = CollectionOutcome();
  SyncTarget target;
  bool resolved = false;
  if (Status s = ResolveTarget(txn, ctx, req.collection_id, &target, &resolved); !s.ok()) {
    return s;
  }
  if (!resolved) {
    out.fragment = StatusFragment(req, kSyncHierarchyChanged);
    out.log = "Sync: collection \"" + req.collection_id + "\" is not a folder of " + ctx.user.name;
    return Status::Ok();
  }

  CollectionState state;
  bool has_state = false;
  if (Status s = LoadCollectionState(txn, ctx.user.id, ctx.device_id, req.collection_id, &state,
                                     &has_state);
      !s.ok()) {
    return s;
  }

  if (req.sync_key == "0") {
    if (!req.commands.empty()) {
      out.fragment = StatusFragment(req, kSyncProtocolError);
      out.log = "Sync: commands with SyncKey 0";
      return Status::Ok();
    }
    if (!writable) {
      out.need_write = true;
      return Status::Ok();
    }
    CollectionState fresh;
    fresh.key = has_state ? state.key + 1 : 1;  // keys never come back
    fresh.initial = true;
    fresh.snapshot = target.folder.modseq;
    fresh.options = req.has_options ? EncodeSyncOptions(req) : has_state ? state.options : "";
    // MS-ASCMD 2.2.3.179: what this Sync says (or does not) holds until the
    // device's next SyncKey 0 of the folder.
    fresh.supported = req.supported;
    if (Status s = txn.NoteReader(ctx.user.id, ctx.device_id, target.folder.id,
                                  ctx.request.now, /*afresh=*/true);
        !s.ok()) {
      return s;
    }
    wbxml::Writer w;
    w.ForgetPage();
    w.Start(as::kCollection);
    w.Element(as::kSyncKey, fresh.KeyString());
    w.Element(as::kCollectionId, req.collection_id);
    w.Element(as::kStatus, "1");
    w.End();
    out.fragment = w.TakeFragment();
    return txn.PutSyncState(ctx.user.id, ctx.device_id, req.collection_id,
                            EncodeCollectionState(fresh));
  }

  // An empty key (a reused request) means the current one.
  if (!has_state || !(req.sync_key.empty() || state.IsKey(req.sync_key))) {
    if (has_state && !state.last_request_key.empty() && req.sync_key == state.last_request_key) {
      // The client lost our answer: the same again, counted, because a
      // client that cannot take an item asks again and again.
      if (!writable) {
        out.need_write = true;
        return Status::Ok();
      }
      return Replay(txn, ctx, req, state, out);
    }
    out.fragment = StatusFragment(req, kSyncInvalidKey);
    out.log = "Sync: unknown SyncKey \"" + req.sync_key + "\" for collection " + req.collection_id;
    return Status::Ok();
  }
  // New Options replace the stored ones (written even when nothing else is).
  const bool new_options = req.has_options && EncodeSyncOptions(req) != state.options;
  // The usual "anything new?": every item change bumps the folder's modseq,
  // so one the device has seen means nothing to send and nothing to write.
  if (!writable && req.commands.empty() && !new_options &&
      (!req.get_changes || (!state.initial && target.folder.modseq <= state.seen_modseq &&
                            !MayAgeOut(state, ctx.request.now)))) {
    return Status::Ok();
  }

  // The request as it applies: the key spelled out, the stored Options
  // when it came without.
  std::optional<CollectionRequest> keyed;
  if (req.sync_key.empty() || (!req.has_options && !state.options.empty())) {
    keyed = req;
    if (req.sync_key.empty()) keyed->sync_key = state.KeyString();
    if (!req.has_options) ApplySyncOptions(state.options, *keyed);
  }
  CollectionSync sync(txn, ctx, keyed ? *keyed : req, limits, target, state);
  if (!writable) {
    bool pending = false;
    if (req.get_changes) {
      if (Status s = sync.CollectChanges(true, pending); !s.ok()) return s;
    }
    // An initial walk that found nothing to send (an empty folder, or its
    // items all outside the FilterType) must still be stored as done, so
    // the device's no-change Syncs take the fast path.
    out.need_write = pending || !req.commands.empty() || (req.get_changes && state.initial) ||
                     new_options;
    return Status::Ok();  // nothing new: no fragment, same key
  }
  if (Status s = sync.ApplyCommands(); !s.ok()) return s;
  bool any = false;
  if (req.get_changes) {
    if (Status s = sync.CollectChanges(false, any); !s.ok()) return s;
  }
  // Nothing for the device (perhaps written only because another
  // collection or the request cache had to be): same key, no answer.
  Status s = req.commands.empty() && !any ? sync.AdvanceSeen() : sync.Finish(out);
  if (out.log.empty()) out.log = sync.log();
  return s;
}

}  // namespace eas::core::commands
