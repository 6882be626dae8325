#include "core/mail/meeting_delivery.hpp"

#include "core/convert/eas_time.hpp"
#include "core/convert/icalendar.hpp"
#include "core/convert/tags.hpp"
#include "core/items/item_data.hpp"
#include "core/mail/charset.hpp"
#include "core/mail/meeting_event.hpp"
#include "core/mail/part_content.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {
namespace {

namespace cal = convert::tags::calendar;
using convert::MeetingInvite;
using wbxml::Element;

bool AsksUser(const storage::UserRecord& user, const MeetingInvite& m) {
  for (const auto& a : m.attendees) {
    if (IsUsersAddress(user, a.email)) return a.rsvp;
  }
  return m.ResponseRequested();
}

// Whether an update leaves the user's answer standing: the meeting still
// takes the same time (RFC 5546 lets the organizer keep answers then).
bool SameTime(const Element& a, const Element& b) {
  for (const wbxml::Tag& t : {cal::kStartTime, cal::kEndTime, cal::kAllDayEvent}) {
    if (a.ChildText(t) != b.ChildText(t)) return false;
  }
  const Element* ra = a.Child(cal::kRecurrence);
  const Element* rb = b.Child(cal::kRecurrence);
  return (ra == nullptr) == (rb == nullptr) && (ra == nullptr || *ra == *rb);
}

// The user's answer on `from`, carried over to `to`.
void KeepAnswer(const storage::UserRecord& user, Element& from, Element& to) {
  for (const wbxml::Tag& t : {cal::kBusyStatus, cal::kResponseType, cal::kAppointmentReplyTime}) {
    if (from.Has(t)) SetChild(to, t, std::string(from.ChildText(t)));
  }
  Element* old_me = AttendeeOf(user, from);
  Element* new_me = AttendeeOf(user, to);
  if (old_me != nullptr && new_me != nullptr && old_me->Has(cal::kAttendeeStatus)) {
    SetChild(*new_me, cal::kAttendeeStatus, std::string(old_me->ChildText(cal::kAttendeeStatus)));
  }
}

bool Answered(const Element& app) {
  const std::string_view r = app.ChildText(cal::kResponseType);
  return r == std::to_string(kResponseAccepted) || r == std::to_string(kResponseTentative);
}

Status Put(storage::Txn& txn, const storage::UserRecord& user, storage::ItemRecord item,
           const Element& app, const std::string* ics) {
  item.data = items::EncodeItemData(app);
  if (ics != nullptr) {
    auto blob = txn.PutBlob(user.id, "", *ics);
    if (!blob.ok()) return blob.status();
    item.blob = *blob;
  }
  return txn.PutItem(std::move(item)).status();
}

Result<MeetingEffect> Request(storage::Txn& txn, const storage::UserRecord& user,
                              const MeetingInvite& m, const std::optional<MeetingEventData>& event) {
  if (IsUsersAddress(user, m.organizer_email)) return MeetingEffect::kNone;  // their own
  auto found = FindEventByUid(txn, user, m.uid);
  if (!found.ok() && found.status().code() != Code::kNotFound) return found.status();
  if (found.ok() && UserOrganizes(user, found->app)) return MeetingEffect::kNone;

  if (found.ok() && m.instance_type == convert::InstanceType::kException) {
    // One occurrence moved or changed: the series keeps the rest.
    Element& e = ExceptionFor(found->app, m.recurrence_id);
    SetChild(e, cal::kStartTime, convert::CompactUtc(m.start));
    SetChild(e, cal::kEndTime, convert::CompactUtc(m.end));
    if (!m.summary.empty()) SetChild(e, cal::kSubject, m.summary);
    if (!m.location.empty()) SetChild(e, cal::kLocation, m.location);
    SetChild(e, cal::kBusyStatus, kBusyTentative);
    SetChild(e, cal::kResponseType, kResponseNotResponded);
    Status s = Put(txn, user, std::move(found->item), found->app, nullptr);
    if (!s.ok()) return s;
    return MeetingEffect::kUpdated;
  }
  if (!event) return MeetingEffect::kNone;
  auto app = items::DecodeItemData(event->item_data);
  if (!app.ok()) return app.status();
  MarkReceived(user, AsksUser(user, m), *app);
  if (found.ok()) {
    if (Answered(found->app) && SameTime(found->app, *app)) KeepAnswer(user, found->app, *app);
    Status s = Put(txn, user, std::move(found->item), *app, &event->ics);
    if (!s.ok()) return s;
    return MeetingEffect::kUpdated;
  }
  auto calendar = DefaultCalendar(txn, user);
  if (!calendar.ok()) {
    if (calendar.status().code() == Code::kNotFound) return MeetingEffect::kNone;
    return calendar.status();
  }
  storage::ItemRecord item;
  item.folder = calendar->id;
  Status s = Put(txn, user, std::move(item), *app, &event->ics);
  if (!s.ok()) return s;
  return MeetingEffect::kAdded;
}

Result<MeetingEffect> Cancel(storage::Txn& txn, const storage::UserRecord& user,
                             const MeetingInvite& m) {
  auto found = FindEventByUid(txn, user, m.uid);
  if (!found.ok()) {
    if (found.status().code() == Code::kNotFound) return MeetingEffect::kNone;
    return found.status();
  }
  if (UserOrganizes(user, found->app)) return MeetingEffect::kNone;
  if (m.instance_type == convert::InstanceType::kException) {
    SetChild(ExceptionFor(found->app, m.recurrence_id), cal::kDeleted, 1);
  } else {
    // Kept, marked: the user sees it was cancelled and removes it (as
    // Exchange does); the time is free again.
    SetChild(found->app, cal::kMeetingStatus, kMeetingCanceledReceived);
    SetChild(found->app, cal::kBusyStatus, kBusyFree);
  }
  Status s = Put(txn, user, std::move(found->item), found->app, nullptr);
  if (!s.ok()) return s;
  return MeetingEffect::kCancelled;
}

Result<MeetingEffect> Reply(storage::Txn& txn, const storage::UserRecord& user,
                            const MeetingInvite& m) {
  // An answer for one occurrence would need an exception's attendee list,
  // which MS-ASCAL exceptions do not carry: only the series' answer counts.
  if (m.instance_type == convert::InstanceType::kException) return MeetingEffect::kNone;
  auto found = FindEventByUid(txn, user, m.uid);
  if (!found.ok()) {
    if (found.status().code() == Code::kNotFound) return MeetingEffect::kNone;
    return found.status();
  }
  if (!UserOrganizes(user, found->app)) return MeetingEffect::kNone;
  Element* list = nullptr;
  for (Element& c : found->app.children) {
    if (c.tag == cal::kAttendees) list = &c;
  }
  bool changed = false;
  for (const convert::InviteAttendee& a : m.attendees) {
    if (a.status < 0 || list == nullptr) continue;
    for (Element& e : list->children) {
      if (e.tag != cal::kAttendee) continue;
      if (!SameAddress(e.ChildText(cal::kAttendeeEmail), a.email)) continue;
      SetChild(e, cal::kAttendeeStatus, a.status);
      changed = true;
    }
  }
  if (!changed) return MeetingEffect::kNone;  // not an attendee it invited
  Status s = Put(txn, user, std::move(found->item), found->app, nullptr);
  if (!s.ok()) return s;
  return MeetingEffect::kAnswered;
}

}  // namespace

