// Notes (MS-ASNOTE), and journal folders: stored and sent as written.
#include "core/items/item_class.hpp"

namespace eas::core::items {
namespace {

// Nothing beyond the defaults yet; the class's own rules (ghosted
// properties, BodyPreference) go here.
class NoteItems final : public ItemClass {};

}  // namespace

const ItemClass& NoteClass() {
  static const NoteItems kClass;
  return kClass;
}

}  // namespace eas::core::items
