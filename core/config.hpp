// What the nginx glue configures: a location's settings as it hands them
// over with each request (LocationOptions), the parsed directive values they
// point to (device access rules, the provisioning policy), and the checks a
// constant directive value passes at configuration time, so `nginx -t`
// names a bad one. Plain C++ only: the glue fills these from its directives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/access/rules.hpp"         // RuleList, Decision: eas_device_rule & co.
#include "core/provisioning/policy.hpp"  // Mode, Policy: eas_provisioning, eas_policy_*

namespace eas::core {

namespace access {

// The device access settings of a location (part of LocationOptions).
struct AccessOptions {
  // eas_device_rule, in order; null when the location has none. Owned by
  // the configuration (it outlives every request of its cycle).
  const RuleList* rules = nullptr;
  // eas_device_default: for devices no rule matches.
  Decision default_decision = Decision::kAllow;
  // eas_device_access, evaluated for this request: "allow", "block",
  // "quarantine", or empty (no decision: the rules decide).
  std::string variable;
  // eas_provisioning_exempt: devices that skip the policy-key check.
  const RuleList* provisioning_exempt = nullptr;
  // eas_max_devices: devices one user may have; 0 = no limit.
  uint32_t max_devices = 0;
  // eas_max_protocol_version, evaluated for this request; empty = none.
  std::string max_protocol_version;
};

}  // namespace access

// How a location authenticates (directive eas_auth).
enum class AuthMode {
  kStore,  // the module checks Basic credentials against the user store
  kNginx,  // nginx authenticated already (auth_basic / auth_request)
};

// Per-location settings the glue passes along with each request.
struct LocationOptions {
  AuthMode auth_mode = AuthMode::kStore;
  uint64_t auth_cache_ttl = 600;  // seconds a verified credential is remembered
  size_t sync_window_max = 512;   // eas_sync_window_max: items per collection per Sync
  uint64_t sync_state_expiry = 30 * 86400;  // eas_sync_state_expiry, seconds; 0 = never
  // eas_meeting_reply_delay, seconds: the server's own meeting reply for a
  // client up to 14.1 waits this long for the client's (core/mail/
  // held_reply.hpp); 0 = sent at once.
  uint64_t meeting_reply_delay = 120;
  provisioning::Mode provisioning = provisioning::Mode::kOff;  // eas_provisioning
  provisioning::Policy policy;                                 // eas_policy_*
  uint64_t ping_min = 60;         // eas_ping_min: shortest Ping heartbeat, seconds
  uint64_t ping_max = 3540;       // eas_ping_max: longest
  uint64_t ping_max_folders = 300;  // eas_ping_max_folders
  access::AccessOptions access;  // eas_device_*, eas_max_devices, eas_max_protocol_version
  // eas_autodiscover: the location answers Autodiscover (core/autodiscover/)
  // instead of ActiveSync commands.
  bool autodiscover = false;
  // eas_autodiscover_url, evaluated for this request: the ActiveSync URL
  // Autodiscover hands out.
  std::string activesync_url;
};

// eas_max_protocol_version given as a constant: true for a version we
// serve ("14.1"). A value that comes from a variable is checked per
// request instead (a bad one is logged and not applied).
bool IsMaxProtocolVersion(std::string_view value);

}  // namespace eas::core
