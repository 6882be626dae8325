// MoveItems (MS-ASCMD 2.2.1.12): items from one folder to another of the
// same class, every Move of a request in one write transaction. A moved
// item gets a new ServerId in its new folder and keeps its data, its blob
// (shared, never copied) and its time. The moving device is sent neither
// the Delete nor the Add it made itself; every other device gets both from
// its next Sync, and push wakes them as for any change.
//
// A client that lost the answer sends the same request again: the last
// request of the device that moved something is kept with its answer, and
// the same bytes get the same answer without a second move.

#include <string>
#include <string_view>
#include <vector>

#include "core/collection_state.hpp"
#include "core/commands/collection_sync.hpp"
#include "core/commands/command.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/commands/sync_collection.hpp"
#include "core/sync_state_names.hpp"
#include "core/util/digest.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace mv = wbxml::tags::move;

// MS-ASCMD 2.2.3.177.10.
enum MoveStatus {
  kInvalidSource = 1,       // no such source folder, or no such item in it
  kInvalidDestination = 2,  // no such destination folder
  kMoved = 3,
  kSameFolder = 4,          // source and destination are one folder
  kCannotMove = 5,          // the destination holds another class of item
  kLocked = 7,              // a folder the user may read but not change
};

// Common status codes (MS-ASCMD 2.2.2) in <MoveItems><Status> from 14.0 on;
// before that the HTTP status alone.
constexpr int kInvalidXml = 103, kInvalidXmlHttp = 400;
constexpr int kServerErrorRetryLater = 111, kServerErrorHttp = 503;

// The sync state keeping the device's last request that moved something:
// its SHA-256, then the answer.
constexpr std::string_view kLastMove = kLastMoveItems;
constexpr size_t kDigestSize = 32;
// ServerIds in the answer are at most this long (MoveItemsResponse.xsd).
constexpr size_t kMaxIdLength = 64;

struct Move {
  std::string_view src_msg_id, src_fld_id, dst_fld_id;
  int status = kMoved;
  std::string dst_msg_id;
  std::string why;  // for the log, when not moved
};

// The request's Moves; false when it is not a MoveItems request with at
// least one Move naming an item, its folder and a destination.
bool ParseMoves(const wbxml::Element* body, std::vector<Move>* moves) {
  if (body == nullptr || !(body->tag == mv::kMoveItems)) return false;
  for (const wbxml::Element* m : body->Children(mv::kMove)) {
    Move move;
    move.src_msg_id = m->ChildText(mv::kSrcMsgId);
    move.src_fld_id = m->ChildText(mv::kSrcFldId);
    move.dst_fld_id = m->ChildText(mv::kDstFldId);
    for (std::string_view id : {move.src_msg_id, move.src_fld_id, move.dst_fld_id}) {
      if (id.empty() || id.size() > kMaxIdLength) return false;
    }
    moves->push_back(move);
  }
  return !moves->empty();
}

// The stored answer when `digest` is the device's last request's; empty
// otherwise.
Status FindReplay(storage::Txn& txn, const CommandContext& ctx, std::string_view digest,
                  std::string* answer) {
  answer->clear();
  std::string_view last;
  Status s = txn.ViewSyncState(ctx.user.id, ctx.device_id, kLastMove, &last);
  if (s.code() == Code::kNotFound) return Status::Ok();
  if (!s.ok()) return s;
  if (last.size() > kDigestSize && last.substr(0, kDigestSize) == digest) {
    answer->assign(last.substr(kDigestSize));
  }
  return Status::Ok();
}

// The moving device's state of `folder`, when it syncs it, after its own
// change took the folder from modseq `before` to `after`. `added` (the
// moved item in its new folder) is held by the device and its own change,
// so its next Sync does not send it; the old item it no longer holds is
// no news to it either. A device that had seen every change of the folder
// still has: its Ping is not woken by its own move, and its next Sync
// takes the no-change path.
Status NoteOwnChange(storage::Txn& txn, const CommandContext& ctx, storage::FolderId folder,
                     uint64_t before, uint64_t after, const storage::ItemRecord* added) {
  const std::string collection = FolderIdString(folder);
  CollectionState state;
  bool has_state = false;
  Status s = LoadCollectionState(txn, ctx.user.id, ctx.device_id, collection, &state, &has_state);
  // None: its first Sync (SyncKey 0) gets the folder as it is then.
  if (!s.ok() || !has_state) return s;
  if (added != nullptr) {
    s = txn.SetHeld(ctx.user.id, ctx.device_id, folder, added->id, true);
    if (!s.ok()) return s;
    state.own_changes.emplace_back(added->id, added->modseq);
  }
  if (!state.initial && state.seen_modseq == before) {
    state.seen_modseq = after;
  } else if (added == nullptr) {
    return Status::Ok();  // nothing to note
  }
  return txn.PutSyncState(ctx.user.id, ctx.device_id, collection, EncodeCollectionState(state));
}

std::string TypeNumber(const storage::FolderRecord& folder) {
  return std::to_string(static_cast<int>(folder.type));
}

