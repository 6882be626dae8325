// The plain request/response structs the nginx glue and core exchange.
// No nginx type crosses this line; the glue copies in and out.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/access/options.hpp"
#include "core/provisioning/policy.hpp"
namespace eas::core::push { struct PingWait; }

namespace eas::core {

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
  provisioning::Mode provisioning = provisioning::Mode::kOff;  // eas_provisioning
  provisioning::Policy policy;                                 // eas_policy_*
  uint64_t ping_min = 60;         // eas_ping_min: shortest Ping heartbeat, seconds
  uint64_t ping_max = 3540;       // eas_ping_max: longest
  uint64_t ping_max_folders = 300;  // eas_ping_max_folders
  access::AccessOptions access;  // eas_device_*, eas_max_devices, eas_max_protocol_version
};

// The text fields are views: into nginx's request (its pool and buffers,
// which outlive the request's handling, thread pool runs included), in
// tests into the caller's strings. Nothing is copied per request.
struct Request {
  std::string_view method;            // "POST", "OPTIONS", ...
  std::string_view query_string;      // raw, after '?'
  std::string_view protocol_version;  // MS-ASProtocolVersion header
  std::string_view policy_key;        // X-MS-PolicyKey header
  std::string_view user_agent;
  std::string_view content_type;
  bool has_authorization = false;  // a Basic Authorization header was sent
  std::string_view basic_user;     // decoded from it
  std::string_view basic_password;
  std::string_view nginx_user;     // $remote_user when nginx authenticated
  std::string_view body;
  uint64_t now = 0;                // unix seconds
  bool no_hold = false;            // a held Sync run again: answer, never hold
  LocationOptions options;
};

enum class LogLevel { kInfo, kNotice, kWarn, kError };

struct LogLine {
  LogLevel level;
  std::string text;
};

struct Response {
  int http_status = 200;
  // Extra headers. Names are string literals (static storage), so neither
  // core nor glue copies them; values are owned.
  std::vector<std::pair<std::string_view, std::string>> headers;
  // A literal (static storage, like header names): used without a copy.
  // Empty: no body type.
  std::string_view content_type;
  std::string body;
  // Lines for the error log, written by the glue on the event loop.
  std::vector<LogLine> log;
  // The request needs work that may block (slow password hash, a write
  // transaction): run Handle again with may_block = true on a thread.
  bool needs_blocking = false;
  // Hold the answer this long before sending it (failed logins).
  uint64_t delay_ms = 0;
  // A Ping to hold (no body yet): the glue waits as this says and answers
  // through push::PingWatcher (core/push/ping_watcher.hpp).
  std::shared_ptr<push::PingWait> wait;
  // What the request turned out to be, for $eas_* variables.
  std::string cmd, user, device_id, device_type, protocol_version;
  // The device access verdict ("allow", "block", "quarantine", "wipe",
  // "wipe_account", "limit"), for $eas_device_access; empty when the
  // request never reached the device gate.
  std::string device_access;
};

}  // namespace eas::core
