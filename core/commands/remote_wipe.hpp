// Remote wipe through Provision (MS-ASPROV 3.1.5.1.2.2, 3.1.5.1.2.3,
// 3.2.5.1.2): while an administrator's wipe is pending, every Provision
// answer carries the directive (RemoteWipe, or AccountOnlyRemoteWipe for
// 16.1), and the device's acknowledgement marks the wipe done.
#pragma once

namespace eas::core::commands {

struct CommandContext;

// For a device whose record has a wipe pending (kRequested or
// kAccountOnly): answers the Provision request in ctx.body.
void ProvisionRemoteWipe(CommandContext& ctx);

}  // namespace eas::core::commands
