#include "core/access/gate.hpp"

#include "core/access/decide.hpp"
#include "core/commands/command.hpp"
#include "storage/store.hpp"

namespace eas::core::access {
namespace {

using storage::DeviceRecord;

// Answers with a common status (14.0+) or `legacy_http`, and logs one
// line: command, device, user, decision, its reason, the answer.
void Refuse(commands::CommandContext& ctx, const Admission& a, int status, int legacy_http) {
  const std::string answer = ctx.AnswerCommonStatus(status, legacy_http);
  ctx.response.log.push_back(
      {LogLevel::kNotice, ctx.query.cmd + " from device \"" + ctx.device_id + "\" of user \"" +
                              ctx.user.name + "\" refused: " + std::string(VerdictName(a.verdict)) +
                              " by " + a.reason + " (" + answer + ")"});
}

// The stored record, or null when the device is new; for a new device and
// a limit in force, the number of devices the user has.
Status ReadDevice(commands::CommandContext& ctx, DeviceRecord* device, bool* known,
                  size_t* devices_of_user) {
  return ctx.store.Read([&](storage::Txn& txn) {
    *known = false;
    *devices_of_user = 0;
    Status found = txn.ReadDevice(ctx.user.id, ctx.device_id, device);
    if (found.ok()) {
      *known = true;
      return Status::Ok();
    }
    *device = DeviceRecord();  // whatever a failed decode left there
    if (found.code() != Code::kNotFound) return found;
    if (ctx.request.options.access.max_devices != 0) {
      auto all = txn.ListDevices(ctx.user.id);
      if (!all.ok()) return all.status();
      *devices_of_user = all->size();
    }
    return Status::Ok();
  });
}

}  // namespace

GateResult AdmitDevice(commands::CommandContext& ctx) {
  constexpr uint64_t kLastSeenResolution = 3600;
  GateResult result;
  // Read straight into the context: the record is read on every request.
  DeviceRecord& device = ctx.device;
  bool known = false;
  size_t devices_of_user = 0;
  Status s = ReadDevice(ctx, &device, &known, &devices_of_user);
  if (!s.ok()) {
    ctx.Fail(503, LogLevel::kError, "store: " + s.message());
    return result;
  }

  const DeviceFacts facts{ctx.user.name, ctx.query.device_type, ctx.request.user_agent,
                          ctx.device_id};
  const Admission a =
      Decide(ctx.request.options.access, facts, known ? &device : nullptr, devices_of_user);
  ctx.response.device_access = std::string(VerdictName(a.verdict));
  if (!a.warning.empty()) ctx.response.log.push_back({LogLevel::kWarn, a.warning});

  if (a.verdict == Verdict::kTooManyDevices) {
    // Not stored: the device does not exist for us until a slot frees.
    const Refusal refusal = RefusalFor(a.verdict, ctx.query.cmd, ctx.version);
    Refuse(ctx, a, refusal.status, refusal.legacy_http);
    return result;
  }

  const uint64_t now = ctx.request.now;
  const DeviceRecord::Decision decision = StoredDecision(a.verdict);
  const bool decision_changed =
      decision != DeviceRecord::Decision::kNone &&
      (device.last_decision != decision || device.decision_reason != a.reason);
  const bool stale = !known || now >= device.last_seen + kLastSeenResolution ||
                     device.user_agent != ctx.request.user_agent || decision_changed;
  if (stale) {
    if (!ctx.MayWrite()) return result;
    s = ctx.store.Write([&](storage::Txn& txn) {
      DeviceRecord d;
      auto found = txn.GetDevice(ctx.user.id, ctx.device_id);
      if (found.ok()) {
        d = std::move(found).value();
      } else {
        d.user = ctx.user.id;
        d.device_id = ctx.device_id;
        d.first_seen = now;
      }
      d.device_type = ctx.query.device_type;
      d.user_agent = ctx.request.user_agent;
      d.protocol_version = ctx.request.protocol_version;
      d.last_seen = now;
      if (decision != DeviceRecord::Decision::kNone) {
        d.last_decision = decision;
        d.decision_reason = a.reason;
      }
      ctx.device = d;
      return txn.PutDevice(d);
    });
    if (!s.ok()) {
      ctx.Fail(s.code() == Code::kStoreFull ? 507 : 503, LogLevel::kError,
               "store: " + s.message());
      return result;
    }
    if (!known) {
      ctx.response.log.push_back(
          {LogLevel::kNotice, "new device \"" + ctx.device_id + "\" (" + ctx.query.device_type +
                                  ") for user \"" + ctx.user.name + "\": " +
                                  std::string(VerdictName(a.verdict)) + " by " + a.reason});
    }
  }

  const Refusal refusal = RefusalFor(a.verdict, ctx.query.cmd, ctx.version);
  if (refusal.status == 0) {
    result.proceed = true;
    result.provisioning_exempt = a.verdict == Verdict::kAllow && a.provisioning_exempt;
    return result;
  }
  if (refusal.account_wipe_too_old) {
    ctx.response.log.push_back(
        {LogLevel::kWarn, "account-only wipe of device \"" + ctx.device_id + "\" of user \"" +
                              ctx.user.name + "\" needs protocol 16.1, the device speaks " +
                              std::string(ctx.request.protocol_version) + ": refused until then"});
  }
  Refuse(ctx, a, refusal.status, refusal.legacy_http);
  return result;
}

}  // namespace eas::core::access
