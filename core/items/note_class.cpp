// Notes (MS-ASNOTE), and journal folders: stored and sent as written.
#include "core/items/item_class.hpp"

namespace eas::core::items {
namespace {

// Nothing beyond the defaults: Supported names no Notes property
// (MS-ASCMD 2.2.3.179 takes contacts and calendar ones only), so a Change
// replaces every property but a body it did not send (ghosting.hpp).
class NoteItems final : public ItemClass {};

}  // namespace

const ItemClass& NoteClass() {
  static const NoteItems kClass;
  return kClass;
}

}  // namespace eas::core::items
