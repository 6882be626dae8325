// Calendar (MS-ASCAL): a FilterType window of the past (events that ended
// before it and do not recur are not sent), 16.x changes and deletes of
// one occurrence of a series by InstanceId, the properties a Change
// leaves alone (ghosted), and the invitations, updates and cancellations
// of the meetings the user organizes.
#include <algorithm>
#include <charconv>
#include <vector>

#include "core/items/element_versions.hpp"
#include "core/items/event_shapes.hpp"
#include "core/items/item_class.hpp"
#include "core/items/item_data.hpp"
#include "core/mail/meeting_organizer.hpp"
#include "core/wbxml/tag.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::items {
namespace {

// "20261124T101500Z" (EAS compact UTC) → unix seconds; 0 when unreadable.
uint64_t ParseCompactUtc(std::string_view t) {
  if (t.size() < 16 || t[8] != 'T') return 0;
  auto num = [&](size_t at, size_t len) {
    int v = 0;
    std::from_chars(t.data() + at, t.data() + at + len, v);
    return v;
  };
  int y = num(0, 4), m = num(4, 2), d = num(6, 2);
  // days from civil (Howard Hinnant's algorithm)
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 +
                 static_cast<unsigned>(d) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = int64_t{era} * 146097 + static_cast<int64_t>(doe) - 719468;
  int64_t secs = days * 86400 + num(9, 2) * 3600 + num(11, 2) * 60 + num(13, 2);
  return secs > 0 ? static_cast<uint64_t>(secs) : 0;
}

// MS-ASCAL 2.2.2.22: a 16.x client changes one occurrence by InstanceId
// (no Exceptions in the request): the series' Exception for that instance
// becomes `fields` (the changed properties), or, without, a deleted
// occurrence.
Result<std::string> WithOccurrence(std::string_view series_data, std::string_view instance,
                                   const wbxml::Element* fields) {
  static const wbxml::Tag kExceptions = wbxml::TagNamed(wbxml::Page::kCalendar, "Exceptions");
  static const wbxml::Tag kException = wbxml::TagNamed(wbxml::Page::kCalendar, "Exception");
  static const wbxml::Tag kDeleted = wbxml::TagNamed(wbxml::Page::kCalendar, "Exception_Deleted");
  static const wbxml::Tag kStart = wbxml::TagNamed(wbxml::Page::kCalendar, "Exception_StartTime");
  namespace base = wbxml::tags::base;
  auto series = DecodeItemData(series_data);
  if (!series.ok()) return series.status();
  wbxml::Element* exceptions = nullptr;
  for (auto& c : series->children) {
    if (c.tag == kExceptions) exceptions = &c;
  }
  if (exceptions == nullptr) {
    series->children.push_back(wbxml::Element{kExceptions, "", false, {}});
    exceptions = &series->children.back();
  }
  std::erase_if(exceptions->children, [&](const wbxml::Element& e) {
    return e.ChildText(base::kInstanceId) == instance || e.ChildText(kStart) == instance;
  });
  wbxml::Element exception{kException, "", false, {}};
  exception.children.push_back(wbxml::Element{base::kInstanceId, std::string(instance), false, {}});
  if (fields == nullptr) {
    exception.children.push_back(wbxml::Element{kDeleted, "1", false, {}});
  } else {
    for (const auto& f : fields->children) exception.children.push_back(f);
  }
  exceptions->children.push_back(std::move(exception));
  StoreEventShapes(*series);
  return EncodeItemData(*series);
}

constexpr int kVersion16 = 160;

// The Calendar properties a client may name in Supported (MS-ASCMD
// 2.2.3.179; the GhostingProps group of Calendar.xsd), spelled as libwbxml
// spells them (TimeZone, DTStamp, Organizer_Email, Organizer_Name).
std::vector<wbxml::Tag> GhostableTags() {
  std::vector<wbxml::Tag> tags;
  for (const char* name :
       {"TimeZone", "AllDayEvent", "BusyStatus", "Organizer_Name", "Organizer_Email", "DTStamp",
        "EndTime", "Location", "Reminder", "Sensitivity", "Subject", "StartTime", "UID",
        "MeetingStatus", "Attendees", "Categories", "Recurrence", "Exceptions",
        "DisallowNewTimeProposal", "ResponseRequested"}) {
    tags.push_back(wbxml::TagNamed(wbxml::Page::kCalendar, name));
  }
  return tags;
}

class CalendarItems final : public ItemClass {
 public:
  // 2.5's alendar Body, BodyTruncated.
  const LegacyBodyTags* LegacyBody() const override {
    static const LegacyBodyTags kTags{wbxml::TagNamed(wbxml::Page::kCalendar, "Body"),
                                      wbxml::TagNamed(wbxml::Page::kCalendar, "BodyTruncated"),
                                      std::nullopt};
    return &kTags;
  }
  // MS-ASCAL 3.1.5.3: from 16.0 every top-level property a Change does not
  // carry is ghosted (a 16.x client clears one by sending it empty); up
  // to 14.1 the client's Supported decides, as for contacts.
  bool KeepsAbsent(wbxml::Tag tag, const ChangeRules& rules) const override {
    if (rules.version >= kVersion16) return true;
    static const std::vector<wbxml::Tag> kGhostable = GhostableTags();
    // A 16.x client's Location is the place a 14.1 one knows as
    // calendar:Location: they stay or go together.
    static const wbxml::Tag kLocation = wbxml::TagNamed(wbxml::Page::kCalendar, "Location");
    if (tag == wbxml::tags::base::kLocation) tag = kLocation;
    return rules.Ghosts(tag) &&
           std::find(kGhostable.begin(), kGhostable.end(), tag) != kGhostable.end();
  }

