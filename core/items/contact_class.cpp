// Contacts (MS-ASCNTC): stored and sent as the phone wrote them; no
// FilterType, no occurrences. A Change keeps what the client ghosts.
#include <algorithm>
#include <string>
#include <vector>

#include "core/items/element_versions.hpp"
#include "core/items/item_class.hpp"
#include "core/wbxml/tag.hpp"

namespace eas::core::items {
namespace {

using wbxml::Page;
using wbxml::Tag;

// The Contacts and Contacts2 properties a client may name in Supported
// (MS-ASCMD 2.2.3.179; the GhostingProps groups of Contacts.xsd and
// Contacts2.xsd), spelled as libwbxml spells them (BusinessCity is
// BusinessAddressCity, AssistantTelephoneNumber AssistantPhoneNumber).
// Not among them: Body (its own rule, ghosting.hpp), Alias, WeightedRank.
std::vector<Tag> GhostableTags() {
  std::vector<Tag> tags;
  for (const char* name :
       {"Anniversary", "AssistantName", "AssistantTelephoneNumber", "Birthday",
        "Business2PhoneNumber", "BusinessCity", "BusinessCountry", "BusinessPostalCode",
        "BusinessState", "BusinessStreet", "BusinessFaxNumber", "BusinessPhoneNumber",
        "CarPhoneNumber", "Categories", "Children", "CompanyName", "Department", "Email1Address",
        "Email2Address", "Email3Address", "FileAs", "FirstName", "Home2PhoneNumber", "HomeCity",
        "HomeCountry", "HomePostalCode", "HomeState", "HomeStreet", "HomeFaxNumber",
        "HomePhoneNumber", "JobTitle", "LastName", "MiddleName", "MobilePhoneNumber",
        "OfficeLocation", "OtherCity", "OtherCountry", "OtherPostalCode", "OtherState",
        "OtherStreet", "PagerNumber", "RadioPhoneNumber", "Spouse", "Suffix", "Title", "WebPage",
        "YomiCompanyName", "YomiFirstName", "YomiLastName", "Picture"}) {
    tags.push_back(wbxml::TagNamed(Page::kContacts, name));
  }
  for (const char* name : {"CustomerId", "GovernmentId", "IMAddress", "IMAddress2", "IMAddress3",
                           "ManagerName", "CompanyMainPhone", "AccountName", "NickName", "MMS"}) {
    tags.push_back(wbxml::TagNamed(Page::kContacts2, name));
  }
  return tags;
}

constexpr int kVersion14 = 140;

class ContactItems final : public ItemClass {
 public:
  // MS-ASCNTC 2.2.2.58: a Picture is at most 48 KB of base64 text; a
  // bigger one MUST get Status 6.
  Status CheckFromClient(const wbxml::Element& app) const override {
    static const Tag kPicture = wbxml::TagNamed(Page::kContacts, "Picture");
    constexpr size_t kMaxPicture = 48 * 1024;
    const wbxml::Element* picture = app.Child(kPicture);
    if (picture == nullptr || picture->text.size() <= kMaxPicture) return Status::Ok();
    return Status::Invalid("its Picture is " + std::to_string(picture->text.size()) +
                           " bytes of base64, over the 48 KB MS-ASCNTC allows");
  }
  // 2.5's ontacts Body, BodyTruncated and BodySize.
  const LegacyBodyTags* LegacyBody() const override {
    static const LegacyBodyTags kTags{wbxml::TagNamed(wbxml::Page::kContacts, "Body"),
                                      wbxml::TagNamed(wbxml::Page::kContacts, "BodyTruncated"),
                                      wbxml::TagNamed(wbxml::Page::kContacts, "BodySize")};
    return &kTags;
  }
  // Alias and WeightedRank are 14.0's (MS-ASCNTC 2.2.2.2, 2.2.2.64),
  // Rtf 2.5's: a client from 14.0 on is sent the stored tokens as they are.
  bool ElementsVaryByVersion() const override { return true; }
  bool DecodesToRender(const RenderOptions& options) const override {
    return ItemClass::DecodesToRender(options) || options.version < kVersion14;
  }
  void ShapeFor(wbxml::Element& app, const RenderOptions& options) const override {
    DropUnknownElements(app, options.version);
  }
  bool KeepsAbsent(Tag tag, const ChangeRules& rules) const override {
    static const std::vector<Tag> kGhostable = GhostableTags();
    return rules.Ghosts(tag) &&
           std::find(kGhostable.begin(), kGhostable.end(), tag) != kGhostable.end();
  }
};

}  // namespace

const ItemClass& ContactClass() {
  static const ContactItems kClass;
  return kClass;
}

}  // namespace eas::core::items
