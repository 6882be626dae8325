#include "core/mail/meeting_codec.hpp"

namespace eas::core::mail {
namespace {

using convert::InstanceType;
using convert::RecurrencePattern;

uint64_t Signed(int64_t v) { return static_cast<uint64_t>(v); }

bool GetSigned(util::TextRecordReader& r, int64_t& v) {
  uint64_t u = 0;
  if (!r.Number(u)) return false;
  v = static_cast<int64_t>(u);
  return true;
}

// A small count or code: refuses what no writer produced.
bool GetInt(util::TextRecordReader& r, int& v, uint64_t max = 100000) {
  uint64_t u = 0;
  if (!r.Number(u) || u > max) return false;
  v = static_cast<int>(u);
  return true;
}

bool GetFlag(util::TextRecordReader& r, bool& v) {
  int n = 0;
  if (!GetInt(r, n, 1)) return false;
  v = n == 1;
  return true;
}

void PutPattern(util::TextRecordWriter& w, const RecurrencePattern& p) {
  w.Number(p.type).Number(p.interval).Number(Signed(p.until)).Number(p.occurrences);
  w.Number(p.day_of_week).Number(p.day_of_month).Number(p.week_of_month);
  w.Number(p.month_of_year).Number(p.first_day_of_week);
}

bool GetPattern(util::TextRecordReader& r, RecurrencePattern& p) {
  return GetInt(r, p.type, 6) && GetInt(r, p.interval, 999) && GetSigned(r, p.until) &&
         GetInt(r, p.occurrences) && GetInt(r, p.day_of_week, 127) &&
         GetInt(r, p.day_of_month, 31) && GetInt(r, p.week_of_month, 5) &&
         GetInt(r, p.month_of_year, 12) && GetInt(r, p.first_day_of_week, 6);
}

}  // namespace

void PutMeeting(util::TextRecordWriter& w, const convert::MeetingInvite& m) {
  w.Blob(m.method).Blob(m.uid).Number(static_cast<uint64_t>(m.sequence));
  w.Number(Signed(m.start)).Number(Signed(m.end)).Number(Signed(m.dtstamp));
  w.Number(m.all_day ? 1 : 0).Blob(m.time_zone).Blob(m.summary).Blob(m.location);
  w.Blob(m.organizer_email).Blob(m.organizer_name);
  w.Number(m.attendees.size());
  for (const convert::InviteAttendee& a : m.attendees) {
    w.Blob(a.email).Blob(a.name).Number(static_cast<uint64_t>(a.status + 1)).Number(a.type);
    w.Number(a.rsvp ? 1 : 0);
  }
  w.Number(static_cast<uint64_t>(m.instance_type)).Number(Signed(m.recurrence_id));
  w.Number(m.recurrence ? 1 : 0);
  if (m.recurrence) PutPattern(w, *m.recurrence);
  // A reminder is stored one up, so 0 can mean none.
  w.Number(m.reminder_minutes ? static_cast<uint64_t>(*m.reminder_minutes) + 1 : 0);
  w.Number(m.sensitivity).Number(m.busy_status).Number(m.disallow_new_time ? 1 : 0);
}

bool GetMeeting(util::TextRecordReader& r, convert::MeetingInvite& m) {
  uint64_t n = 0;
  int sequence = 0;
  if (!(r.Blob(m.method) && r.Blob(m.uid) && GetInt(r, sequence, INT32_MAX) &&
        GetSigned(r, m.start) && GetSigned(r, m.end) && GetSigned(r, m.dtstamp) &&
        GetFlag(r, m.all_day) && r.Blob(m.time_zone) && r.Blob(m.summary) &&
        r.Blob(m.location) && r.Blob(m.organizer_email) && r.Blob(m.organizer_name) &&
        r.Number(n) && n <= r.remaining())) {
    return false;
  }
  m.sequence = sequence;
  m.attendees.resize(n);
  for (convert::InviteAttendee& a : m.attendees) {
    int status = 0;
    if (!(r.Blob(a.email) && r.Blob(a.name) && GetInt(r, status, 6) && GetInt(r, a.type, 3) &&
          GetFlag(r, a.rsvp))) {
      return false;
    }
    a.status = status - 1;
  }
  int instance = 0;
  bool has_recurrence = false;
  if (!(GetInt(r, instance, 3) && GetSigned(r, m.recurrence_id) && GetFlag(r, has_recurrence))) {
    return false;
  }
  m.instance_type = static_cast<InstanceType>(instance);
  m.recurrence.reset();
  if (has_recurrence) {
    RecurrencePattern p;
    if (!GetPattern(r, p)) return false;
    m.recurrence = p;
  }
  int reminder = 0;
  if (!GetInt(r, reminder, 1u << 30)) return false;
  m.reminder_minutes.reset();
  if (reminder > 0) m.reminder_minutes = reminder - 1;
  return GetInt(r, m.sensitivity, 3) && GetInt(r, m.busy_status, 4) &&
         GetFlag(r, m.disallow_new_time);
}

}  // namespace eas::core::mail
