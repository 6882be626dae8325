#include "cli/easctl/easctl_devices.hpp"

#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>

#include "cli/easctl/json_out.hpp"
#include "core/auth/user_name.hpp"
#include "storage/store.hpp"

namespace eas::cli {

const char* const kDeviceUsage =
    "  device list [--pending] [--user NAME] [--json]\n"
    "  device show USER DEVICEID [--json]\n"
    "  device approve USER DEVICEID | device approve --all-pending [--user NAME]\n"
    "  device block USER DEVICEID\n"
    "  device unblock USER DEVICEID\n"
    "  device wipe USER DEVICEID [--account-only]\n"
    "  device remove USER DEVICEID\n";

namespace {

using storage::DeviceRecord;
using storage::Txn;
using storage::UserRecord;

int Fail(const std::string& message) {
  std::cerr << "easctl: " << message << "\n";
  return 1;
}

std::string Time(uint64_t t) {
  if (t == 0) return "-";
  char buf[32];
  time_t tt = static_cast<time_t>(t);
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", gmtime(&tt));
  return buf;
}

// What holds for the device now, as an administrator reads it: a pending
// or done wipe, the administrator's own decision, else the last decision
// of the rules in nginx config (as of the device's last request).
std::string State(const DeviceRecord& d) {
  switch (d.wipe) {
    case DeviceRecord::Wipe::kRequested: return "wipe-pending";
    case DeviceRecord::Wipe::kAccountOnly: return "account-wipe-pending";
    case DeviceRecord::Wipe::kDone: return "wiped";
    case DeviceRecord::Wipe::kNone: break;
  }
  if (d.access == DeviceRecord::Access::kApproved) return "approved";
  if (d.access == DeviceRecord::Access::kBlocked) return "blocked";
  switch (d.last_decision) {
    case DeviceRecord::Decision::kAllowed: return "allowed";
    case DeviceRecord::Decision::kBlocked: return "blocked";
    case DeviceRecord::Decision::kQuarantined: return "quarantined";
    case DeviceRecord::Decision::kNone: break;
  }
  return "-";
}

std::string Reason(const DeviceRecord& d) {
  if (d.wipe != DeviceRecord::Wipe::kNone || d.access != DeviceRecord::Access::kUndecided) {
    return "administrator";
  }
  return d.decision_reason.empty() ? "-" : d.decision_reason;
}

// Waiting for an administrator: quarantined by config, not yet decided.
bool Pending(const DeviceRecord& d) { return State(d) == "quarantined"; }

// Reads every device (of one user when `only` is set) with its owner's name.
Status ReadDevices(storage::Store& store, const std::string& only_user,
                   std::vector<std::pair<std::string, DeviceRecord>>* out) {
  return store.Read([&](Txn& txn) {
    out->clear();
    auto users = txn.ListUsers();
    if (!users.ok()) return users.status();
    std::optional<storage::UserId> only;
    if (!only_user.empty()) {
      auto u = txn.GetUser(core::auth::CanonicalUserName(only_user));
      if (!u.ok()) return u.status();
      only = u->id;
    }
    auto devices = txn.ListDevices(only);
    if (!devices.ok()) return devices.status();
    for (auto& d : *devices) {
      std::string name = std::to_string(d.user);
      for (const UserRecord& u : *users) {
        if (u.id == d.user) name = u.name;
      }
      out->emplace_back(name, std::move(d));
    }
    return Status::Ok();
  });
}

int List(storage::Store& store, const DeviceArgs& a) {
  std::vector<std::pair<std::string, DeviceRecord>> devices;
  Status s = ReadDevices(store, a.user, &devices);
  if (!s.ok()) return Fail(s.message());
  if (a.pending) {
    std::erase_if(devices, [](const auto& ud) { return !Pending(ud.second); });
  }
  if (a.json) {
    JsonArray out(std::cout);
    for (const auto& [user, d] : devices) {
      out.Object({{"user", user}, {"device_id", d.device_id}, {"device_type", d.device_type},
                  {"model", d.model}, {"user_agent", d.user_agent}, {"state", State(d)},
                  {"reason", Reason(d)}, {"protocol_version", d.protocol_version},
                  {"first_seen", Time(d.first_seen)}, {"last_seen", Time(d.last_seen)}});
    }
    return 0;
  }
  std::printf("%-12s %-24s %-14s %-16s %-14s %-16s %-16s %s\n", "USER", "DEVICE ID", "TYPE",
              "MODEL", "STATE", "FIRST SEEN", "LAST SEEN", "USER AGENT");
  for (const auto& [user, d] : devices) {
    std::printf("%-12s %-24s %-14s %-16s %-14s %-16s %-16s %s\n", user.c_str(),
                d.device_id.c_str(), d.device_type.c_str(), d.model.empty() ? "-" : d.model.c_str(),
                State(d).c_str(), Time(d.first_seen).c_str(), Time(d.last_seen).c_str(),
                d.user_agent.c_str());
  }
  return 0;
}

// The device USER DEVICEID names, read fresh.
Status ReadOne(storage::Store& store, const DeviceArgs& a, std::string* user, DeviceRecord* d) {
  *user = core::auth::CanonicalUserName(a.positional[2]);
  return store.Read([&](Txn& txn) {
    auto u = txn.GetUser(*user);
    if (!u.ok()) return u.status();
    auto found = txn.GetDevice(u->id, a.positional[3]);
    if (!found.ok()) return found.status();
    *d = std::move(found).value();
    return Status::Ok();
  });
}

int Show(storage::Store& store, const DeviceArgs& a) {
  if (a.positional.size() != 4) return 2;
  std::string user;
  DeviceRecord d;
  Status s = ReadOne(store, a, &user, &d);
  if (!s.ok()) return Fail(s.message());
  const std::vector<std::pair<const char*, std::string>> fields = {
      {"user", user},
      {"device_id", d.device_id},
      {"device_type", d.device_type},
      {"state", State(d)},
      {"reason", Reason(d)},
      {"last_decision_reason", d.decision_reason},
      {"model", d.model},
      {"friendly_name", d.friendly_name},
      {"os", d.os},
      {"os_language", d.os_language},
      {"imei", d.imei},
      {"phone_number", d.phone_number},
      {"mobile_operator", d.mobile_operator},
      {"user_agent", d.user_agent},
      {"protocol_version", d.protocol_version},
      {"provisioned", d.policy_key != 0 ? "yes" : "no"},
      {"first_seen", Time(d.first_seen)},
      {"last_seen", Time(d.last_seen)},
  };
  if (a.json) {
    JsonArray out(std::cout);
    out.Fields(fields);
    return 0;
  }
  for (const auto& [key, value] : fields) {
    std::printf("%-22s %s\n", key, value.empty() ? "-" : value.c_str());
  }
  return 0;
}

// Applies `change` to the device USER DEVICEID in one write transaction.
template <class Change>
int Update(storage::Store& store, const DeviceArgs& a, const std::string& done, Change change) {
  if (a.positional.size() != 4) return 2;
  std::string user = core::auth::CanonicalUserName(a.positional[2]);
  std::string refusal;
  Status s = store.Write([&](Txn& txn) {
    auto u = txn.GetUser(user);
    if (!u.ok()) return u.status();
    auto d = txn.GetDevice(u->id, a.positional[3]);
    if (!d.ok()) return d.status();
    refusal = change(*d);
    if (!refusal.empty()) return Status::Ok();
    return txn.PutDevice(*d);
  });
  if (!s.ok()) return Fail(s.message());
  if (!refusal.empty()) return Fail(refusal);
  std::cout << "device " << a.positional[3] << " of " << user << " " << done << "\n";
  return 0;
}

int ApproveAllPending(storage::Store& store, const DeviceArgs& a) {
  std::vector<std::pair<std::string, DeviceRecord>> devices;
  Status s = ReadDevices(store, a.user, &devices);
  if (!s.ok()) return Fail(s.message());
  size_t approved = 0;
  s = store.Write([&](Txn& txn) {
    approved = 0;
    for (const auto& [user, listed] : devices) {
      auto d = txn.GetDevice(listed.user, listed.device_id);
      if (!d.ok()) continue;  // removed meanwhile
      if (!Pending(*d)) continue;
      d->access = DeviceRecord::Access::kApproved;
      Status put = txn.PutDevice(*d);
      if (!put.ok()) return put;
      ++approved;
      std::cout << "device " << d->device_id << " of " << user << " approved\n";
    }
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  if (approved == 0) std::cout << "no device is waiting for approval\n";
  return 0;
}

int Remove(storage::Store& store, const DeviceArgs& a) {
  if (a.positional.size() != 4) return 2;
  std::string user = core::auth::CanonicalUserName(a.positional[2]);
  Status s = store.Write([&](Txn& txn) {
    auto u = txn.GetUser(user);
    if (!u.ok()) return u.status();
    return txn.DeleteDevice(u->id, a.positional[3]);
  });
  if (!s.ok()) return Fail(s.message());
  std::cout << "device " << a.positional[3] << " of " << user
            << " removed with its sync states\n";
  return 0;
}

}  // namespace

int DeviceCommand(storage::Store& store, const DeviceArgs& a) {
  if (a.positional.size() < 2) return 2;
  const std::string& verb = a.positional[1];
  if (verb == "list") return a.positional.size() == 2 ? List(store, a) : 2;
  if (verb == "show") return Show(store, a);
  if (verb == "approve" && a.all_pending) {
    return a.positional.size() == 2 ? ApproveAllPending(store, a) : 2;
  }
  if (verb == "approve") {
    return Update(store, a, "approved", [](DeviceRecord& d) {
      d.access = DeviceRecord::Access::kApproved;
      return std::string();
    });
  }
  if (verb == "block") {
    return Update(store, a, "blocked", [](DeviceRecord& d) {
      d.access = DeviceRecord::Access::kBlocked;
      return std::string();
    });
  }
  if (verb == "unblock") {
    return Update(store, a, "unblocked: the rules in nginx config decide again",
                  [](DeviceRecord& d) {
                    d.access = DeviceRecord::Access::kUndecided;
                    return std::string();
                  });
  }
  if (verb == "wipe") {
    const bool account_only = a.account_only;
    return Update(store, a,
                  account_only ? "will be told to remove this account at its next request"
                               : "will be wiped at its next request",
                  [account_only](DeviceRecord& d) {
                    if (d.wipe == DeviceRecord::Wipe::kDone) {
                      return std::string("the device was wiped already; `device remove` forgets it");
                    }
                    // AccountOnlyRemoteWipe exists from 16.1 on (MS-ASPROV 2.2.2.1).
                    if (account_only && d.protocol_version != "16.1") {
                      return "an account-only wipe needs protocol 16.1; the device speaks " +
                             (d.protocol_version.empty() ? std::string("an older one")
                                                         : d.protocol_version);
                    }
                    d.wipe = account_only ? DeviceRecord::Wipe::kAccountOnly
                                          : DeviceRecord::Wipe::kRequested;
                    return std::string();
                  });
  }
  if (verb == "remove") return Remove(store, a);
  return 2;
}

}  // namespace eas::cli
