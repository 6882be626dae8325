// Invitations read at delivery: the meeting of a REQUEST, a CANCEL, a
// weekly series in a VTIMEZONE's zone, an all-day event and one changed
// occurrence; a broken VCALENDAR leaves a stored message without a
// meeting; GlobalObjId against MS-ASEMAIL's own examples; the record's
// stored form with a meeting, and records written before meetings.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/convert/eas_time.hpp"
#include "core/convert/global_object_id.hpp"
#include "core/convert/meeting_invite.hpp"
#include "core/convert/timezone_blob.hpp"
#include "core/mail/mime_record.hpp"
#include "core/util/base64.hpp"

namespace eas::core::convert {
namespace {

std::string Calendar(const std::string& method, const std::string& body) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:" + method + "\r\n" +
         body + "END:VCALENDAR\r\n";
}

const std::string kRequest = Calendar(
    "REQUEST",
    "BEGIN:VEVENT\r\n"
    "UID:review-1@example.org\r\n"
    "SEQUENCE:0\r\n"
    "DTSTAMP:20261203T110000Z\r\n"
    "DTSTART:20261207T100000Z\r\n"
    "DTEND:20261207T113000Z\r\n"
    "SUMMARY:Release review\r\n"
    "LOCATION:Room Orion\r\n"
    "CLASS:PRIVATE\r\n"
    "ORGANIZER;CN=Anna Organiser:mailto:anna@example.org\r\n"
    "ATTENDEE;CN=Demo;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:demo@example.org\r\n"
    "ATTENDEE;CN=Bob;ROLE=OPT-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:bob@example.org\r\n"
    "X-MICROSOFT-CDO-INTENDEDSTATUS:TENTATIVE\r\n"
    "X-MICROSOFT-DISALLOW-COUNTER:TRUE\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n"
    "END:VEVENT\r\n");

// A fortnightly Monday and Wednesday series in Berlin, defined by the
// file's own VTIMEZONE (as Outlook sends it, with a Windows name).
const std::string kWeekly = Calendar(
    "REQUEST",
    "BEGIN:VTIMEZONE\r\n"
    "TZID:W. Europe Standard Time\r\n"
    "BEGIN:STANDARD\r\nDTSTART:16011028T030000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:040000008200E00074C5B7101A82E00800000000E040C9C12685C4010000000000000000"
    "100000000BF0ED4B6E4EE94E9E39E3867B378EF3\r\n"
    "SEQUENCE:2\r\n"
    "DTSTAMP:20260301T080000Z\r\n"
    "DTSTART;TZID=W. Europe Standard Time:20260608T093000\r\n"
    "DTEND;TZID=W. Europe Standard Time:20260608T100000\r\n"
    "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20261231T083000Z;WKST=SU\r\n"
    "SUMMARY:Stand-up\r\n"
    "ORGANIZER:mailto:lead@example.org\r\n"
    "ATTENDEE;RSVP=FALSE:mailto:demo@example.org\r\n"
    "END:VEVENT\r\n");

int64_t Utc(const char* compact) {
  auto t = ParseEasTime(compact);
  CPPUNIT_ASSERT(t.has_value());
  return *t;
}

MeetingInvite Read(const std::string& ics) {
  std::vector<std::string> warnings;
  auto m = ReadMeetingInvite(ics, &warnings);
  CPPUNIT_ASSERT_MESSAGE(m.ok() ? "" : m.status().message(), m.ok());
  return *m;
}

std::string Mail(const std::string& method, const std::string& ics) {
  return "From: Anna <anna@example.org>\r\n"
         "To: demo@example.org\r\n"
         "Subject: Invitation\r\n"
         "Date: Thu, 03 Dec 2026 11:00:00 +0000\r\n"
         "Content-Type: multipart/mixed; boundary=\"m\"\r\n"
         "\r\n"
         "--m\r\n"
         "Content-Type: text/plain\r\n"
         "\r\n"
         "Please come.\r\n"
         "--m\r\n"
         "Content-Type: text/calendar; charset=utf-8; method=" + method + "\r\n"
         "\r\n" + ics +
         "--m--\r\n";
}

}  // namespace

class MeetingInviteTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MeetingInviteTest);
  CPPUNIT_TEST(testRequest);
  CPPUNIT_TEST(testCancel);
  CPPUNIT_TEST(testWeeklyInItsZone);
  CPPUNIT_TEST(testAllDay);
  CPPUNIT_TEST(testChangedOccurrence);
  CPPUNIT_TEST(testBrokenCalendar);
  CPPUNIT_TEST(testGlobalObjId);
  CPPUNIT_TEST(testStoredForm);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testRequest() {
    MeetingInvite m = Read(kRequest);
    CPPUNIT_ASSERT_EQUAL(std::string("REQUEST"), m.method);
    CPPUNIT_ASSERT_EQUAL(std::string("review-1@example.org"), m.uid);
    CPPUNIT_ASSERT_EQUAL(0, m.sequence);
    CPPUNIT_ASSERT_EQUAL(Utc("20261207T100000Z"), m.start);
    CPPUNIT_ASSERT_EQUAL(Utc("20261207T113000Z"), m.end);
    CPPUNIT_ASSERT_EQUAL(Utc("20261203T110000Z"), m.dtstamp);
    CPPUNIT_ASSERT(!m.all_day);
    CPPUNIT_ASSERT_EQUAL(std::string("Room Orion"), m.location);
    CPPUNIT_ASSERT_EQUAL(std::string("anna@example.org"), m.organizer_email);
    CPPUNIT_ASSERT_EQUAL(std::string("Anna Organiser"), m.organizer_name);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.attendees.size());
    CPPUNIT_ASSERT(m.attendees[0].rsvp);
    CPPUNIT_ASSERT_EQUAL(5, m.attendees[0].status);  // needs action
    CPPUNIT_ASSERT(!m.attendees[1].rsvp);
    CPPUNIT_ASSERT_EQUAL(3, m.attendees[1].status);  // accepted
    CPPUNIT_ASSERT_EQUAL(2, m.attendees[1].type);    // optional
    CPPUNIT_ASSERT(m.ResponseRequested());
    CPPUNIT_ASSERT(m.instance_type == InstanceType::kSingle);
    CPPUNIT_ASSERT(!m.recurrence);
    CPPUNIT_ASSERT(m.reminder_minutes && *m.reminder_minutes == 15);
    CPPUNIT_ASSERT_EQUAL(2, m.sensitivity);
    CPPUNIT_ASSERT_EQUAL(1, m.busy_status);  // the organizer's intended status
    CPPUNIT_ASSERT(m.disallow_new_time);
    auto zone = DecodeTimeZone(m.time_zone);
    CPPUNIT_ASSERT(zone.has_value());
    CPPUNIT_ASSERT_EQUAL(0, zone->bias);  // UTC times: a UTC blob
    CPPUNIT_ASSERT(!zone->HasDaylight());
  }

  void testCancel() {
    std::string ics = kRequest;
    ics.replace(ics.find("METHOD:REQUEST"), 14, "METHOD:CANCEL");
    ics.replace(ics.find("SEQUENCE:0"), 10, "SEQUENCE:1\r\nSTATUS:CANCELLED");
    auto record = mail::BuildMessageRecord(Mail("CANCEL", ics), 1800000000);
    CPPUNIT_ASSERT(record.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Schedule.Meeting.Canceled"), record->message_class);
    CPPUNIT_ASSERT(record->meeting.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("CANCEL"), record->meeting->method);
    CPPUNIT_ASSERT_EQUAL(1, record->meeting->sequence);
    CPPUNIT_ASSERT_EQUAL(std::string("review-1@example.org"), record->meeting->uid);
    CPPUNIT_ASSERT_EQUAL(uint32_t{1}, record->meeting_part);
    CPPUNIT_ASSERT_EQUAL(std::string("text/calendar"), record->parts[1].content_type);
  }

  void testWeeklyInItsZone() {
    MeetingInvite m = Read(kWeekly);
    // 09:30 in Berlin summer time is 07:30 UTC.
    CPPUNIT_ASSERT_EQUAL(Utc("20260608T073000Z"), m.start);
    CPPUNIT_ASSERT_EQUAL(Utc("20260608T080000Z"), m.end);
    CPPUNIT_ASSERT_EQUAL(2, m.sequence);
    CPPUNIT_ASSERT(m.instance_type == InstanceType::kMaster);
    CPPUNIT_ASSERT(m.recurrence.has_value());
    const RecurrencePattern& r = *m.recurrence;
    CPPUNIT_ASSERT_EQUAL(1, r.type);  // weekly
    CPPUNIT_ASSERT_EQUAL(2, r.interval);
    CPPUNIT_ASSERT_EQUAL(2 | 8, r.day_of_week);  // Monday, Wednesday
    CPPUNIT_ASSERT_EQUAL(Utc("20261231T083000Z"), r.until);
    CPPUNIT_ASSERT_EQUAL(0, r.occurrences);
    CPPUNIT_ASSERT_EQUAL(0, r.first_day_of_week);  // WKST=SU
    CPPUNIT_ASSERT(!m.ResponseRequested());
    auto zone = DecodeTimeZone(m.time_zone);
    CPPUNIT_ASSERT(zone.has_value());
    CPPUNIT_ASSERT_EQUAL(-60, zone->bias);
    CPPUNIT_ASSERT_EQUAL(-60, zone->daylight_bias);
    CPPUNIT_ASSERT_EQUAL(uint16_t{3}, zone->daylight_date.month);
    CPPUNIT_ASSERT_EQUAL(uint16_t{10}, zone->standard_date.month);
    CPPUNIT_ASSERT_EQUAL(uint16_t{5}, zone->standard_date.day);  // the last Sunday
  }

  void testAllDay() {
    MeetingInvite m = Read(Calendar("REQUEST",
                                    "BEGIN:VEVENT\r\nUID:xmas\r\nDTSTAMP:20261201T000000Z\r\n"
                                    "DTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261226\r\n"
                                    "SUMMARY:Holidays\r\nEND:VEVENT\r\n"));
    CPPUNIT_ASSERT(m.all_day);
    CPPUNIT_ASSERT_EQUAL(Utc("20261224T000000Z"), m.start);
    CPPUNIT_ASSERT_EQUAL(Utc("20261226T000000Z"), m.end);
    CPPUNIT_ASSERT(!m.reminder_minutes);
    CPPUNIT_ASSERT_EQUAL(2, m.busy_status);
  }

  void testChangedOccurrence() {
    // Only the override of one occurrence travels: an exception with the
    // original start as its RecurrenceId.
    MeetingInvite m = Read(Calendar(
        "REQUEST",
        "BEGIN:VEVENT\r\nUID:series-7\r\nDTSTAMP:20261201T000000Z\r\n"
        "RECURRENCE-ID:20261209T090000Z\r\n"
        "DTSTART:20261209T140000Z\r\nDTEND:20261209T150000Z\r\nEND:VEVENT\r\n"));
    CPPUNIT_ASSERT(m.instance_type == InstanceType::kException);
    CPPUNIT_ASSERT_EQUAL(Utc("20261209T090000Z"), m.recurrence_id);
    CPPUNIT_ASSERT_EQUAL(Utc("20261209T140000Z"), m.start);
  }

  void testBrokenCalendar() {
    // No DTSTART, and a VEVENT that never ends: the message is kept and
    // shown, as an ordinary message with its calendar part attached.
    for (const std::string& ics :
         {Calendar("REQUEST", "BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:When?\r\nEND:VEVENT\r\n"),
          std::string("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nDTSTART:2026"),
          std::string("not a calendar at all\r\n")}) {
      std::vector<std::string> notes;
      auto record = mail::BuildMessageRecord(Mail("REQUEST", ics), 1800000000, &notes);
      CPPUNIT_ASSERT(record.ok());
      CPPUNIT_ASSERT(!record->meeting.has_value());
      CPPUNIT_ASSERT_EQUAL(std::string("IPM.Note"), record->message_class);
      CPPUNIT_ASSERT_EQUAL(std::string("REQUEST"), record->calendar_method);
      CPPUNIT_ASSERT_EQUAL(std::string("Please come."), record->text_body);
      CPPUNIT_ASSERT(!notes.empty());
      CPPUNIT_ASSERT(notes.back().find("invitation not shown as a meeting") != std::string::npos);
    }
  }

  void testGlobalObjId() {
    // MS-ASEMAIL 4.3, example 2: a UID that is not Outlook's is a vCal-Uid.
    CPPUNIT_ASSERT_EQUAL(
        std::string("BAAAAIIA4AB0xbcQGoLgCAAAAAAAAAAAAAAAAAAAAAAAAAAAMwAAAHZDYWwtVWlkAQAAAHs4MTQxMkQz"
                    "Qy0yQTI0LTRFOUQtQjIwRS0xMUY3QkJFOTI3OTl9AA=="),
        GlobalObjId("{81412D3C-2A24-4E9D-B20E-11F7BBE92799}"));
    // Example 1 backwards: Outlook's UID is the id in hex, and the id of
    // the occurrence of 16 September 2004 carries that date.
    const std::string outlook =
        "040000008200E00074C5B7101A82E00800000000E040C9C12685C4010000000000000000"
        "100000000BF0ED4B6E4EE94E9E39E3867B378EF3";
    CPPUNIT_ASSERT_EQUAL(std::string("BAAAAIIA4AB0xbcQGoLgCAfUCRDgQMnBJoXEAQAAAAAAAAAAEAAAAAvw7Utu"
                                     "TulOnjnjhns3jvM="),
                         GlobalObjId(outlook, Utc("20040916T120000Z")));
    auto series = util::Base64Decode(GlobalObjId(outlook));
    CPPUNIT_ASSERT(series.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string(4, '\0'), series->substr(16, 4));
  }

  void testStoredForm() {
    auto record = mail::BuildMessageRecord(Mail("REQUEST", kWeekly), 1800000000);
    CPPUNIT_ASSERT(record.ok());
    CPPUNIT_ASSERT(record->meeting.has_value());
    auto back = mail::DecodeMessageRecord(mail::EncodeMessageRecord(*record));
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT(*back == *record);
    // Every field, a missing reminder and negative times included.
    MeetingInvite m = Read(kRequest);
    m.start = -5;
    m.reminder_minutes.reset();
    m.recurrence = RecurrencePattern{6, 1, 0, 10, 4, 0, 5, 11, 0};
    m.attendees.push_back({"", "", -1, 3, false});
    record->meeting = m;
    record->meeting_part = 7;
    back = mail::DecodeMessageRecord(mail::EncodeMessageRecord(*record));
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT(*back == *record);
    // A record written before meetings were kept ends after its
    // conversation fields: it reads as one without a meeting.
    record->meeting.reset();
    std::string old = mail::EncodeMessageRecord(*record);
    CPPUNIT_ASSERT(old.ends_with(" 0"));
    old.resize(old.size() - 2);
    back = mail::DecodeMessageRecord(old);
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT(!back->meeting.has_value());
    CPPUNIT_ASSERT_EQUAL(record->conversation_id, back->conversation_id);
    // A damaged meeting is refused, not half read.
    record->meeting = m;
    std::string bytes = mail::EncodeMessageRecord(*record);
    CPPUNIT_ASSERT(!mail::DecodeMessageRecord(bytes.substr(0, bytes.size() - 2)).ok());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MeetingInviteTest);

}  // namespace eas::core::convert
