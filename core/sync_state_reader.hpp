// Core's reading of the sync states for the store check (storage/
// store_check.hpp): the store keeps them as opaque bytes, core knows what
// each collection name holds and which folder and change log position a
// state names.
#pragma once

#include "storage/store_check.hpp"

namespace eas::core {

class SyncStateReader final : public storage::SyncStateReader {
 public:
  storage::SyncStateMeaning Read(std::string_view collection,
                                 std::string_view bytes) const override;
};

}  // namespace eas::core
