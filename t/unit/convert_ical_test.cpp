// iCalendar ↔ Calendar ApplicationData through libical: zones (a file's
// VTIMEZONE, libical's Olson zones) to UTC plus the TimeZone blob and
// back, all-day events, RRULE kinds, EXDATE and RECURRENCE-ID as
// Exceptions, attendees and the rest, broken entries skipped by line, and
// ICS → tree → ICS → tree round trips.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include "core/convert/eas_time.hpp"
#include "core/convert/element_util.hpp"
#include "core/convert/icalendar.hpp"
#include "core/convert/tags.hpp"
#include "core/convert/timezone_blob.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/xml_dump.hpp"
#include "t/unit/convert_ical_samples.hpp"

namespace eas::core::convert {
namespace {

namespace cal = tags::calendar;
using wbxml::Element;

std::string Calendar(const std::string& body, const std::string& header = "") {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + header + body +
         "END:VCALENDAR\r\n";
}

std::string Full() {
  return Calendar(std::string(samples::kBerlinZone) + samples::kNewYorkZone + samples::kEvents,
                  "X-WR-TIMEZONE:Europe/Berlin\r\n");
}

std::string T(const Element& e, wbxml::Tag t) { return TextOf(e, t); }

TimeZoneInfo Zone(const Element& app) {
  auto info = DecodeTimeZone(app.ChildText(cal::kTimeZone));
  CPPUNIT_ASSERT(info.has_value());
  return *info;
}

const Element* Find(const ConvertReport& r, const std::string& uid) {
  for (const auto& item : r.items) {
    if (T(item.application_data, cal::kUID) == uid) return &item.application_data;
  }
  CPPUNIT_FAIL("no event " + uid);
  return nullptr;
}

Element RecurrenceOf(const std::string& rrule, const std::string& start = "20260601T090000") {
  ConvertReport r = EventsFromICalendar(Calendar(
      "BEGIN:VEVENT\r\nUID:r\r\nDTSTART;TZID=Europe/Berlin:" + start + "\r\nRRULE:" + rrule +
      "\r\nEND:VEVENT\r\n"));
  CPPUNIT_ASSERT_EQUAL_MESSAGE(rrule, size_t{1}, r.items.size());
  const Element* rec = r.items[0].application_data.Child(cal::kRecurrence);
  CPPUNIT_ASSERT(rec != nullptr);
  return *rec;
}

class ConvertICalTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConvertICalTest);
  CPPUNIT_TEST(testTimeZoneBlob);
  CPPUNIT_TEST(testBerlinEventFields);
  CPPUNIT_TEST(testNewYorkZoneFromFileAndBuiltin);
  CPPUNIT_TEST(testRecurrenceWithExdateAndOverride);
  CPPUNIT_TEST(testAllDay);
  CPPUNIT_TEST(testRuleKinds);
  CPPUNIT_TEST(testBrokenEntriesAreSkipped);
  CPPUNIT_TEST(testRoundTrip);
  CPPUNIT_TEST(testExportShape);
  CPPUNIT_TEST(testExportOfAForeignBlob);
  CPPUNIT_TEST(testExtendedUtc);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testTimeZoneBlob() {
    TimeZoneInfo info;
    info.bias = -60;
    info.standard_name = "Europe/Berlin";
    info.daylight_name = "Zoné ☃ 𝄞";  // BMP and a surrogate pair
    info.standard_date = {0, 10, 0, 5, 3, 0, 0, 0};
    info.daylight_date = {0, 3, 0, 5, 2, 0, 0, 0};
    info.daylight_bias = -60;
    std::string blob = EncodeTimeZone(info);
    CPPUNIT_ASSERT_EQUAL(size_t{232}, blob.size());  // base64 of 172 bytes
    auto back = DecodeTimeZone(blob);
    CPPUNIT_ASSERT(back.has_value());
    CPPUNIT_ASSERT(*back == info);
    CPPUNIT_ASSERT(!DecodeTimeZone("AAAA").has_value());
    info.standard_name = std::string(40, 'x');  // cut to 31 units
    CPPUNIT_ASSERT_EQUAL(std::string(31, 'x'), DecodeTimeZone(EncodeTimeZone(info))->standard_name);
  }

