// The security policy a location pushes to devices (eas_policy_*
// directives) and how strictly it is enforced (eas_provisioning).
#pragma once

#include <cstdint>
#include <string>

namespace eas::core::provisioning {

enum class Mode {
  kOff,       // never ask for a policy key
  kOptional,  // devices may provision; requests without a key are served
  kRequired,  // every command but Provision needs the current policy key
};

struct Policy {
  bool password_required = false;
  uint32_t min_password_length = 0;
  bool alphanumeric_password = false;
  uint32_t max_inactivity_seconds = 0;  // 0: no lock required
  uint32_t max_failed_attempts = 0;     // 0: unlimited
  bool require_encryption = false;
  bool allow_camera = true;
  bool allow_storage_card = true;
  bool allow_simple_password = true;

  // A fingerprint of every value: a device that accepted another one must
  // provision again (PolicyRefresh).
  std::string Digest() const;
};

}  // namespace eas::core::provisioning
