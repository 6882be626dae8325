// MeetingResponse (MS-ASCMD 2.2.1.11): the user accepts, tentatively
// accepts or declines an invitation, named by the Inbox message that
// brought it or by its event in the Calendar (iOS answers from there),
// the whole meeting or one occurrence (InstanceId). The event takes the
// answer (accept and tentative: busy or tentative, ResponseType; decline:
// the event goes, as Exchange does, or that one occurrence), the
// invitation mail moves to Deleted Items (as Exchange does), and the
// organizer gets an iTIP REPLY (core/mail/meeting_mail). At 16.x when the
// client asks for one (SendResponse), by the SendMail path at once: a
// local organizer has it in their Inbox, a remote one through the relay's
// queue. Up to 14.1, where MeetingResponse has no such element, whenever
// the invitation asks for an answer; but such a client may send its own
// REPLY by SendMail (MS-ASCMD 2.2.1.11; iOS and Android do), so the
// server's waits in the queue for the location's eas_meeting_reply_delay
// and goes only if none came (core/mail/held_reply.hpp). Each Request is
// read first (a snapshot), its reply mail made outside any transaction,
// then every change and mail written in one transaction.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/commands/command.hpp"
#include "core/commands/collection_sync.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/commands/sync_collection.hpp"
#include "core/convert/eas_time.hpp"
#include "core/convert/meeting_invite.hpp"
#include "core/convert/tags.hpp"
#include "core/util/utc_time.hpp"
#include "core/folder_access.hpp"
#include "core/folder_type.hpp"
#include "core/items/item_class.hpp"
#include "core/items/item_data.hpp"
#include "core/mail/held_reply.hpp"
#include "core/mail/html_text.hpp"
#include "core/mail/meeting_delivery.hpp"
#include "core/mail/meeting_event.hpp"
#include "core/mail/meeting_mail.hpp"
#include "core/mail/source_message.hpp"
#include "core/mail/submit.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace cal = convert::tags::calendar;
using wbxml::Element;
using wbxml::Page;
using wbxml::Tag;
using wbxml::TagNamed;

// Code page 8 (only this command uses it).
const Tag kMeetingResponse = TagNamed(Page::kMeetingResponse, "MeetingResponse");
const Tag kRequest = TagNamed(Page::kMeetingResponse, "Request");
const Tag kUserResponse = TagNamed(Page::kMeetingResponse, "UserResponse");
const Tag kCollectionId = TagNamed(Page::kMeetingResponse, "CollectionId");
const Tag kRequestId = TagNamed(Page::kMeetingResponse, "RequestId");
const Tag kInstanceId = TagNamed(Page::kMeetingResponse, "InstanceId");
const Tag kSendResponse = TagNamed(Page::kMeetingResponse, "SendResponse");
const Tag kResult = TagNamed(Page::kMeetingResponse, "Result");
const Tag kStatus = TagNamed(Page::kMeetingResponse, "Status");
const Tag kCalendarId = TagNamed(Page::kMeetingResponse, "CalendarId");
const Tag kLongId = TagNamed(Page::kSearch, "LongId");

// MS-ASCMD 2.2.3.177.9.
enum ResultStatus { kOk = 1, kInvalidRequest = 2, kMailboxError = 3, kServerError = 4 };

constexpr int kVersion141 = 141, kVersion16 = 160;

struct Answer {
  // As requested.
  int user_response = 0;  // 1 accept, 2 tentative, 3 decline
  std::string collection_id, request_id, instance_text;
  bool long_id = false;
  bool send_response = false;  // 16.x SendResponse present
  std::string text;            // its body, as plain text

  // As decided.
  int status = kOk;
  std::string why;
  storage::FolderRecord folder;  // where the named item is
  storage::ItemId item = 0;
  bool from_mail = false;          // named the invitation mail, not the event
  storage::FolderId event_folder = 0;  // the event as found (0: none yet)
  storage::ItemId event_item = 0;
  std::optional<mail::MeetingEventData> new_event;  // to add when there is none
  int64_t instance = 0;
  int intended_busy = mail::kBusyBusy;
  bool send = false;
  convert::ItipReply reply;
  std::unique_ptr<mail::ReadyMessage> mail;
  bool hold = false;  // up to 14.1: the reply waits for the client's own

