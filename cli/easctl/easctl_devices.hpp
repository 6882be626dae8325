// easctl device ...: list, show, approve, block, unblock, wipe, remove.
// An administrator's decision is stored in the device record and wins over
// the rules in nginx config on the device's very next request.
#pragma once

#include <string>
#include <vector>

namespace eas::storage { class Store; }

namespace eas::cli {

struct DeviceArgs {
  std::vector<std::string> positional;  // "device", VERB, operands
  std::string user;                     // --user
  bool json = false;                    // --json
  bool pending = false;                 // --pending (list)
  bool all_pending = false;             // --all-pending (approve)
  bool account_only = false;            // --account-only (wipe)
};

// Usage lines for the device commands, for easctl's help.
extern const char* const kDeviceUsage;

// Runs one device command; the exit code, 2 for a usage error.
int DeviceCommand(storage::Store& store, const DeviceArgs& a);

}  // namespace eas::cli
