// Tasks (MS-ASTASK): stored and sent as the phone wrote them.
#include "core/items/element_versions.hpp"
#include "core/items/item_class.hpp"
#include "core/wbxml/tag.hpp"

namespace eas::core::items {
namespace {

// Nothing beyond the defaults: Supported names no Tasks property
// (MS-ASCMD 2.2.3.179 takes contacts and calendar ones only), so a Change
// replaces every property but a body it did not send (ghosting.hpp).
constexpr int kVersion141 = 141;

class TaskItems final : public ItemClass {
 public:
  // OrdinalDate and SubOrdinalDate are 12.0's, CalendarType and
  // IsLeapMonth 14.0's, FirstDayOfWeek 14.1's (MS-ASTASK 2.2.2), Rtf 2.5's:
  // a client from 14.1 on is sent the stored tokens as they are.
  bool ElementsVaryByVersion() const override { return true; }
  bool DecodesToRender(const RenderOptions& options) const override {
    return ItemClass::DecodesToRender(options) || options.version < kVersion141;
  }
  void ShapeFor(wbxml::Element& app, const RenderOptions& options) const override {
    DropUnknownElements(app, options.version);
  }
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
