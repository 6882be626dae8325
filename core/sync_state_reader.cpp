#include "core/sync_state_reader.hpp"

#include <algorithm>

#include "core/collection_state.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/hierarchy_state.hpp"
#include "core/sync_state_names.hpp"

namespace eas::core {

storage::SyncStateMeaning SyncStateReader::Read(std::string_view collection,
                                                std::string_view bytes) const {
  using Kind = storage::SyncStateMeaning::Kind;
  storage::SyncStateMeaning m;
  if (collection.empty()) {
    std::optional<HierarchyState> state = DecodeHierarchyState(bytes);
    m.kind = state ? Kind::kHierarchy : Kind::kUnreadable;
    if (state) m.position = state->seen_seq;
    return m;
  }
  if (collection == kCachedSyncRequest || collection == kLastMoveItems ||
      collection == kPingParameters) {
    m.kind = Kind::kDeviceAside;
    return m;
  }
  if (collection.size() > kAnswerSuffix.size() && collection.ends_with(kAnswerSuffix)) {
    auto folder = commands::ParseFolderId(collection.substr(0, collection.size() - kAnswerSuffix.size()));
    if (folder) {
      m.kind = Kind::kFolderAside;
      m.folder = *folder;
    }
    return m;
  }
  auto folder = commands::ParseFolderId(collection);
  if (!folder) return m;
  m.folder = *folder;
  CollectionState state;
  if (!DecodeCollectionState(bytes, &state)) {
    m.kind = Kind::kUnreadable;
    return m;
  }
  m.kind = Kind::kCollection;
  m.position = state.Position();
  // Every modseq the state names: none may be after the folder's.
  m.highest_modseq = std::max(state.seen_modseq, state.snapshot);
  for (const auto& [item, modseq] : state.own_changes) {
    m.highest_modseq = std::max(m.highest_modseq, modseq);
  }
  return m;
}

}  // namespace eas::core
