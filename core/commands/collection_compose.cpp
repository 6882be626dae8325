// A client's Add or Change that the item's class makes into an item itself
// (ItemClass::Composes: a 16.x draft becomes a message, Email2:Send sends
// it). What the device holds follows: a stored Add is held and its own;
// a stored Change is not its own, so the device gets the item back as the
// server made it (the FileReferences of the attachments it kept may have
// moved); a sent draft is gone from the folder, and a device holding it
// is sent its Delete.
#include "core/commands/collection_sync.hpp"

#include <utility>

#include "storage/store.hpp"

namespace eas::core::commands {

Status CollectionSync::ApplyComposed(const ClientCommand& cmd, const storage::ItemRecord* existing,
                                     Reply& reply, bool& answered, bool* plain) {
  const items::ComposeInput in{*cmd.data, cmd.send, target_.folder, ctx_.user, ctx_.request.now};
  items::Composed out;
  Status s = target_.item_class->Compose(txn_, in, existing, &out);
  if (!s.ok()) return s;
  const std::string who = "Sync from " + ctx_.user.name + ": ";
  const std::string what =
      existing == nullptr ? "Add " + cmd.client_id : "Change of " + cmd.server_id;
  for (const std::string& n : out.notes) {
    ctx_.response.log.push_back({LogLevel::kInfo, who + what + ": " + n});
  }
  if (out.queued_outgoing) ctx_.response.queued_outgoing = true;
  switch (out.outcome) {
    case items::Composed::kRefused:
      reply.status = kSyncInvalidItem;
      answered = true;
      ctx_.response.log.push_back(
          {LogLevel::kWarn, who + what + " refused (Status 6): " + out.refusal});
      return Status::Ok();
    case items::Composed::kPlain:
      *plain = true;
      return Status::Ok();
    case items::Composed::kSent:
      // An Add sent at once was never stored: no ServerId to give; its
      // ClientId is remembered all the same, so a resent Add (a lost
      // answer) sends nothing twice.
      answered = existing == nullptr;
      if (existing == nullptr) new_client_ids_.emplace_back(cmd.client_id, std::string());
      return Status::Ok();
    case items::Composed::kStored:
      break;
  }
  reply.attachments = std::move(out.attachments);
  answered = existing == nullptr || !reply.attachments.empty();
  if (existing != nullptr) return Status::Ok();
  reply.server_id = ItemServerId(target_.folder.id, out.item.id);
  own_changes_.emplace_back(out.item.id, out.item.modseq);
  new_client_ids_.emplace_back(cmd.client_id, reply.server_id);
  return txn_.SetHeld(ctx_.user.id, ctx_.device_id, target_.folder.id, out.item.id, true);
}

}  // namespace eas::core::commands
