// What a device knows of its user's folder hierarchy (FolderSync state),
// stored per (user, device) as the sync state of collection "".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eas::core {

struct HierarchyState {
  uint64_t key = 0;            // current SyncKey; counts up, never reused
  uint64_t seen_seq = 0;       // hierarchy log seq the device has seen
  // Log entries the device made itself (FolderCreate/Update/Delete) after
  // seen_seq: it knows them already, so FolderSync must not echo them.
  std::vector<uint64_t> own_seqs;
  // The key of the FolderSync that produced `key`, and that answer's bytes:
  // a client that lost the answer resends the old key and gets it again.
  std::string last_request_key;
  std::string last_response;

  std::string KeyString() const { return std::to_string(key); }
};

std::string EncodeHierarchyState(const HierarchyState& state);
// nullopt for bytes that are not a state we wrote (treated as no state).
std::optional<HierarchyState> DecodeHierarchyState(std::string_view bytes);

}  // namespace eas::core
