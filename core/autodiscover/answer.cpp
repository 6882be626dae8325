#include "core/autodiscover/answer.hpp"

#include <string>

#include "core/autodiscover/apple_profile.hpp"
#include "core/autodiscover/json_v2.hpp"
#include "core/autodiscover/mobilesync.hpp"

namespace eas::core::autodiscover {
namespace {

bool SameAddress(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// The user's own spelling of `email`, or null when it is not theirs.
const std::string* OwnAddress(const storage::UserRecord& user, std::string_view email) {
  for (const std::string& address : user.addresses) {
    if (SameAddress(address, email)) return &address;
  }
  return nullptr;
}

void Log(Response& r, LogLevel level, std::string text) {
  r.log.push_back({level, std::move(text)});
}

void AnswerMobileSync(const Request& request, const storage::UserRecord& user, Response& r) {
  r.content_type = "text/xml; charset=utf-8";
  // An id for the error's Id attribute: the time is enough to find the
  // log line that goes with it.
  const auto id = static_cast<uint32_t>(request.now);
  if (request.method != "POST") {
    Log(r, LogLevel::kInfo, "autodiscover: " + std::string(request.method) + " instead of POST");
    r.body = MobileSyncRequestError(600, "Invalid Request", request.now, id);
    return;
  }
  auto parsed = ParseMobileSyncRequest(request.body);
  if (!parsed.ok()) {
    Log(r, LogLevel::kWarn, "autodiscover: invalid request: " + parsed.status().message());
    r.body = MobileSyncRequestError(600, "Invalid Request", request.now, id);
    return;
  }
  const MobileSyncRequest& asked = parsed.value();
  if (asked.acceptable_schema != kMobileSyncResponseSchema) {
    Log(r, LogLevel::kInfo, "autodiscover: no provider for response schema \"" +
                                asked.acceptable_schema + "\"");
    r.body = MobileSyncRequestError(601, "Requested schema version not supported", request.now,
                                    id);
    return;
  }
  const std::string* own = OwnAddress(user, asked.email);
  if (own == nullptr) {
    Log(r, LogLevel::kWarn, "autodiscover: " + asked.email + " is not an address of user \"" +
                                user.name + "\"");
    r.body = MobileSyncUserError(asked.email, "The e-mail address is not the signed-in user's");
    return;
  }
  r.body = MobileSyncSettings(user.display_name, *own, request.options.activesync_url);
}

void AnswerJson(const Request& request, Response& r) {
  r.content_type = "application/json";
  if (request.method != "GET") {
    r.http_status = 405;
    r.headers.emplace_back("Allow", "GET");
    r.content_type = {};
    return;
  }
  JsonAnswer a = AnswerJsonV2(QueryParameter(request.query_string, "protocol"),
                              JsonV2Address(request.path, request.query_string),
                              request.options.activesync_url);
  if (a.http_status != 200) Log(r, LogLevel::kInfo, "autodiscover v2: " + a.body);
  r.http_status = a.http_status;
  r.body = std::move(a.body);
}

void AnswerProfile(const Request& request, const storage::UserRecord& user, Response& r) {
  if (request.method != "GET") {
    r.http_status = 405;
    r.headers.emplace_back("Allow", "GET");
    return;
  }
  std::string asked = QueryParameter(request.query_string, "email");
  const std::string* email = nullptr;
  if (asked.empty()) {
    email = user.addresses.empty() ? nullptr : &user.addresses.front();
  } else {
    email = OwnAddress(user, asked);
  }
  if (email == nullptr) {
    r.http_status = 403;
    Log(r, LogLevel::kWarn, "profile: " + (asked.empty() ? "user \"" + user.name +
                                                               "\" has no e-mail address"
                                                         : asked + " is not an address of "
                                                                   "user \"" + user.name + "\""));
    return;
  }
  AppleProfileAccount account;
  account.email = *email;
  // The name this user just signed in with is one the server accepts.
  account.login = !request.basic_user.empty() ? request.basic_user
                                              : std::string_view(user.name);
  account.display_name = user.display_name;
  account.activesync_url = request.options.activesync_url;
  r.content_type = "application/x-apple-aspen-config";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"exchange.mobileconfig\"");
  r.body = AppleProfile(account);
}

}  // namespace

std::string_view CommandLabel(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kMobileSyncXml: return "Autodiscover";
    case Endpoint::kJsonV2: return "AutodiscoverV2";
    case Endpoint::kAppleProfile: return "AppleProfile";
    case Endpoint::kNone: break;
  }
  return {};
}

bool NeedsCredentials(Endpoint endpoint) {
  return endpoint == Endpoint::kMobileSyncXml || endpoint == Endpoint::kAppleProfile;
}

void Answer(const Request& request, Endpoint endpoint, const storage::UserRecord* user,
            Response& r) {
  switch (endpoint) {
    case Endpoint::kMobileSyncXml:
      if (user != nullptr) AnswerMobileSync(request, *user, r);
      return;
    case Endpoint::kJsonV2:
      AnswerJson(request, r);
      return;
    case Endpoint::kAppleProfile:
      if (user != nullptr) AnswerProfile(request, *user, r);
      return;
    case Endpoint::kNone:
      break;
  }
  r.http_status = 404;
  Log(r, LogLevel::kInfo, "autodiscover: no such document " + std::string(request.path));
}

}  // namespace eas::core::autodiscover
