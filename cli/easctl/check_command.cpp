// easctl check: the store's consistency check (storage/store_check.hpp),
// read-only, in one snapshot, so it may run while nginx serves. One line
// per problem, then a summary; the exit status says which (0 clean, 1
// problems, 2 the store could not be opened or read).
#include <iostream>

#include "cli/easctl/commands.hpp"
#include "core/sync_state_reader.hpp"
#include "storage/store_check.hpp"

namespace eas::cli {

int StoreCheck(const Args& a) {
  storage::OpenOptions options;
  options.create = false;  // a check never makes a store where there was none
  auto store = storage::Store::Open(a.store, options);
  if (!store.ok()) {
    std::cerr << "easctl: check: " << store.status().message() << "\n";
    return 2;
  }
  auto report = (*store)->Check(core::SyncStateReader());
  if (!report.ok()) {
    std::cerr << "easctl: check: " << report.status().message() << "\n";
    return 2;
  }
  for (const storage::CheckProblem& p : report->problems) {
    std::cout << "problem: " << p.db << " " << p.key << ": " << p.what << "\n";
  }
  std::cout << (report->problems.empty() ? "store is consistent" : "store has problems") << ": "
            << report->problems.size() << " problem(s) in " << report->users << " users, "
            << report->folders << " folders, " << report->items << " items, "
            << report->log_entries << " change log entries, " << report->blobs << " blobs, "
            << report->devices << " devices, " << report->sync_states << " sync states ("
            << report->stale_sync_states << " of folders gone), " << report->outgoing
            << " queued messages\n";
  return report->problems.empty() ? 0 : 1;
}

}  // namespace eas::cli
