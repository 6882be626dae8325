// FolderSync (MS-ASCMD 2.2.1.5): the folder hierarchy, initial and
// incremental. A resent previous key replays the very same answer.
#include <functional>

#include "core/commands/command.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace fh = wbxml::tags::fh;

enum FolderSyncStatus { kSuccess = 1, kServerError = 6, kInvalidSyncKey = 9,
                        kBadRequest = 10 };

std::string StatusOnly(int status) {
  return StatusAnswer(fh::kFolderSync, fh::kStatus, status);
}

void WriteFolder(wbxml::Writer& w, const storage::FolderRecord& f) {
  w.Element(fh::kServerId, FolderIdString(f.id));
  w.Element(fh::kParentId, FolderIdString(f.parent));
  w.Element(fh::kDisplayName, f.name);
  w.Element(fh::kType, std::to_string(static_cast<int>(f.type)));
}

std::string Render(const std::string& key, const FolderChanges& changes) {
  wbxml::Writer w;
  w.Start(fh::kFolderSync);
  w.Element(fh::kStatus, "1");
  w.Element(fh::kSyncKey, key);
  w.Start(fh::kChanges);
  size_t count = changes.added.size() + changes.updated.size() + changes.deleted.size();
  w.Element(fh::kCount, std::to_string(count));
  for (const auto& f : changes.updated) {
    w.Start(fh::kUpdate);
    WriteFolder(w, f);
    w.End();
  }
  for (auto id : changes.deleted) {
    w.Start(fh::kDelete);
    w.Element(fh::kServerId, FolderIdString(id));
    w.End();
  }
  for (const auto& f : changes.added) {
    w.Start(fh::kAdd);
    WriteFolder(w, f);
    w.End();
  }
  w.End();
  w.End();
  return w.Take();
}

// One pass over a snapshot (read) or inside the write transaction. Sets
// `answer`, or `need_write` when the answer means a new state to store.
struct Outcome {
  std::string answer;
  bool need_write = false;
  bool bad_key = false;
};

Status Decide(storage::Txn& txn, CommandContext& ctx, const std::string& client_key,
              bool writable, Outcome& out) {
  std::string& answer = out.answer;
  auto loaded = LoadHierarchyState(txn, ctx);
  if (!loaded.ok()) return loaded.status();
  std::optional<HierarchyState>& state = *loaded;

  if (client_key != "0") {
    if (!state) {
      answer = StatusOnly(kInvalidSyncKey);
      out.bad_key = true;
      return Status::Ok();
    }
    if (client_key != state->KeyString()) {
      if (!state->last_request_key.empty() && client_key == state->last_request_key) {
        answer = state->last_response;  // the client lost our last answer
        return Status::Ok();
      }
      answer = StatusOnly(kInvalidSyncKey);
      out.bad_key = true;
      return Status::Ok();
    }
  }

  const HierarchyState* since = client_key == "0" ? nullptr : &*state;
  auto changes = HierarchyChanges(txn, ctx.user.id, since);
  if (!changes.ok()) return changes.status();

  if (since != nullptr && changes->empty()) {
    answer = Render(state->KeyString(), *changes);  // nothing new: same key
    return Status::Ok();
  }
  if (!writable) {
    out.need_write = true;
    return Status::Ok();
  }

  HierarchyState next;
  next.key = state ? state->key + 1 : 1;
  next.seen_seq = changes->seq;
  next.last_request_key = client_key;
  next.last_response = Render(next.KeyString(), *changes);
  answer = next.last_response;
  if (Status s = SaveHierarchyState(txn, ctx, next); !s.ok()) return s;
  return TrimHierarchy(txn, ctx.user.id, ctx.request.now, ctx.request.options.sync_state_expiry);
}

}  // namespace

void FolderSync(CommandContext& ctx) {
  if (ctx.body == nullptr || !(ctx.body->tag == fh::kFolderSync) ||
      !ctx.body->Has(fh::kSyncKey)) {
    ctx.response.log.push_back({LogLevel::kWarn, "FolderSync: request without SyncKey"});
    ctx.Answer(StatusOnly(kBadRequest));
    return;
  }
  const std::string client_key(ctx.body->ChildText(fh::kSyncKey));

  Outcome out;
  Status s = ctx.store.Read([&](storage::Txn& txn) {
    return Decide(txn, ctx, client_key, false, out);
  });
  if (s.ok() && out.need_write) {
    if (!ctx.MayWrite()) return;
    s = ctx.store.Write([&](storage::Txn& txn) {
      out = Outcome();
      return Decide(txn, ctx, client_key, true, out);
    });
  }
  if (!s.ok()) {
    ctx.response.log.push_back({LogLevel::kError, "FolderSync: store: " + s.message()});
    ctx.Answer(StatusOnly(kServerError));
    return;
  }
  if (out.bad_key) {
    ctx.response.log.push_back(
        {LogLevel::kInfo, "FolderSync: unknown SyncKey \"" + client_key +
                              "\", the device must start over"});
  }
  ctx.Answer(std::move(out.answer));
}

}  // namespace eas::core::commands
