#include "core/commands/device_information.hpp"

#include "core/wbxml/tags.hpp"

namespace eas::core::commands {

void ApplyDeviceInformation(const wbxml::Element& set, storage::DeviceRecord& d) {
  namespace st = wbxml::tags::settings;
  auto take = [&](wbxml::Tag tag, std::string& field) {
    if (set.Has(tag)) field = std::string(set.ChildText(tag));
  };
  take(st::kModel, d.model);
  take(st::kIMEI, d.imei);
  take(st::kFriendlyName, d.friendly_name);
  take(st::kOS, d.os);
  take(st::kOSLanguage, d.os_language);
  take(st::kPhoneNumber, d.phone_number);
  take(st::kMobileOperator, d.mobile_operator);
  take(st::kUserAgent, d.user_agent);
}

}  // namespace eas::core::commands
