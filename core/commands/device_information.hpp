// Settings' DeviceInformation/Set, sent with Settings and (14.1+) Provision.
#pragma once

#include "core/wbxml/element.hpp"
#include "storage/records.hpp"

namespace eas::core::commands {

// Copies the fields of a DeviceInformation/Set element into the record.
void ApplyDeviceInformation(const wbxml::Element& set, storage::DeviceRecord& device);

}  // namespace eas::core::commands
