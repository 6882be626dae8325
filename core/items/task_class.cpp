// Tasks (MS-ASTASK): stored and sent as the phone wrote them.
#include "core/items/item_class.hpp"
#include "core/wbxml/tag.hpp"

namespace eas::core::items {
namespace {

// Nothing beyond the defaults: Supported names no Tasks property
// (MS-ASCMD 2.2.3.179 takes contacts and calendar ones only), so a Change
// replaces every property but a body it did not send (ghosting.hpp).
class TaskItems final : public ItemClass {
 public:
  // 2.5's asks Body, BodyTruncated and BodySize.
  const LegacyBodyTags* LegacyBody() const override {
    static const LegacyBodyTags kTags{wbxml::TagNamed(wbxml::Page::kTasks, "Body"),
                                      wbxml::TagNamed(wbxml::Page::kTasks, "BodyTruncated"),
                                      wbxml::TagNamed(wbxml::Page::kTasks, "BodySize")};
    return &kTags;
  }
};

}  // namespace

const ItemClass& TaskClass() {
  static const TaskItems kClass;
  return kClass;
}

}  // namespace eas::core::items