  // As done.
  std::string calendar_id;
  std::string outcome;  // for the log

  void Refuse(int code, std::string reason) {
    status = code;
    why = std::move(reason);
  }
  bool Declines() const { return user_response == 3; }
};

convert::ItipAnswer ItipAnswerOf(int user_response) {
  return user_response == 1   ? convert::ItipAnswer::kAccepted
         : user_response == 2 ? convert::ItipAnswer::kTentative
                              : convert::ItipAnswer::kDeclined;
}

std::string_view AnswerName(int user_response) {
  return user_response == 1 ? "accepted" : user_response == 2 ? "tentatively accepted" : "declined";
}

// The Requests; false when the body is no MeetingResponse with one.
bool ParseAnswers(const CommandContext& ctx, std::vector<Answer>* out) {
  if (ctx.body == nullptr || !(ctx.body->tag == kMeetingResponse)) return false;
  for (const Element* r : ctx.body->Children(kRequest)) {
    Answer a;
    const std::string_view response = r->ChildText(kUserResponse);
    a.user_response = response == "1" ? 1 : response == "2" ? 2 : response == "3" ? 3 : 0;
    a.collection_id = r->ChildText(kCollectionId);
    a.request_id = r->ChildText(kRequestId);
    a.instance_text = r->ChildText(kInstanceId);
    const Element* long_id = r->Child(kLongId);
    a.long_id = long_id != nullptr;
    // A Search result's LongId is its "folder:item", the ServerId's form
    // (ItemOperations and the Smart commands take it alike); it comes
    // instead of CollectionId and RequestId.
    const bool long_id_alone = a.long_id && a.collection_id.empty() && a.request_id.empty();
    if (long_id_alone && long_id->text.find(':') != std::string::npos) {
      a.request_id = long_id->text;
      a.collection_id = a.request_id.substr(0, a.request_id.find(':'));
    }
    if (const Element* send = r->Child(kSendResponse)) {
      a.send_response = true;
      if (const Element* body = send->Child(wbxml::tags::base::kBody)) {
        const std::string_view data = body->ChildText(wbxml::tags::base::kData);
        a.text = body->ChildText(wbxml::tags::base::kType) == "2" ? mail::HtmlToText(data)
                                                                   : std::string(data);
      }
    }
    if (a.user_response == 0) {
      a.Refuse(kInvalidRequest, "UserResponse '" + std::string(response) + "' is not 1, 2 or 3");
    } else if (a.long_id && !long_id_alone) {
      a.Refuse(kInvalidRequest, "a LongId comes instead of CollectionId and RequestId, not with them");
    } else if (a.long_id && a.collection_id.empty()) {
      a.Refuse(kInvalidRequest, "LongId '" + long_id->text + "' names no item of this server");
    } else if (a.collection_id.empty() || a.request_id.empty()) {
      a.Refuse(kInvalidRequest, "no CollectionId and RequestId");
    } else if (!a.instance_text.empty()) {
      auto instance = convert::ParseEasTime(a.instance_text);
      if (ctx.version < kVersion141) {
        a.Refuse(kInvalidRequest, "InstanceId is not in protocol " + std::to_string(ctx.version / 10) +
                                      "." + std::to_string(ctx.version % 10));
      } else if (!instance) {
        a.Refuse(kInvalidRequest, "InstanceId '" + a.instance_text + "' is no date and time");
      } else {
        a.instance = *instance;
      }
    }
    out->push_back(std::move(a));
  }
  return !out->empty();
}

