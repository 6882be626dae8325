#include "core/provisioning/wap_provision_doc.hpp"

namespace eas::core::provisioning {
namespace {

// Where the Windows Mobile Local Authentication Subsystem keeps each value.
constexpr std::string_view kLockKey =
    "HKLM\\Comm\\Security\\Policy\\LASSD\\AE\\{50C13377-C66D-400C-889E-C316FC4AB374}";
constexpr std::string_view kLassdKey = "HKLM\\Comm\\Security\\Policy\\LASSD";
constexpr std::string_view kPasswordKey = "HKLM\\Comm\\Security\\Policy\\LASSD\\LAP\\lap_pw";

void Parm(std::string& out, std::string_view name, std::string_view value) {
  out.append("<parm name=\"").append(name).append("\" value=\"").append(value).append("\"/>");
}

void Characteristic(std::string& out, std::string_view type, std::string_view name,
                    std::string_view value) {
  out.append("<characteristic type=\"").append(type).append("\">");
  Parm(out, name, value);
  out.append("</characteristic>");
}

}  // namespace

std::string WapProvisionDoc(const Policy& p) {
  std::string out = "<wap-provisioningdoc><characteristic type=\"SecurityPolicy\">";
  // 4131: 0 makes the device require a password, 1 leaves it free.
  // 4133: whether a desktop may unlock the device; with a password required
  // that would be a way around it.
  Parm(out, "4131", p.password_required ? "0" : "1");
  Parm(out, "4133", p.password_required ? "0" : "1");
  out.append("</characteristic>");
  if (p.password_required) {
    out.append("<characteristic type=\"Registry\">");
    // The inactivity lock is in whole minutes; round up so that the device
    // never stays open longer than the administrator asked.
    uint32_t minutes = (p.max_inactivity_seconds + 59) / 60;
    out.append("<characteristic type=\"").append(kLockKey).append("\">");
    Parm(out, "AEFrequencyType", minutes ? "1" : "0");
    if (minutes) Parm(out, "AEFrequencyValue", std::to_string(minutes));
    out.append("</characteristic>");
    if (p.max_failed_attempts) {
      Characteristic(out, kLassdKey, "DeviceWipeThreshold", std::to_string(p.max_failed_attempts));
      // The device asks the user to type a code word every this many failed
      // attempts, so that a pocket full of key presses does not wipe it.
      uint32_t every = p.max_failed_attempts / 2 ? p.max_failed_attempts / 2 : 1;
      Characteristic(out, kLassdKey, "CodewordFrequency", std::to_string(every));
    }
    if (p.min_password_length) {
      Characteristic(out, kPasswordKey, "MinimumPasswordLength",
                     std::to_string(p.min_password_length));
    }
    // 0: letters and digits required; 2: any password (a PIN) will do.
    Characteristic(out, kPasswordKey, "PasswordComplexity", p.alphanumeric_password ? "0" : "2");
    out.append("</characteristic>");
  }
  out.append("</wap-provisioningdoc>");
  return out;
}

}  // namespace eas::core::provisioning