// Decides one Move and, with `write`, makes it. Without, a Move that would
// succeed is only marked so (nothing read afterwards depends on it).
Status MoveOne(storage::Txn& txn, const CommandContext& ctx, Move& m, bool write) {
  m.status = kMoved;
  m.dst_msg_id.clear();
  m.why.clear();
  auto refuse = [&](int status, std::string why) {
    m.status = status;
    m.why = std::move(why);
    return Status::Ok();
  };
  SyncTarget src, dst;
  bool found = false;
  if (Status s = ResolveTarget(txn, ctx, m.src_fld_id, &src, &found); !s.ok()) return s;
  if (!found) return refuse(kInvalidSource, "no folder " + std::string(m.src_fld_id));
  if (Status s = ResolveTarget(txn, ctx, m.dst_fld_id, &dst, &found); !s.ok()) return s;
  if (!found) return refuse(kInvalidDestination, "no folder " + std::string(m.dst_fld_id));
  if (src.folder.id == dst.folder.id) return refuse(kSameFolder, "source is the destination");

  const auto id = ParseItemServerId(m.src_msg_id, src.folder.id);
  if (!id) return refuse(kInvalidSource, "not an item of folder " + std::string(m.src_fld_id));
  auto item = txn.GetItem(src.folder.id, *id);
  if (!item.ok()) {
    if (item.status().code() != Code::kNotFound) return item.status();
    return refuse(kInvalidSource, "no such item in folder " + std::string(m.src_fld_id));
  }
  if (src.item_class != dst.item_class) {
    return refuse(kCannotMove, "folder " + std::string(m.dst_fld_id) + " (type " +
                                   TypeNumber(dst.folder) +
                                   ") holds another class of item than folder " +
                                   std::string(m.src_fld_id) + " (type " +
                                   TypeNumber(src.folder) + ")");
  }
  for (const SyncTarget* t : {&src, &dst}) {
    if (!t->writable) {
      return refuse(kLocked, "folder " + FolderIdString(t->folder.id) + " is read-only for " +
                                 ctx.user.name);
    }
  }
  if (!write) return Status::Ok();

  const uint64_t src_before = src.folder.modseq, dst_before = dst.folder.modseq;
  storage::ItemRecord copy;
  copy.folder = dst.folder.id;
  copy.data = item->data;
  copy.blob = item->blob;  // shared: the new item takes a reference
  copy.time = item->time;
  auto added = txn.PutItem(std::move(copy));
  if (!added.ok()) return added.status();
  // Unheld first: no tombstone is kept for the device that moved it.
  Status s = txn.SetHeld(ctx.user.id, ctx.device_id, src.folder.id, *id, false);
  if (s.ok()) s = txn.DeleteItem(src.folder.id, *id);
  if (!s.ok()) return s;
  m.dst_msg_id = ItemServerId(dst.folder.id, added->id);
  auto src_after = txn.FolderModseq(src.folder.id);
  if (!src_after.ok()) return src_after.status();
  s = NoteOwnChange(txn, ctx, src.folder.id, src_before, *src_after, nullptr);
  if (!s.ok()) return s;
  return NoteOwnChange(txn, ctx, dst.folder.id, dst_before, added->modseq, &*added);
}

std::string Render(const std::vector<Move>& moves) {
  wbxml::Writer w;
  w.Start(mv::kMoveItems);
  for (const Move& m : moves) {
    w.Start(mv::kResponse);
    w.Element(mv::kSrcMsgId, m.src_msg_id);
    w.Element(mv::kStatus, std::to_string(m.status));
    if (m.status == kMoved) w.Element(mv::kDstMsgId, m.dst_msg_id);
    w.End();
  }
  w.End();
  return w.Take();
}

}  // namespace

void MoveItems(CommandContext& ctx) {
  std::vector<Move> moves;
  if (!ParseMoves(ctx.body, &moves)) {
    const std::string sent = ctx.AnswerCommonStatus(kInvalidXml, kInvalidXmlHttp);
    ctx.response.log.push_back({LogLevel::kWarn, "MoveItems: malformed request (every Move needs "
                                                 "SrcMsgId, SrcFldId and DstFldId); answered " +
                                                     sent});
    return;
  }
  const std::string digest = util::Sha256(ctx.request.body);

  // First from a snapshot: a resent request, or one that moves nothing,
  // is answered without a write.
  std::string replay;
  bool any_moved = false;
  auto run = [&](storage::Txn& txn, bool write) -> Status {
    any_moved = false;
    if (Status s = FindReplay(txn, ctx, digest, &replay); !s.ok() || !replay.empty()) return s;
    for (Move& m : moves) {
      if (Status s = MoveOne(txn, ctx, m, write); !s.ok()) return s;
      any_moved |= m.status == kMoved;
    }
    if (!write || !any_moved) return Status::Ok();
    return txn.PutSyncState(ctx.user.id, ctx.device_id, kLastMove, digest + Render(moves));
  };
  Status s = ctx.store.Read([&](storage::Txn& txn) { return run(txn, false); });
  if (s.ok() && replay.empty() && any_moved) {
    if (!ctx.MayWrite()) return;
    s = ctx.store.Write([&](storage::Txn& txn) { return run(txn, true); });
  }
  if (!s.ok()) {
    const std::string sent = ctx.AnswerCommonStatus(kServerErrorRetryLater, kServerErrorHttp);
    ctx.response.log.push_back(
        {LogLevel::kError, "MoveItems: store: " + s.message() + "; answered " + sent});
    return;
  }
  if (!replay.empty()) {
    ctx.response.log.push_back(
        {LogLevel::kInfo, "MoveItems: the same request again: the same answer, nothing moved"});
    ctx.Answer(std::move(replay));
    return;
  }

  std::string refused;
  size_t failed = 0;
  for (const Move& m : moves) {
    if (m.status == kMoved) continue;
    ++failed;
    refused += (refused.empty() ? " " : "; ") + std::string(m.src_msg_id) + " from folder " +
               std::string(m.src_fld_id) + " to " + std::string(m.dst_fld_id) + ": Status " +
               std::to_string(m.status) + " (" + m.why + ")";
  }
  if (failed != 0) {
    ctx.response.log.push_back({LogLevel::kInfo, "MoveItems: " + std::to_string(failed) + " of " +
                                                     std::to_string(moves.size()) +
                                                     " not moved:" + refused});
  }
  ctx.Answer(Render(moves));
}

}  // namespace eas::core::commands