// The user's address the invitation names (the attendee who answers).
void SetAttendee(const storage::UserRecord& user, const std::vector<convert::InviteAttendee>& list,
                 convert::ItipReply& reply, bool* asked) {
  const mail::SenderIdentity me = mail::IdentityOf(user);
  reply.attendee_email = me.address;
  reply.attendee_name = me.name;
  for (const convert::InviteAttendee& a : list) {
    if (!mail::IsUsersAddress(user, a.email)) continue;
    reply.attendee_email = a.email;
    if (asked != nullptr) *asked = a.rsvp;
    return;
  }
}

// An answer to the invitation mail: the meeting from its record, the
// event by its UID (or made from the mail when the calendar lacks it).
Status ResolveMail(storage::Txn& txn, const CommandContext& ctx, Answer& a) {
  if (a.instance != 0) {
    a.Refuse(kInvalidRequest, "InstanceId names an occurrence of a calendar item, not of a mail");
    return Status::Ok();
  }
  auto message = mail::ReadSourceMessage(txn, a.folder.id, a.item);
  if (!message.ok()) {
    if (message.status().code() != Code::kNotFound) return message.status();
    a.Refuse(kInvalidRequest, message.status().message());
    return Status::Ok();
  }
  const mail::MessageRecord& record = message->mail.message;
  if (!record.meeting || record.meeting->method != "REQUEST") {
    a.Refuse(kInvalidRequest, "item " + a.request_id + " is no meeting request");
    return Status::Ok();
  }
  const convert::MeetingInvite& m = *record.meeting;
  if (mail::IsUsersAddress(ctx.user, m.organizer_email)) {
    a.Refuse(kInvalidRequest, "the user organizes this meeting");
    return Status::Ok();
  }
  a.from_mail = true;
  auto event = mail::FindEventByUid(txn, ctx.user, m.uid);
  if (event.ok()) {
    a.event_folder = event->item.folder;
    a.event_item = event->item.id;
  } else if (event.status().code() == Code::kNotFound) {
    a.new_event = mail::ReadMeetingEvent(message->raw, record);
  } else {
    return event.status();
  }
  a.intended_busy = m.busy_status;
  convert::ItipReply& r = a.reply;
  r.uid = m.uid;
  r.sequence = m.sequence;
  r.recurrence_id = m.instance_type == convert::InstanceType::kException ? m.recurrence_id : 0;
  r.all_day = m.all_day;
  r.organizer_email = m.organizer_email;
  r.organizer_name = m.organizer_name;
  r.summary = m.summary;
  r.start = m.start;
  r.end = m.end;
  bool asked = m.ResponseRequested();
  SetAttendee(ctx.user, m.attendees, r, &asked);
  a.send = ctx.version >= kVersion16 ? a.send_response : asked;
  return Status::Ok();
}

