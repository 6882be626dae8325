// The store's consistency check (easctl check): every record and index
// entry read in one snapshot and held against the others, so that a crash
// or a bug that left half of a change behind shows up as a named problem
// instead of as a device that never hears of a message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/records.hpp"

namespace eas::storage {

// One inconsistency: the database it was found in, the key of the record
// (its parts as decimal numbers and text, joined by '/'), and what is wrong.
struct CheckProblem {
  std::string db;
  std::string key;
  std::string what;
};

struct CheckReport {
  std::vector<CheckProblem> problems;
  // What was looked at, for the summary line.
  uint64_t users = 0, folders = 0, items = 0, log_entries = 0, blobs = 0, devices = 0,
           sync_states = 0, outgoing = 0;
  // Sync states of folders deleted (or unshared) since: harmless (folder
  // ids are never reused, the device is told the folder is gone),
  // counted, not problems.
  uint64_t stale_sync_states = 0;
};

// What a sync state says, as far as the check needs it. The store keeps
// sync states as opaque bytes; core owns their format and tells the check
// through a SyncStateReader.
struct SyncStateMeaning {
  enum class Kind {
    kUnknown,     // a collection name core does not use
    kUnreadable,  // a name core uses, with bytes it cannot decode
    kHierarchy,   // the FolderSync state: `position` is the hierarchy seq seen
    kCollection,  // a folder's Sync state: `position` is the modseq it has
    kFolderAside, // kept beside a folder's state (its last answer): `folder`
    kDeviceAside  // per device, no folder (Ping's, MoveItems' last answer...)
  };
  Kind kind = Kind::kUnknown;
  FolderId folder = 0;
  uint64_t position = 0;
  // Collection states: the highest modseq the state names anywhere (its
  // own changes, snapshot), which no state may have before the folder.
  uint64_t highest_modseq = 0;
};

class SyncStateReader {
 public:
  virtual ~SyncStateReader() = default;
  virtual SyncStateMeaning Read(std::string_view collection, std::string_view bytes) const = 0;
};

}  // namespace eas::storage
