#include "core/convert/contact_fields.hpp"

#include "core/convert/tags.hpp"

namespace eas::core::convert {

namespace c = tags::contacts;
namespace c2 = tags::contacts2;

const std::vector<wbxml::Tag>& ContactTextFields() {
  static const std::vector<wbxml::Tag> fields = {
      c::kFileAs, c::kTitle, c::kFirstName, c::kMiddleName, c::kLastName, c::kSuffix,
      c::kCompanyName, c::kDepartment, c::kJobTitle, c::kOfficeLocation,
      c::kEmail1Address, c::kEmail2Address, c::kEmail3Address,
      c::kMobilePhoneNumber, c::kHomePhoneNumber, c::kHome2PhoneNumber,
      c::kBusinessPhoneNumber, c::kBusiness2PhoneNumber, c::kHomeFaxNumber,
      c::kBusinessFaxNumber, c::kCarPhoneNumber, c::kPagerNumber, c::kRadioPhoneNumber,
      c::kAssistantTelephoneNumber,
      c::kHomeStreet, c::kHomeCity, c::kHomeState, c::kHomePostalCode, c::kHomeCountry,
      c::kBusinessStreet, c::kBusinessCity, c::kBusinessState, c::kBusinessPostalCode,
      c::kBusinessCountry,
      c::kOtherStreet, c::kOtherCity, c::kOtherState, c::kOtherPostalCode, c::kOtherCountry,
      c::kWebPage, c::kBirthday, c::kAnniversary, c::kSpouse, c::kAssistantName,
      c::kPicture,
      c2::kNickName, c2::kIMAddress, c2::kIMAddress2, c2::kIMAddress3, c2::kManagerName,
      c2::kCustomerId,
  };
  return fields;
}

const std::vector<PhoneSlot>& PhoneSlots() {
  static const std::vector<PhoneSlot> slots = {
      {c::kMobilePhoneNumber, "cell"},
      {c::kHomePhoneNumber, "home,voice"},
      {c::kBusinessPhoneNumber, "work,voice"},
      {c::kHome2PhoneNumber, "home,voice"},
      {c::kBusiness2PhoneNumber, "work,voice"},
      {c::kHomeFaxNumber, "home,fax"},
      {c::kBusinessFaxNumber, "work,fax"},
      {c::kCarPhoneNumber, "car"},
      {c::kPagerNumber, "pager"},
      {c::kRadioPhoneNumber, "x-radio"},
      {c::kAssistantTelephoneNumber, "x-assistant"},
  };
  return slots;
}

const std::vector<AddressSlot>& AddressSlots() {
  static const std::vector<AddressSlot> slots = {
      {"home", c::kHomeStreet, c::kHomeCity, c::kHomeState, c::kHomePostalCode, c::kHomeCountry},
      {"work", c::kBusinessStreet, c::kBusinessCity, c::kBusinessState, c::kBusinessPostalCode,
       c::kBusinessCountry},
      {"other", c::kOtherStreet, c::kOtherCity, c::kOtherState, c::kOtherPostalCode,
       c::kOtherCountry},
  };
  return slots;
}

}  // namespace eas::core::convert
