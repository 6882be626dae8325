// Calendar ApplicationData → VEVENT(s). See icalendar.hpp.
#include <ctime>
#include <optional>

#include "core/convert/eas_time.hpp"
#include "core/convert/element_util.hpp"
#include "core/convert/ical_export.hpp"
#include "core/convert/ical_recurrence.hpp"
#include "core/convert/ical_zone.hpp"
#include "core/convert/tags.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::convert {
namespace {

namespace cal = tags::calendar;
using wbxml::Element;
using wbxml::Tag;

constexpr int64_t kDay = 86400;

std::optional<int> Number(const Element& e, Tag t) {
  std::string_view text = e.ChildText(t);
  if (text.empty() || text.size() > 9) return std::nullopt;
  int v = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

void Add(icalcomponent* c, icalproperty* p) { icalcomponent_add_property(c, p); }

// What a modified instance looks like: the master's fields with the
// exception's in their place (an iCalendar override repeats everything).
Element Merge(const Element& master, const Element& exception, int64_t original) {
  Element out = Node(wbxml::tags::airsync::kApplicationData);
  for (const Element& c : master.children) {
    if (c.tag == cal::kRecurrence || c.tag == cal::kExceptions) continue;
    const Element* replaced = exception.Child(c.tag);
    out.children.push_back(replaced != nullptr ? *replaced : c);
  }
  for (const Element& c : exception.children) {
    if (c.tag == cal::kDeleted || c.tag == cal::kExceptionStartTime || master.Has(c.tag)) continue;
    out.children.push_back(c);
  }
  // Without times of its own the instance keeps its slot and length.
  if (!exception.Has(cal::kStartTime)) {
    auto start = ParseEasTime(master.ChildText(cal::kStartTime));
    auto end = ParseEasTime(master.ChildText(cal::kEndTime));
    int64_t length = start && end ? *end - *start : 0;
    for (Element& c : out.children) {
      if (c.tag == cal::kStartTime) c.text = CompactUtc(original);
      if (c.tag == cal::kEndTime && !exception.Has(cal::kEndTime)) {
        c.text = CompactUtc(original + length);
      }
    }
  }
  return out;
}

class EventWriter {
 public:
  EventWriter(const Element& app, ExportZones* zones) : app_(app), zones_(zones) {}

  Status Write(std::string_view fallback_uid, std::vector<ComponentPtr>* events) {
    auto start = ParseEasTime(app_.ChildText(cal::kStartTime));
    if (!start) return Status::Invalid("the event has no readable StartTime");
    TimeZoneInfo info = DecodeTimeZone(app_.ChildText(cal::kTimeZone)).value_or(TimeZoneInfo{});
    int64_t local = *start + info.StandardOffset() * 60;
    int year = CivilFromDays(local / kDay - (local % kDay < 0)).year;
    zone_ = zones_->For(info, year);
    all_day_ = app_.ChildText(cal::kAllDayEvent) == "1";
    if (all_day_) zones_->NoteAllDay(zone_);
    uid_ = TextOf(app_, cal::kUID);
    if (uid_.empty()) uid_ = std::string(fallback_uid);

    ComponentPtr master = VEvent(app_, std::nullopt);
    if (const Element* recurrence = app_.Child(cal::kRecurrence)) {
      auto rule = RuleFromRecurrence(*recurrence, Zone(), all_day_);
      if (!rule.ok()) return rule.status();
      Add(master.get(), icalproperty_new_rrule(icalrecurrencetype_from_string(rule->c_str())));
    }
    std::vector<ComponentPtr> overrides;
    if (const Element* exceptions = app_.Child(cal::kExceptions)) {
      for (const Element* e : exceptions->Children(cal::kException)) {
        auto original = ParseEasTime(e->ChildText(cal::kExceptionStartTime));
        if (!original) continue;
        if (e->ChildText(cal::kDeleted) == "1") {
          Add(master.get(), Time(ICAL_EXDATE_PROPERTY, *original, all_day_));
        } else {
          overrides.push_back(VEvent(Merge(app_, *e, *original), *original));
        }
      }
    }
    events->push_back(std::move(master));
    for (ComponentPtr& o : overrides) events->push_back(std::move(o));
    return Status::Ok();
  }

 private:
  icaltimezone* Zone() const {
    return zone_.zone != nullptr ? zone_.zone : icaltimezone_get_utc_timezone();
  }

  // A DATE, a UTC DATE-TIME, or a local DATE-TIME with TZID.
  icalproperty* Time(icalproperty_kind kind, int64_t utc, bool date) const {
    icalproperty* p = icalproperty_new(kind);
    if (date) {
      icalproperty_set_value(p, icalvalue_new_date(FromUnix(utc, Zone(), true)));
    } else if (zone_.zone == nullptr) {
      icalproperty_set_value(p, icalvalue_new_datetime(icaltime_from_timet_with_zone(
                                    static_cast<time_t>(utc), 0, icaltimezone_get_utc_timezone())));
    } else {
      icalproperty_set_value(p, icalvalue_new_datetime(FromUnix(utc, zone_.zone, false)));
      icalproperty_add_parameter(p, icalparameter_new_tzid(zone_.tzid.c_str()));
    }
    return p;
  }

  ComponentPtr VEvent(const Element& f, std::optional<int64_t> recurrence_id) const {
    ComponentPtr c(icalcomponent_new(ICAL_VEVENT_COMPONENT));
    icalcomponent* e = c.get();
    Add(e, icalproperty_new_uid(uid_.c_str()));
    int64_t stamp = ParseEasTime(f.ChildText(cal::kDTStamp)).value_or(std::time(nullptr));
    Add(e, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
               static_cast<time_t>(stamp), 0, icaltimezone_get_utc_timezone())));
    if (recurrence_id) Add(e, Time(ICAL_RECURRENCEID_PROPERTY, *recurrence_id, all_day_));

    bool all_day = f.ChildText(cal::kAllDayEvent) == "1";
    int64_t start = ParseEasTime(f.ChildText(cal::kStartTime)).value_or(0);
    int64_t end = ParseEasTime(f.ChildText(cal::kEndTime)).value_or(start);
    if (all_day && end < start + kDay) end = start + kDay;  // a date lasts a day at least
    Add(e, Time(ICAL_DTSTART_PROPERTY, start, all_day));
    Add(e, Time(ICAL_DTEND_PROPERTY, end, all_day));

    if (f.Has(cal::kSubject)) Add(e, icalproperty_new_summary(TextOf(f, cal::kSubject).c_str()));
    if (f.Has(cal::kLocation)) {
      Add(e, icalproperty_new_location(TextOf(f, cal::kLocation).c_str()));
    }
    if (const Element* body = f.Child(tags::base::kBody)) {
      std::string text = PlainBodyText(*body);
      if (!text.empty()) Add(e, icalproperty_new_description(text.c_str()));
    }
    if (f.Has(cal::kOrganizerEmail)) {
      std::string mailto = "mailto:" + TextOf(f, cal::kOrganizerEmail);
      icalproperty* org = icalproperty_new_organizer(mailto.c_str());
      if (f.Has(cal::kOrganizerName)) {
        icalproperty_add_parameter(org, icalparameter_new_cn(TextOf(f, cal::kOrganizerName).c_str()));
      }
      Add(e, org);
    }
    if (const Element* attendees = f.Child(cal::kAttendees)) {
      for (const Element* a : attendees->Children(cal::kAttendee)) Add(e, AttendeeProperty(*a));
    }
    if (const Element* cats = f.Child(cal::kCategories)) {
      for (const Element* cat : cats->Children(cal::kCategory)) {
        Add(e, icalproperty_new_categories(cat->text.c_str()));
      }
    }
    if (auto busy = Number(f, cal::kBusyStatus)) {
      Add(e, icalproperty_new_transp(*busy == 0 ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE));
      static const char* kCdo[] = {"FREE", "TENTATIVE", "BUSY", "OOF", "WORKINGELSEWHERE"};
      icalproperty* x = icalproperty_new_x(kCdo[*busy <= 4 ? *busy : 2]);
      icalproperty_set_x_name(x, "X-MICROSOFT-CDO-BUSYSTATUS");
      Add(e, x);
    }
    if (auto sensitivity = Number(f, cal::kSensitivity)) {
      // iCalendar has no "personal" (1): it is private too.
      Add(e, icalproperty_new_class(*sensitivity == 0   ? ICAL_CLASS_PUBLIC
                                    : *sensitivity == 3 ? ICAL_CLASS_CONFIDENTIAL
                                                        : ICAL_CLASS_PRIVATE));
    }
    if (auto reminder = Number(f, cal::kReminder)) {
      icalcomponent* alarm = icalcomponent_new(ICAL_VALARM_COMPONENT);
      icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
      icalcomponent_add_property(alarm, icalproperty_new_description("Reminder"));
      icaltriggertype trigger{};
      trigger.time = icaltime_null_time();
      trigger.duration = icaldurationtype_from_int(-*reminder * 60);
      icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
      icalcomponent_add_component(e, alarm);
    }
    return c;
  }