// An answer to the event itself.
Status ResolveEvent(storage::Txn& txn, const CommandContext& ctx, Answer& a) {
  auto item = txn.GetItem(a.folder.id, a.item);
  if (!item.ok()) {
    if (item.status().code() != Code::kNotFound) return item.status();
    a.Refuse(kInvalidRequest, "no item " + a.request_id + " in folder " + a.collection_id);
    return Status::Ok();
  }
  auto app = items::DecodeItemData(item->data);
  if (!app.ok()) return app.status();
  if (mail::UserOrganizes(ctx.user, *app)) {
    a.Refuse(kInvalidRequest, "the user organizes this meeting");
    return Status::Ok();
  }
  if (app->ChildText(cal::kOrganizerEmail).empty()) {
    a.Refuse(kInvalidRequest, "item " + a.request_id + " is an appointment, not a meeting");
    return Status::Ok();
  }
  if (a.instance != 0 && !app->Has(cal::kRecurrence)) {
    a.Refuse(kInvalidRequest, "InstanceId for a meeting that does not recur");
    return Status::Ok();
  }
  a.event_folder = a.folder.id;
  a.event_item = a.item;
  convert::ItipReply& r = a.reply;
  if (item->blob != 0) {  // the invitation it came from: SEQUENCE, intended busy status
    std::string_view ics;
    Status s = txn.ViewBlob(item->blob, &ics);
    if (!s.ok()) return s;
    std::vector<std::string> warnings;
    auto invite = convert::ReadMeetingInvite(ics, &warnings);
    if (invite.ok()) {
      r.sequence = invite->sequence;
      a.intended_busy = invite->busy_status;
    }
  }
  r.uid = app->ChildText(cal::kUID);
  r.organizer_email = app->ChildText(cal::kOrganizerEmail);
  r.organizer_name = app->ChildText(cal::kOrganizerName);
  r.summary = app->ChildText(cal::kSubject);
  r.all_day = app->ChildText(cal::kAllDayEvent) == "1";
  r.recurrence_id = a.instance;
  if (a.instance == 0) {
    r.start = convert::ParseEasTime(app->ChildText(cal::kStartTime)).value_or(0);
    r.end = convert::ParseEasTime(app->ChildText(cal::kEndTime)).value_or(0);
  }
  std::vector<convert::InviteAttendee> attendees;
  if (const Element* list = app->Child(cal::kAttendees)) {
    for (const Element* e : list->Children(cal::kAttendee)) {
      attendees.push_back({std::string(e->ChildText(cal::kAttendeeEmail)),
                           std::string(e->ChildText(cal::kAttendeeName)), -1, 1, false});
    }
  }
  SetAttendee(ctx.user, attendees, r, nullptr);
  a.send = ctx.version >= kVersion16 ? a.send_response
                                     : app->ChildText(cal::kResponseRequested) != "0";
  return Status::Ok();
}

Status Resolve(storage::Txn& txn, const CommandContext& ctx, Answer& a) {
  SyncTarget target;
  bool found = false;
  Status s = ResolveTarget(txn, ctx, a.collection_id, &target, &found);
  if (!s.ok()) return s;
  if (!found || target.folder.owner != ctx.user.id) {
    a.Refuse(kInvalidRequest, "no folder " + a.collection_id + " of the user's own");
    return Status::Ok();
  }
  a.folder = target.folder;
  auto item = ParseItemServerId(a.request_id, a.folder.id);
  if (!item) {
    a.Refuse(kInvalidRequest, "RequestId " + a.request_id + " names no item of folder " +
                                  a.collection_id);
    return Status::Ok();
  }
  a.item = *item;
  if (target.item_class == &items::EmailClass()) return ResolveMail(txn, ctx, a);
  if (target.item_class == &items::CalendarClass()) return ResolveEvent(txn, ctx, a);
  a.Refuse(kInvalidRequest, "folder " + a.collection_id + " holds neither mail nor events");
  return Status::Ok();
}

// The answer on the event (or on its occurrence). False: the event goes.
bool TakeAnswer(const Answer& a, const CommandContext& ctx, Element& app) {
  const int response = a.user_response == 1 ? mail::kResponseAccepted : mail::kResponseTentative;
  const int busy = a.user_response == 1 ? a.intended_busy : mail::kBusyTentative;
  const std::string now = convert::CompactUtc(static_cast<int64_t>(ctx.request.now));
  if (a.instance != 0) {
    Element& e = mail::ExceptionFor(app, a.instance);
    if (a.Declines()) {
      mail::SetChild(e, cal::kDeleted, 1);
    } else {
      mail::SetChild(e, cal::kBusyStatus, busy);
      mail::SetChild(e, cal::kResponseType, response);
      mail::SetChild(e, cal::kAppointmentReplyTime, now);
    }
    return true;
  }
  if (a.Declines()) return false;
  mail::SetChild(app, cal::kMeetingStatus, mail::kMeetingReceived);
  mail::SetChild(app, cal::kBusyStatus, busy);
  mail::SetChild(app, cal::kResponseType, response);
  mail::SetChild(app, cal::kAppointmentReplyTime, now);
  if (Element* me = mail::AttendeeOf(ctx.user, app)) mail::SetChild(*me, cal::kAttendeeStatus, response);
  return true;
}

