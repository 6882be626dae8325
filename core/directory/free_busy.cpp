#include "core/directory/free_busy.hpp"

#include <algorithm>

#include "core/convert/event_occurrences.hpp"
#include "core/folder_type.hpp"
#include "core/items/item_data.hpp"
#include "storage/store.hpp"

namespace eas::core::directory {
namespace {

constexpr size_t kPage = 256;

// Which digit an occurrence writes, and how busy it is (higher wins).
// Working elsewhere (BusyStatus 4) has no MergedFreeBusy digit: the person
// can be met, so it counts as free.
char Digit(int busy_status) {
  switch (busy_status) {
    case 1: return '1';
    case 2: return '2';
    case 3: return '3';
    default: return '0';
  }
}

}  // namespace

Result<std::string> MergedFreeBusy(storage::Txn& txn, const storage::UserRecord& user,
                                   int64_t start, int64_t end) {
  const size_t slots = static_cast<size_t>((end - start + kFreeBusySlot - 1) / kFreeBusySlot);
  std::string merged(slots, '0');
  auto folders = txn.VisibleFolders(user.id);
  if (!folders.ok()) return folders.status();
  for (const storage::FolderRecord& folder : *folders) {
    if (folder.owner != user.id ||
        (folder.type != folder_type::kCalendar && folder.type != folder_type::kUserCalendar)) {
      continue;
    }
    storage::ItemId after = 0;
    for (;;) {
      auto items = txn.ItemsAfter(folder.id, after, kPage);
      if (!items.ok()) return items.status();
      for (const storage::ItemRecord& item : *items) {
        after = item.id;
        auto app = items::DecodeItemData(item.data);
        if (!app.ok()) continue;  // a corrupt item keeps nobody busy
        auto occurrences = convert::EventOccurrences(*app, start, end);
        if (!occurrences.ok()) continue;
        for (const convert::Occurrence& o : *occurrences) {
          const char digit = Digit(o.busy_status);
          if (digit == '0') continue;
          size_t first = o.start <= start ? 0 : static_cast<size_t>((o.start - start) / kFreeBusySlot);
          // An instant (end == start) still marks the slot it falls in.
          int64_t last_second = std::max(o.end, o.start + 1) - 1;
          size_t last = static_cast<size_t>((std::min(last_second, end - 1) - start) / kFreeBusySlot);
          for (size_t i = first; i <= last && i < slots; ++i) merged[i] = std::max(merged[i], digit);
        }
      }
      if (items->size() < kPage) break;
    }
  }
  return merged;
}

}  // namespace eas::core::directory
