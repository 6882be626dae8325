// Contacts (MS-ASCNTC): stored and sent as the phone wrote them; no
// FilterType, no occurrences.
#include "core/items/item_class.hpp"

namespace eas::core::items {
namespace {

// Nothing beyond the defaults yet; the class's own rules (ghosted
// properties, BodyPreference) go here.
class ContactItems final : public ItemClass {};

}  // namespace

const ItemClass& ContactClass() {
  static const ContactItems kClass;
  return kClass;
}

}  // namespace eas::core::items