  static icalproperty* AttendeeProperty(const Element& a) {
    std::string mailto = "mailto:" + TextOf(a, cal::kAttendeeEmail);
    icalproperty* p = icalproperty_new_attendee(mailto.c_str());
    std::string name = TextOf(a, cal::kAttendeeName);
    if (!name.empty() && name != TextOf(a, cal::kAttendeeEmail)) {
      icalproperty_add_parameter(p, icalparameter_new_cn(name.c_str()));
    }
    if (auto status = Number(a, cal::kAttendeeStatus)) {
      icalparameter_partstat ps = *status == 2   ? ICAL_PARTSTAT_TENTATIVE
                                  : *status == 3 ? ICAL_PARTSTAT_ACCEPTED
                                  : *status == 4 ? ICAL_PARTSTAT_DECLINED
                                  : *status == 5 ? ICAL_PARTSTAT_NEEDSACTION
                                                 : ICAL_PARTSTAT_NONE;
      if (ps != ICAL_PARTSTAT_NONE) icalproperty_add_parameter(p, icalparameter_new_partstat(ps));
    }
    int type = Number(a, cal::kAttendeeType).value_or(1);
    if (type == 3) {
      icalproperty_add_parameter(p, icalparameter_new_cutype(ICAL_CUTYPE_RESOURCE));
    } else {
      icalproperty_add_parameter(p, icalparameter_new_role(
                                        type == 2 ? ICAL_ROLE_OPTPARTICIPANT
                                                  : ICAL_ROLE_REQPARTICIPANT));
    }
    return p;
  }

  const Element& app_;
  ExportZones* zones_;
  ExportZones::Zone zone_;
  bool all_day_ = false;
  std::string uid_;
};

}  // namespace

Status EventToICal(const Element& application_data, std::string_view fallback_uid,
                   ExportZones* zones, std::vector<ComponentPtr>* events) {
  InitLibical();
  return EventWriter(application_data, zones).Write(fallback_uid, events);
}

}  // namespace eas::core::convert
