#include "core/commands/collection_sync.hpp"

#include <algorithm>

#include "core/commands/sync_request.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace as = wbxml::tags::airsync;

// Recent ClientIds remembered per collection (a resent Add is recognised).
constexpr size_t kMaxRememberedClientIds = 512;

bool SamePosition(const ScanPosition& a, const ScanPosition& b) {
  return a.initial == b.initial && a.cursor == b.cursor && a.cursor_time == b.cursor_time &&
         a.seen == b.seen;
}

}  // namespace

ChangeScan::Options ScanOptions(const CommandContext& ctx, const SyncTarget& target) {
  ChangeScan::Options options;
  options.user = ctx.user.id;
  options.device_id = ctx.device_id;
  options.folder = target.folder.id;
  options.item_class = target.item_class;
  return options;
}

ChangeScan::Options WindowedScanOptions(const CommandContext& ctx, const SyncTarget& target,
                                        int filter_type, std::string_view stored_options) {
  ChangeScan::Options options = ScanOptions(ctx, target);
  const uint64_t now = ctx.request.now;
  options.cutoff = target.item_class->FilterCutoff(filter_type, now);
  if (target.item_class->WalksByTime()) {
    // Without stored Options the device was offered the whole folder.
    CollectionRequest before;
    if (ApplySyncOptions(stored_options, before)) {
      const uint64_t was = target.item_class->FilterCutoff(before.filter_type, now);
      options.widened = was != 0 && options.cutoff < was;
    }
  }
  return options;
}

CollectionSync::CollectionSync(storage::Txn& txn, CommandContext& ctx,
                               const CollectionRequest& req, const SyncLimits& limits,
                               const SyncTarget& target, const CollectionState& state)
    : txn_(txn), ctx_(ctx), req_(req), limits_(limits), target_(target), state_(state),
      render_options_{req.body_preferences, req.mime_support, ctx.version, req.truncation},
      pos_(PositionOf(state)) {}

std::string CollectionSync::RenderItem(const items::StoredItem& item,
                                       items::RenderScope scope) const {
  wbxml::Writer w;
  w.ForgetPage();
  target_.item_class->Render(w, txn_, item, render_options_, scope);
  return w.TakeFragment();
}

