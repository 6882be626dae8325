// The client's Add, Change, Delete and Fetch of one collection. What a
// Change or Delete does to an item is its class's (items::ItemClass); what
// the device holds follows each command, so what it is sent afterwards
// stays right (sync_changes.hpp).
#include "core/commands/collection_sync.hpp"

#include <utility>

#include "core/items/item_data.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {

Status CollectionSync::ApplyCommands() {
  for (const auto& cmd : req_.commands) {
    Status s = Apply(cmd);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status CollectionSync::Apply(const ClientCommand& cmd) {
  const storage::FolderId folder = target_.folder.id;
  Reply reply{cmd.kind, cmd.client_id, cmd.server_id, kSyncSuccess, {}, {}};
  if (cmd.kind == ClientCommand::kAdd) {
    Status s = ApplyAdd(cmd, reply);
    if (s.ok()) replies_.push_back(std::move(reply));
    return s;
  }

  std::optional<storage::ItemId> id = ParseItemServerId(cmd.server_id, folder);
  std::optional<storage::ItemRecord> existing;
  if (id) {
    auto item = txn_.GetItem(folder, *id);
    if (item.ok()) {
      existing = std::move(item).value();
    } else if (item.status().code() != Code::kNotFound) {
      return item.status();
    }
  }
  if (!existing) {
    // Gone already (another device deleted it): a device deleting it too
    // no longer holds it, so it is not sent that Delete again.
    if (cmd.kind == ClientCommand::kDelete && id) {
      Status s = txn_.SetHeld(ctx_.user.id, ctx_.device_id, folder, *id, false);
      if (!s.ok()) return s;
    }
    reply.status = kSyncObjectNotFound;
    replies_.push_back(std::move(reply));
    return Status::Ok();
  }

  bool answered = true;
  Status s;
  switch (cmd.kind) {
    case ClientCommand::kAdd: break;  // above
    case ClientCommand::kChange: s = ApplyChange(cmd, *existing, reply, answered); break;
    case ClientCommand::kDelete: s = ApplyDelete(cmd, *existing, reply, answered); break;
    case ClientCommand::kFetch:
      reply.application_data = RenderItem(items::StoredOf(*existing), items::RenderScope::kWhole);
      break;
  }
  if (s.ok() && answered) replies_.push_back(std::move(reply));
  return s;
}

Status CollectionSync::ApplyAdd(const ClientCommand& cmd, Reply& reply) {
  for (const auto& [client, server] : state_.client_ids) {
    if (client == cmd.client_id) {  // resent Add: same answer, no new item
      reply.server_id = server;
      return Status::Ok();
    }
  }
  if (target_.writable && target_.item_class->Composes(target_.folder, ctx_.version)) {
    bool answered = true, plain = false;
    return ApplyComposed(cmd, nullptr, reply, answered, &plain);
  }
  if (!target_.writable || !target_.item_class->ClientMayAdd()) {
    reply.status = kSyncNotPermitted;
    ctx_.response.log.push_back(
        {LogLevel::kNotice, "Sync from " + ctx_.user.name + ": Add " + cmd.client_id + " to " +
                                target_.folder.name + " refused (Status 6): " +
                                (target_.writable ? "no items of this class are added by Sync"
                                                  : "read-only folder")});
    return Status::Ok();
  }
  if (!Acceptable(*cmd.data, reply)) return Status::Ok();
  storage::ItemRecord item;
  item.folder = target_.folder.id;
  wbxml::Element app = *cmd.data;
  target_.item_class->ToStoredShape(app);  // e.g. a 2.5 client's body as stored
  item.data = items::EncodeItemData(app);
  Status told = ClientWrote({}, 0, &item);
  if (!told.ok()) return told;
  auto added = txn_.PutItem(std::move(item));
  if (!added.ok()) return added.status();
  reply.server_id = ItemServerId(target_.folder.id, added->id);
  own_changes_.emplace_back(added->id, added->modseq);
  new_client_ids_.emplace_back(cmd.client_id, reply.server_id);
  return txn_.SetHeld(ctx_.user.id, ctx_.device_id, target_.folder.id, added->id, true);
}

Status CollectionSync::ApplyChange(const ClientCommand& cmd, storage::ItemRecord& existing,
                                   Reply& reply, bool& answered) {
  if (!target_.writable) {
    reply.status = kSyncNotPermitted;
    // the phone shows its edit until told otherwise: send ours back
    outgoing_.push_back({Outgoing::kChange, cmd.server_id,
                         RenderItem(items::StoredOf(existing), items::RenderScope::kWhole)});
    return Status::Ok();
  }
  if (target_.item_class->Composes(target_.folder, ctx_.version)) {
    bool plain = false;
    Status s = ApplyComposed(cmd, &existing, reply, answered, &plain);
    if (!s.ok() || !plain) return s;
  }
  if (!Acceptable(*cmd.data, reply)) return Status::Ok();
  answered = false;  // success needs no Response
  bool unseen = existing.modseq > state_.Position() && !IsOwn(state_, existing.id, existing.modseq);
  if (unseen && req_.conflict != 0) return Status::Ok();  // server wins: ours goes out
  const items::ChangeRules rules{ctx_.version, state_.supported};
  auto changed_data =
      target_.item_class->ApplyChange(existing.data, *cmd.data, cmd.instance_id, rules);
  if (!changed_data.ok()) return changed_data.status();
  std::string before = std::exchange(existing.data, std::move(changed_data).value());
  Status told = ClientWrote(before, existing.blob, &existing);
  if (!told.ok()) return told;
  auto changed = txn_.PutItem(existing);
  if (!changed.ok()) return changed.status();
  own_changes_.emplace_back(changed->id, changed->modseq);
  return Status::Ok();
}

Status CollectionSync::ApplyDelete(const ClientCommand& cmd, storage::ItemRecord& existing,
                                   Reply& reply, bool& answered) {
  if (!target_.writable) {
    reply.status = kSyncNotPermitted;
    outgoing_.push_back({Outgoing::kAdd, cmd.server_id,
                         RenderItem(items::StoredOf(existing), items::RenderScope::kWhole)});
    return Status::Ok();
  }
  answered = false;
  const storage::FolderId folder = target_.folder.id;
  auto remaining = target_.item_class->ApplyDelete(existing.data, cmd.instance_id);
  if (!remaining.ok()) return remaining.status();
  if (*remaining) {  // one occurrence of a series went; the series stays
    std::string before = std::exchange(existing.data, std::move(**remaining));
    Status told = ClientWrote(before, existing.blob, &existing);
    if (!told.ok()) return told;
    auto changed = txn_.PutItem(existing);
    if (!changed.ok()) return changed.status();
    own_changes_.emplace_back(changed->id, changed->modseq);
    return Status::Ok();
  }
  Status s = ClientWrote(existing.data, existing.blob, nullptr);
  if (s.ok()) {
    s = target_.item_class->BeforeDelete(txn_, target_.folder, existing, req_.deletes_as_moves);
  }
  // Unheld first: a tombstone is kept only for the devices that still
  // hold the item.
  if (s.ok()) s = txn_.SetHeld(ctx_.user.id, ctx_.device_id, folder, existing.id, false);
  if (s.ok()) s = txn_.DeleteItem(folder, existing.id);
  if (!s.ok()) return s;
  auto modseq = txn_.FolderModseq(folder);
  if (!modseq.ok()) return modseq.status();
  own_changes_.emplace_back(existing.id, *modseq);
  return Status::Ok();
}

bool CollectionSync::Acceptable(const wbxml::Element& application_data, Reply& reply) {
  Status s = target_.item_class->CheckFromClient(application_data);
  if (s.ok()) return true;
  reply.status = kSyncInvalidItem;
  const std::string what = reply.kind == ClientCommand::kAdd ? "Add " + reply.client_id
                                                               : "Change of " + reply.server_id;
  ctx_.response.log.push_back({LogLevel::kWarn, "Sync from " + ctx_.user.name + ": " + what +
                                                    " refused (Status 6): " + s.message()});
  return false;
}

Status CollectionSync::ClientWrote(std::string_view before, uint64_t before_blob,
                                   storage::ItemRecord* item) {
  std::vector<std::string> notes;
  Status s = target_.item_class->OnClientWrite(txn_, ctx_.user, before, before_blob, item,
                                               ctx_.request.now, &notes);
  for (std::string& n : notes) {
    ctx_.response.log.push_back({LogLevel::kInfo, "Sync from " + ctx_.user.name + ": " + n});
  }
  return s;
}

}  // namespace eas::core::commands