// The event's part of one answer, in the write transaction.
Status WriteEvent(storage::Txn& txn, const CommandContext& ctx, Answer& a) {
  std::optional<storage::ItemRecord> item;
  if (a.event_item != 0) {
    auto got = txn.GetItem(a.event_folder, a.event_item);
    if (got.ok()) item = std::move(got).value();
    else if (got.status().code() != Code::kNotFound) return got.status();
  }
  if (!item && a.new_event && !(a.Declines() && a.instance == 0)) {
    auto calendar = mail::DefaultCalendar(txn, ctx.user);
    if (!calendar.ok()) return calendar.status();
    auto blob = txn.PutBlob(ctx.user.id, "", a.new_event->ics);
    if (!blob.ok()) return blob.status();
    item.emplace();
    item->folder = calendar->id;
    item->data = a.new_event->item_data;
    item->blob = *blob;
  }
  if (!item) {
    a.outcome = "no event in the calendar";
    return Status::Ok();
  }
  auto app = items::DecodeItemData(item->data);
  if (!app.ok()) return app.status();
  if (!TakeAnswer(a, ctx, *app)) {
    a.outcome = "event " + ItemServerId(item->folder, item->id) + " removed";
    return item->id == 0 ? Status::Ok() : txn.DeleteItem(item->folder, item->id);
  }
  item->data = items::EncodeItemData(*app);
  auto put = txn.PutItem(std::move(*item));
  if (!put.ok()) return put.status();
  const std::string id = ItemServerId(put->folder, put->id);
  if (!a.Declines()) a.calendar_id = id;
  a.outcome = "event " + id + (a.instance != 0 ? " (occurrence " + a.instance_text + ")" : "") +
              " updated";
  return Status::Ok();
}

// The invitation mail, answered, goes to Deleted Items (one answered
// there stays).
Status RetireMail(storage::Txn& txn, Answer& a) {
  if (a.folder.type == folder_type::kDeletedItems) return Status::Ok();
  auto item = txn.GetItem(a.folder.id, a.item);
  if (!item.ok()) return item.status().code() == Code::kNotFound ? Status::Ok() : item.status();
  Status s = items::EmailClass().BeforeDelete(txn, a.folder, *item, true);
  if (s.ok()) s = txn.DeleteItem(a.folder.id, a.item);
  if (s.ok()) a.outcome += "; the invitation moved to Deleted Items";
  return s;
}

std::string Render(const std::vector<Answer>& answers) {
  wbxml::Writer w;
  w.Start(kMeetingResponse);
  for (const Answer& a : answers) {
    w.Start(kResult);
    if (!a.request_id.empty()) w.Element(kRequestId, a.request_id);
    w.Element(kStatus, std::to_string(a.status));
    if (a.status == kOk && !a.calendar_id.empty()) w.Element(kCalendarId, a.calendar_id);
    w.End();
  }
  w.End();
  return w.Take();
}

}  // namespace

