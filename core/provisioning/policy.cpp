#include "core/provisioning/policy.hpp"

namespace eas::core::provisioning {

std::string Policy::Digest() const {
  // Readable on purpose: easctl device show can print what was accepted.
  return "pw=" + std::to_string(password_required) +
         ",len=" + std::to_string(min_password_length) +
         ",alnum=" + std::to_string(alphanumeric_password) +
         ",lock=" + std::to_string(max_inactivity_seconds) +
         ",fail=" + std::to_string(max_failed_attempts) +
         ",enc=" + std::to_string(require_encryption) +
         ",cam=" + std::to_string(allow_camera) +
         ",card=" + std::to_string(allow_storage_card) +
         ",simple=" + std::to_string(allow_simple_password);
}

}  // namespace eas::core::provisioning
