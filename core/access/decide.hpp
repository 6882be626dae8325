// The access decision for one request: stored administrator state first,
// then eas_device_access, the rules and the default (DESIGN.md, "Device
// access"). Pure: no store, no I/O, so it is unit-tested directly.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "storage/records.hpp"

namespace eas::core::access {

enum class Verdict : unsigned char {
  kAllow,
  kBlock,
  kQuarantine,
  kWipe,             // remote wipe requested and not yet acknowledged
  kAccountOnlyWipe,  // the same, for the account only (16.1)
  kTooManyDevices,   // a new device past eas_max_devices: not stored
};

struct Admission {
  Verdict verdict = Verdict::kAllow;
  // Why, for the log and the device record: "administrator", "rule 2 (...)",
  // "eas_device_access", "eas_device_default", "wiped", "eas_max_devices 3".
  std::string reason;
  // eas_provisioning_exempt matched: the policy key is not asked for.
  bool provisioning_exempt = false;
  // Something the administrator should hear about (a bad eas_device_access
  // value); empty when all is well.
  std::string warning;
};

// `known` is the stored device, or null for a device never seen;
// `devices_of_user` counts the user's stored devices (read only for a new
// device when eas_max_devices is set).
Admission Decide(const AccessOptions& options, const DeviceFacts& facts,
                 const storage::DeviceRecord* known, size_t devices_of_user);

// How a verdict answers command `cmd` at protocol `version` (120 for
// 12.0): let through (status 0), or refused with a common status
// (MS-ASCMD 2.2.2) for 14.0 and later and `legacy_http` before. Shared by
// the gate and the re-check of a held Ping, so an administrator's block or
// wipe ends a held Ping with the answer the device's next request gets.
struct Refusal {
  int status = 0;
  int legacy_http = 0;
  // An account-only wipe for a client older than 16.1, which cannot be
  // told one: refused as blocked until it speaks 16.1.
  bool account_wipe_too_old = false;
};
Refusal RefusalFor(Verdict verdict, std::string_view cmd, int version);

// "allow", "block", "quarantine", "wipe", "wipe_account", "limit": the
// value of $eas_device_access.
std::string_view VerdictName(Verdict verdict);

// The decision to remember in the device record for a verdict (wipes
// leave it as it was: kNone).
storage::DeviceRecord::Decision StoredDecision(Verdict verdict);

}  // namespace eas::core::access
