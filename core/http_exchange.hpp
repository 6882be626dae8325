// The plain request/response structs the nginx glue and core exchange.
// No nginx type crosses this line; the glue copies in and out.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "core/log_line.hpp"

namespace eas::core::push { struct PingWait; }

namespace eas::core {

// The body type of every ActiveSync request and answer: a literal, so a
// Response points at it (see Response::content_type).
inline constexpr std::string_view kWbxmlContentType =
    "application/vnd.ms-sync.wbxml";

// The text fields are views: into nginx's request (its pool and buffers,
// which outlive the request's handling, thread pool runs included), in
// tests into the caller's strings. Nothing is copied per request.
struct Request {
  std::string_view method;            // "POST", "OPTIONS", ...
  std::string_view query_string;      // raw, after '?'
  std::string_view path;              // decoded URI path (Autodiscover picks by it)
  std::string_view protocol_version;  // MS-ASProtocolVersion header
  std::string_view policy_key;        // X-MS-PolicyKey header
  std::string_view user_agent;
  std::string_view content_type;
  bool accept_multipart = false;   // MS-ASAcceptMultiPart: T (ItemOperations)
  bool has_authorization = false;  // a Basic Authorization header was sent
  std::string_view basic_user;     // decoded from it
  std::string_view basic_password;
  std::string_view nginx_user;     // $remote_user when nginx authenticated
  std::string_view body;
  uint64_t now = 0;                // unix seconds
  bool no_hold = false;            // a held Sync run again: answer, never hold
  LocationOptions options;
};

struct Response {
  int http_status = 200;
  // Extra headers. Names are string literals (static storage), so neither
  // core nor glue copies them; values are owned.
  std::vector<std::pair<std::string_view, std::string>> headers;
  // A literal (static storage, like header names): used without a copy.
  // Empty: no body type.
  std::string_view content_type;
  // A body type known only at run time (GetAttachment: the attachment's
  // own); when set, it is sent instead of content_type.
  std::string content_type_value;
  std::string body;
  // Lines for the error log, written by the glue on the event loop.
  std::vector<LogLine> log;
  // The request needs work that may block (slow password hash, a write
  // transaction): run Handle again with may_block = true on a thread.
  bool needs_blocking = false;
  // Hold the answer this long before sending it (failed logins).
  uint64_t delay_ms = 0;
  // The request committed mail to the outgoing queue: the glue starts the
  // queue's run now instead of at its next tick.
  bool queued_outgoing = false;
  // A Ping or hanging Sync to hold (no body yet): the glue hands this to
  // push::Hub::Hold and answers when the Hub says (core/push/hub.hpp).
  std::shared_ptr<push::PingWait> wait;
  // What the request turned out to be, for $eas_* variables.
  std::string cmd, user, device_id, device_type, protocol_version;
  // The device access verdict ("allow", "block", "quarantine", "wipe",
  // "wipe_account", "limit"), for $eas_device_access; empty when the
  // request never reached the device gate.
  std::string device_access;
};

// What a request says about itself before core handles it, for the $eas_*
// variables in earlier phases (limit_req, or the log line of a request
// refused before the content phase). Response carries the decided ones.
struct RequestLabels {
  std::string cmd, user, device_id, device_type, protocol_version;
};

// Labels from the request line (plain or base64 form) and, when the request
// carried Basic credentials nginx could decode, their user name, which wins
// over User=; user names canonical, as the store knows them. False for a
// malformed request line: nothing is labelled.
bool LabelRequest(std::string_view query_string, std::optional<std::string_view> basic_user,
                  RequestLabels* out);

}  // namespace eas::core
