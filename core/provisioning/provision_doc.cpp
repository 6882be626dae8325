#include "core/provisioning/provision_doc.hpp"

#include "core/wbxml/tags.hpp"

namespace eas::core::provisioning {
namespace {

namespace pv = wbxml::tags::provision;

const char* Bool(bool b) { return b ? "1" : "0"; }

}  // namespace

void WriteProvisionDoc(wbxml::Writer& w, const Policy& p, int version) {
  // Order as MS-ASPROV's schema lists them.
  w.Start(pv::kEASProvisionDoc);
  w.Element(pv::kDevicePasswordEnabled, Bool(p.password_required));
  w.Element(pv::kAlphanumericDevicePasswordRequired, Bool(p.alphanumeric_password));
  w.Element(pv::kPasswordRecoveryEnabled, "0");
  // Token 0x10 (RequireStorageCardEncryption): optional, so only when it
  // says something. libwbxml decodes it under its other name
  // (DeviceEncryptionEnabled), which eas-validate does not map yet.
  if (p.require_encryption) w.Element(pv::kRequireStorageCardEncryption, "1");
  w.Element(pv::kAttachmentsEnabled, "1");
  if (p.password_required && p.min_password_length) {
    w.Element(pv::kMinDevicePasswordLength, std::to_string(p.min_password_length));
  } else {
    w.Empty(pv::kMinDevicePasswordLength);
  }
  if (p.max_inactivity_seconds) {
    w.Element(pv::kMaxInactivityTimeDeviceLock, std::to_string(p.max_inactivity_seconds));
  } else {
    w.Empty(pv::kMaxInactivityTimeDeviceLock);
  }
  if (p.max_failed_attempts) {
    w.Element(pv::kMaxDevicePasswordFailedAttempts, std::to_string(p.max_failed_attempts));
  } else {
    w.Empty(pv::kMaxDevicePasswordFailedAttempts);
  }
  w.Empty(pv::kMaxAttachmentSize);
  w.Element(pv::kAllowSimpleDevicePassword, Bool(p.allow_simple_password));
  w.Empty(pv::kDevicePasswordExpiration);
  w.Element(pv::kDevicePasswordHistory, "0");
  if (version >= 121) {
    w.Element(pv::kAllowStorageCard, Bool(p.allow_storage_card));
    w.Element(pv::kAllowCamera, Bool(p.allow_camera));
    w.Element(pv::kRequireDeviceEncryption, Bool(p.require_encryption));
    w.Element(pv::kMinDevicePasswordComplexCharacters,
              p.alphanumeric_password ? "3" : "1");
  }
  w.End();
}

}  // namespace eas::core::provisioning
