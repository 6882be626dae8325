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
};

CPPUNIT_TEST_SUITE_REGISTRATION(ItemClassTest);

}  // namespace
}  // namespace eas::core::items