  // 4 two weeks, 5 one month, 6 three months, 7 six months back.
  uint64_t FilterCutoff(int filter_type, uint64_t now) const override {
    constexpr uint64_t kDay = 86400;
    uint64_t keep = 0;
    switch (filter_type) {
      case 4: keep = 14 * kDay; break;
      case 5: keep = 31 * kDay; break;
      case 6: keep = 92 * kDay; break;
      case 7: keep = 183 * kDay; break;
      default: return 0;
    }
    return now > keep ? now - keep : 0;
  }

  // Ended before the cutoff and not recurring.
  bool OutsideWindow(std::string_view data, uint64_t, uint64_t cutoff) const override {
    static const wbxml::Tag kEndTime = wbxml::TagNamed(wbxml::Page::kCalendar, "EndTime");
    static const wbxml::Tag kRecurrence = wbxml::TagNamed(wbxml::Page::kCalendar, "Recurrence");
    if (cutoff == 0) return false;
    auto app = DecodeItemData(data);
    if (!app.ok() || app->Has(kRecurrence)) return false;
    uint64_t end = ParseCompactUtc(app->ChildText(kEndTime));
    return end != 0 && end < cutoff;
  }

  void ToStoredShape(wbxml::Element& application_data) const override {
    ItemClass::ToStoredShape(application_data);
    StoreEventShapes(application_data);
  }

  // Every reader: the place and exceptions differ between versions, and
  // many elements are 12.0's, 14.0's, 14.1's or 16.0's (MS-ASCAL 2.2.2).
  bool DecodesToRender(const RenderOptions&) const override { return true; }
  bool ElementsVaryByVersion() const override { return true; }
  void ShapeFor(wbxml::Element& app, const RenderOptions& options) const override {
    ShapeEventFor(app, options.version);
    DropUnknownElements(app, options.version);
  }

  Result<std::string> ApplyChange(std::string_view stored, const wbxml::Element& application_data,
                                  std::string_view instance_id,
                                  const ChangeRules& rules) const override {
    if (instance_id.empty() && rules.version >= kVersion16) {
      auto old = DecodeItemData(stored);
      if (!old.ok()) return old.status();
      wbxml::Element change = application_data;
      StoreAllDayFrom16(change, *old);
      return ItemClass::ApplyChange(stored, change, instance_id, rules);
    }
    if (instance_id.empty()) {
      return ItemClass::ApplyChange(stored, application_data, instance_id, rules);
    }
    return WithOccurrence(stored, instance_id, &application_data);
  }

  Result<std::optional<std::string>> ApplyDelete(std::string_view stored,
                                                 std::string_view instance_id) const override {
    if (instance_id.empty()) return std::optional<std::string>();
    auto merged = WithOccurrence(stored, instance_id, nullptr);
    if (!merged.ok()) return merged.status();
    return std::optional<std::string>(std::move(merged).value());
  }

  Status OnClientWrite(storage::Txn& txn, const storage::UserRecord& user, std::string_view before,
                       uint64_t before_blob, storage::ItemRecord* item, uint64_t now,
                       std::vector<std::string>* notes) const override {
    return mail::NotifyAttendees(txn, user, before, before_blob, item, now, notes);
  }
};

}  // namespace

const ItemClass& CalendarClass() {
  static const CalendarItems kClass;
  return kClass;
}

}  // namespace eas::core::items