std::optional<MeetingEventData> ReadMeetingEvent(std::string_view raw, const MessageRecord& record) {
  if (!record.meeting || record.meeting_part >= record.parts.size()) return std::nullopt;
  const Part& part = record.parts[record.meeting_part];
  auto bytes = DecodedPart(raw, part);
  if (!bytes.ok()) return std::nullopt;
  MeetingEventData out;
  out.ics = TextToUtf8(*bytes, part.charset);
  convert::ConvertReport report = convert::EventsFromICalendar(out.ics);
  for (convert::ConvertedItem& item : report.items) {
    if (item.application_data.ChildText(cal::kUID) != record.meeting->uid) continue;
    out.item_data = items::EncodeItemData(item.application_data);
    return out;
  }
  return std::nullopt;
}

Result<MeetingEffect> ApplyMeetingMessage(storage::Txn& txn, const storage::UserRecord& user,
                                          const MessageRecord& record,
                                          const std::optional<MeetingEventData>& event) {
  if (!record.meeting || record.meeting->uid.empty()) return MeetingEffect::kNone;
  const MeetingInvite& m = *record.meeting;
  if (m.method == "REQUEST") return Request(txn, user, m, event);
  if (m.method == "CANCEL") return Cancel(txn, user, m);
  if (m.method == "REPLY") return Reply(txn, user, m);
  return MeetingEffect::kNone;
}

}  // namespace eas::core::mail
