#include "core/service.hpp"

#include <cctype>
#include <charconv>
#include <ctime>
#include <exception>
#include <optional>

#include "core/access/gate.hpp"
#include "core/autodiscover/answer.hpp"
#include "core/access/versions.hpp"
#include "core/auth/authenticator.hpp"
#include "core/auth/credential_cache.hpp"
#include "core/auth/user_name.hpp"
#include "core/commands/command.hpp"
#include "core/mail/outgoing_queue.hpp"
#include "core/protocol.hpp"
#include "core/wbxml/decoder.hpp"
#include "storage/shared_store.hpp"
#include "storage/store.hpp"

namespace eas::core {
namespace {

// Slots in the credential cache the workers share.
constexpr size_t kCredentialSlots = 8192;

constexpr const char* kServerVersionHeader = "MS-Server-ActiveSync";
constexpr const char* kServerVersion = "16.1";

void Fail(Response& r, int status, LogLevel level, std::string text) {
  r.http_status = status;
  if (!text.empty()) r.log.push_back({level, std::move(text)});
}

// Whether the Content-Type `ct` (any case, maybe with parameters) names
// `type` (lower-case).
bool IsMediaType(std::string_view ct, std::string_view type) {
  std::string_view bare = ct.substr(0, ct.find(';'));
  while (!bare.empty() && bare.back() == ' ') bare.remove_suffix(1);
  if (bare.size() != type.size()) return false;
  if (bare == type) return true;  // as every client spells it
  for (size_t i = 0; i < bare.size(); ++i) {
    char c = bare[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // ASCII only, no locale
    if (c != type[i]) return false;
  }
  return true;
}

bool IsWbxmlContentType(std::string_view ct) { return IsMediaType(ct, kWbxmlContentType); }

// SendMail and its kin before 14.0 send the message itself.
bool IsMimeContentType(std::string_view ct) { return IsMediaType(ct, "message/rfc822"); }

// A 401 that tells the client to send Basic credentials.
void Unauthorized(Response& r, const auth::AuthOutcome& outcome) {
  r.http_status = 401;
  r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"ActiveSync\"");
  r.delay_ms = outcome.delay_ms;
  if (!outcome.reason.empty()) {
    r.log.push_back({LogLevel::kWarn, "authentication failed: " + outcome.reason});
  }
}

// `max_version`: eas_max_protocol_version for this client (may be empty).
void AnswerOptions(Response& r, std::string_view max_version) {
  r.http_status = 200;
  r.headers.emplace_back("Allow", "OPTIONS,POST");
  r.headers.emplace_back(kServerVersionHeader, kServerVersion);
  r.headers.emplace_back("MS-ASProtocolVersions", access::OfferedVersions(max_version));
  r.headers.emplace_back("MS-ASProtocolCommands", commands::ImplementedCommands(max_version));
  r.headers.emplace_back("Public", "OPTIONS,POST");
}

// MS-ASPROV: is the policy key the device sent the one it holds for the
// policy now in force? Otherwise answers 142/143/144 in the command's body
// (14.0 and later) or HTTP 449 (older clients) and returns false.
bool CheckPolicyKey(commands::CommandContext& ctx) {
  using provisioning::Mode;
  const auto& options = ctx.request.options;
  if (options.provisioning == Mode::kOff || ctx.query.cmd == "Provision") return true;

  std::string_view sent_text =
      !ctx.request.policy_key.empty() ? std::string_view(ctx.request.policy_key)
                                      : std::string_view(ctx.query.policy_key);
  uint64_t sent = 0;
  std::from_chars(sent_text.data(), sent_text.data() + sent_text.size(), sent);
  const storage::DeviceRecord& d = ctx.device;
  bool holds_key = d.policy_key != 0 && sent == d.policy_key;
  bool current = holds_key && d.policy_digest == options.policy.Digest();
  if (holds_key && current) return true;

  int status = 0;
  if (options.provisioning == Mode::kRequired) {
    status = sent == 0 || d.policy_key == 0 ? 142 : holds_key ? 143 : 144;
  } else if (holds_key) {
    status = 143;  // optional, but a provisioned device follows policy changes
  } else {
    return true;
  }
  ctx.response.log.push_back(
      {LogLevel::kInfo, ctx.query.cmd + " from device " + ctx.device_id + " refused: " +
                            (status == 142 ? "not provisioned" : status == 143 ? "policy changed" :
                                                                  "invalid policy key") +
                            " (" + std::to_string(status) + ")"});
  ctx.AnswerCommonStatus(status, 449);
  return false;
}

}  // namespace

size_t Service::RegionSize(SharedRegion region) {
  switch (region) {
    case SharedRegion::kCredentialCache:
      return auth::CredentialCache::RegionSize(kCredentialSlots);
    case SharedRegion::kDeviceGenerations:
      return push::Hub::RegionSize();
  }
  return 0;
}

Status Service::FormatRegion(SharedRegion region, void* memory, size_t size) noexcept {
  switch (region) {
    case SharedRegion::kCredentialCache:
      try {
        auth::CredentialCache::Format(memory, size);
        return Status::Ok();
      } catch (const std::exception& e) {
        return Status::Internal(e.what());
      }
    case SharedRegion::kDeviceGenerations:
      return push::Hub::FormatRegion(memory, size);
  }
  return Status::Invalid("no such shared region");
}

Service::Service(std::shared_ptr<storage::Store> store,
                 std::unique_ptr<auth::CredentialCache> cache)
    : store_(std::move(store)), cache_(std::move(cache)) {}

Service::~Service() = default;

void Service::ReleaseIdleSnapshots() { store_->ReleaseIdleSnapshots(); }

Result<std::unique_ptr<Service>> Service::Open(const std::string& store_path,
                                               const SharedRegions& regions) {
  auto store = storage::OpenShared(store_path);
  if (!store.ok()) return store.status();
  return Open(std::move(store).value(), regions);
}

Result<std::unique_ptr<Service>> Service::Open(std::shared_ptr<storage::Store> store,
                                               const SharedRegions& regions) {
  try {
    // Attaching checks that the region was formatted (throws otherwise).
    std::unique_ptr<auth::CredentialCache> cache;
    if (regions.credential_cache != nullptr) {
      cache = std::make_unique<auth::CredentialCache>(regions.credential_cache,
                                                      regions.credential_cache_size);
    }
    std::unique_ptr<Service> service(new Service(std::move(store), std::move(cache)));
    service->push_ = std::make_unique<push::Hub>(*service->store_, regions.device_generations,
                                                 regions.device_generations_size);
    return service;
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

std::optional<storage::UserRecord> Service::Authenticated(const Request& request,
                                                          bool may_block, Response& r) {
  auto who = auth::Authenticate(request, *store_, cache_.get(), may_block);
  switch (who.kind) {
    case auth::AuthOutcome::kNeedsBlocking:
      r.needs_blocking = true;
      return std::nullopt;
    case auth::AuthOutcome::kStoreError:
      Fail(r, 503, LogLevel::kError, "store: " + who.reason);
      return std::nullopt;
    case auth::AuthOutcome::kRejected:
      Unauthorized(r, who);
      return std::nullopt;
    case auth::AuthOutcome::kAccepted:
      break;
  }
  r.user = who.user.name;
  return std::move(who.user);
}

void Service::RunAutodiscover(const Request& request, bool may_block, Response& r) {
  const autodiscover::Endpoint endpoint = autodiscover::ClassifyPath(request.path);
  r.cmd = autodiscover::CommandLabel(endpoint);
  if (!autodiscover::NeedsCredentials(endpoint)) {
    autodiscover::Answer(request, endpoint, nullptr, r);
    return;
  }
  if (std::optional<storage::UserRecord> user = Authenticated(request, may_block, r)) {
    autodiscover::Answer(request, endpoint, &*user, r);
  }
}

void Service::Run(const Request& request, bool may_block, Response& r) {
  // Authentication, the device gate and the command read one snapshot.
  storage::Store::ReadHold snapshot = store_->HoldReads();
  if (request.options.autodiscover) {
    RunAutodiscover(request, may_block, r);
    return;
  }
  if (request.method == "OPTIONS") {
    if (Authenticated(request, may_block, r)) {
      AnswerOptions(r, request.options.access.max_protocol_version);
    }
    return;
  }
  if (request.method != "POST") {
    Fail(r, 405, LogLevel::kInfo, "method " + std::string(request.method) + " not allowed");
    return;
  }

  Query query;
  if (Status s = ParseQuery(request.query_string, &query); !s.ok()) {
    Fail(r, 400, LogLevel::kWarn, "bad request line: " + s.message());
    return;
  }
  r.cmd = query.cmd;
  r.device_id = query.device_id;
  r.device_type = query.device_type;
  r.protocol_version = request.protocol_version.empty() ? query.protocol_version
                                                        : request.protocol_version;

  std::optional<storage::UserRecord> user = Authenticated(request, may_block, r);
  if (!user) return;

  if (!query.user.empty() && auth::CanonicalUserName(query.user) != user->name) {
    auth::AuthOutcome mismatch;
    mismatch.reason = "User=" + query.user + " in the request line is not the "
                      "authenticated user \"" + user->name + "\"";
    Unauthorized(r, mismatch);
    return;
  }

  if (r.protocol_version.empty()) {
    r.protocol_version = std::string(kDefaultProtocolVersion);
  }
  if (!IsSupportedVersion(r.protocol_version)) {
    Fail(r, 400, LogLevel::kWarn,
         "unsupported protocol version \"" + r.protocol_version + "\"");
    return;
  }
  const std::string& max_version = request.options.access.max_protocol_version;
  if (!max_version.empty() && !IsSupportedVersion(max_version)) {
    r.log.push_back({LogLevel::kWarn, "eas_max_protocol_version \"" + max_version +
                                          "\" is no protocol version; not applied"});
  } else if (access::AboveMaxVersion(r.protocol_version, max_version)) {
    Fail(r, 400, LogLevel::kWarn,
         "protocol version " + r.protocol_version + " is above eas_max_protocol_version " +
             max_version + " for this client (User-Agent \"" + std::string(request.user_agent) + "\")");
    return;
  }

  const commands::CommandInfo* command = commands::FindCommand(query.cmd);
  if (command == nullptr) {
    Fail(r, 400, LogLevel::kWarn, "unknown command \"" + query.cmd + "\"");
    return;
  }
  if (command->handler == nullptr) {
    Fail(r, 501, LogLevel::kNotice, "command " + query.cmd + " not implemented");
    return;
  }

  commands::CommandContext ctx(request, query, *store_, *user, query.device_id,
                               VersionNumber(r.protocol_version), may_block, r);
  // Device access and the policy key are decided before the body is read.
  const access::GateResult gate = access::AdmitDevice(ctx);
  if (!gate.proceed) {
    if (!r.needs_blocking) r.headers.emplace_back(kServerVersionHeader, kServerVersion);
    return;
  }
  if (!gate.provisioning_exempt && !CheckPolicyKey(ctx)) {
    r.headers.emplace_back(kServerVersionHeader, kServerVersion);
    return;
  }

  wbxml::Element body;
  if (!request.body.empty() && command->takes_mime && IsMimeContentType(request.content_type)) {
    // The handler reads the message from request.body.
  } else if (!request.body.empty()) {
    if (!IsWbxmlContentType(request.content_type)) {
      Fail(r, 400, LogLevel::kWarn,
           "content type \"" + std::string(request.content_type) + "\" is not " +
               std::string(kWbxmlContentType));
      return;
    }
    if (Status s = wbxml::Decode(request.body, &body); !s.ok()) {
      if (command->takes_mime) {
        const std::string sent = ctx.AnswerCommonStatus(102, 400);  // InvalidWBXML
        r.log.push_back({LogLevel::kWarn, query.cmd + ": malformed WBXML (" + sent + "): " +
                                              s.message()});
        r.headers.emplace_back(kServerVersionHeader, kServerVersion);
        return;
      }
      Fail(r, 400, LogLevel::kWarn, query.cmd + ": malformed request: " + s.message());
      return;
    }
    ctx.body = &body;
  } else if (command->needs_body) {
    Fail(r, 400, LogLevel::kWarn, query.cmd + ": empty request body");
    return;
  }

  command->handler(ctx);
  if (!r.needs_blocking) {
    r.headers.emplace_back(kServerVersionHeader, kServerVersion);
  }
}

mail::QueueRun Service::RunOutgoingQueue(const mail::RelayOptions* relay) noexcept {
  try {
    mail::Clock clock = [] { return static_cast<uint64_t>(std::time(nullptr)); };
    if (relay == nullptr) return mail::RunOutgoingQueue(*store_, mail::RelayOptions(), {}, clock);
    auto send = [relay](const storage::OutgoingRecord& entry) {
      return mail::SendBySmtp(*relay, entry.sender, entry.recipients, entry.message);
    };
    return mail::RunOutgoingQueue(*store_, *relay, send, clock);
  } catch (const std::exception& e) {
    mail::QueueRun run;
    run.log.push_back({LogLevel::kError, std::string("smtp: queue run failed: ") + e.what()});
    return run;
  } catch (...) {
    return mail::QueueRun();
  }
}

search::IndexRound Service::IndexChanges(uint64_t after, size_t budget) noexcept {
  return search::IndexChanges(*store_, after, budget);
}

Response Service::Handle(const Request& request, bool may_block) noexcept {
  Response r;
  Handle(request, may_block, r);
  return r;
}

void Service::Handle(const Request& request, bool may_block, Response& r) noexcept {
  try {
    Run(request, may_block, r);
  } catch (const std::exception& e) {
    std::string cmd = std::move(r.cmd), user = std::move(r.user),
                device_id = std::move(r.device_id);
    r = Response();
    r.http_status = 500;
    r.log.push_back({LogLevel::kError, std::string("internal error: ") + e.what()});
    r.cmd = std::move(cmd);
    r.user = std::move(user);
    r.device_id = std::move(device_id);
  } catch (...) {
    r = Response();
    r.http_status = 500;
    r.log.push_back({LogLevel::kError, "internal error"});
  }
}

}  // namespace eas::core
