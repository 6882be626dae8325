// Ping (MS-ASCMD 2.2.1.13): answers at once when there is something to say
// (a malformed or out-of-range request, folders the device must sync, a
// hierarchy it must FolderSync first), else hands the glue a PingWait to
// hold: core decides, the glue holds, push::Hub re-checks. The
// command only; what it looks at and answers lives in core/push/.
#include <memory>

#include "core/commands/command.hpp"
#include "core/push/ping_check.hpp"
#include "core/push/ping_params.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

struct Outcome {
  std::string answer;
  std::optional<push::PingWait> wait;
  bool need_write = false;  // new parameters to remember first
};

Result<std::optional<push::PingParams>> Remembered(storage::Txn& txn, const CommandContext& ctx) {
  auto bytes = txn.GetSyncState(ctx.user.id, ctx.device_id, push::kPingCollection);
  if (!bytes.ok()) {
    if (bytes.status().code() == Code::kNotFound) return std::optional<push::PingParams>();
    return bytes.status();
  }
  return push::DecodePingParams(*bytes);
}

// One pass over a snapshot (read) or inside the write transaction that
// remembers new parameters.
Status Decide(storage::Txn& txn, CommandContext& ctx, const push::PingRequest& req, bool writable,
              Outcome& out) {
  auto remembered = Remembered(txn, ctx);
  if (!remembered.ok()) return remembered.status();
  const std::optional<push::PingParams>& last = *remembered;

  // What the request leaves out comes from the last Ping of the device.
  std::optional<uint64_t> heartbeat = req.heartbeat;
  if (!heartbeat && last) heartbeat = last->heartbeat;
  push::PingParams params;
  if (req.folders) {
    params.folders = *req.folders;
  } else if (last) {
    params.folders = last->folders;
  }
  if (!heartbeat || params.folders.empty()) {
    ctx.response.log.push_back(
        {LogLevel::kInfo, std::string("Ping: no ") +
                              (heartbeat ? "Folders" : "HeartbeatInterval") +
                              " given and none remembered for the device"});
    out.answer = push::PingAnswer(push::kPingMissingParameters);
    return Status::Ok();
  }
  params.heartbeat = *heartbeat;

  const LocationOptions& limits = ctx.request.options;
  if (params.heartbeat < limits.ping_min || params.heartbeat > limits.ping_max) {
    uint64_t allowed = params.heartbeat < limits.ping_min ? limits.ping_min : limits.ping_max;
    ctx.response.log.push_back({LogLevel::kInfo, "Ping: HeartbeatInterval " +
                                                     std::to_string(params.heartbeat) +
                                                     " is out of range, allowed " +
                                                     std::to_string(limits.ping_min) + ".." +
                                                     std::to_string(limits.ping_max)});
    out.answer = push::PingHeartbeatAnswer(allowed);
    return Status::Ok();
  }
  if (params.folders.size() > limits.ping_max_folders) {
    ctx.response.log.push_back({LogLevel::kInfo, "Ping: " +
                                                     std::to_string(params.folders.size()) +
                                                     " folders, at most " +
                                                     std::to_string(limits.ping_max_folders)});
    out.answer = push::PingMaxFoldersAnswer(limits.ping_max_folders);
    return Status::Ok();
  }

  if (!last || *last != params) {
    if (!writable) {
      out.need_write = true;
      return Status::Ok();
    }
    Status s = txn.PutSyncState(ctx.user.id, ctx.device_id, push::kPingCollection,
                                push::EncodePingParams(params));
    if (!s.ok()) return s;
  }

  auto outcome = push::EvaluatePing(txn, ctx.user.id, ctx.device_id, params);
  if (!outcome.ok()) return outcome.status();
  switch (outcome->status) {
    case push::kPingFolderSyncRequired:
      ctx.response.log.push_back({LogLevel::kInfo, "Ping: FolderSync required: " + outcome->why});
      out.answer = push::PingAnswer(push::kPingFolderSyncRequired);
      break;
    case push::kPingChanges:
      out.answer = push::PingChangesAnswer(outcome->changed);
      break;
    default:
      out.wait = std::move(outcome->wait);
      out.wait->version = ctx.version;
      break;
  }
  return Status::Ok();
}

}  // namespace

void Ping(CommandContext& ctx) {
  std::string why;
  std::optional<push::PingRequest> req = push::ParsePingRequest(ctx.body, &why);
  if (!req) {
    ctx.response.log.push_back({LogLevel::kWarn, "Ping: malformed request: " + why});
    ctx.Answer(push::PingAnswer(push::kPingSyntaxError));
    return;
  }

  Outcome out;
  Status s = ctx.store.Read([&](storage::Txn& txn) { return Decide(txn, ctx, *req, false, out); });
  if (s.ok() && out.need_write) {
    if (!ctx.MayWrite()) return;
    s = ctx.store.Write([&](storage::Txn& txn) {
      out = Outcome();
      return Decide(txn, ctx, *req, true, out);
    });
  }
  if (!s.ok()) {
    ctx.response.log.push_back({LogLevel::kError, "Ping: store: " + s.message()});
    ctx.Answer(push::PingAnswer(push::kPingServerError));
    return;
  }
  if (out.wait) {
    // Held by the glue: no body now; push::Hub says when to answer what.
    ctx.response.http_status = 200;
    ctx.response.wait = std::make_shared<push::PingWait>(std::move(*out.wait));
    return;
  }
  ctx.Answer(std::move(out.answer));
}

}  // namespace eas::core::commands
