#include "core/mail/meeting_event.hpp"

#include <strings.h>

#include <algorithm>

#include "core/convert/eas_time.hpp"
#include "core/convert/tags.hpp"
#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "core/items/item_data.hpp"
#include "core/mail/submission.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {
namespace {

namespace cal = convert::tags::calendar;

constexpr size_t kPage = 256;

bool IsCalendar(storage::FolderKind kind) {
  return kind == folder_type::kCalendar || kind == folder_type::kUserCalendar;
}

// The folder's event with that UID. The UID is an inline string in the
// stored tokens, so an item without its bytes is skipped undecoded.
Result<std::optional<StoredEvent>> FindIn(storage::Txn& txn, storage::FolderId folder,
                                          std::string_view uid) {
  storage::ItemId after = 0;
  for (;;) {
    auto items = txn.ItemsAfter(folder, after, kPage);
    if (!items.ok()) return items.status();
    for (storage::ItemRecord& item : *items) {
      after = item.id;
      if (item.data.find(uid) == std::string::npos) continue;
      auto app = items::DecodeItemData(item.data);
      if (!app.ok()) continue;  // a corrupt item is no match
      if (app->ChildText(cal::kUID) != uid) continue;
      return std::optional<StoredEvent>(StoredEvent{std::move(item), std::move(app).value()});
    }
    if (items->size() < kPage) return std::optional<StoredEvent>();
  }
}

}  // namespace

bool SameAddress(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

Result<storage::FolderRecord> DefaultCalendar(storage::Txn& txn, const storage::UserRecord& user) {
  return FindDefaultFolder(txn, user, folder_type::kCalendar, "Calendar");
}

Result<StoredEvent> FindEventByUid(storage::Txn& txn, const storage::UserRecord& user,
                                   std::string_view uid) {
  if (uid.empty()) return Status::NotFound("no UID");
  auto folders = txn.VisibleFolders(user.id);
  if (!folders.ok()) return folders.status();
  std::vector<storage::FolderRecord>& list = *folders;
  std::stable_partition(list.begin(), list.end(), [](const storage::FolderRecord& f) {
    return f.type == folder_type::kCalendar;
  });
  for (const auto& f : list) {
    if (f.owner != user.id || !IsCalendar(f.type)) continue;
    auto found = FindIn(txn, f.id, uid);
    if (!found.ok()) return found.status();
    if (*found) return std::move(**found);
  }
  return Status::NotFound("no event with UID " + std::string(uid) + " in " + user.name +
                          "'s calendars");
}

bool IsUsersAddress(const storage::UserRecord& user, std::string_view email) {
  if (email.empty()) return false;
  for (const std::string& a : user.addresses) {
    if (SameAddress(a, email)) return true;
  }
  return SameAddress(IdentityOf(user).address, email);
}

bool UserOrganizes(const storage::UserRecord& user, const wbxml::Element& app) {
  return app.ChildText(cal::kMeetingStatus) == std::to_string(kMeetingOrganized) ||
         IsUsersAddress(user, app.ChildText(cal::kOrganizerEmail));
}

wbxml::Element* AttendeeOf(const storage::UserRecord& user, wbxml::Element& app) {
  for (wbxml::Element& list : app.children) {
    if (list.tag != cal::kAttendees) continue;
    for (wbxml::Element& a : list.children) {
      if (a.tag == cal::kAttendee && IsUsersAddress(user, a.ChildText(cal::kAttendeeEmail))) {
        return &a;
      }
    }
  }
  return nullptr;
}

void SetChild(wbxml::Element& parent, wbxml::Tag tag, std::string text) {
  for (wbxml::Element& c : parent.children) {
    if (c.tag == tag) {
      c.text = std::move(text);
      c.children.clear();
      return;
    }
  }
  wbxml::Element e;
  e.tag = tag;
  e.text = std::move(text);
  parent.children.push_back(std::move(e));
}

wbxml::Element& ExceptionFor(wbxml::Element& app, int64_t instance) {
  wbxml::Element* list = nullptr;
  for (wbxml::Element& c : app.children) {
    if (c.tag == cal::kExceptions) list = &c;
  }
  if (list == nullptr) {
    wbxml::Element e;
    e.tag = cal::kExceptions;
    app.children.push_back(std::move(e));
    list = &app.children.back();
  }
  for (wbxml::Element& e : list->children) {
    auto start = convert::ParseEasTime(e.ChildText(cal::kExceptionStartTime));
    if (e.tag == cal::kException && start && *start == instance) return e;
  }
  wbxml::Element e;
  e.tag = cal::kException;
  SetChild(e, cal::kExceptionStartTime, convert::CompactUtc(instance));
  list->children.push_back(std::move(e));
  return list->children.back();
}

void MarkReceived(const storage::UserRecord& user, bool response_requested, wbxml::Element& app) {
  SetChild(app, cal::kMeetingStatus, kMeetingReceived);
  SetChild(app, cal::kBusyStatus, kBusyTentative);
  SetChild(app, cal::kResponseType, kResponseNotResponded);
  SetChild(app, cal::kResponseRequested, response_requested ? 1 : 0);
  if (wbxml::Element* me = AttendeeOf(user, app)) {
    SetChild(*me, cal::kAttendeeStatus, kResponseNotResponded);
  }
}

}  // namespace eas::core::mail
