#include "core/commands/sync_collection.hpp"

#include <algorithm>
#include <optional>

#include "core/collection_state.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/commands/sync_changes.hpp"
#include "core/folder_access.hpp"
#include "core/items/calendar_window.hpp"
#include "core/items/item_data.hpp"
#include "core/wbxml/decoder.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"
#include "core/folder_type.hpp"

namespace eas::core::commands {
namespace {

namespace as = wbxml::tags::airsync;
using storage::ChangeKind;
using storage::FolderRecord;
using storage::ItemRecord;

enum SyncStatus {
  kSuccess = 1, kInvalidSyncKey = 3, kProtocolError = 4, kServerError = 5,
  kNotPermitted = 6, kObjectNotFound = 8, kHierarchyChanged = 12,
};

// Recent ClientIds remembered per collection (a resent Add is recognised).
constexpr size_t kMaxRememberedClientIds = 512;

// A device that gets the same lost answer this often is stuck on it.
constexpr uint64_t kLoopThreshold = 3;

struct Target {
  FolderRecord folder;
  bool writable = false;
};

bool IsCalendar(const FolderRecord& f) {
  return f.type == folder_type::kCalendar || f.type == folder_type::kUserCalendar;
}

// The folder behind CollectionId, read into *target; *found is false when
// this user may not sync it (no such folder, hidden, foreign).
Status Resolve(storage::Txn& txn, const CommandContext& ctx, std::string_view collection_id,
               Target* target, bool* found) {
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

// The last answer of a collection is kept apart from its state: the state
// is read on every Sync, the answer (up to a window of items) only when a
// client resends its previous key.
std::string AnswerKey(std::string_view collection_id) {
  return std::string(collection_id) + "#answer";
}

Status SaveAnswer(storage::Txn& txn, const CommandContext& ctx, std::string_view collection_id,
                  std::string_view answer) {
  return txn.PutSyncState(ctx.user.id, ctx.device_id, AnswerKey(collection_id), answer);
}

// Runs the folder's sweep when due (Txn::SweepFolder) and drops the sync
// states of the devices it forgot: their next Sync gets Status 3. Says
// in *log whom it forgot.
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

// 16.x changes one occurrence of a series by InstanceId (MS-ASCAL 2.2.2.22:
// no Exceptions in the request): the series' Exception for that instance
// becomes `fields` (the changed properties), or a deleted occurrence.
Result<std::string> ApplyOccurrence(std::string_view series_data, const std::string& instance,
                                    const wbxml::Element* fields) {
  static const wbxml::Tag kExceptions = wbxml::TagNamed(wbxml::Page::kCalendar, "Exceptions");
  static const wbxml::Tag kException = wbxml::TagNamed(wbxml::Page::kCalendar, "Exception");
  static const wbxml::Tag kDeleted = wbxml::TagNamed(wbxml::Page::kCalendar, "Exception_Deleted");
  static const wbxml::Tag kStart = wbxml::TagNamed(wbxml::Page::kCalendar, "Exception_StartTime");
  namespace base = wbxml::tags::base;
  auto series = items::DecodeItemData(series_data);
  if (!series.ok()) return series.status();
  wbxml::Element* exceptions = nullptr;
  for (auto& c : series->children) {
    if (c.tag == kExceptions) exceptions = &c;
  }
  if (exceptions == nullptr) {
    series->children.push_back(wbxml::Element{kExceptions, "", false, {}});
    exceptions = &series->children.back();
  }
  std::erase_if(exceptions->children, [&](const wbxml::Element& e) {
    return e.ChildText(base::kInstanceId) == instance || e.ChildText(kStart) == instance;
  });
  wbxml::Element exception{kException, "", false, {}};
  exception.children.push_back(wbxml::Element{base::kInstanceId, instance, false, {}});
  if (fields == nullptr) {
    exception.children.push_back(wbxml::Element{kDeleted, "1", false, {}});
  } else {
    for (const auto& f : fields->children) exception.children.push_back(f);
  }
  exceptions->children.push_back(std::move(exception));
  return items::EncodeItemData(*series);
}

std::string StatusFragment(const CollectionRequest& req, int status) {
  wbxml::Writer w;
  w.ForgetPage();
  w.Start(as::kCollection);
  if (status == kInvalidSyncKey) w.Element(as::kSyncKey, "0");
  w.Element(as::kCollectionId, req.collection_id);
  w.Element(as::kStatus, std::to_string(status));
  w.End();
  return w.TakeFragment();
}

bool IsOwn(const CollectionState& s, storage::ItemId item, uint64_t modseq) {
  return std::find(s.own_changes.begin(), s.own_changes.end(), std::make_pair(item, modseq)) !=
         s.own_changes.end();
}

struct Reply {
  ClientCommand::Kind kind;
  std::string client_id, server_id;
  int status = kSuccess;
  std::string data;  // Fetch
};

// A server-side change to send in <Commands>.
struct Outgoing {
  enum Kind { kAdd, kChange, kDelete } kind;
  std::string server_id;
  std::string data;
};

class CollectionSync {
 public:
  // `target` and `state` outlive this object (the caller's).
  CollectionSync(storage::Txn& txn, CommandContext& ctx, const CollectionRequest& req,
                 const SyncLimits& limits, const Target& target, const CollectionState& state)
      : txn_(txn), ctx_(ctx), req_(req), limits_(limits), target_(target), state_(state),
        pos_(PositionOf(state)) {}

  // Applies the client's commands (write pass only).
  Status ApplyCommands() {
    for (const auto& cmd : req_.commands) {
      Status s = Apply(cmd);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

  // Collects what the device is sent next (sync_changes.hpp), within the
  // window and bytes. With dry_run, only says whether there is any.
  Status CollectChanges(bool dry_run, bool& any) {
    any = false;
    size_t window = req_.window ? req_.window : limits_.default_window;
    window = std::clamp<size_t>(window, 1, limits_.max_window);
    pos_ = PositionOf(state_);
    // Every item change bumps the folder's modseq: when the device has seen
    // it, the log has nothing newer (the usual "anything new?"). Commands
    // applied just now may have moved the modseq past our copy of the
    // folder, so a request with commands takes the long way.
    if (req_.commands.empty() && !state_.initial &&
        target_.folder.modseq <= state_.seen_modseq) {
      return Status::Ok();
    }
    uint64_t keep = IsCalendar(target_.folder) ? items::CalendarFilterSeconds(req_.filter_type) : 0;
    ChangeScan::Options options;
    options.user = ctx_.user.id;
    options.device_id = ctx_.device_id;
    options.folder = target_.folder.id;
    options.cutoff = keep && ctx_.request.now > keep ? ctx_.request.now - keep : 0;
    options.trim = !dry_run;
    ChangeScan scan(txn_, options, pos_, [this](storage::ItemId item, uint64_t modseq) {
      return IsOwn(state_, item, modseq) || IsOwnNow(item, modseq);
    });
    size_t bytes = 0;
    Status failure;
    Status s = scan.Run([&](ServerChange& change) {
      if (dry_run || outgoing_.size() >= window || bytes >= limits_.max_bytes) return false;
      failure = NoteSent(change);
      if (!failure.ok()) return false;
      bytes += change.data.size();
      outgoing_.push_back({change.kind == ServerChange::kAdd      ? Outgoing::kAdd
                           : change.kind == ServerChange::kChange ? Outgoing::kChange
                                                                  : Outgoing::kDelete,
                           ItemServerId(target_.folder.id, change.item), std::move(change.data)});
      return true;
    });
    if (!s.ok()) return s;
    if (!failure.ok()) return failure;
    if (dry_run) {
      any = scan.more();  // the write pass sorts out what the device really gets
      return Status::Ok();
    }
    pos_ = scan.position();
    more_ = scan.more();
    any = !outgoing_.empty() || more_;
    return Status::Ok();
  }

  // Nothing to tell the device, but changes it never gets (outside its
  // FilterType, its own, deletes of items it never had) were passed:
  // remember that, same key.
  Status AdvanceSeen() {
    if (SamePosition(pos_, PositionOf(state_))) return Status::Ok();
    CollectionState next = state_;
    SetPosition(next);
    if (Status s = NoteSynced(); !s.ok()) return s;
    return txn_.PutSyncState(ctx_.user.id, ctx_.device_id, req_.collection_id,
                             EncodeCollectionState(next));
  }

  // The answer and the device's next state.
  Status Finish(CollectionOutcome& out) {
    CollectionState next = state_;
    next.key = state_.key + 1;
    next.last_request_key = req_.sync_key;
    next.replays = 0;
    SetPosition(next);
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

 private:
  static ScanPosition PositionOf(const CollectionState& s) {
    return {s.initial, s.snapshot, s.cursor, s.seen_modseq};
  }
  static bool SamePosition(const ScanPosition& a, const ScanPosition& b) {
    return a.initial == b.initial && a.cursor == b.cursor && a.seen == b.seen;
  }
  // The scan's position into `next`; own changes it passed are forgotten.
  void SetPosition(CollectionState& next) const {
    next.initial = pos_.initial;
    next.cursor = pos_.cursor;
    next.seen_modseq = pos_.seen;
    if (!pos_.initial) {
      std::erase_if(next.own_changes, [&](const auto& own) { return own.second <= pos_.seen; });
    }
  }

  // The device now holds an Add's item and no longer a Delete's; a
  // tombstone no device needs any more goes.
  Status NoteSent(const ServerChange& change) {
    if (change.kind == ServerChange::kChange) return Status::Ok();
    const bool add = change.kind == ServerChange::kAdd;
    Status s = txn_.SetHeld(ctx_.user.id, ctx_.device_id, target_.folder.id, change.item, add);
    if (s.ok() && !add) s = txn_.TrimTombstone(target_.folder.id, change.modseq, change.item);
    return s;
  }

  // The device is a current reader of the folder; now and then the folder
  // forgets readers gone for longer than the expiry (their sync states
  // with them: they resync, Status 3) and the tombstones nobody needs.
  Status NoteSynced() {
    const uint64_t now = ctx_.request.now;
    Status s = txn_.NoteReader(ctx_.user.id, ctx_.device_id, target_.folder.id, now, false);
    if (!s.ok()) return s;
    return SweepFolder(txn_, target_.folder.id, now, limits_.state_expiry, &log_);
  }

 public:
  // A line for the log from this Sync's housekeeping, if any.
  const std::string& log() const { return log_; }

 private:

  static bool IsMail(const FolderRecord& f) {
    return f.type == folder_type::kInbox || f.type == folder_type::kDrafts ||
           f.type == folder_type::kSentItems || f.type == folder_type::kOutbox ||
           f.type == folder_type::kUserMail;
  }

  // DeletesAsMoves (the default for mail): a deleted message goes to the
  // owner's Deleted Items instead of away.
  Status MoveToDeletedItems(const ItemRecord& item) {
    auto folders = txn_.VisibleFolders(target_.folder.owner);
    if (!folders.ok()) return folders.status();
    for (const auto& f : *folders) {
      if (f.owner != target_.folder.owner || f.type != folder_type::kDeletedItems) continue;
      ItemRecord copy;
      copy.folder = f.id;
      copy.data = item.data;
      return txn_.PutItem(std::move(copy)).status();
    }
    return Status::Ok();  // no Deleted Items: a plain delete
  }

  // A change this very request made.
  bool IsOwnNow(storage::ItemId item, uint64_t modseq) const {
    return std::find(own_changes_.begin(), own_changes_.end(), std::make_pair(item, modseq)) !=
           own_changes_.end();
  }

  Status Apply(const ClientCommand& cmd) {
    const storage::FolderId folder = target_.folder.id;
    Reply reply{cmd.kind, cmd.client_id, cmd.server_id, kSuccess, {}};
    std::optional<storage::ItemId> id;
    std::optional<ItemRecord> existing;
    if (cmd.kind != ClientCommand::kAdd) {
      id = ParseItemServerId(cmd.server_id, folder);
      if (id) {
        auto item = txn_.GetItem(folder, *id);
        if (item.ok()) {
          existing = std::move(item).value();
        } else if (item.status().code() != Code::kNotFound) {
          return item.status();
        }
      }
      if (!existing) {
        // Gone already (another device deleted it): a device deleting it
        // too no longer holds it, so it is not sent that Delete again.
        if (cmd.kind == ClientCommand::kDelete && id) {
          Status s = txn_.SetHeld(ctx_.user.id, ctx_.device_id, folder, *id, false);
          if (!s.ok()) return s;
        }
        reply.status = kObjectNotFound;
        replies_.push_back(std::move(reply));
        return Status::Ok();
      }
    }

    switch (cmd.kind) {
      case ClientCommand::kAdd: {
        for (const auto& [client, server] : state_.client_ids) {
          if (client == cmd.client_id) {  // resent Add: same answer, no new item
            reply.server_id = server;
            replies_.push_back(std::move(reply));
            return Status::Ok();
          }
        }
        if (!target_.writable) {
          reply.status = kNotPermitted;
          break;
        }
        ItemRecord item;
        item.folder = folder;
        item.data = items::EncodeItemData(*cmd.data);
        auto added = txn_.PutItem(std::move(item));
        if (!added.ok()) return added.status();
        reply.server_id = ItemServerId(folder, added->id);
        own_changes_.emplace_back(added->id, added->modseq);
        if (Status s = txn_.SetHeld(ctx_.user.id, ctx_.device_id, folder, added->id, true);
            !s.ok()) {
          return s;
        }
        new_client_ids_.emplace_back(cmd.client_id, reply.server_id);
        break;
      }
      case ClientCommand::kChange: {
        if (!target_.writable) {
          reply.status = kNotPermitted;
          // the phone shows its edit until told otherwise: send ours back
          outgoing_.push_back({Outgoing::kChange, cmd.server_id, existing->data});
          break;
        }
        bool unseen = existing->modseq > state_.Position() &&
                      !IsOwn(state_, existing->id, existing->modseq);
        if (unseen && req_.conflict != 0) return Status::Ok();  // server wins: ours goes out
        if (!cmd.instance_id.empty()) {
          auto merged = ApplyOccurrence(existing->data, cmd.instance_id, cmd.data);
          if (!merged.ok()) return merged.status();
          existing->data = std::move(merged).value();
        } else {
          existing->data = items::EncodeItemData(*cmd.data);
        }
        auto changed = txn_.PutItem(*existing);
        if (!changed.ok()) return changed.status();
        own_changes_.emplace_back(changed->id, changed->modseq);
        return Status::Ok();  // success needs no Response
      }
      case ClientCommand::kDelete: {
        if (!target_.writable) {
          reply.status = kNotPermitted;
          outgoing_.push_back({Outgoing::kAdd, cmd.server_id, existing->data});
          break;
        }
        if (!cmd.instance_id.empty()) {  // one occurrence of a series
          auto merged = ApplyOccurrence(existing->data, cmd.instance_id, nullptr);
          if (!merged.ok()) return merged.status();
          existing->data = std::move(merged).value();
          auto changed = txn_.PutItem(*existing);
          if (!changed.ok()) return changed.status();
          own_changes_.emplace_back(changed->id, changed->modseq);
          return Status::Ok();
        }
        if (req_.deletes_as_moves && IsMail(target_.folder)) {
          if (Status s = MoveToDeletedItems(*existing); !s.ok()) return s;
        }
        // Unheld first: a tombstone is kept only for the devices that still
        // hold the item.
        if (Status s = txn_.SetHeld(ctx_.user.id, ctx_.device_id, folder, *id, false); !s.ok()) {
          return s;
        }
        if (Status s = txn_.DeleteItem(folder, *id); !s.ok()) return s;
        auto modseq = txn_.FolderModseq(folder);
        if (!modseq.ok()) return modseq.status();
        own_changes_.emplace_back(*id, *modseq);
        return Status::Ok();
      }
      case ClientCommand::kFetch:
        reply.data = existing->data;
        break;
    }
    replies_.push_back(std::move(reply));
    return Status::Ok();
  }

  std::string Render(const std::string& key) const {
    wbxml::Writer w;
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
        w.Start(o.kind == Outgoing::kAdd ? as::kAdd
                : o.kind == Outgoing::kChange ? as::kChange : as::kDelete);
        w.Element(as::kServerId, o.server_id);
        if (o.kind != Outgoing::kDelete) {
          w.Start(as::kApplicationData);
          w.Fragment(o.data);
          w.End();
        }
        w.End();
      }
      w.End();
    }
    w.End();
    return w.TakeFragment();
  }

  static void WriteReply(wbxml::Writer& w, const Reply& r) {
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
    if (r.kind == ClientCommand::kFetch && r.status == kSuccess) {
      w.Start(as::kApplicationData);
      w.Fragment(r.data);
      w.End();
    }
    w.End();
  }

  storage::Txn& txn_;
  CommandContext& ctx_;
  const CollectionRequest& req_;
  const SyncLimits& limits_;
  const Target& target_;
  const CollectionState& state_;
  std::vector<Reply> replies_;
  std::vector<Outgoing> outgoing_;
  std::vector<std::pair<uint64_t, uint64_t>> own_changes_;
  std::vector<std::pair<std::string, std::string>> new_client_ids_;
  ScanPosition pos_;
  bool more_ = false;
  std::string log_;
};

}  // namespace

std::string ItemServerId(uint64_t folder, uint64_t item) {
  return std::to_string(folder) + ":" + std::to_string(item);
}

Status EstimateCollection(storage::Txn& txn, CommandContext& ctx, std::string_view collection_id,
                          std::string_view sync_key, int& status, size_t& estimate) {
  constexpr size_t kMaxCounted = 100000;
  estimate = 0;
  Target target;
  bool resolved = false;
  if (Status s = Resolve(txn, ctx, collection_id, &target, &resolved); !s.ok()) return s;
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
  ChangeScan::Options options;
  options.user = ctx.user.id;
  options.device_id = ctx.device_id;
  options.folder = target.folder.id;
  ChangeScan scan(txn, options, {state.initial, state.snapshot, state.cursor, state.seen_modseq},
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
    out.fragment = StatusFragment(req, kInvalidSyncKey);  // nothing to replay
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
        for (const auto& cmd : child.children) {
          std::string_view sid = cmd.ChildText(as::kServerId);
          skipped += " " + std::string(sid);
          // The device never took it: it does not hold it.
          auto folder = ParseFolderId(req.collection_id);
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
  Target target;
  bool resolved = false;
  if (Status s = Resolve(txn, ctx, req.collection_id, &target, &resolved); !s.ok()) return s;
  if (!resolved) {
    out.fragment = StatusFragment(req, kHierarchyChanged);
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
      out.fragment = StatusFragment(req, kProtocolError);
      out.log = "Sync: commands with SyncKey 0";
      return Status::Ok();
    }
    if (!writable) {
      out.need_write = true;
      return Status::Ok();
    }
    CollectionState fresh;
    fresh.key = has_state ? state.key + 1 : 1;  // keys never come back
    // An empty folder has no live items to walk: straight to the log, so
    // the device's no-change Syncs take the fast path from the start.
    auto first = txn.ItemsAfter(target.folder.id, 0, 1);
    if (!first.ok()) return first.status();
    fresh.initial = !first->empty();
    fresh.snapshot = target.folder.modseq;
    fresh.seen_modseq = fresh.initial ? 0 : target.folder.modseq;
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
    out.fragment = StatusFragment(req, kInvalidSyncKey);
    out.log = "Sync: unknown SyncKey \"" + req.sync_key + "\" for collection " + req.collection_id;
    return Status::Ok();
  }
  // The usual "anything new?": every item change bumps the folder's modseq,
  // so one the device has seen means nothing to send and nothing to write.
  if (!writable && req.commands.empty() &&
      (!req.get_changes || (!state.initial && target.folder.modseq <= state.seen_modseq))) {
    return Status::Ok();
  }

  // The request as it applies, with the key spelled out.
  std::optional<CollectionRequest> keyed;
  if (req.sync_key.empty()) {
    keyed = req;
    keyed->sync_key = state.KeyString();
  }
  CollectionSync sync(txn, ctx, keyed ? *keyed : req, limits, target, state);
  if (!writable) {
    bool pending = false;
    if (req.get_changes) {
      if (Status s = sync.CollectChanges(true, pending); !s.ok()) return s;
    }
    // An initial walk that found nothing to send (its items all outside
    // the FilterType, say) must still be stored as done.
    out.need_write = pending || !req.commands.empty() || (req.get_changes && state.initial);
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
