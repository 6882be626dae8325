// A Sync request (MS-ASCMD 2.2.1.21) as the handler works with it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/items/body_preference.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::commands {

struct ClientCommand {
  enum Kind { kAdd, kChange, kDelete, kFetch } kind = kAdd;
  std::string client_id;                       // Add
  std::string server_id;                       // Change, Delete, Fetch
  std::string instance_id;                     // 16.x Change/Delete of one occurrence
  const wbxml::Element* data = nullptr;        // Add, Change: ApplicationData
  bool send = false;                           // 16.x Add/Change of a draft: Email2:Send
};

struct CollectionRequest {
  // User-provided: emplace_back() would otherwise zero it before the
  // members' initialisers (one per collection of every Sync).
  CollectionRequest() noexcept {}

  std::string sync_key;          // empty: "the current one" (reused request)
  std::string collection_id;
  bool get_changes = true;
  size_t window = 0;             // 0: the Sync-level or default window
  bool deletes_as_moves = true;
  int filter_type = 0;
  int conflict = 1;              // 1: server wins (the default)
  std::vector<items::BodyPreference> body_preferences;  // Options/BodyPreference
  int mime_support = 0;          // Options/MIMESupport (mail): 0 never, 1 S/MIME, 2 always
  int truncation = -1;           // Options/Truncation (2.5 bodies, 0-9), -1 none
  bool has_options = false;      // the request carried Options (else the last ones hold)
  // Its Supported element (items::EncodeSupported; empty: none), which
  // counts in the initial Sync (SyncKey 0) only.
  std::string supported;
  std::vector<ClientCommand> commands;
};

struct SyncRequest {
  std::vector<CollectionRequest> collections;
  size_t window = 0;             // Sync-level WindowSize (12.1+)
  bool partial = false;
  uint64_t wait_seconds = 0;     // Wait (minutes → s) or HeartbeatInterval
};

// The Options of a collection request (FilterType, Conflict, MIMESupport,
// BodyPreference, Truncation) as bytes for its collection state, and back into a
// request that came without: options are sticky (MS-ASCMD 2.2.3.125.6),
// the last ones sent hold until the client sends others.
std::string EncodeSyncOptions(const CollectionRequest& req);
// False (req unchanged) for bytes EncodeSyncOptions did not write.
bool ApplySyncOptions(std::string_view bytes, CollectionRequest& req);

// Reads the request; the tree must outlive the result (commands point into
// it). kInvalidArgument for a document that is not a well-formed Sync.
Result<SyncRequest> ParseSyncRequest(const wbxml::Element& root);
// The same into *out, a fresh SyncRequest (unspecified after an error): a
// Sync parses its request on every call and skips moving it.
Status ParseSyncRequest(const wbxml::Element& root, SyncRequest* out);

}  // namespace eas::core::commands
