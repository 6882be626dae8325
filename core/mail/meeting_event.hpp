// A meeting as the attendee's or organizer's calendar keeps it: a
// Calendar item (MS-ASCAL ApplicationData) found by its iCalendar UID,
// and the few fields iTIP changes on it (MeetingStatus, BusyStatus,
// ResponseType, an attendee's status, one occurrence's exception). Shared
// by delivery (an invitation, update, cancellation or answer arrives) and
// MeetingResponse (the user answers).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.hpp"
#include "core/wbxml/element.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::mail {

// MS-ASCAL MeetingStatus values a meeting here takes.
inline constexpr int kMeetingOrganized = 1, kMeetingReceived = 3, kMeetingCanceledReceived = 7;
// MS-ASCAL ResponseType (and AttendeeStatus: the same numbers).
inline constexpr int kResponseTentative = 2, kResponseAccepted = 3, kResponseDeclined = 4,
                     kResponseNotResponded = 5;
// MS-ASCAL BusyStatus.
inline constexpr int kBusyFree = 0, kBusyTentative = 1, kBusyBusy = 2;

struct StoredEvent {
  storage::ItemRecord item;  // its data as stored
  wbxml::Element app;        // the same decoded
};

// The event with iCalendar UID `uid` in a calendar the user owns (the
// default one first); NotFound when there is none.
Result<StoredEvent> FindEventByUid(storage::Txn& txn, const storage::UserRecord& user,
                                   std::string_view uid);

// The user's own Calendar (FolderSync type 8); NotFound when they have none.
Result<storage::FolderRecord> DefaultCalendar(storage::Txn& txn, const storage::UserRecord& user);

// The same mailbox (addresses compared in any letter case).
bool SameAddress(std::string_view a, std::string_view b);

// Whether `email` is one of the user's addresses (any letter case), or
// the address the user sends as.
bool IsUsersAddress(const storage::UserRecord& user, std::string_view email);

// Whether the user organizes the meeting: its MeetingStatus says so or
// its organizer is one of the user's addresses.
bool UserOrganizes(const storage::UserRecord& user, const wbxml::Element& app);

// The event's Attendee that is the user; null when none is.
wbxml::Element* AttendeeOf(const storage::UserRecord& user, wbxml::Element& app);

// Sets the child `tag` of `parent` to `text`, adding it when missing.
void SetChild(wbxml::Element& parent, wbxml::Tag tag, std::string text);
inline void SetChild(wbxml::Element& parent, wbxml::Tag tag, int value) {
  SetChild(parent, tag, std::to_string(value));
}

// The Exception of the occurrence that starts at `instance` (unix
// seconds), added (with its ExceptionStartTime) when the event has none.
wbxml::Element& ExceptionFor(wbxml::Element& app, int64_t instance);

// An invitation as the invited user's calendar shows it before they
// answer: a received meeting, tentative, not responded, and whether a
// response is asked of them.
void MarkReceived(const storage::UserRecord& user, bool response_requested, wbxml::Element& app);

}  // namespace eas::core::mail
