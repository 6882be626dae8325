// Tasks (MS-ASTASK): stored and sent as the phone wrote them.
#include "core/items/item_class.hpp"

namespace eas::core::items {
namespace {

// Nothing beyond the defaults yet; the class's own rules (ghosted
// properties, BodyPreference) go here.
class TaskItems final : public ItemClass {};

}  // namespace

const ItemClass& TaskClass() {
  static const TaskItems kClass;
  return kClass;
}

}  // namespace eas::core::items
