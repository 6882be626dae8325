#include "core/items/meeting_request.hpp"

#include <string>

#include "core/convert/eas_time.hpp"
#include "core/convert/global_object_id.hpp"
#include "core/convert/timezone_blob.hpp"
#include "core/items/email_render.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::items {
namespace {

namespace base = wbxml::tags::base;
namespace email = wbxml::tags::email;
namespace email2 = wbxml::tags::email2;

constexpr int kVersion14 = 140, kVersion141 = 141, kVersion16 = 160;

// Reminder is in seconds and an unsignedShort in the schema: a reminder
// further ahead than about 18 hours has no MeetingRequest form.
constexpr int64_t kMaxReminderSeconds = 65535;

// MeetingMessageType: 1 a first invitation, 2 an update of one sent
// before (a later SEQUENCE); a cancellation is neither (0, unspecified).
int MessageType(const convert::MeetingInvite& m) {
  if (m.method != "REQUEST" && m.method != "ADD") return 0;
  return m.sequence > 0 ? 2 : 1;
}

void WriteRecurrence(wbxml::Writer& w, const convert::RecurrencePattern& p, int version) {
  w.Start(email::kRecurrences);
  w.Start(email::kRecurrence);
  w.Element(email::kRecurrenceType, std::to_string(p.type));
  w.Element(email::kRecurrenceInterval, std::to_string(p.interval));
  if (p.occurrences > 0) {
    w.Element(email::kRecurrenceOccurrences, std::to_string(p.occurrences));
  } else if (p.until != 0) {
    // Until is the compact form Calendar uses (the schema has it as a
    // string, unlike the dateTime of StartTime).
    w.Element(email::kRecurrenceUntil, convert::CompactUtc(p.until));
  }
  if (p.week_of_month != 0) {
    w.Element(email::kRecurrenceWeekOfMonth, std::to_string(p.week_of_month));
  }
  if (p.day_of_month != 0) w.Element(email::kRecurrenceDayOfMonth, std::to_string(p.day_of_month));
  if (p.day_of_week != 0) w.Element(email::kRecurrenceDayOfWeek, std::to_string(p.day_of_week));
  if (p.Yearly()) w.Element(email::kRecurrenceMonthOfYear, std::to_string(p.month_of_year));
  if (version >= kVersion14) {
    w.Element(email2::kCalendarType, "1");  // Gregorian: an RRULE without RSCALE
    w.Element(email2::kIsLeapMonth, "0");
  }
  if (version >= kVersion141) {
    w.Element(email2::kFirstDayOfWeek, std::to_string(p.first_day_of_week));
  }
  w.End();
  w.End();
}

}  // namespace

void WriteMeetingRequest(wbxml::Writer& w, const convert::MeetingInvite& m, int64_t message_date,
                         int version) {
  w.Start(email::kMeetingRequest);
  w.Element(email::kAllDayEvent, m.all_day ? "1" : "0");
  w.Element(email::kStartTime, convert::ExtendedUtc(m.start));
  w.Element(email::kDtStamp, convert::ExtendedUtc(m.dtstamp != 0 ? m.dtstamp : message_date));
  w.Element(email::kEndTime, convert::ExtendedUtc(m.end));
  w.Element(email::kInstanceType, std::to_string(static_cast<int>(m.instance_type)));
  if (!m.location.empty()) {
    if (version >= kVersion16) {
      w.Start(base::kLocation);
      w.Element(base::kDisplayName, m.location);
      w.End();
    } else {
      w.Element(email::kLocation, m.location);
    }
  }
  if (!m.organizer_email.empty()) {
    const std::vector<mail::Address> organizer = {{m.organizer_name, m.organizer_email}};
    w.Element(email::kOrganizer, FormatAddresses(organizer));
  }
  if (m.instance_type == convert::InstanceType::kException) {
    w.Element(email::kRecurrenceId, convert::ExtendedUtc(m.recurrence_id));
  }
  if (m.reminder_minutes && int64_t{*m.reminder_minutes} * 60 <= kMaxReminderSeconds) {
    w.Element(email::kReminder, std::to_string(*m.reminder_minutes * 60));
  }
  w.Element(email::kResponseRequested, m.ResponseRequested() ? "1" : "0");
  if (m.recurrence) WriteRecurrence(w, *m.recurrence, version);
  w.Element(email::kSensitivity, std::to_string(m.sensitivity));
  w.Element(email::kBusyStatus, std::to_string(m.busy_status));
  // Required: a meeting read without a zone is in UTC.
  w.Element(email::kTimeZone, m.time_zone.empty() ? convert::EncodeTimeZone({}) : m.time_zone);
  if (version < kVersion16) {
    w.Element(email::kGlobalObjId, convert::GlobalObjId(m.uid, m.recurrence_id));
  }
  if (version >= kVersion14) {
    w.Element(email::kDisallowNewTimeProposal, m.disallow_new_time ? "1" : "0");
  }
  if (version >= kVersion141) {
    w.Element(email2::kMeetingMessageType, std::to_string(MessageType(m)));
  }
  if (version >= kVersion16) w.Element(wbxml::tags::calendar::kUID, m.uid);
  w.End();
}

}  // namespace eas::core::items
