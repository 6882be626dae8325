#include "core/commands/sync_request.hpp"

#include <charconv>

#include "core/items/ghosting.hpp"
#include "core/util/text_record.hpp"
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
      cmd.send = e.Has(wbxml::tags::email2::kSend);
    }
    c.commands.push_back(std::move(cmd));
  }
  return Status::Ok();
}

// Into `c`, already in its place in the request (no move of it afterwards).
Status ParseCollection(const wbxml::Element& e, CollectionRequest& c) {
  const wbxml::Element* sync_key = e.Child(as::kSyncKey);
  const wbxml::Element* collection_id = e.Child(as::kCollectionId);
  if (sync_key == nullptr || collection_id == nullptr) {
    return Status::Invalid("Collection without SyncKey or CollectionId");
  }
  c.sync_key = sync_key->text;
  c.collection_id = collection_id->text;
  if (c.sync_key.empty()) return Status::Invalid("empty SyncKey");
  uint64_t n = 0;
  // An empty flag element (<GetChanges/>) means yes.
  auto flag = [](const wbxml::Element& f) { return f.text.empty() || f.text == "1"; };
  if (const wbxml::Element* get_changes = e.Child(as::kGetChanges)) {
    c.get_changes = flag(*get_changes);
  }
  if (const wbxml::Element* window = e.Child(as::kWindowSize)) {
    if (!ParseNumber(window->text, n)) return Status::Invalid("bad WindowSize");
    c.window = n;
  }
  if (const wbxml::Element* deletes_as_moves = e.Child(as::kDeletesAsMoves)) {
    c.deletes_as_moves = flag(*deletes_as_moves);
  }
  c.supported = items::EncodeSupported(e.Child(as::kSupported));
  if (const wbxml::Element* options = e.Child(as::kOptions)) {
    c.has_options = true;
    const wbxml::Element* filter_type = options->Child(as::kFilterType);
    if (filter_type != nullptr && ParseNumber(filter_type->text, n)) {
      c.filter_type = static_cast<int>(n);
    }
    const wbxml::Element* conflict = options->Child(as::kConflict);
    if (conflict != nullptr && ParseNumber(conflict->text, n)) c.conflict = static_cast<int>(n);
    c.body_preferences = items::ParseBodyPreferences(*options);
    const wbxml::Element* mime_support = options->Child(as::kMIMESupport);
    if (mime_support != nullptr && ParseNumber(mime_support->text, n) && n <= 2) {
      c.mime_support = static_cast<int>(n);
    }
    const wbxml::Element* truncation = options->Child(as::kTruncation);
    if (truncation != nullptr && ParseNumber(truncation->text, n) && n <= 9) {
      c.truncation = static_cast<int>(n);
    }
  }
  if (const wbxml::Element* commands = e.Child(as::kCommands)) {
    if (Status s = ParseCommands(*commands, c); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

// "O2 <filter> <conflict> <mime> <n> (<type> <truncation size> <all or
// none> <preview>)... <truncation + 1>"; O1 (before 2.5's Truncation) the
// same without the last, read as none.
std::string EncodeSyncOptions(const CollectionRequest& req) {
  util::TextRecordWriter w("O2");
  w.Number(static_cast<uint64_t>(req.filter_type)).Number(static_cast<uint64_t>(req.conflict));
  w.Number(static_cast<uint64_t>(req.mime_support)).Number(req.body_preferences.size());
  for (const auto& p : req.body_preferences) {
    w.Number(static_cast<uint64_t>(p.type)).Number(p.truncation_size);
    w.Number(p.all_or_none ? 1 : 0).Number(p.preview);
  }
  w.Number(static_cast<uint64_t>(req.truncation + 1));
  return w.Take();
}

bool ApplySyncOptions(std::string_view bytes, CollectionRequest& req) {
  util::TextRecordReader r(bytes);
  uint64_t filter = 0, conflict = 0, mime = 0, n = 0, truncation = 0;
  const bool o2 = r.Magic("O2");
  if (!(o2 || r.Magic("O1")) || !r.Number(filter) || filter > 8 || !r.Number(conflict) || conflict > 1 ||
      !r.Number(mime) || mime > 2 || !r.Number(n) || n > 8) {
    return false;
  }
  std::vector<items::BodyPreference> prefs(n);
  for (auto& p : prefs) {
    uint64_t type = 0, all = 0;
    if (!r.Number(type) || type > 8 || !r.Number(p.truncation_size) || !r.Number(all) ||
        all > 1 || !r.Number(p.preview)) {
      return false;
    }
    p.type = static_cast<int>(type);
    p.all_or_none = all == 1;
  }
  if (o2 && (!r.Number(truncation) || truncation > 10)) return false;
  if (!r.AtEnd()) return false;
  req.truncation = static_cast<int>(truncation) - 1;
  req.filter_type = static_cast<int>(filter);
  req.conflict = static_cast<int>(conflict);
  req.mime_support = static_cast<int>(mime);
  req.body_preferences = std::move(prefs);
  return true;
}

Status ParseSyncRequest(const wbxml::Element& root, SyncRequest* out) {
  if (!(root.tag == as::kSync)) return Status::Invalid("root is not Sync");
  SyncRequest& r = *out;
  uint64_t n = 0;
  if (const wbxml::Element* collections = root.Child(as::kCollections)) {
    r.collections.reserve(collections->children.size());
    for (const auto& e : collections->children) {
      if (!(e.tag == as::kCollection)) return Status::Invalid("unexpected element in Collections");
      if (Status s = ParseCollection(e, r.collections.emplace_back()); !s.ok()) return s;
    }
  }
  if (const wbxml::Element* window = root.Child(as::kWindowSize)) {
    if (!ParseNumber(window->text, n)) return Status::Invalid("bad WindowSize");
    r.window = n;
  }
  r.partial = root.Has(as::kPartial);
  if (const wbxml::Element* wait = root.Child(as::kWait)) {
    if (!ParseNumber(wait->text, n)) return Status::Invalid("bad Wait");
    r.wait_seconds = n * 60;
  } else if (const wbxml::Element* heartbeat = root.Child(as::kHeartbeatInterval)) {
    if (!ParseNumber(heartbeat->text, n)) return Status::Invalid("bad HeartbeatInterval");
    r.wait_seconds = n;
  }
  return Status::Ok();
}

Result<SyncRequest> ParseSyncRequest(const wbxml::Element& root) {
  return Filled<SyncRequest>([&](SyncRequest* r) { return ParseSyncRequest(root, r); });
}

}  // namespace eas::core::commands
