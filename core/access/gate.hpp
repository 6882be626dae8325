// The device gate every command passes before its body is read: records
// the device, decides its access (decide.hpp) and answers refused requests
// the way clients understand (MS-ASCMD 2.2.2 common status codes in the
// command's body for 14.0 and later, an HTTP status before).
#pragma once

namespace eas::core::commands { struct CommandContext; }

namespace eas::core::access {

struct GateResult {
  bool proceed = false;              // false: answered, or needs_blocking
  bool provisioning_exempt = false;  // skip the policy-key check
};

// Reads the device record fresh (an administrator's decision applies on the
// device's very next request), stores a new device, its last visit (at most
// hourly) and a changed decision, and sets ctx.device and
// response.device_access. A refused request gets its answer and one log
// line: user, device, decision and its reason.
GateResult AdmitDevice(commands::CommandContext& ctx);

}  // namespace eas::core::access
