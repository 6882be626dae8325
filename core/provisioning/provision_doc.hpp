// The EASProvisionDoc (MS-ASPROV 2.2.2.27) for a policy, holding only the
// elements valid for the negotiated protocol version: a 12.0 client given
// 12.1+ elements fails to apply the policy and loops on 449 forever.
#pragma once

#include "core/provisioning/policy.hpp"
#include "core/wbxml/writer.hpp"

namespace eas::core::provisioning {

// Writes <EASProvisionDoc>...</EASProvisionDoc>. `version` is 120 for 12.0.
void WriteProvisionDoc(wbxml::Writer& w, const Policy& policy, int version);

}  // namespace eas::core::provisioning
