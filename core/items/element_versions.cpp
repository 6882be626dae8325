#include "core/items/element_versions.hpp"

#include <algorithm>
#include <array>

namespace eas::core::items {
namespace {

using wbxml::Element;
using wbxml::Page;
using wbxml::Tag;

constexpr int kNone = 0;
constexpr int kLast = 999;
constexpr int kRequestOnly = kLast + 1;  // sent by clients, to no client

// An element a version range defines: [min, max], versions ×10. Tags are
// (code page, token) as MS-ASWBXML numbers them; libwbxml's names beside.
struct Known {
  Tag tag;
  int min = kNone;
  int max = kLast;
  // Known to the versions it is not under another name (event_shapes.hpp
  // converts it): a Change never keeps the stored one for them.
  bool renamed = false;
};

constexpr Tag T(Page page, uint8_t token) { return Tag{static_cast<uint8_t>(page), token}; }

// Only the elements not every version defines; every other element of
// these classes is known from 2.5 to 16.1. The airsyncbase:Body and the
// 2.5 Body elements are item_body.hpp's.
constexpr std::array kTable{
    // MS-ASCAL 2.2.2
    Known{T(Page::kCalendar, 0x29), 120},              // Attendee_Status  2.2.2.5
    Known{T(Page::kCalendar, 0x2A), 120},              // Attendee_Type    2.2.2.6
    Known{T(Page::kCalendar, 0x33), 140},              // DisallowNewTimeProposal 2.2.2.17
    Known{T(Page::kCalendar, 0x34), 140},              // ResponseRequested 2.2.2.39
    Known{T(Page::kCalendar, 0x35), 140},              // AppointmentReplyTime 2.2.2.2
    Known{T(Page::kCalendar, 0x36), 140},              // ResponseType     2.2.2.40
    Known{T(Page::kCalendar, 0x37), 140},              // CalendarType     2.2.2.10
    Known{T(Page::kCalendar, 0x38), 140},              // IsLeapMonth      2.2.2.26
    Known{T(Page::kCalendar, 0x39), 141},              // FirstDayOfWeek   2.2.2.24
    Known{T(Page::kCalendar, 0x3A), 141},              // OnlineMeetingConfLink 2.2.2.33
    Known{T(Page::kCalendar, 0x3B), 141},              // OnlineMeetingExternalLink 2.2.2.34
    // ClientUid (2.2.2.13, 16.0 on) is a request's element only (by it a
    // server may know a repeated Add); no answer's schema has it: stored,
    // sent to no client.
    Known{T(Page::kCalendar, 0x3C), kRequestOnly},     // ClientUid
    Known{T(Page::kCalendar, 0x10), kNone, 25},        // Compressed_RTF (Rtf), 2.5's
    Known{T(Page::kCalendar, 0x17), kNone, 141, true}, // Location         2.2.2.27
    Known{T(Page::kCalendar, 0x16), kNone, 141, true}, // Exception_StartTime 2.2.2.23
    // MS-ASCNTC 2.2.2
    Known{T(Page::kContacts, 0x3B), kNone, 25},        // CompressedRTF (Rtf), 2.5's
    Known{T(Page::kContacts, 0x3D), 140},              // Alias            2.2.2.2
    Known{T(Page::kContacts, 0x3E), 140},              // WeightedRank     2.2.2.64
    // MS-ASTASK 2.2.2
    Known{T(Page::kTasks, 0x21), kNone, 25},           // CompressedRTF (Rtf), 2.5's
    Known{T(Page::kTasks, 0x22), 120},                 // OrdinalDate      2.2.2.19
    Known{T(Page::kTasks, 0x23), 120},                 // SubOrdinalDate   2.2.2.28
    Known{T(Page::kTasks, 0x24), 140},                 // CalendarType     2.2.2.4
    Known{T(Page::kTasks, 0x25), 140},                 // IsLeapMonth      2.2.2.16
    Known{T(Page::kTasks, 0x26), 141},                 // FirstDayOfWeek   2.2.2.13
    // MS-ASAIRS 2.2.2 (and MS-ASCAL 2.2.2.21 for events' attachments)
    Known{T(Page::kAirSyncBase, 0x16), 120},           // NativeBodyType   2.2.2.32
    Known{T(Page::kAirSyncBase, 0x0E), 160},           // Attachments, of an event
    Known{T(Page::kAirSyncBase, 0x20), 160, kLast, true},  // Location     2.2.2.28
    Known{T(Page::kAirSyncBase, 0x2D), 160, kLast, true},  // InstanceId   2.2.2.25
};

constexpr Tag kAttendees = T(Page::kCalendar, 0x07);
constexpr Tag kAttendee = T(Page::kCalendar, 0x08);
constexpr Tag kAttendeeEmail = T(Page::kCalendar, 0x09);
constexpr Tag kBusyStatus = T(Page::kCalendar, 0x0D);
constexpr Tag kException = T(Page::kCalendar, 0x13);
constexpr Tag kExceptions = T(Page::kCalendar, 0x14);
constexpr Tag kExceptionStart = T(Page::kCalendar, 0x16);
constexpr Tag kMeetingStatus = T(Page::kCalendar, 0x18);
constexpr Tag kRecurrence = T(Page::kCalendar, 0x1B);
constexpr Tag kReminder = T(Page::kCalendar, 0x24);
constexpr Tag kTaskRecurrence = T(Page::kTasks, 0x0F);

const Known* Find(Tag tag) {
  auto it = std::find_if(kTable.begin(), kTable.end(), [&](const Known& k) { return k.tag == tag; });
  return it == kTable.end() ? nullptr : &*it;
}

// Whether a client of `version` may be sent `e` (a child of an Exception
// when `in_exception`): its element, and for a few its place or value.
bool Visible(const Element& e, bool in_exception, int version) {
  // MS-ASCAL 2.2.2.4, 2.2.2.21: Attendees of one occurrence from 14.0.
  if (e.tag == kAttendees && in_exception) return version >= 140;
  // MS-ASCAL 2.2.2.28: one occurrence's MeetingStatus is not in every
  // version; Microsoft's protocol test suite (MS-ASCAL S02) expects it
  // from 14.1, not from 12.1 or 14.0. Without it the occurrence has the
  // series' status.
  if (e.tag == kMeetingStatus && in_exception) return version >= 141;
  // MS-ASCAL 2.2.2.9: 4 (working elsewhere) and -1 (unknown) from 16.0.
  if (e.tag == kBusyStatus && (e.text == "4" || e.text == "-1")) return version >= 160;
  // MS-ASCAL 2.2.2.38: an empty Reminder (none for this occurrence) from 14.1.
  if (e.tag == kReminder && e.text.empty() && e.children.empty()) return version >= 141;
  const Known* k = Find(e.tag);
  return k == nullptr || (version >= k->min && version <= k->max);
}

bool Renamed(Tag tag) {
  const Known* k = Find(tag);
  return k != nullptr && k->renamed;
}

void Drop(Element& e, bool in_exception, int version) {
  std::erase_if(e.children,
                [&](const Element& c) { return !Visible(c, in_exception, version); });
  for (Element& c : e.children) Drop(c, in_exception || c.tag == kException, version);
}

// The stored child of `stored` that `wanted` (a child of the Change) is
// the client's copy of: the one with the same tag, and for an Attendee
// the same Email, for an Exception the same ExceptionStartTime.
const Element* Counterpart(const Element& stored, const Element& wanted) {
  for (const Element& s : stored.children) {
    if (!(s.tag == wanted.tag)) continue;
    if (s.tag == kAttendee && s.ChildText(kAttendeeEmail) != wanted.ChildText(kAttendeeEmail)) {
      continue;
    }
    if (s.tag == kException && s.ChildText(kExceptionStart) != wanted.ChildText(kExceptionStart)) {
      continue;
    }
    return &s;
  }
  return nullptr;
}

bool MergesInside(Tag tag) {
  return tag == kRecurrence || tag == kTaskRecurrence || tag == kAttendees || tag == kAttendee ||
         tag == kExceptions || tag == kException;
}

void Keep(Element& change, const Element& stored, bool in_exception, int version) {
  for (const Element& s : stored.children) {
    if (!Visible(s, in_exception, version) && !Renamed(s.tag) && !change.Has(s.tag)) {
      change.children.push_back(s);
    }
  }
  for (Element& c : change.children) {
    if (!MergesInside(c.tag)) continue;
    if (const Element* s = Counterpart(stored, c)) {
      Keep(c, *s, in_exception || c.tag == kException, version);
    }
  }
}

}  // namespace

void DropUnknownElements(Element& app, int version) { Drop(app, false, version); }

void KeepUnseenElements(Element& change, const Element& stored, int version) {
  Keep(change, stored, false, version);
}

}  // namespace eas::core::items
