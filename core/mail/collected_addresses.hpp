// The addresses a user wrote to (MS-ASCMD ResolveRecipients' "recipient
// cache"): every recipient of a message the user sends from a device,
// with the name last written with it, how often and when last. Kept as
// items of the user's hidden "Collected Addresses" folder
// (core/default_folders.hpp), which is never offered to devices; item
// time is the last use, so the newest are found by the time index.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/mail/mime_record.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::mail {

struct CollectedAddress {
  std::string address;     // as last written
  std::string name;        // display name last written with it; may be empty
  uint64_t count = 0;      // messages sent to it
  uint64_t last_used = 0;  // unix seconds
};

// The most kept per user: writing to a new address beyond it forgets the
// one used longest ago (recording scans them all, so this bounds its cost).
inline constexpr size_t kMaxCollectedAddresses = 1000;

// Records that the user wrote to each mailbox at `now` (addresses equal in
// any letter case are one; a mailbox without an address is skipped), in
// the caller's write transaction. A user without the folder (a store from
// before it existed) gets it.
Status CollectAddresses(storage::Txn& txn, const storage::UserRecord& user,
                        const std::vector<Address>& written_to, uint64_t now);

// The user's collected addresses, most written to first (then the most
// recent); empty when there are none or no folder.
Result<std::vector<CollectedAddress>> CollectedAddresses(storage::Txn& txn,
                                                         storage::UserId user);

}  // namespace eas::core::mail
