// FolderCreate / FolderUpdate / FolderDelete (MS-ASCMD 2.2.1.3, .6, .4).
// Each checks the hierarchy SyncKey, edits in one write transaction, and
// moves the device to a new key that already includes its own change.
#include <functional>

#include "core/commands/command.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/folder_access.hpp"
#include "core/folder_type.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace fh = wbxml::tags::fh;

enum EditStatus {
  kSuccess = 1, kNameExists = 2, kSystemFolder = 3, kNoSuchFolder = 4,
  kNoSuchParent = 5, kServerError = 6, kInvalidSyncKey = 9, kBadRequest = 10,
};

struct EditResult {
  int status = kSuccess;
  std::string server_id;  // FolderCreate's new folder
  std::string new_key;
};

// The edit proper: returns a protocol status; kSuccess lets the caller
// advance the state. Runs inside the write transaction.
using Edit = std::function<Status(storage::Txn&, EditResult&)>;

bool NameTaken(const std::vector<storage::FolderRecord>& folders, storage::UserId owner,
               storage::FolderId parent, std::string_view name, storage::FolderId except) {
  for (const auto& f : folders) {
    if (f.owner == owner && f.parent == parent && f.name == name && f.id != except) {
      return true;
    }
  }
  return false;
}

void RunEdit(CommandContext& ctx, wbxml::Tag root, const Edit& edit) {
  auto answer = [&](const EditResult& r) {
    wbxml::Writer w;
    w.Start(root);
    w.Element(fh::kStatus, std::to_string(r.status));
    if (r.status == kSuccess) {
      w.Element(fh::kSyncKey, r.new_key);
      if (!r.server_id.empty()) w.Element(fh::kServerId, r.server_id);
    }
    w.End();
    ctx.Answer(w.Take());
  };

  EditResult result;
  if (ctx.body == nullptr || !(ctx.body->tag == root) || !ctx.body->Has(fh::kSyncKey)) {
    ctx.response.log.push_back({LogLevel::kWarn, ctx.query.cmd + ": malformed request"});
    result.status = kBadRequest;
    answer(result);
    return;
  }
  if (!ctx.MayWrite()) return;

  const std::string client_key(ctx.body->ChildText(fh::kSyncKey));
  Status s = ctx.store.Write([&](storage::Txn& txn) {
    result = EditResult();
    auto loaded = LoadHierarchyState(txn, ctx);
    if (!loaded.ok()) return loaded.status();
    std::optional<HierarchyState>& state = *loaded;
    if (!state || client_key != state->KeyString()) {
      result.status = kInvalidSyncKey;
      return Status::Ok();
    }
    auto before = txn.HierarchySeq(ctx.user.id);
    if (!before.ok()) return before.status();
    if (Status e = edit(txn, result); !e.ok() || result.status != kSuccess) return e;
    auto after = txn.HierarchySeq(ctx.user.id);
    if (!after.ok()) return after.status();

    HierarchyState next = *state;
    next.key = state->key + 1;
    for (uint64_t seq = *before + 1; seq <= *after; ++seq) next.own_seqs.push_back(seq);
    next.last_request_key.clear();  // replay is FolderSync's alone
    next.last_response.clear();
    result.new_key = next.KeyString();
    if (Status saved = SaveHierarchyState(txn, ctx, next); !saved.ok()) return saved;
    return TrimHierarchy(txn, ctx.user.id, ctx.request.now,
                         ctx.request.options.sync_state_expiry);
  });
  if (!s.ok()) {
    ctx.response.log.push_back({LogLevel::kError, ctx.query.cmd + ": store: " + s.message()});
    result = EditResult();
    result.status = kServerError;
  } else if (result.status != kSuccess) {
    ctx.response.log.push_back({LogLevel::kInfo, ctx.query.cmd + " refused with Status " +
                                                     std::to_string(result.status)});
  }
  answer(result);
}

// Resolves ParentId: 0 (top level) or a folder the user owns and sees (a
// hidden folder, Collected Addresses, is never shown, so it is no parent).
Status CheckParent(storage::Txn& txn, const CommandContext& ctx, std::string_view text,
                   storage::FolderId& parent, EditResult& result) {
  auto id = ParseFolderId(text);
  if (!id) {
    result.status = kNoSuchParent;
    return Status::Ok();
  }
  parent = *id;
  if (parent == 0) return Status::Ok();
  auto folder = txn.GetFolder(parent);
  if (!folder.ok()) {
    if (folder.status().code() != Code::kNotFound) return folder.status();
    result.status = kNoSuchParent;
  } else if (RoleOf(*folder, ctx.user.id) != FolderRole::kOwner || folder->hidden) {
    result.status = kNoSuchParent;
  }
  return Status::Ok();
}

