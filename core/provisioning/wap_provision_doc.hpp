// The policy as EAS 2.5 clients take it: PolicyType MS-WAP-Provisioning-XML,
// whose Data is a string holding a Windows Mobile provisioning document
// (MS-ASPROV 2.2.2.24.2), not the EASProvisionDoc element of 12.0 and later.
#pragma once

#include <string>

#include "core/provisioning/policy.hpp"

namespace eas::core::provisioning {

inline constexpr std::string_view kWapPolicyType = "MS-WAP-Provisioning-XML";

// The <wap-provisioningdoc> text for `policy`: only the values a 2.5 device
// knows (password on/off, length, complexity, inactivity lock, wipe after
// failed attempts); the rest of the policy has no 2.5 form.
std::string WapProvisionDoc(const Policy& policy);

}  // namespace eas::core::provisioning
