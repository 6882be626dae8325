#include "core/mail/meeting_organizer.hpp"

#include <optional>

#include "core/convert/eas_time.hpp"
#include "core/convert/itip_request.hpp"
#include "core/convert/meeting_invite.hpp"
#include "core/convert/tags.hpp"
#include "core/items/item_data.hpp"
#include "core/mail/meeting_event.hpp"
#include "core/mail/meeting_mail.hpp"
#include "core/mail/submit.hpp"
#include "core/util/join.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {
namespace {

namespace cal = convert::tags::calendar;
using wbxml::Element;

// MeetingStatus bits (MS-ASCAL 2.2.2.29): 1 a meeting, 2 received, 4 cancelled.
constexpr int kReceivedBit = 2, kCancelledBit = 4;

int MeetingStatusOf(const Element& app) {
  const std::string_view s = app.ChildText(cal::kMeetingStatus);
  return s.size() == 1 && s[0] >= '0' && s[0] <= '9' ? s[0] - '0' : s == "11" ? 11 : s == "13" ? 13 : s == "15" ? 15 : 1;
}

// The attendees other than the user.
std::vector<Address> Invited(const storage::UserRecord& user, const Element& app) {
  std::vector<Address> out;
  if (const Element* list = app.Child(cal::kAttendees)) {
    for (const Element* a : list->Children(cal::kAttendee)) {
      const std::string email(a->ChildText(cal::kAttendeeEmail));
      if (email.empty() || IsUsersAddress(user, email)) continue;
      out.push_back({std::string(a->ChildText(cal::kAttendeeName)), email});
    }
  }
  return out;
}

// A meeting this user organizes and has someone to tell.
bool Organized(const storage::UserRecord& user, const Element& app) {
  const std::string_view organizer = app.ChildText(cal::kOrganizerEmail);
  return (MeetingStatusOf(app) & kReceivedBit) == 0 &&
         (organizer.empty() || IsUsersAddress(user, organizer)) && !Invited(user, app).empty();
}

bool Cancelled(const Element& app) { return (MeetingStatusOf(app) & kCancelledBit) != 0; }

// What attendees must hear about: not a reminder or a category.
bool MeetingChanged(const storage::UserRecord& user, const Element& a, const Element& b) {
  for (const wbxml::Tag& t : {cal::kStartTime, cal::kEndTime, cal::kAllDayEvent, cal::kSubject,
                              cal::kLocation, cal::kTimeZone}) {
    if (a.ChildText(t) != b.ChildText(t)) return true;
  }
  for (const wbxml::Tag& t : {cal::kRecurrence, cal::kExceptions}) {
    const Element* x = a.Child(t);
    const Element* y = b.Child(t);
    if ((x == nullptr) != (y == nullptr) || (x != nullptr && !(*x == *y))) return true;
  }
  return Invited(user, a) != Invited(user, b);
}

std::vector<Address> Removed(const std::vector<Address>& before, const std::vector<Address>& after) {
  std::vector<Address> out;
  for (const Address& a : before) {
    bool kept = false;
    for (const Address& b : after) kept = kept || SameAddress(a.address, b.address);
    if (!kept) out.push_back(a);
  }
  return out;
}

std::string Names(const std::vector<Address>& list) {
  return util::JoinWith(list, ", ",
                        [](const Address& a) -> const std::string& { return a.address; });
}

class Notifier {
 public:
  Notifier(storage::Txn& txn, const storage::UserRecord& user, uint64_t now,
           std::vector<std::string>* notes)
      : txn_(txn), user_(user), me_(IdentityOf(user)), now_(now), notes_(notes) {}

