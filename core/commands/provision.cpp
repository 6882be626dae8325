// Provision (MS-ASPROV): the two-phase policy handshake. The device asks,
// gets the policy with a temporary key, applies it, acknowledges with that
// key and receives the final one, which it then sends as X-MS-PolicyKey.
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>

#include "core/commands/command.hpp"
#include "core/commands/device_information.hpp"
#include "core/commands/remote_wipe.hpp"
#include "core/provisioning/provision_doc.hpp"
#include "core/provisioning/wap_provision_doc.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace pv = wbxml::tags::provision;
namespace st = wbxml::tags::settings;

constexpr std::string_view kPolicyType = "MS-EAS-Provisioning-WBXML";

// 12.0 and later ask for the WBXML document, 2.5 for the WAP one; each
// gets the form it asked for, and the same two-phase key exchange.
bool KnownPolicyType(std::string_view type) {
  return type == kPolicyType || type == provisioning::kWapPolicyType;
}

enum ProvisionStatus { kSuccess = 1, kProtocolError = 2, kServerError = 3 };
enum PolicyStatus { kPolicyOk = 1, kNoPolicy = 2, kUnknownPolicyType = 3, kWrongPolicyKey = 5 };

// A policy key is a non-zero random 32-bit number (0 means "none" on the
// wire, so handing it out would leave the device unprovisioned forever).
uint32_t NewPolicyKey() {
  uint32_t key = 0;
  while (key == 0) {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&key), sizeof key) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    key &= 0x7fffffff;  // some clients parse it as a signed int
  }
  return key;
}

struct PolicyAnswer {
  int status = kPolicyOk;
  uint32_t key = 0;
  bool with_document = false;
};

}  // namespace

void Provision(CommandContext& ctx) {
  const wbxml::Element* root = ctx.body;
  auto top_only = [&](int status) {
    ctx.Answer(StatusAnswer(pv::kProvision, pv::kStatus, status));
  };
  if (root == nullptr || !(root->tag == pv::kProvision)) {
    ctx.response.log.push_back({LogLevel::kWarn, "Provision: malformed request"});
    top_only(kProtocolError);
    return;
  }
  if (ctx.device.wipe == storage::DeviceRecord::Wipe::kRequested ||
      ctx.device.wipe == storage::DeviceRecord::Wipe::kAccountOnly) {
    ProvisionRemoteWipe(ctx);
    return;
  }
  const wbxml::Element* policies = root->Child(pv::kPolicies);
  const wbxml::Element* policy = policies ? policies->Child(pv::kPolicy) : nullptr;
  const wbxml::Element* device_info = root->Child(st::kDeviceInformation);
  if (!ctx.MayWrite()) return;

  PolicyAnswer answer;
  const provisioning::Policy& wanted = ctx.request.options.policy;
  Status s = ctx.store.Write([&](storage::Txn& txn) {
    answer = PolicyAnswer();
    auto device = txn.GetDevice(ctx.user.id, ctx.device_id);
    if (!device.ok()) return device.status();
    if (device_info) {
      if (const wbxml::Element* set = device_info->Child(st::kSet)) {
        ApplyDeviceInformation(*set, *device);
      }
    }
    if (policy != nullptr) {
      if (!KnownPolicyType(policy->ChildText(pv::kPolicyType))) {
        answer.status = kUnknownPolicyType;
        ctx.response.log.push_back({LogLevel::kWarn, "Provision: unknown PolicyType \"" +
                                                         std::string(policy->ChildText(pv::kPolicyType)) + "\""});
      } else if (policy->Has(pv::kPolicyKey)) {
        // Phase 2: the acknowledgement of the temporary key.
        uint32_t acked = 0;
        std::string_view text = policy->ChildText(pv::kPolicyKey);
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), acked);
        if (ec != std::errc() || end != text.data() + text.size()) acked = 0;
        bool applied = policy->ChildText(pv::kStatus) == "1";
        if (device->pending_policy_key == 0 || acked != device->pending_policy_key) {
          answer.status = kWrongPolicyKey;
        } else if (!applied) {
          answer.status = kPolicyOk;  // not applied: no final key
          ctx.response.log.push_back(
              {LogLevel::kWarn, "Provision: device " + ctx.device_id + " did not apply the policy (Status " +
                                    std::string(policy->ChildText(pv::kStatus)) + ")"});
        } else {
          device->policy_key = NewPolicyKey();
          device->pending_policy_key = 0;
          device->policy_digest = wanted.Digest();
          answer.key = device->policy_key;
        }
      } else {
        // Phase 1: the policy and a temporary key.
        device->pending_policy_key = NewPolicyKey();
        answer.key = device->pending_policy_key;
        answer.with_document = true;
      }
    }
    return txn.PutDevice(*device);
  });
  if (!s.ok()) {
    ctx.response.log.push_back({LogLevel::kError, "Provision: store: " + s.message()});
    top_only(kServerError);
    return;
  }
  if (answer.key && !answer.with_document) {
    ctx.response.log.push_back({LogLevel::kNotice, "Provision: device " + ctx.device_id + " of " +
                                                       ctx.user.name + " accepted the policy"});
  }

  wbxml::Writer w;
  w.Start(pv::kProvision);
  if (device_info) {
    w.Start(st::kDeviceInformation);
    w.Element(st::kStatus, "1");
    w.End();
  }
  w.Element(pv::kStatus, std::to_string(kSuccess));
  if (policy != nullptr) {
    w.Start(pv::kPolicies);
    w.Start(pv::kPolicy);
    w.Element(pv::kPolicyType, policy->ChildText(pv::kPolicyType));
    w.Element(pv::kStatus, std::to_string(answer.status));
    if (answer.key) w.Element(pv::kPolicyKey, std::to_string(answer.key));
    if (answer.with_document && policy->ChildText(pv::kPolicyType) == provisioning::kWapPolicyType) {
      w.Element(pv::kData, provisioning::WapProvisionDoc(wanted));
    } else if (answer.with_document) {
      w.Start(pv::kData);
      provisioning::WriteProvisionDoc(w, wanted, ctx.version);
      w.End();
    }
    w.End();
    w.End();
  }
  w.End();
  ctx.Answer(w.Take());
}

}  // namespace eas::core::commands
