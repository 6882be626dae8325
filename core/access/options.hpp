// The device access settings of a location, as the glue hands them over
// with each request (part of LocationOptions).
#pragma once

#include <cstdint>
#include <string>

#include "core/access/rules.hpp"

namespace eas::core::access {

struct AccessOptions {
  // eas_device_rule, in order; null when the location has none. Owned by
  // the configuration (it outlives every request of its cycle).
  const RuleList* rules = nullptr;
  // eas_device_default: for devices no rule matches.
  Decision default_decision = Decision::kAllow;
  // eas_device_access, evaluated for this request: "allow", "block",
  // "quarantine", or empty (no decision: the rules decide).
  std::string variable;
  // eas_provisioning_exempt: devices that skip the policy-key check.
  const RuleList* provisioning_exempt = nullptr;
  // eas_max_devices: devices one user may have; 0 = no limit.
  uint32_t max_devices = 0;
  // eas_max_protocol_version, evaluated for this request; empty = none.
  std::string max_protocol_version;
};

}  // namespace eas::core::access
