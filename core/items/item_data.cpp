#include "core/items/item_data.hpp"

#include "core/wbxml/decoder.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"

namespace eas::core::items {
namespace {

namespace as = wbxml::tags::airsync;

// Header (version 1.3, public id 1, UTF-8, no string table).
constexpr std::string_view kHeader("\x03\x01\x6a\x00", 4);
constexpr char kEnd = 0x01;
constexpr uint8_t kContentBit = 0x40;

}  // namespace

std::string EncodeItemData(const wbxml::Element& application_data) {
  wbxml::Writer w;
  w.Start(as::kApplicationData);  // page 0 is current: one token, no switch
  w.ForgetPage();
  for (const auto& c : application_data.children) wbxml::WriteElement(w, c);
  w.End();
  std::string doc = w.Take();
  // header + root token ... END
  return doc.substr(kHeader.size() + 1, doc.size() - kHeader.size() - 2);
}

Result<wbxml::Element> DecodeItemData(std::string_view data) {
  std::string doc(kHeader);
  doc.push_back(static_cast<char>(as::kApplicationData.token | kContentBit));
  doc.append(data);
  doc.push_back(kEnd);
  auto decoded = wbxml::Decode(doc);
  if (!decoded.ok()) return Status::Io("corrupt item data: " + decoded.status().message());
  return decoded;
}

}  // namespace eas::core::items
