// libFuzzer target for the calendar conversions whose input comes from
// outside: an .ics import (easctl import, and the iTIP part of a delivered
// invitation goes the same way) and a client's Calendar ApplicationData on
// its way to the stored form (Sync Add/Change). Every item must store,
// read back and go into an iCalendar export, which is imported again.
// Input: WBXML (first byte 0x03) is a client's document, anything else
// iCalendar text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/convert/icalendar.hpp"
#include "core/items/item_class.hpp"
#include "core/items/item_data.hpp"
#include "core/wbxml/decoder.hpp"
#include "fuzz/application_data.hpp"

namespace {

namespace convert = eas::core::convert;
namespace items = eas::core::items;
using eas::core::wbxml::Element;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "fuzz_ical: %s\n", what);
  std::abort();
}

// An event as the store keeps it, added to the export.
void StoreAndExport(const Element& application_data, convert::ICalendarWriter& out) {
  auto stored = items::DecodeItemData(items::EncodeItemData(application_data));
  if (!stored.ok()) Die("an event's stored form does not decode");
  (void)out.Add(*stored, "fuzz-uid");  // an event without a StartTime is refused
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  convert::CalendarImportOptions options;
  options.owner_addresses = {"alice@example.org"};
  options.now = 1700000000;
  convert::ICalendarWriter writer;
  if (eas::fuzz::LooksLikeWbxml(data, size)) {
    auto doc = eas::core::wbxml::Decode(in);
    if (!doc.ok()) return 0;
    std::vector<const Element*> found;
    eas::fuzz::CollectApplicationData(*doc, &found);
    const items::ItemClass& calendar = items::CalendarClass();
    for (const Element* sent : found) {
      if (!calendar.CheckFromClient(*sent).ok()) continue;  // Status 6, never stored
      Element app = *sent;
      calendar.ToStoredShape(app);
      StoreAndExport(app, writer);
    }
  } else {
    for (const convert::ConvertedItem& item : convert::EventsFromICalendar(in, options).items) {
      StoreAndExport(item.application_data, writer);
    }
  }
  (void)convert::EventsFromICalendar(writer.Finish(), options);
  return 0;
}