void MeetingResponse(CommandContext& ctx) {
  const std::string who = "MeetingResponse from " + ctx.user.name + " (device " + ctx.device_id + ")";
  std::vector<Answer> answers;
  if (!ParseAnswers(ctx, &answers)) {
    ctx.Fail(400, LogLevel::kWarn, who + ": not a MeetingResponse with a Request");
    return;
  }
  // Reading invitations (libical, GMime) and writing are pool work.
  if (!ctx.MayWrite()) return;

  Status read = ctx.store.Read([&](storage::Txn& txn) -> Status {
    for (Answer& a : answers) {
      if (a.status != kOk) continue;
      Status s = Resolve(txn, ctx, a);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  });
  for (Answer& a : answers) {
    if (!read.ok() && a.status == kOk) a.Refuse(kMailboxError, read.message());
    if (a.status != kOk || !a.send) continue;
    a.reply.answer = ItipAnswerOf(a.user_response);
    a.reply.dtstamp = static_cast<int64_t>(ctx.request.now);
    a.reply.comment = a.text;
    const mail::SenderIdentity me = mail::IdentityOf(ctx.user);
    auto ready = mail::ReadyToSend(mail::MeetingReplyMessage(me, a.reply, a.text, ctx.request.now),
                                   me, ctx.request.now);
    if (!ready.ok()) {
      a.Refuse(kServerError, "the reply cannot be made: " + ready.status().message());
      continue;
    }
    a.mail = std::move(ready).value();
  }

  const uint64_t delay = ctx.request.options.meeting_reply_delay;
  const uint64_t not_before = ctx.request.now + delay;
  // (A meeting without a UID cannot be matched to the client's reply.)
  for (Answer& a : answers) a.hold = ctx.version < kVersion16 && delay > 0 && !a.reply.uid.empty();
  std::vector<mail::SubmitResult> sent(answers.size());
  std::vector<mail::HeldReply> held(answers.size());
  Status write = ctx.store.Write([&](storage::Txn& txn) -> Status {
    for (size_t i = 0; i < answers.size(); ++i) {
      Answer& a = answers[i];
      if (a.status != kOk) continue;
      a.calendar_id.clear();  // the transaction may run twice
      a.outcome.clear();
      Status s = WriteEvent(txn, ctx, a);
      if (s.ok() && a.from_mail) s = RetireMail(txn, a);
      if (s.ok() && a.mail && a.hold) {
        auto h = mail::HoldReply(txn, ctx.user, *a.mail, {a.reply.uid, a.reply.recurrence_id},
                                 ctx.request.now, not_before);
        if (!h.ok()) return h.status();
        held[i] = std::move(h).value();
      } else if (s.ok() && a.mail) {
        auto submitted = mail::Submit(txn, ctx.user, *a.mail, true, ctx.request.now);
        if (!submitted.ok()) return submitted.status();
        sent[i] = std::move(submitted).value();
      }
      if (!s.ok()) return s;
    }
    return Status::Ok();
  });
  for (size_t i = 0; i < answers.size(); ++i) {
    Answer& a = answers[i];
    const std::string what = who + ": " + a.collection_id + "/" + a.request_id + " " +
                             std::string(AnswerName(a.user_response));
    if (a.status != kOk) {
      ctx.response.log.push_back({a.status == kInvalidRequest ? LogLevel::kNotice : LogLevel::kError,
                                  what + " refused (Status " + std::to_string(a.status) + "): " + a.why});
      continue;
    }
    if (!write.ok()) {
      a.status = write.code() == Code::kInternal ? kServerError : kMailboxError;
      ctx.response.log.push_back({LogLevel::kError, what + " not stored (Status " +
                                                        std::to_string(a.status) + "): " +
                                                        write.message()});
      continue;
    }
    std::string line = what + ": " + a.outcome;
    if (a.mail && a.hold) {
      const mail::HeldReply& h = held[i];
      line += "; reply to <" + a.reply.organizer_email + "> held until " +
              util::FormatUtc(not_before, "%H:%M:%S") + " UTC (outgoing " + std::to_string(h.id) +
              ") in case the client sends its own";
      for (uint64_t id : h.replaced) {
        line += "; it replaces the earlier answer held as outgoing " + std::to_string(id);
      }
    } else if (a.mail) {
      const mail::SubmitResult& r = sent[i];
      if (!r.queued_for.empty()) ctx.response.queued_outgoing = true;
      line += "; reply to <" + a.reply.organizer_email + "> " +
              (r.delivered_to.empty() ? "queued for the SMTP relay (entry " +
                                            std::to_string(r.queue_id) + ")"
                                      : "delivered to " + r.delivered_to.front());
      if (!r.dropped_held.empty()) line += "; " + r.dropped_held;
    } else {
      line += "; no reply sent";
    }
    ctx.response.log.push_back({LogLevel::kInfo, line});
  }
  ctx.Answer(Render(answers));
}

}  // namespace eas::core::commands