// Resolves ServerId to a folder the user owns and may change.
Status CheckTarget(storage::Txn& txn, const CommandContext& ctx,
                   storage::FolderRecord& target, EditResult& result) {
  auto id = ParseFolderId(ctx.body->ChildText(fh::kServerId));
  if (!id) {
    result.status = kNoSuchFolder;
    return Status::Ok();
  }
  auto folder = txn.GetFolder(*id);
  if (!folder.ok()) {
    if (folder.status().code() != Code::kNotFound) return folder.status();
    result.status = kNoSuchFolder;
    return Status::Ok();
  }
  if (const FolderRole role = RoleOf(*folder, ctx.user.id); role != FolderRole::kOwner) {
    // A share may be synced, not renamed or deleted; foreign ids don't exist.
    result.status = MayRead(role) ? kSystemFolder : kNoSuchFolder;
    return Status::Ok();
  }
  if (IsSystemFolder(*folder) || folder->hidden) {
    result.status = kSystemFolder;
    return Status::Ok();
  }
  target = std::move(folder).value();
  return Status::Ok();
}

}  // namespace

void FolderCreate(CommandContext& ctx) {
  RunEdit(ctx, fh::kFolderCreate, [&](storage::Txn& txn, EditResult& result) {
    std::string name(ctx.body->ChildText(fh::kDisplayName));
    auto type = ParseFolderId(ctx.body->ChildText(fh::kType));
    if (name.empty() || !type || !IsUserCreatableType(static_cast<int>(*type))) {
      result.status = kBadRequest;
      return Status::Ok();
    }
    storage::FolderId parent = 0;
    if (Status s = CheckParent(txn, ctx, ctx.body->ChildText(fh::kParentId), parent, result);
        !s.ok() || result.status != kSuccess) {
      return s;
    }
    auto mine = txn.VisibleFolders(ctx.user.id);
    if (!mine.ok()) return mine.status();
    if (NameTaken(*mine, ctx.user.id, parent, name, 0)) {
      result.status = kNameExists;
      return Status::Ok();
    }
    storage::FolderRecord folder;
    folder.owner = ctx.user.id;
    folder.parent = parent;
    folder.type = static_cast<storage::FolderKind>(*type);
    folder.name = name;
    auto created = txn.CreateFolder(std::move(folder));
    if (!created.ok()) return created.status();
    result.server_id = FolderIdString(created->id);
    return Status::Ok();
  });
}

void FolderUpdate(CommandContext& ctx) {
  RunEdit(ctx, fh::kFolderUpdate, [&](storage::Txn& txn, EditResult& result) {
    storage::FolderRecord folder;
    if (Status s = CheckTarget(txn, ctx, folder, result); !s.ok() || result.status != kSuccess) {
      return s;
    }
    std::string name(ctx.body->ChildText(fh::kDisplayName));
    if (name.empty()) {
      result.status = kBadRequest;
      return Status::Ok();
    }
    storage::FolderId parent = 0;
    if (Status s = CheckParent(txn, ctx, ctx.body->ChildText(fh::kParentId), parent, result);
        !s.ok() || result.status != kSuccess) {
      return s;
    }
    if (parent == folder.id) {
      result.status = kNoSuchParent;
      return Status::Ok();
    }
    auto mine = txn.VisibleFolders(ctx.user.id);
    if (!mine.ok()) return mine.status();
    if (NameTaken(*mine, ctx.user.id, parent, name, folder.id)) {
      result.status = kNameExists;
      return Status::Ok();
    }
    folder.name = name;
    folder.parent = parent;
    return txn.UpdateFolder(folder);
  });
}

void FolderDelete(CommandContext& ctx) {
  RunEdit(ctx, fh::kFolderDelete, [&](storage::Txn& txn, EditResult& result) {
    storage::FolderRecord folder;
    if (Status s = CheckTarget(txn, ctx, folder, result); !s.ok() || result.status != kSuccess) {
      return s;
    }
    return txn.DeleteFolder(folder.id);
  });
}

}  // namespace eas::core::commands
