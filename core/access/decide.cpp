#include "core/access/decide.hpp"

namespace eas::core::access {
namespace {

// MS-ASCMD 2.2.2 common status codes.
constexpr int kDeviceIsBlockedForThisUser = 129;
constexpr int kRemoteWipeRequested = 140;
constexpr int kMaximumDevicesReached = 177;

// Commands a quarantined device may still send: Provision (so it learns
// the policy) and Settings (so it tells its model and phone number, which
// the administrator sees in `easctl device list --pending`).
bool QuarantineLetsThrough(std::string_view cmd) {
  return cmd == "Provision" || cmd == "Settings";
}

using storage::DeviceRecord;

Verdict FromDecision(Decision d) {
  switch (d) {
    case Decision::kBlock: return Verdict::kBlock;
    case Decision::kQuarantine: return Verdict::kQuarantine;
    case Decision::kAllow:
    case Decision::kNone: break;
  }
  return Verdict::kAllow;
}

// What config says, without the administrator: eas_device_access, then the
// rules in order, then eas_device_default. Fills *a (every request decides).
void FromConfig(const AccessOptions& options, const DeviceFacts& facts, Admission* a) {
  if (!options.variable.empty()) {
    Decision d = ParseDecision(options.variable);
    if (d != Decision::kNone) {
      a->verdict = FromDecision(d);
      a->reason = "eas_device_access";
      return;
    }
    a->warning = "eas_device_access value \"" + options.variable +
                 "\" is not allow, block or quarantine; the rules decide";
  }
  if (options.rules != nullptr) {
    RuleMatch m = options.rules->First(facts);
    if (m.decision != Decision::kNone) {
      a->verdict = FromDecision(m.decision);
      a->reason = "rule " + std::to_string(m.number) + " (" + std::string(m.text) + ")";
      return;
    }
  }
  a->verdict = FromDecision(options.default_decision);
  a->reason = "eas_device_default";
}

}  // namespace

Admission Decide(const AccessOptions& options, const DeviceFacts& facts,
                 const DeviceRecord* known, size_t devices_of_user) {
  Admission a;
  if (known != nullptr && known->wipe == DeviceRecord::Wipe::kRequested) {
    a.verdict = Verdict::kWipe;
    a.reason = "administrator";
  } else if (known != nullptr && known->wipe == DeviceRecord::Wipe::kAccountOnly) {
    a.verdict = Verdict::kAccountOnlyWipe;
    a.reason = "administrator";
  } else if (known != nullptr && known->wipe == DeviceRecord::Wipe::kDone) {
    // Wiped devices stay out until `easctl device remove` forgets them.
    a.verdict = Verdict::kBlock;
    a.reason = "wiped";
  } else if (known != nullptr && known->access == DeviceRecord::Access::kApproved) {
    a.verdict = Verdict::kAllow;
    a.reason = "administrator";
  } else if (known != nullptr && known->access == DeviceRecord::Access::kBlocked) {
    a.verdict = Verdict::kBlock;
    a.reason = "administrator";
  } else if (known == nullptr && options.max_devices != 0 &&
             devices_of_user >= options.max_devices) {
    a.verdict = Verdict::kTooManyDevices;
    a.reason = "eas_max_devices " + std::to_string(options.max_devices);
  } else {
    FromConfig(options, facts, &a);
  }
  if (a.verdict == Verdict::kAllow && options.provisioning_exempt != nullptr) {
    a.provisioning_exempt = options.provisioning_exempt->First(facts).number != 0;
  }
  return a;
}

Refusal RefusalFor(Verdict verdict, std::string_view cmd, int version) {
  Refusal r;
  switch (verdict) {
    case Verdict::kAllow:
      return r;
    case Verdict::kQuarantine:
      if (QuarantineLetsThrough(cmd)) return r;
      break;
    case Verdict::kWipe:
    case Verdict::kAccountOnlyWipe:
      if (verdict == Verdict::kAccountOnlyWipe && version < 161) {
        // AccountOnlyRemoteWipe is 16.1 only; an older client would not
        // understand it, and a full wipe is more than was asked for.
        r.account_wipe_too_old = true;
        break;
      }
      // The device provisions next and receives the wipe directive there.
      if (cmd == "Provision") return r;
      r.status = kRemoteWipeRequested;
      r.legacy_http = 449;
      return r;
    case Verdict::kTooManyDevices:
      r.status = kMaximumDevicesReached;
      r.legacy_http = 403;
      return r;
    case Verdict::kBlock:
      break;
  }
  r.status = kDeviceIsBlockedForThisUser;
  r.legacy_http = 403;
  return r;
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllow: return "allow";
    case Verdict::kBlock: return "block";
    case Verdict::kQuarantine: return "quarantine";
    case Verdict::kWipe: return "wipe";
    case Verdict::kAccountOnlyWipe: return "wipe_account";
    case Verdict::kTooManyDevices: return "limit";
  }
  return "";
}

DeviceRecord::Decision StoredDecision(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllow: return DeviceRecord::Decision::kAllowed;
    case Verdict::kBlock: return DeviceRecord::Decision::kBlocked;
    case Verdict::kQuarantine: return DeviceRecord::Decision::kQuarantined;
    default: break;
  }
  return DeviceRecord::Decision::kNone;
}

}  // namespace eas::core::access
