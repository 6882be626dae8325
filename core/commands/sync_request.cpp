#include "core/commands/sync_request.hpp"

#include <charconv>

#include "core/wbxml/tags.hpp"

namespace eas::core::commands {
namespace {

namespace as = wbxml::tags::airsync;

bool ParseNumber(std::string_view text, uint64_t& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size();
}

Status ParseCommands(const wbxml::Element& commands, CollectionRequest& c) {
  for (const auto& e : commands.children) {
    ClientCommand cmd;
    if (e.tag == as::kAdd) {
      cmd.kind = ClientCommand::kAdd;
      cmd.client_id = std::string(e.ChildText(as::kClientId));
      if (cmd.client_id.empty()) return Status::Invalid("Add without ClientId");
    } else if (e.tag == as::kChange) {
      cmd.kind = ClientCommand::kChange;
    } else if (e.tag == as::kDelete) {
      cmd.kind = ClientCommand::kDelete;
    } else if (e.tag == as::kFetch) {
      cmd.kind = ClientCommand::kFetch;
    } else {
      return Status::Invalid("unexpected element in Commands");
    }
    if (cmd.kind == ClientCommand::kChange || cmd.kind == ClientCommand::kDelete) {
      cmd.instance_id = std::string(e.ChildText(wbxml::tags::base::kInstanceId));
    }
    if (cmd.kind != ClientCommand::kAdd) {
      cmd.server_id = std::string(e.ChildText(as::kServerId));
      if (cmd.server_id.empty()) return Status::Invalid("command without ServerId");
    }
    if (cmd.kind == ClientCommand::kAdd || cmd.kind == ClientCommand::kChange) {
      cmd.data = e.Child(as::kApplicationData);
      if (cmd.data == nullptr) return Status::Invalid("Add/Change without ApplicationData");
    }
    c.commands.push_back(std::move(cmd));
  }
  return Status::Ok();
}

// Into `c`, already in its place in the request (no move of it afterwards).
Status ParseCollection(const wbxml::Element& e, CollectionRequest& c) {
  if (!e.Has(as::kSyncKey) || !e.Has(as::kCollectionId)) {
    return Status::Invalid("Collection without SyncKey or CollectionId");
  }
  c.sync_key = std::string(e.ChildText(as::kSyncKey));
  c.collection_id = std::string(e.ChildText(as::kCollectionId));
  if (c.sync_key.empty()) return Status::Invalid("empty SyncKey");
  uint64_t n = 0;
  if (e.Has(as::kGetChanges)) {
    std::string_view v = e.ChildText(as::kGetChanges);
    c.get_changes = v.empty() || v == "1";  // <GetChanges/> means yes
  }
  if (e.Has(as::kWindowSize)) {
    if (!ParseNumber(e.ChildText(as::kWindowSize), n)) return Status::Invalid("bad WindowSize");
    c.window = n;
  }
  if (e.Has(as::kDeletesAsMoves)) {
    std::string_view v = e.ChildText(as::kDeletesAsMoves);
    c.deletes_as_moves = v.empty() || v == "1";
  }
  if (const wbxml::Element* options = e.Child(as::kOptions)) {
    if (options->Has(as::kFilterType) && ParseNumber(options->ChildText(as::kFilterType), n)) {
      c.filter_type = static_cast<int>(n);
    }
    if (options->Has(as::kConflict) && ParseNumber(options->ChildText(as::kConflict), n)) {
      c.conflict = static_cast<int>(n);
    }
  }
  if (const wbxml::Element* commands = e.Child(as::kCommands)) {
    if (Status s = ParseCommands(*commands, c); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Result<SyncRequest> ParseSyncRequest(const wbxml::Element& root) {
  if (!(root.tag == as::kSync)) return Status::Invalid("root is not Sync");
  SyncRequest r;
  uint64_t n = 0;
  if (const wbxml::Element* collections = root.Child(as::kCollections)) {
    for (const auto& e : collections->children) {
      if (!(e.tag == as::kCollection)) return Status::Invalid("unexpected element in Collections");
      if (Status s = ParseCollection(e, r.collections.emplace_back()); !s.ok()) return s;
    }
  }
  if (root.Has(as::kWindowSize)) {
    if (!ParseNumber(root.ChildText(as::kWindowSize), n)) return Status::Invalid("bad WindowSize");
    r.window = n;
  }
  r.partial = root.Has(as::kPartial);
  if (root.Has(as::kWait)) {
    if (!ParseNumber(root.ChildText(as::kWait), n)) return Status::Invalid("bad Wait");
    r.wait_seconds = n * 60;
  } else if (root.Has(as::kHeartbeatInterval)) {
    if (!ParseNumber(root.ChildText(as::kHeartbeatInterval), n)) {
      return Status::Invalid("bad HeartbeatInterval");
    }
    r.wait_seconds = n;
  }
  return r;
}

}  // namespace eas::core::commands