Status CollectionSync::CollectChanges(bool dry_run, bool& any) {
  any = false;
  size_t window = req_.window ? req_.window : limits_.default_window;
  window = std::clamp<size_t>(window, 1, limits_.max_window);
  pos_ = PositionOf(state_);
  // Every item change bumps the folder's modseq: when the device has seen
  // it, the log has nothing newer (the usual "anything new?"). Commands
  // applied just now may have moved the modseq past our copy of the
  // folder, so a request with commands takes the long way.
  // New Options may widen the window.
  if (req_.commands.empty() && !state_.initial && target_.folder.modseq <= state_.seen_modseq &&
      !MayAgeOut(state_, ctx_.request.now) &&
      !(req_.has_options && EncodeSyncOptions(req_) != state_.options)) {
    return Status::Ok();
  }
  ChangeScan::Options options =
      WindowedScanOptions(ctx_, target_, req_.filter_type, state_.options);
  scanned_ = true;
  cutoff_ = options.cutoff;
  options.trim = !dry_run;
  ChangeScan scan(txn_, options, pos_, [this](storage::ItemId item, uint64_t modseq) {
    return IsOwn(state_, item, modseq) || IsOwnNow(item, modseq);
  });
  size_t bytes = 0;
  Status failure;
  Status s = scan.Run([&](ServerChange& change) {
    if (dry_run || outgoing_.size() >= window || bytes >= limits_.max_bytes) return false;
    Outgoing out{change.kind == ServerChange::kAdd          ? Outgoing::kAdd
                 : change.kind == ServerChange::kChange     ? Outgoing::kChange
                 : change.kind == ServerChange::kSoftDelete ? Outgoing::kSoftDelete
                                                            : Outgoing::kDelete,
                 ItemServerId(target_.folder.id, change.item), {}};
    if (out.kind == Outgoing::kAdd || out.kind == Outgoing::kChange) {
      const auto scope =
          out.kind == Outgoing::kAdd ? items::RenderScope::kWhole : items::RenderScope::kChange;
      out.application_data =
          RenderItem({change.data, change.blob, target_.folder.id, change.item}, scope);
    }
    // Rendered first: the change's data is valid only until the store is
    // written (ServerChange).
    failure = NoteSent(change);
    if (!failure.ok()) return false;
    bytes += out.application_data.size() + out.server_id.size();
    outgoing_.push_back(std::move(out));
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  if (dry_run) {
    // Something to send, or changes passed over that the device never gets
    // (its own, outside its FilterType, deletes of items it never held):
    // the write pass sends the one or records the new position, so the
    // folder no longer looks changed to the device's Ping.
    any = scan.more() || !SamePosition(scan.position(), PositionOf(state_));
    return Status::Ok();
  }
  pos_ = scan.position();
  more_ = scan.more();
  any = !outgoing_.empty() || more_;
  return Status::Ok();
}

Status CollectionSync::AdvanceSeen() {
  const bool new_options = req_.has_options && EncodeSyncOptions(req_) != state_.options;
  if (SamePosition(pos_, PositionOf(state_)) && !new_options) return Status::Ok();
  CollectionState next = state_;
  SetPosition(next);
  if (req_.has_options) next.options = EncodeSyncOptions(req_);
  if (Status s = NoteSynced(); !s.ok()) return s;
  return txn_.PutSyncState(ctx_.user.id, ctx_.device_id, req_.collection_id,
                           EncodeCollectionState(next));
}

Status CollectionSync::Finish(CollectionOutcome& out) {
  CollectionState next = state_;
  next.key = state_.key + 1;
  next.last_request_key = req_.sync_key;
  next.replays = 0;
  SetPosition(next);
  if (req_.has_options) next.options = EncodeSyncOptions(req_);
  for (auto& own : own_changes_) next.own_changes.push_back(own);
  if (Status s = NoteSynced(); !s.ok()) return s;
  for (auto& ids : new_client_ids_) next.client_ids.push_back(std::move(ids));
  if (next.client_ids.size() > kMaxRememberedClientIds) {
    next.client_ids.erase(next.client_ids.begin(),
                          next.client_ids.end() - kMaxRememberedClientIds);
  }
  out.fragment = Render(next.KeyString());
  if (Status s = SaveAnswer(txn_, ctx_, req_.collection_id, out.fragment); !s.ok()) return s;
  return txn_.PutSyncState(ctx_.user.id, ctx_.device_id, req_.collection_id,
                           EncodeCollectionState(next));
}

void CollectionSync::SetPosition(CollectionState& next) const {
  next.initial = pos_.initial;
  next.cursor = pos_.cursor;
  next.cursor_time = pos_.cursor_time;
  next.seen_modseq = pos_.seen;
  next.oldest_held = pos_.oldest_held;
  if (scanned_) {
    // The window starts `now - cutoff` before a Sync: the oldest held item
    // leaves it that long after its time. cutoff_ 0: no window.
    const uint64_t span = cutoff_ != 0 ? ctx_.request.now - cutoff_ : 0;
    next.age_at = span == 0 || pos_.oldest_held == kNothingHeld ? UINT64_MAX
                                                                : pos_.oldest_held + span;
  }
  if (!pos_.initial) {
    std::erase_if(next.own_changes, [&](const auto& own) { return own.second <= pos_.seen; });
  }
}

Status CollectionSync::NoteSent(const ServerChange& change) {
  if (change.kind == ServerChange::kChange) return Status::Ok();
  const bool add = change.kind == ServerChange::kAdd;
  Status s = txn_.SetHeld(ctx_.user.id, ctx_.device_id, target_.folder.id, change.item, add);
  // A SoftDelete has no tombstone: the item stays.
  if (s.ok() && change.kind == ServerChange::kDelete) {
    s = txn_.TrimTombstone(target_.folder.id, change.modseq, change.item);
  }
  return s;
}

Status CollectionSync::NoteSynced() {
  const uint64_t now = ctx_.request.now;
  Status s = txn_.NoteReader(ctx_.user.id, ctx_.device_id, target_.folder.id, now, false);
  if (!s.ok()) return s;
  return SweepFolder(txn_, target_.folder.id, now, limits_.state_expiry, &log_);
}

bool CollectionSync::IsOwnNow(storage::ItemId item, uint64_t modseq) const {
  return std::find(own_changes_.begin(), own_changes_.end(), std::make_pair(item, modseq)) !=
         own_changes_.end();
}

std::string CollectionSync::Render(const std::string& key) const {
  wbxml::Writer w;
  size_t items = 0;
  for (const auto& o : outgoing_) items += o.application_data.size() + o.server_id.size() + 8;
  w.Reserve(items + 256);  // the items, and the collection's own few elements
  w.ForgetPage();
  w.Start(as::kCollection);
  w.Element(as::kSyncKey, key);
  w.Element(as::kCollectionId, req_.collection_id);
  w.Element(as::kStatus, "1");
  if (!replies_.empty()) {
    w.Start(as::kResponses);
    for (const auto& r : replies_) WriteReply(w, r);
    w.End();
  }
  if (more_) w.Empty(as::kMoreAvailable);
  if (!outgoing_.empty()) {
    w.Start(as::kCommands);
    for (const auto& o : outgoing_) {
      w.Start(o.kind == Outgoing::kAdd          ? as::kAdd
              : o.kind == Outgoing::kChange     ? as::kChange
              : o.kind == Outgoing::kSoftDelete ? as::kSoftDelete
                                                : as::kDelete);
      w.Element(as::kServerId, o.server_id);
      w.Fragment(o.application_data);
      w.End();
    }
    w.End();
  }
  w.End();
  return w.TakeFragment();
}

void CollectionSync::WriteReply(wbxml::Writer& w, const Reply& r) const {
  switch (r.kind) {
    case ClientCommand::kAdd:
      w.Start(as::kAdd);
      w.Element(as::kClientId, r.client_id);
      if (!r.server_id.empty()) w.Element(as::kServerId, r.server_id);
      break;
    case ClientCommand::kChange: w.Start(as::kChange); break;
    case ClientCommand::kDelete: w.Start(as::kDelete); break;
    case ClientCommand::kFetch: w.Start(as::kFetch); break;
  }
  if (r.kind != ClientCommand::kAdd) w.Element(as::kServerId, r.server_id);
  w.Element(as::kStatus, std::to_string(r.status));
  if (r.kind == ClientCommand::kFetch && r.status == kSyncSuccess) {
    w.Fragment(r.application_data);
  }
  if (!r.attachments.empty()) {
    // MS-ASAIRS 2.2.2.7: an added attachment's ClientId with the
    // FileReference a later Delete names it by.
    w.Start(as::kApplicationData);
    w.Start(wbxml::tags::base::kAttachments);
    for (const auto& [client_id, file_reference] : r.attachments) {
      w.Start(wbxml::tags::base::kAttachment);
      w.Element(wbxml::tags::base::kClientId, client_id);
      w.Element(wbxml::tags::base::kFileReference, file_reference);
      w.End();
    }
    w.End();
    w.End();
  }
  w.End();
}

}  // namespace eas::core::commands