  void testBerlinEventFields() {
    ConvertReport r = EventsFromICalendar(Full(), {{"anna@example.org"}, 0});
    CPPUNIT_ASSERT_EQUAL(size_t{4}, r.items.size());
    CPPUNIT_ASSERT(r.skipped.empty());
    const Element& a = *Find(r, "meeting-1@example.org");
    CPPUNIT_ASSERT_EQUAL(std::string("20261124T091500Z"), T(a, cal::kStartTime));
    CPPUNIT_ASSERT_EQUAL(std::string("20261124T103000Z"), T(a, cal::kEndTime));
    CPPUNIT_ASSERT_EQUAL(std::string("20261101T120000Z"), T(a, cal::kDTStamp));
    CPPUNIT_ASSERT_EQUAL(std::string("0"), T(a, cal::kAllDayEvent));
    CPPUNIT_ASSERT_EQUAL(std::string("Budget review, Q4"), T(a, cal::kSubject));
    CPPUNIT_ASSERT_EQUAL(std::string("Room 1"), T(a, cal::kLocation));
    CPPUNIT_ASSERT_EQUAL(std::string("Bring numbers.\nAnd coffee."),
                         T(*a.Child(tags::base::kBody), tags::base::kData));
    CPPUNIT_ASSERT_EQUAL(std::string("Anna Smith"), T(a, cal::kOrganizerName));
    CPPUNIT_ASSERT_EQUAL(std::string("anna@example.org"), T(a, cal::kOrganizerEmail));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(a, cal::kMeetingStatus));  // anna imports it
    auto attendees = a.Child(cal::kAttendees)->Children(cal::kAttendee);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, attendees.size());
    CPPUNIT_ASSERT_EQUAL(std::string("bob@example.org"), T(*attendees[0], cal::kAttendeeEmail));
    CPPUNIT_ASSERT_EQUAL(std::string("Bob"), T(*attendees[0], cal::kAttendeeName));
    CPPUNIT_ASSERT_EQUAL(std::string("3"), T(*attendees[0], cal::kAttendeeStatus));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(*attendees[0], cal::kAttendeeType));
    CPPUNIT_ASSERT_EQUAL(std::string("carol@example.org"), T(*attendees[1], cal::kAttendeeName));
    CPPUNIT_ASSERT_EQUAL(std::string("2"), T(*attendees[1], cal::kAttendeeStatus));
    CPPUNIT_ASSERT_EQUAL(std::string("2"), T(*attendees[1], cal::kAttendeeType));
    CPPUNIT_ASSERT_EQUAL(std::string("3"), T(*attendees[2], cal::kAttendeeType));
    CPPUNIT_ASSERT(!attendees[2]->Has(cal::kAttendeeStatus));
    auto cats = a.Child(cal::kCategories)->Children(cal::kCategory);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, cats.size());
    CPPUNIT_ASSERT_EQUAL(std::string("Finance"), cats[1]->text);
    CPPUNIT_ASSERT_EQUAL(std::string("3"), T(a, cal::kSensitivity));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(a, cal::kBusyStatus));
    CPPUNIT_ASSERT_EQUAL(std::string("15"), T(a, cal::kReminder));
    TimeZoneInfo z = Zone(a);
    CPPUNIT_ASSERT_EQUAL(-60, z.bias);
    CPPUNIT_ASSERT_EQUAL(std::string("Europe/Berlin"), z.standard_name);
    CPPUNIT_ASSERT(z.standard_date == (SystemTime{0, 10, 0, 5, 3, 0, 0, 0}));
    CPPUNIT_ASSERT(z.daylight_date == (SystemTime{0, 3, 0, 5, 2, 0, 0, 0}));
    CPPUNIT_ASSERT_EQUAL(-60, z.daylight_bias);
    // Someone else importing it received the meeting.
    ConvertReport other = EventsFromICalendar(Full(), {{"bob@example.org"}, 0});
    CPPUNIT_ASSERT_EQUAL(std::string("3"), T(*Find(other, "meeting-1@example.org"),
                                             cal::kMeetingStatus));
  }

  void testNewYorkZoneFromFileAndBuiltin() {
    ConvertReport full = EventsFromICalendar(Full());
    const Element& a = *Find(full, "call-2@example.org");
    CPPUNIT_ASSERT_EQUAL(std::string("20261105T190000Z"), T(a, cal::kStartTime));  // EST
    CPPUNIT_ASSERT_EQUAL(std::string("0"), T(a, cal::kBusyStatus));  // TRANSPARENT
    CPPUNIT_ASSERT_EQUAL(std::string("0"), T(a, cal::kMeetingStatus));
    TimeZoneInfo z = Zone(a);
    CPPUNIT_ASSERT_EQUAL(300, z.bias);
    CPPUNIT_ASSERT(z.daylight_date == (SystemTime{0, 3, 0, 2, 2, 0, 0, 0}));
    CPPUNIT_ASSERT(z.standard_date == (SystemTime{0, 11, 0, 1, 2, 0, 0, 0}));
    // Without a VTIMEZONE, a prefixed TZID finds libical's zone.
    ConvertReport r = EventsFromICalendar(Calendar(
        "BEGIN:VEVENT\r\nUID:x\r\n"
        "DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20260701T140000\r\n"
        "END:VEVENT\r\n"));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, r.items.size());
    const Element& b = r.items[0].application_data;
    CPPUNIT_ASSERT_EQUAL(std::string("20260701T180000Z"), T(b, cal::kStartTime));  // EDT
    CPPUNIT_ASSERT_EQUAL(std::string("20260701T180000Z"), T(b, cal::kEndTime));
    CPPUNIT_ASSERT_EQUAL(std::string("America/New_York"), Zone(b).standard_name);
    CPPUNIT_ASSERT(Zone(b).SameRules(z));
    // An unknown TZID: read in the default zone, with a warning.
    r = EventsFromICalendar(Calendar(
        "BEGIN:VEVENT\r\nUID:y\r\nDTSTART;TZID=Nowhere:20260701T140000\r\nEND:VEVENT\r\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("20260701T140000Z"),
                         T(r.items.at(0).application_data, cal::kStartTime));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, r.items[0].warnings.size());
  }

  void testRecurrenceWithExdateAndOverride() {
    ConvertReport r = EventsFromICalendar(Full());
    const Element& a = *Find(r, "standup-3@example.org");
    CPPUNIT_ASSERT_EQUAL(std::string("20260601T070000Z"), T(a, cal::kStartTime));  // CEST
    CPPUNIT_ASSERT_EQUAL(std::string("Standup"), T(a, cal::kSubject));
    const Element* rec = a.Child(cal::kRecurrence);
    CPPUNIT_ASSERT(rec != nullptr);
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(*rec, cal::kRecurrenceType));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(*rec, cal::kRecurrenceInterval));
    CPPUNIT_ASSERT_EQUAL(std::string("10"), T(*rec, cal::kRecurrenceDayOfWeek));  // MO|WE
    CPPUNIT_ASSERT_EQUAL(std::string("20260731T070000Z"), T(*rec, cal::kRecurrenceUntil));
    auto ex = a.Child(cal::kExceptions)->Children(cal::kException);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, ex.size());
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(*ex[0], cal::kDeleted));
    CPPUNIT_ASSERT_EQUAL(std::string("20260603T070000Z"), T(*ex[0], cal::kExceptionStartTime));
    CPPUNIT_ASSERT(!ex[1]->Has(cal::kDeleted));
    CPPUNIT_ASSERT_EQUAL(std::string("20260608T070000Z"), T(*ex[1], cal::kExceptionStartTime));
    CPPUNIT_ASSERT_EQUAL(std::string("20260608T090000Z"), T(*ex[1], cal::kStartTime));
    CPPUNIT_ASSERT_EQUAL(std::string("20260608T091500Z"), T(*ex[1], cal::kEndTime));
    CPPUNIT_ASSERT_EQUAL(std::string("Standup (moved)"), T(*ex[1], cal::kSubject));
    CPPUNIT_ASSERT(!ex[1]->Has(cal::kLocation));  // unchanged fields stay out
    // A cancelled override is a deleted instance.
    ConvertReport c = EventsFromICalendar(Calendar(
        std::string(samples::kBerlinZone) +
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTART;TZID=Europe/Berlin:20260601T090000\r\n"
        "RRULE:FREQ=DAILY;COUNT=5\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:d\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260602T090000\r\n"
        "DTSTART;TZID=Europe/Berlin:20260602T090000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, c.items.size());
    auto cex = c.items[0].application_data.Child(cal::kExceptions)->Children(cal::kException);
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(*cex.at(0), cal::kDeleted));
    CPPUNIT_ASSERT_EQUAL(std::string("20260602T070000Z"), T(*cex[0], cal::kExceptionStartTime));
  }

  void testAllDay() {
    ConvertReport full = EventsFromICalendar(Full());
    const Element& a = *Find(full, "xmas-4@example.org");
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(a, cal::kAllDayEvent));
    // Midnight to midnight in X-WR-TIMEZONE (Berlin, CET).
    CPPUNIT_ASSERT_EQUAL(std::string("20261223T230000Z"), T(a, cal::kStartTime));
    CPPUNIT_ASSERT_EQUAL(std::string("20261225T230000Z"), T(a, cal::kEndTime));
    CPPUNIT_ASSERT_EQUAL(std::string("Europe/Berlin"), Zone(a).standard_name);
    const Element* rec = a.Child(cal::kRecurrence);
    CPPUNIT_ASSERT_EQUAL(std::string("5"), T(*rec, cal::kRecurrenceType));
    CPPUNIT_ASSERT_EQUAL(std::string("24"), T(*rec, cal::kRecurrenceDayOfMonth));
    CPPUNIT_ASSERT_EQUAL(std::string("12"), T(*rec, cal::kRecurrenceMonthOfYear));
    // Without X-WR-TIMEZONE a date is a UTC day; one without DTEND lasts one.
    ConvertReport r = EventsFromICalendar(Calendar(
        "BEGIN:VEVENT\r\nUID:z\r\nDTSTART;VALUE=DATE:20260301\r\nEND:VEVENT\r\n"));
    const Element& b = r.items.at(0).application_data;
    CPPUNIT_ASSERT_EQUAL(std::string("20260301T000000Z"), T(b, cal::kStartTime));
    CPPUNIT_ASSERT_EQUAL(std::string("20260302T000000Z"), T(b, cal::kEndTime));
    CPPUNIT_ASSERT_EQUAL(0, Zone(b).bias);
  }

  void testRuleKinds() {
    Element r = RecurrenceOf("FREQ=DAILY;INTERVAL=2;COUNT=10");
    CPPUNIT_ASSERT_EQUAL(std::string("0"), T(r, cal::kRecurrenceType));
    CPPUNIT_ASSERT_EQUAL(std::string("2"), T(r, cal::kRecurrenceInterval));
    CPPUNIT_ASSERT_EQUAL(std::string("10"), T(r, cal::kRecurrenceOccurrences));
    r = RecurrenceOf("FREQ=WEEKLY");  // 2026-06-01 is a Monday
    CPPUNIT_ASSERT_EQUAL(std::string("2"), T(r, cal::kRecurrenceDayOfWeek));
    r = RecurrenceOf("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR");
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(r, cal::kRecurrenceType));
    CPPUNIT_ASSERT_EQUAL(std::string("62"), T(r, cal::kRecurrenceDayOfWeek));
    r = RecurrenceOf("FREQ=MONTHLY;BYMONTHDAY=15");
    CPPUNIT_ASSERT_EQUAL(std::string("2"), T(r, cal::kRecurrenceType));
    CPPUNIT_ASSERT_EQUAL(std::string("15"), T(r, cal::kRecurrenceDayOfMonth));
    r = RecurrenceOf("FREQ=MONTHLY");
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(r, cal::kRecurrenceDayOfMonth));
    r = RecurrenceOf("FREQ=MONTHLY;BYDAY=-1FR");
    CPPUNIT_ASSERT_EQUAL(std::string("3"), T(r, cal::kRecurrenceType));
    CPPUNIT_ASSERT_EQUAL(std::string("5"), T(r, cal::kRecurrenceWeekOfMonth));
    CPPUNIT_ASSERT_EQUAL(std::string("32"), T(r, cal::kRecurrenceDayOfWeek));
    r = RecurrenceOf("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1");
    CPPUNIT_ASSERT_EQUAL(std::string("1"), T(r, cal::kRecurrenceWeekOfMonth));
    CPPUNIT_ASSERT_EQUAL(std::string("62"), T(r, cal::kRecurrenceDayOfWeek));
    r = RecurrenceOf("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;UNTIL=20301231");
    CPPUNIT_ASSERT_EQUAL(std::string("6"), T(r, cal::kRecurrenceType));
    CPPUNIT_ASSERT_EQUAL(std::string("11"), T(r, cal::kRecurrenceMonthOfYear));
    CPPUNIT_ASSERT_EQUAL(std::string("4"), T(r, cal::kRecurrenceWeekOfMonth));
    CPPUNIT_ASSERT_EQUAL(std::string("16"), T(r, cal::kRecurrenceDayOfWeek));
    // A DATE UNTIL: the last day, at the event's local time (CET in December).
    CPPUNIT_ASSERT_EQUAL(std::string("20301231T080000Z"), T(r, cal::kRecurrenceUntil));
    r = RecurrenceOf("FREQ=YEARLY", "20260517T090000");
    CPPUNIT_ASSERT_EQUAL(std::string("5"), T(r, cal::kRecurrenceType));
    CPPUNIT_ASSERT_EQUAL(std::string("17"), T(r, cal::kRecurrenceDayOfMonth));
    CPPUNIT_ASSERT_EQUAL(std::string("5"), T(r, cal::kRecurrenceMonthOfYear));
  }

  void testBrokenEntriesAreSkipped() {
    std::string text = Calendar(
        "BEGIN:VEVENT\r\nUID:ok-1\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n"  // 4
        "BEGIN:VEVENT\r\nUID:bad-date\r\nDTSTART:tomorrow\r\nEND:VEVENT\r\n"        // 8
        "BEGIN:VTODO\r\nUID:todo\r\nSUMMARY:a task\r\nEND:VTODO\r\n"                // 12
        "BEGIN:VEVENT\r\nUID:hourly\r\nDTSTART:20260101T100000Z\r\n"                // 16
        "RRULE:FREQ=HOURLY\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:ok-2\r\nDTSTART:20260102T100000Z\r\n"                  // 21
        "DTEND:20260102T110000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:mismatch\r\nBEGIN:VALARM\r\nEND:VEVENT\r\n"            // 26
        "BEGIN:VEVENT\r\nUID:ok-3\r\nDTSTART:20260103T100000Z\r\nEND:VEVENT\r\n"    // 30
        "BEGIN:VEVENT\r\nUID:open\r\n");                                             // 34
    ConvertReport r = EventsFromICalendar(text);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, r.items.size());
    CPPUNIT_ASSERT_EQUAL(4, r.items[0].line);
    CPPUNIT_ASSERT_EQUAL(21, r.items[1].line);
    CPPUNIT_ASSERT_EQUAL(30, r.items[2].line);
    CPPUNIT_ASSERT_EQUAL(size_t{5}, r.skipped.size());
    std::vector<int> lines;
    for (const auto& s : r.skipped) lines.push_back(s.line);
    std::sort(lines.begin(), lines.end());
    CPPUNIT_ASSERT(lines == std::vector<int>({8, 12, 16, 26, 34}));
    for (const auto& s : r.skipped) {
      if (s.line == 16) CPPUNIT_ASSERT(s.reason.find("FREQ=HOURLY") != std::string::npos);
      if (s.line == 8) CPPUNIT_ASSERT(s.reason.find("DTSTART") != std::string::npos);
    }
  }

  void testRoundTrip() {
    ConvertReport first = EventsFromICalendar(Full(), {{"anna@example.org"}, 0});
    ICalendarWriter writer;
    for (const auto& item : first.items) {
      CPPUNIT_ASSERT(writer.Add(item.application_data, "fallback").ok());
    }
    std::string ics = writer.Finish();
    ConvertReport second = EventsFromICalendar(ics, {{"anna@example.org"}, 0});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(ics, first.items.size(), second.items.size());
    CPPUNIT_ASSERT_MESSAGE(ics, second.skipped.empty());
    for (size_t i = 0; i < first.items.size(); ++i) {
      const Element& a = first.items[i].application_data;
      const Element& b = second.items[i].application_data;
      CPPUNIT_ASSERT_MESSAGE(wbxml::ToXml(a) + "\n---\n" + wbxml::ToXml(b) + "\n" + ics, a == b);
    }
  }

  void testExportShape() {
    ConvertReport r = EventsFromICalendar(Full());
    ICalendarWriter writer;
    for (const auto& item : r.items) CPPUNIT_ASSERT(writer.Add(item.application_data, "x").ok());
    std::string ics = writer.Finish();
    auto count = [&](const std::string& what) {
      size_t n = 0;
      for (size_t at = ics.find(what); at != std::string::npos; at = ics.find(what, at + 1)) ++n;
      return n;
    };
    CPPUNIT_ASSERT(ics.rfind("BEGIN:VCALENDAR\r\n", 0) == 0);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, count("TZID:Europe/Berlin\r\n"));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, count("TZID:America/New_York\r\n"));
    CPPUNIT_ASSERT_EQUAL(size_t{5}, count("BEGIN:VEVENT"));  // the override has its own
    CPPUNIT_ASSERT(ics.find("DTSTART;TZID=Europe/Berlin:20261124T101500\r\n") != std::string::npos);
    CPPUNIT_ASSERT(ics.find("DTSTART;TZID=America/New_York:20261105T140000\r\n") !=
                   std::string::npos);
    CPPUNIT_ASSERT(ics.find("DTSTART;VALUE=DATE:20261224\r\n") != std::string::npos);
    CPPUNIT_ASSERT(ics.find("EXDATE;TZID=Europe/Berlin:20260603T090000\r\n") != std::string::npos);
    CPPUNIT_ASSERT(ics.find("RECURRENCE-ID;TZID=Europe/Berlin:20260608T090000\r\n") !=
                   std::string::npos);
    CPPUNIT_ASSERT(ics.find("RRULE:FREQ=WEEKLY;UNTIL=20260731T070000Z;BYDAY=MO,WE\r\n") !=
                   std::string::npos);
    CPPUNIT_ASSERT(ics.find("TRIGGER:-PT15M\r\n") != std::string::npos);
    CPPUNIT_ASSERT(ics.find("/freeassociation") == std::string::npos);
  }

  void testExportOfAForeignBlob() {
    // A phone's blob named in Windows' way: a zone made from its rules.
    TimeZoneInfo info;
    info.bias = -60;
    info.standard_name = info.daylight_name = "W. Europe Standard Time";
    info.standard_date = {0, 10, 0, 5, 3, 0, 0, 0};
    info.daylight_date = {0, 3, 0, 5, 2, 0, 0, 0};
    info.daylight_bias = -60;
    Element app = Node(wbxml::tags::airsync::kApplicationData);
    app.children.push_back(Leaf(cal::kTimeZone, EncodeTimeZone(info)));
    app.children.push_back(Leaf(cal::kStartTime, "20260701T080000Z"));
    app.children.push_back(Leaf(cal::kEndTime, "20260701T090000Z"));
    app.children.push_back(Leaf(cal::kSubject, "From a phone"));
    ICalendarWriter writer;
    CPPUNIT_ASSERT(writer.Add(app, "phone-1").ok());
    std::string ics = writer.Finish();
    CPPUNIT_ASSERT(ics.find("TZID:W. Europe Standard Time\r\n") != std::string::npos);
    CPPUNIT_ASSERT(ics.find("RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n") != std::string::npos);
    CPPUNIT_ASSERT(ics.find("DTSTART;TZID=W. Europe Standard Time:20260701T100000\r\n") !=
                   std::string::npos);
    CPPUNIT_ASSERT(ics.find("UID:phone-1\r\n") != std::string::npos);
    ConvertReport back = EventsFromICalendar(ics);
    const Element& b = back.items.at(0).application_data;
    CPPUNIT_ASSERT_EQUAL(std::string("20260701T080000Z"), T(b, cal::kStartTime));
    CPPUNIT_ASSERT(Zone(b).SameRules(info));
    CPPUNIT_ASSERT_EQUAL(info.standard_name, Zone(b).standard_name);
    // No StartTime: an error, nothing added.
    ICalendarWriter empty;
    CPPUNIT_ASSERT(!empty.Add(Node(wbxml::tags::airsync::kApplicationData), "x").ok());
  }

  // The DateReceived form, formatted by hand: the same bytes as the
  // printf form it replaced, at the epoch, padded fields and the far ends.
  void testExtendedUtc() {
    using eas::core::convert::ExtendedUtc;
    CPPUNIT_ASSERT_EQUAL(std::string("1970-01-01T00:00:00.000Z"), ExtendedUtc(0));
    CPPUNIT_ASSERT_EQUAL(std::string("2026-12-07T09:05:03.000Z"), ExtendedUtc(1796634303));
    CPPUNIT_ASSERT_EQUAL(std::string("1969-12-31T23:59:59.000Z"), ExtendedUtc(-1));
    CPPUNIT_ASSERT_EQUAL(std::string("0001-01-01T00:00:00.000Z"), ExtendedUtc(-62135596800));
    CPPUNIT_ASSERT_EQUAL(std::string("9999-12-31T23:59:59.000Z"), ExtendedUtc(253402300799));
    CPPUNIT_ASSERT_EQUAL(std::string("10000-01-01T00:00:00.000Z"), ExtendedUtc(253402300800));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConvertICalTest);

}  // namespace
}  // namespace eas::core::convert