  // Sends the REQUEST or CANCEL of `app` at `sequence` to `to`; the sent
  // iCalendar in *ics.
  Status Send(const Element& app, bool cancel, int sequence, const std::vector<Address>& to,
              std::string* ics) {
    if (to.empty()) return Status::Ok();
    convert::ItipRequestOptions o;
    o.cancel = cancel;
    o.sequence = sequence;
    o.organizer_email = me_.address;
    o.organizer_name = me_.name;
    o.dtstamp = static_cast<int64_t>(now_);
    const std::string uid(app.ChildText(cal::kUID));
    auto text = convert::ItipRequestText(app, o);
    if (!text.ok()) {
      notes_->push_back("meeting " + uid + ": nothing sent: " + text.status().message());
      return Status::Ok();
    }
    const std::string summary(app.ChildText(cal::kSubject));
    const std::string who = me_.name.empty() ? me_.address : me_.name;
    std::string body = who + (cancel ? " has cancelled: " : " invites you to: ") + summary + "\r\n";
    if (auto start = convert::ParseEasTime(app.ChildText(cal::kStartTime)); start && !cancel) {
      body += "When: " + convert::ExtendedUtc(*start) + " (UTC)\r\n";
    }
    if (app.Has(cal::kLocation)) body += "Where: " + std::string(app.ChildText(cal::kLocation)) + "\r\n";
    const std::string raw = ItipMail(me_, to, (cancel ? "Canceled: " : "") + summary, body,
                                     cancel ? "CANCEL" : "REQUEST", *text, now_);
    auto ready = ReadyToSend(raw, me_, now_);
    if (!ready.ok()) {
      notes_->push_back("meeting " + uid + ": nothing sent: " + ready.status().message());
      return Status::Ok();
    }
    auto sent = Submit(txn_, user_, **ready, true, now_);
    if (!sent.ok()) return sent.status();
    notes_->push_back("meeting " + uid + ": " + (cancel ? "CANCEL" : "REQUEST") + " (SEQUENCE " +
                      std::to_string(sequence) + ") sent to " + Names(to));
    if (ics != nullptr) *ics = std::move(*text);
    return Status::Ok();
  }

 private:
  storage::Txn& txn_;
  const storage::UserRecord& user_;
  const SenderIdentity me_;
  const uint64_t now_;
  std::vector<std::string>* notes_;
};

// The SEQUENCE of the invitation last sent (the blob), -1 when none was.
Result<int> SentSequence(storage::Txn& txn, uint64_t blob) {
  if (blob == 0) return -1;
  std::string_view ics;
  Status s = txn.ViewBlob(blob, &ics);
  if (!s.ok()) return s;
  std::vector<std::string> warnings;
  auto invite = convert::ReadMeetingInvite(ics, &warnings);
  // A received invitation's blob is no invitation of ours.
  if (!invite.ok() || invite->method != "REQUEST") return -1;
  return invite->sequence;
}

}  // namespace

Status NotifyAttendees(storage::Txn& txn, const storage::UserRecord& user,
                       std::string_view before, uint64_t before_blob, storage::ItemRecord* item,
                       uint64_t now, std::vector<std::string>* notes) {
  std::optional<Element> old_app, new_app;
  if (!before.empty()) {
    auto app = items::DecodeItemData(before);
    if (app.ok()) old_app = std::move(app).value();
  }
  if (item != nullptr) {
    auto app = items::DecodeItemData(item->data);
    if (!app.ok()) return app.status();
    new_app = std::move(app).value();
  }
  const bool was = old_app && Organized(user, *old_app);
  const bool is = new_app && Organized(user, *new_app);
  if (!was && !is) return Status::Ok();
  auto sent = SentSequence(txn, before_blob);
  if (!sent.ok()) return sent.status();
  Notifier notifier(txn, user, now, notes);

  const bool cancel_all = !is || Cancelled(*new_app);
  if (cancel_all) {
    if (!was || *sent < 0 || (old_app && Cancelled(*old_app))) return Status::Ok();
    return notifier.Send(*old_app, true, *sent + 1, Invited(user, *old_app), nullptr);
  }
  int sequence = 0;
  if (was && *sent >= 0) {
    if (!MeetingChanged(user, *old_app, *new_app)) return Status::Ok();
    sequence = *sent + 1;
    Status s = notifier.Send(*old_app, true, sequence,
                             Removed(Invited(user, *old_app), Invited(user, *new_app)), nullptr);
    if (!s.ok()) return s;
  }
  std::string ics;
  Status s = notifier.Send(*new_app, false, sequence, Invited(user, *new_app), &ics);
  if (!s.ok() || ics.empty()) return s;
  auto blob = txn.PutBlob(user.id, "", ics);
  if (!blob.ok()) return blob.status();
  item->blob = *blob;
  return Status::Ok();
}

}  // namespace eas::core::mail
