#include "core/provisioning/policy.hpp"

#include <algorithm>
#include <cstdio>

namespace eas::core::provisioning {

std::string Policy::Digest() const {
  // Readable on purpose: easctl device show can print what was accepted.
  // Built on every request of a provisioned device, so one format call.
  char text[192];
  int n = std::snprintf(text, sizeof text,
                        "pw=%d,len=%u,alnum=%d,lock=%u,fail=%u,enc=%d,cam=%d,card=%d,simple=%d",
                        password_required, min_password_length, alphanumeric_password,
                        max_inactivity_seconds, max_failed_attempts, require_encryption,
                        allow_camera, allow_storage_card, allow_simple_password);
  return std::string(text, n > 0 ? std::min<size_t>(static_cast<size_t>(n), sizeof text - 1) : 0);
}

}  // namespace eas::core::provisioning
