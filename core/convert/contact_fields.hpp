// The Contacts fields the vCard conversion knows, in the order an imported
// contact lists them, and the phone and address slots with their vCard
// TYPEs. Shared by both directions, so a round trip keeps the order.
#pragma once

#include <vector>

#include "core/wbxml/tag.hpp"

namespace eas::core::convert {

// Single-valued text fields, in canonical order.
const std::vector<wbxml::Tag>& ContactTextFields();

struct PhoneSlot {
  wbxml::Tag tag;
  const char* types;  // vCard TYPE values (lower case; upper-cased for 3.0)
};
// Phone fields, in the order an import fills untyped numbers.
const std::vector<PhoneSlot>& PhoneSlots();

struct AddressSlot {
  const char* type;  // "home", "work", "other"
  wbxml::Tag street, city, state, postal_code, country;
};
const std::vector<AddressSlot>& AddressSlots();

}  // namespace eas::core::convert
