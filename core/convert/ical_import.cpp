// An iCalendar file → events: its components are cut apart by line first,
// so each gets its line number and a broken one costs only itself; then
// libical parses each, VTIMEZONEs before the events that name them.
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <map>

#include "core/convert/ical_import.hpp"
#include "core/convert/ical_zone.hpp"
#include "core/convert/icalendar.hpp"
#include "core/convert/text_lines.hpp"

namespace eas::core::convert {
namespace {

struct Block {
  int line = 0;
  std::string kind;  // VEVENT, VTIMEZONE, VTODO, ...
  std::string text;
  std::string error;
};

struct CalendarFile {
  std::vector<Block> blocks;
  std::string default_tzid;  // X-WR-TIMEZONE
  std::string method;        // METHOD
};

// "BEGIN:VEVENT" → ("BEGIN", "VEVENT"), case-insensitive, trimmed.
bool Marker(std::string_view line, const char* what, std::string* name) {
  size_t n = std::strlen(what);
  if (line.size() <= n || strncasecmp(line.data(), what, n) != 0) return false;
  std::string v(line.substr(n));
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
  for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  *name = v;
  return true;
}

CalendarFile Split(std::string_view text) {
  CalendarFile file;
  std::vector<std::string> stack;  // open components
  bool capturing = false;
  int number = 0;
  while (!text.empty()) {
    std::string_view line = TakeLine(&text);
    ++number;
    std::string name;
    if (Marker(line, "BEGIN:", &name)) {
      bool top = stack.empty() || (stack.size() == 1 && stack[0] == "VCALENDAR");
      if (top && name != "VCALENDAR") {
        file.blocks.push_back({number, name, {}, {}});
        capturing = true;
      }
      stack.push_back(name);
    } else if (Marker(line, "END:", &name)) {
      if (stack.empty() || stack.back() != name) {
        if (capturing) {
          file.blocks.back().error = "line " + std::to_string(number) + ": END:" + name +
                                     " does not close BEGIN:" +
                                     (stack.empty() ? std::string("VCALENDAR") : stack.back());
        }
        // Resynchronise at the calendar level.
        while (!stack.empty() && stack.back() != "VCALENDAR") stack.pop_back();
        capturing = false;
        continue;
      }
      stack.pop_back();
      if (capturing) file.blocks.back().text.append(line).append("\r\n");
      if (capturing && (stack.empty() || (stack.size() == 1 && stack[0] == "VCALENDAR"))) {
        capturing = false;
      }
      continue;
    } else if (!capturing && stack.size() == 1 &&
               Marker(line, "X-WR-TIMEZONE:", &name)) {
      file.default_tzid = std::string(line.substr(14));
    } else if (!capturing && stack.size() == 1 && Marker(line, "METHOD:", &name)) {
      file.method = name;  // upper case, trimmed
    }
    if (capturing) file.blocks.back().text.append(line).append("\r\n");
  }
  if (capturing && file.blocks.back().error.empty()) {
    file.blocks.back().error = "no END:" + file.blocks.back().kind;
  }
  return file;
}

}  // namespace

ParsedCalendar ParseCalendar(std::string_view text) {
  InitLibical();
  ParsedCalendar out;
  CalendarFile file = Split(text);
  out.method = file.method;
  for (Block& b : file.blocks) {
    if (!b.error.empty()) {
      out.skipped.push_back({b.line, b.kind + ": " + b.error});
    } else if (b.kind == "VTIMEZONE") {
      ComponentPtr c = ParseComponent(b.text);
      if (!c || !out.zones.Add(std::move(c))) {
        out.skipped.push_back({b.line, "VTIMEZONE that libical cannot use"});
      }
    } else if (b.kind == "VEVENT") {
      ComponentPtr c = ParseComponent(b.text);
      if (!c || icalcomponent_isa(c.get()) != ICAL_VEVENT_COMPONENT) {
        out.skipped.push_back({b.line, "VEVENT that libical cannot parse"});
      } else {
        out.events.push_back({b.line, std::move(c)});
      }
    } else {
      out.others.push_back({b.line, b.kind});
    }
  }
  out.default_zone = {icaltimezone_get_utc_timezone(), "UTC"};
  if (!file.default_tzid.empty()) {
    if (auto zone = out.zones.Find(file.default_tzid)) out.default_zone = *zone;
  }
  return out;
}

ConvertReport EventsFromICalendar(std::string_view text, const CalendarImportOptions& options) {
  ParsedCalendar parsed = ParseCalendar(text);
  ConvertReport report;
  report.skipped = std::move(parsed.skipped);
  for (const SkippedEntry& o : parsed.others) {
    report.skipped.push_back(
        {o.line, o.reason + " is not an event; only events import into a calendar"});
  }
  std::stable_sort(report.skipped.begin(), report.skipped.end(),
                   [](const SkippedEntry& a, const SkippedEntry& b) { return a.line < b.line; });
  std::vector<ParsedEvent>& events = parsed.events;

  EventImportContext context;
  context.zones = &parsed.zones;
  context.owner_addresses = options.owner_addresses;
  context.now = options.now != 0 ? options.now : static_cast<int64_t>(std::time(nullptr));
  context.default_zone = parsed.default_zone;

  // Overrides (RECURRENCE-ID) join the master with their UID.
  std::map<std::string, size_t> master_of;
  std::vector<std::vector<icalcomponent*>> overrides(events.size());
  std::vector<bool> is_override(events.size(), false);
  for (size_t i = 0; i < events.size(); ++i) {
    icalcomponent* c = events[i].component.get();
    const char* uid = icalcomponent_get_uid(c);
    if (uid != nullptr && !icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY)) {
      master_of.emplace(uid, i);
    }
  }
  for (size_t i = 0; i < events.size(); ++i) {
    icalcomponent* c = events[i].component.get();
    const char* uid = icalcomponent_get_uid(c);
    if (uid == nullptr || !icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY)) {
      continue;
    }
    auto master = master_of.find(uid);
    if (master == master_of.end()) continue;  // an orphan stands as an event of its own
    overrides[master->second].push_back(c);
    is_override[i] = true;
  }

  for (size_t i = 0; i < events.size(); ++i) {
    if (is_override[i]) continue;
    ConvertedItem item;
    item.line = events[i].line;
    auto app = EventFromICal(events[i].component.get(), overrides[i], context, &item.warnings);
    if (!app.ok()) {
      report.skipped.push_back({item.line, app.status().message()});
      continue;
    }
    for (std::string& w : item.warnings) w = "line " + std::to_string(item.line) + ": " + w;
    item.application_data = std::move(*app);
    report.items.push_back(std::move(item));
  }
  return report;
}

}  // namespace eas::core::convert
