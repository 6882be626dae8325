// Stored item data: an ApplicationData tree survives encode/decode exactly,
// replays inside another document through Writer::Fragment, and corrupt
// bytes are an error, not a crash.
#include <cppunit/extensions/HelperMacros.h>

#include "core/items/item_data.hpp"
#include "core/wbxml/decoder.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"

namespace eas::core::items {
namespace {

using wbxml::Element;
using wbxml::Page;
using wbxml::TagNamed;

Element Leaf(Page page, const char* name, std::string text, bool opaque = false) {
  Element e;
  e.tag = TagNamed(page, name);
  e.text = std::move(text);
  e.opaque = opaque;
  return e;
}

Element SampleContact() {
  Element app;
  app.tag = wbxml::tags::airsync::kApplicationData;
  app.children.push_back(Leaf(Page::kContacts, "FileAs", "Smith, Anna"));
  app.children.push_back(Leaf(Page::kContacts, "FirstName", "Anna"));
  app.children.push_back(Leaf(Page::kContacts, "Email1Address", "\"Anna\" <anna@example.org>"));
  app.children.push_back(Leaf(Page::kContacts, "Picture", std::string("\xff\xd8\x00\x01", 4), true));
  Element body;
  body.tag = TagNamed(Page::kAirSyncBase, "Body");
  body.children.push_back(Leaf(Page::kAirSyncBase, "Type", "1"));
  body.children.push_back(Leaf(Page::kAirSyncBase, "Data", "Met at the conference"));
  app.children.push_back(body);
  app.children.push_back(Leaf(Page::kContacts2, "NickName", "Annie"));
  return app;
}

class ItemDataTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ItemDataTest);
  CPPUNIT_TEST(testRoundTrip);
  CPPUNIT_TEST(testFragmentReplaysInADocument);
  CPPUNIT_TEST(testCorruptDataIsAnError);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testRoundTrip() {
    Element app = SampleContact();
    auto back = DecodeItemData(EncodeItemData(app));
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT(*back == app);
  }

  void testFragmentReplaysInADocument() {
    namespace as = wbxml::tags::airsync;
    std::string fragment = EncodeItemData(SampleContact());
    wbxml::Writer w;
    w.Start(as::kSync);
    w.Start(as::kApplicationData);
    w.Fragment(fragment);
    w.End();
    w.Element(as::kStatus, "1");  // on page 0 again after the fragment
    w.End();
    auto doc = wbxml::Decode(w.Take());
    CPPUNIT_ASSERT(doc.ok());
    CPPUNIT_ASSERT(*doc->Child(as::kApplicationData) == SampleContact());
    CPPUNIT_ASSERT_EQUAL(std::string("1"), std::string(doc->ChildText(as::kStatus)));
  }

  void testCorruptDataIsAnError() {
    std::string fragment = EncodeItemData(SampleContact());
    for (size_t cut = 1; cut < fragment.size(); ++cut) {
      auto r = DecodeItemData(fragment.substr(0, cut));
      if (r.ok()) continue;  // a cut at an element boundary is still valid
      CPPUNIT_ASSERT(r.status().code() == Code::kIoError);
    }
    CPPUNIT_ASSERT(!DecodeItemData(std::string("\x00\x63\x45", 3)).ok());  // unknown page
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ItemDataTest);

}  // namespace
}  // namespace eas::core::items
