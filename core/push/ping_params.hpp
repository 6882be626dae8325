// What a Ping asks for (MS-ASCMD 2.2.1.13): a heartbeat and folders to
// watch. Parsed from the request body, and remembered per device as the
// sync state of collection "ping", since a Ping may leave out either part
// (or send no body at all) to reuse the last one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/wbxml/element.hpp"
#include "core/sync_state_names.hpp"

namespace eas::core::push {

// The sync-state collection the parameters live under.
inline constexpr std::string_view kPingCollection = kPingParameters;

struct PingFolder {
  std::string id;     // ServerId as the client sent it
  std::string klass;  // Email, Calendar, Contacts, Tasks, Notes, SMS
  bool operator==(const PingFolder&) const = default;
};

struct PingParams {
  uint64_t heartbeat = 0;  // seconds
  std::vector<PingFolder> folders;
  bool operator==(const PingParams&) const = default;
};

std::string EncodePingParams(const PingParams& params);
// nullopt for bytes that are not parameters we wrote (treated as none).
std::optional<PingParams> DecodePingParams(std::string_view bytes);

// The parts a request body carries; each may be missing.
struct PingRequest {
  std::optional<uint64_t> heartbeat;
  std::optional<std::vector<PingFolder>> folders;
};

// `body` may be null (an empty Ping: nothing given). nullopt with *why for
// a malformed request (Status 4): wrong root, a HeartbeatInterval that is
// no number, a Folder without Id, an unknown Class, an Id given twice.
std::optional<PingRequest> ParsePingRequest(const wbxml::Element* body, std::string* why);

}  // namespace eas::core::push
