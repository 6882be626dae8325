// The attendee's answer (iTIP REPLY) as MeetingResponse sends it, read
// back with the reading delivery uses (libical round-trip): the method,
// UID, SEQUENCE, organizer, only this attendee with the PARTSTAT of the
// answer, RECURRENCE-ID for one occurrence (a DATE for an all-day
// meeting); and the mail around it, parsed as any delivered message.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "core/convert/eas_time.hpp"
#include "core/convert/itip_reply.hpp"
#include "core/convert/meeting_invite.hpp"
#include "core/mail/meeting_mail.hpp"
#include "core/mail/mime_record.hpp"

namespace eas::core::convert {
namespace {

int64_t Utc(const char* compact) { return ParseEasTime(compact).value(); }

ItipReply Weekly(ItipAnswer answer) {
  ItipReply r;
  r.uid = "weekly-sync-2026@example.org";
  r.sequence = 2;
  r.organizer_email = "anna@example.org";
  r.organizer_name = "Anna Organiser";
  r.attendee_email = "alice@example.org";
  r.attendee_name = "Alice Liddell";
  r.answer = answer;
  r.summary = "Weekly sync";
  r.start = Utc("20261207T090000Z");
  r.end = Utc("20261207T100000Z");
  r.dtstamp = Utc("20261205T120000Z");
  return r;
}

MeetingInvite ReadBack(const std::string& ics) {
  std::vector<std::string> warnings;
  auto m = ReadMeetingInvite(ics, &warnings);
  CPPUNIT_ASSERT_MESSAGE(m.ok() ? "" : m.status().message(), m.ok());
  return *m;
}

}  // namespace

class ItipReplyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ItipReplyTest);
  CPPUNIT_TEST(testAcceptWholeMeeting);
  CPPUNIT_TEST(testDeclineOneOccurrence);
  CPPUNIT_TEST(testTentativeAllDayOccurrence);
  CPPUNIT_TEST(testReplyMail);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testAcceptWholeMeeting() {
    const std::string ics = ItipReplyText(Weekly(ItipAnswer::kAccepted));
    CPPUNIT_ASSERT(ics.find("METHOD:REPLY\r\n") != std::string::npos);
    CPPUNIT_ASSERT(ics.find("RECURRENCE-ID") == std::string::npos);
    MeetingInvite m = ReadBack(ics);
    CPPUNIT_ASSERT_EQUAL(std::string("REPLY"), m.method);
    CPPUNIT_ASSERT_EQUAL(std::string("weekly-sync-2026@example.org"), m.uid);
    CPPUNIT_ASSERT_EQUAL(2, m.sequence);
    CPPUNIT_ASSERT_EQUAL(Utc("20261205T120000Z"), m.dtstamp);
    CPPUNIT_ASSERT_EQUAL(Utc("20261207T090000Z"), m.start);
    CPPUNIT_ASSERT_EQUAL(std::string("anna@example.org"), m.organizer_email);
    CPPUNIT_ASSERT_EQUAL(std::string("Anna Organiser"), m.organizer_name);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, m.attendees.size());
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"), m.attendees[0].email);
    CPPUNIT_ASSERT_EQUAL(std::string("Alice Liddell"), m.attendees[0].name);
    CPPUNIT_ASSERT_EQUAL(3, m.attendees[0].status);  // accepted
    CPPUNIT_ASSERT(m.instance_type == InstanceType::kSingle);
  }

  void testDeclineOneOccurrence() {
    ItipReply r = Weekly(ItipAnswer::kDeclined);
    r.recurrence_id = Utc("20261214T090000Z");
    r.start = r.end = 0;
    r.comment = "On holiday that week";
    const std::string ics = ItipReplyText(r);
    CPPUNIT_ASSERT(ics.find("RECURRENCE-ID:20261214T090000Z\r\n") != std::string::npos);
    CPPUNIT_ASSERT(ics.find("COMMENT:On holiday that week\r\n") != std::string::npos);
    MeetingInvite m = ReadBack(ics);
    CPPUNIT_ASSERT(m.instance_type == InstanceType::kException);
    CPPUNIT_ASSERT_EQUAL(Utc("20261214T090000Z"), m.recurrence_id);
    CPPUNIT_ASSERT_EQUAL(4, m.attendees.at(0).status);  // declined
  }

  void testTentativeAllDayOccurrence() {
    ItipReply r = Weekly(ItipAnswer::kTentative);
    r.all_day = true;
    // Berlin's midnight of 14 December, as EAS keeps an all-day start.
    r.recurrence_id = Utc("20261213T230000Z");
    r.start = r.end = 0;
    const std::string ics = ItipReplyText(r);
    CPPUNIT_ASSERT_MESSAGE(ics, ics.find("RECURRENCE-ID;VALUE=DATE:20261214\r\n") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(2, ReadBack(ics).attendees.at(0).status);  // tentative
  }

  void testReplyMail() {
    const mail::SenderIdentity alice{"Alice Liddell", "alice@example.org", {}};
    const std::string raw =
        mail::MeetingReplyMessage(alice, Weekly(ItipAnswer::kAccepted), "", Utc("20261205T120000Z"));
    auto record = mail::BuildMessageRecord(raw, 0);
    CPPUNIT_ASSERT(record.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("Accepted: Weekly sync"), record->subject);
    CPPUNIT_ASSERT_EQUAL(std::string("anna@example.org"), record->to.at(0).address);
    CPPUNIT_ASSERT_EQUAL(std::string("Anna Organiser"), record->to.at(0).name);
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Schedule.Meeting.Resp.Pos"), record->message_class);
    CPPUNIT_ASSERT(record->meeting.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("REPLY"), record->meeting->method);
    CPPUNIT_ASSERT_EQUAL(3, record->meeting->attendees.at(0).status);
    CPPUNIT_ASSERT(record->text_body.find("Alice Liddell has accepted this meeting: Weekly sync") !=
                   std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ItipReplyTest);

}  // namespace eas::core::convert
