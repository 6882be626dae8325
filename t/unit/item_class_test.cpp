// Which class a folder's items are, and the calendar class's own rules:
// its FilterType windows and what falls outside them.
#include <cppunit/extensions/HelperMacros.h>

#include "core/folder_type.hpp"
#include "core/items/item_class.hpp"
#include "core/items/item_data.hpp"
#include "core/wbxml/tag.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::items {
namespace {

namespace ft = folder_type;

std::string Event(const std::string& end, bool recurring) {
  wbxml::Element app{wbxml::tags::airsync::kApplicationData, "", false, {}};
  app.children.push_back(
      {wbxml::TagNamed(wbxml::Page::kCalendar, "EndTime"), end, false, {}});
  if (recurring) {
    app.children.push_back({wbxml::TagNamed(wbxml::Page::kCalendar, "Recurrence"), "", false, {}});
  }
  return EncodeItemData(app);
}

class ItemClassTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ItemClassTest);
  CPPUNIT_TEST(testClassOfFolderKinds);
  CPPUNIT_TEST(testCalendarWindow);
  CPPUNIT_TEST(testCutPoint);
  CPPUNIT_TEST(testContactGhosting);
  CPPUNIT_TEST(testCalendarGhosting);
  CPPUNIT_TEST(testBodyForEachClient);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testClassOfFolderKinds() {
    CPPUNIT_ASSERT(&ClassOf(ft::kContacts) == &ContactClass());
    CPPUNIT_ASSERT(&ClassOf(ft::kUserContacts) == &ContactClass());
    CPPUNIT_ASSERT(&ClassOf(ft::kCalendar) == &CalendarClass());
    CPPUNIT_ASSERT(&ClassOf(ft::kUserCalendar) == &CalendarClass());
    CPPUNIT_ASSERT(&ClassOf(ft::kTasks) == &TaskClass());
    CPPUNIT_ASSERT(&ClassOf(ft::kUserNotes) == &NoteClass());
    CPPUNIT_ASSERT(&ClassOf(ft::kInbox) == &EmailClass());
    CPPUNIT_ASSERT(&ClassOf(ft::kDeletedItems) == &EmailClass());
    CPPUNIT_ASSERT(&ClassOf(ft::kUserMail) == &EmailClass());
  }

  void testCalendarWindow() {
    const ItemClass& cal = CalendarClass();
    const uint64_t now = 1796083200;  // 2026-12-01T00:00:00Z
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, cal.FilterCutoff(0, now));  // all
    CPPUNIT_ASSERT_EQUAL(now - 14 * 86400, cal.FilterCutoff(4, now));
    CPPUNIT_ASSERT_EQUAL(now - 183 * 86400, cal.FilterCutoff(7, now));
    const uint64_t cutoff = cal.FilterCutoff(4, now);  // 2026-11-17
    CPPUNIT_ASSERT(cal.OutsideWindow(Event("20261101T100000Z", false), 0, cutoff));
    CPPUNIT_ASSERT(!cal.OutsideWindow(Event("20261101T100000Z", true), 0, cutoff));  // recurs
    CPPUNIT_ASSERT(!cal.OutsideWindow(Event("20261120T100000Z", false), 0, cutoff));
    CPPUNIT_ASSERT(!cal.OutsideWindow(Event("20261101T100000Z", false), 0, 0));
    // Other classes have no window.
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, ContactClass().FilterCutoff(4, now));
    CPPUNIT_ASSERT(!ContactClass().OutsideWindow(Event("20261101T100000Z", false), 0, cutoff));
  }

  // Truncation never splits a UTF-8 character, and HTML is never cut
  // inside a tag.
  void testCutPoint() {
    const std::string euro = "ab\xE2\x82\xAC" "cd";  // a, b, €, c, d
    CPPUNIT_ASSERT_EQUAL(size_t{2}, CutPoint(euro, 3, false));
    CPPUNIT_ASSERT_EQUAL(size_t{2}, CutPoint(euro, 4, false));
    CPPUNIT_ASSERT_EQUAL(size_t{5}, CutPoint(euro, 5, false));
    CPPUNIT_ASSERT_EQUAL(euro.size(), CutPoint(euro, 100, false));
    const std::string html = "<p>Hello <b>world</b></p>";
    CPPUNIT_ASSERT_EQUAL(size_t{9}, CutPoint(html, 11, true));   // inside <b>: before it
    CPPUNIT_ASSERT_EQUAL(size_t{14}, CutPoint(html, 14, true));  // after <b>, in the text
    CPPUNIT_ASSERT_EQUAL(size_t{11}, CutPoint(html, 11, false)); // plain text: anywhere
  }

  // A Supported naming the mobile number: a Change with only a new number
  // keeps the picture, the name and the body; one with neither number nor
  // body deletes the number (it is the client's) and keeps the body. No
  // Supported: what the Change lacks goes, except the body.
  void testContactGhosting() {
    using wbxml::Page;
    const wbxml::Tag first = wbxml::TagNamed(Page::kContacts, "FirstName");
    const wbxml::Tag mobile = wbxml::TagNamed(Page::kContacts, "MobilePhoneNumber");
    const wbxml::Tag picture = wbxml::TagNamed(Page::kContacts, "Picture");
    const wbxml::Tag body = wbxml::tags::base::kBody;
    const wbxml::Tag nick = wbxml::TagNamed(Page::kContacts2, "NickName");
    auto app = [](std::vector<wbxml::Element> children) {
      return wbxml::Element{wbxml::tags::airsync::kApplicationData, "", false, std::move(children)};
    };
    const std::string stored = EncodeItemData(app({{first, "Ada", false, {}},
                                                   {mobile, "111", false, {}},
                                                   {picture, "UElD", false, {}},
                                                   {nick, "Countess", false, {}},
                                                   {body, "", false, {{wbxml::tags::base::kType, "1", false, {}},
                                                                       {wbxml::tags::base::kData, "notes", false, {}}}}}));
    wbxml::Element supported{wbxml::tags::airsync::kSupported, "", false, {{mobile, "", false, {}}}};
    const std::string declared = EncodeSupported(&supported);
    const ChangeRules b{141, declared};
    auto merged = ContactClass().ApplyChange(stored, app({{mobile, "222", false, {}}}), "", b);
    CPPUNIT_ASSERT(merged.ok());
    auto got = DecodeItemData(*merged);
    CPPUNIT_ASSERT(got.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("222"), std::string(got->ChildText(mobile)));
    CPPUNIT_ASSERT_EQUAL(std::string("Ada"), std::string(got->ChildText(first)));
    CPPUNIT_ASSERT_EQUAL(std::string("UElD"), std::string(got->ChildText(picture)));
    CPPUNIT_ASSERT_EQUAL(std::string("Countess"), std::string(got->ChildText(nick)));
    CPPUNIT_ASSERT(got->Has(body));

    merged = ContactClass().ApplyChange(stored, app({{first, "Ada", false, {}}}), "", b);
    got = DecodeItemData(*merged);
    CPPUNIT_ASSERT(!got->Has(mobile));  // named in Supported, absent: deleted
    CPPUNIT_ASSERT(got->Has(picture) && got->Has(body));

    // An empty Supported ghosts every ghostable property.
    wbxml::Element empty{wbxml::tags::airsync::kSupported, "", false, {}};
    const std::string none_named = EncodeSupported(&empty);
    merged = ContactClass().ApplyChange(stored, app({{first, "Eve", false, {}}}), "",
                                        ChangeRules{141, none_named});
    got = DecodeItemData(*merged);
    CPPUNIT_ASSERT(got->Has(mobile) && got->Has(picture) && got->Has(nick));

    merged = ContactClass().ApplyChange(stored, app({{first, "Eve", false, {}}}), "",
                                        ChangeRules{141, ""});
    got = DecodeItemData(*merged);
    CPPUNIT_ASSERT_EQUAL(std::string("Eve"), std::string(got->ChildText(first)));
    CPPUNIT_ASSERT(!got->Has(mobile) && !got->Has(picture) && !got->Has(nick));
    CPPUNIT_ASSERT(got->Has(body));  // MS-ASCNTC 3.1.5.4
    // A Change with a body of either shape replaces the stored one; a 2.5
    // Body is stored as airsyncbase:Body, plain text.
    const wbxml::Tag body25 = wbxml::TagNamed(Page::kContacts, "Body");
    merged = ContactClass().ApplyChange(stored, app({{body25, "new", false, {}}}), "",
                                        ChangeRules{25, ""});
    got = DecodeItemData(*merged);
    CPPUNIT_ASSERT(!got->Has(body25));
    CPPUNIT_ASSERT_EQUAL(std::string("new"), std::string(got->Child(body)->ChildText(wbxml::tags::base::kData)));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), std::string(got->Child(body)->ChildText(wbxml::tags::base::kType)));
  }

  // A stored HTML body as each client asks for it: plain text cut on a
  // character boundary, HTML whole, and 2.5's Contacts Body cut to its
  // Truncation with BodySize and BodyTruncated.
  void testBodyForEachClient() {
    namespace base = wbxml::tags::base;
    const std::string html = "<p>Caf\xC3\xA9 <b>au</b> lait</p>";  // text: "Café au lait"
    auto stored = [&] {
      wbxml::Element body{base::kBody, "", false, {{base::kType, "2", false, {}}, {base::kData, html, false, {}}}};
      return wbxml::Element{wbxml::tags::airsync::kApplicationData, "", false, {body}};
    };
    RenderOptions text;
    text.version = 161;
    text.body_preferences = {BodyPreference{1, 4, false, 0}};
    wbxml::Element app = stored();
    RenderItemBody(app, text, ContactClass().LegacyBody());
    const wbxml::Element* b = app.Child(base::kBody);
    CPPUNIT_ASSERT(b != nullptr);
    CPPUNIT_ASSERT_EQUAL(std::string("1"), std::string(b->ChildText(base::kType)));
    CPPUNIT_ASSERT_EQUAL(std::string("Caf"), std::string(b->ChildText(base::kData)));  // é does not fit
    CPPUNIT_ASSERT_EQUAL(std::string("13"), std::string(b->ChildText(base::kEstimatedDataSize)));
    CPPUNIT_ASSERT(b->Has(base::kTruncated));

    RenderOptions rich;
    rich.version = 141;
    rich.body_preferences = {BodyPreference{2, 0, false, 0}, BodyPreference{1, 0, false, 0}};
    app = stored();
    RenderItemBody(app, rich, ContactClass().LegacyBody());
    CPPUNIT_ASSERT_EQUAL(html, std::string(app.Child(base::kBody)->ChildText(base::kData)));

    RenderOptions rtf;  // nothing converts to RTF: plain text
    rtf.version = 141;
    rtf.body_preferences = {BodyPreference{3, 0, false, 0}};
    app = stored();
    RenderItemBody(app, rtf, ContactClass().LegacyBody());
    CPPUNIT_ASSERT_EQUAL(std::string("1"), std::string(app.Child(base::kBody)->ChildText(base::kType)));

    RenderOptions old;
    old.version = 25;
    old.truncation = 0;  // every character cut
    app = stored();
    RenderItemBody(app, old, ContactClass().LegacyBody());
    CPPUNIT_ASSERT(!app.Has(base::kBody));
    const LegacyBodyTags& tags = *ContactClass().LegacyBody();
    CPPUNIT_ASSERT(app.Has(tags.body) && app.Child(tags.body)->text.empty());
    CPPUNIT_ASSERT_EQUAL(std::string("12"), std::string(app.ChildText(*tags.size)));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), std::string(app.ChildText(tags.truncated)));
  }

  // Up to 14.1 Supported decides; from 16.0 whatever a Change lacks stays.
  void testCalendarGhosting() {
    using wbxml::Page;
    const wbxml::Tag subject = wbxml::TagNamed(Page::kCalendar, "Subject");
    const wbxml::Tag attendees = wbxml::TagNamed(Page::kCalendar, "Attendees");
    const wbxml::Tag reply_time = wbxml::TagNamed(Page::kCalendar, "AppointmentReplyTime");
    auto app = [](std::vector<wbxml::Element> children) {
      return wbxml::Element{wbxml::tags::airsync::kApplicationData, "", false, std::move(children)};
    };
    const std::string stored = EncodeItemData(
        app({{subject, "Old", false, {}}, {attendees, "", false, {}}, {reply_time, "x", false, {}}}));
    wbxml::Element supported{wbxml::tags::airsync::kSupported, "", false, {{subject, "", false, {}}}};
    const std::string declared = EncodeSupported(&supported);
    auto merged = CalendarClass().ApplyChange(stored, app({{subject, "New", false, {}}}), "",
                                              ChangeRules{141, declared});
    auto got = DecodeItemData(*merged);
    CPPUNIT_ASSERT(got->Has(attendees));
    CPPUNIT_ASSERT(!got->Has(reply_time));  // not ghostable: the Change replaced it
    merged = CalendarClass().ApplyChange(stored, app({{subject, "New", false, {}}}), "",
                                         ChangeRules{141, ""});
    CPPUNIT_ASSERT(!DecodeItemData(*merged)->Has(attendees));
    merged = CalendarClass().ApplyChange(stored, app({{subject, "New", false, {}}}), "",
                                         ChangeRules{161, ""});
    got = DecodeItemData(*merged);
    CPPUNIT_ASSERT(got->Has(attendees) && got->Has(reply_time));
    CPPUNIT_ASSERT_EQUAL(std::string("New"), std::string(got->ChildText(subject)));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ItemClassTest);

}  // namespace
}  // namespace eas::core::items
