// What a stored out-of-office setting (storage::OofRecord) means: the
// states of MS-ASCMD Settings Oof (2.2.3.120 OofState) and the audiences
// a reply message applies to.
#pragma once

#include <cstdint>

#include "storage/records.hpp"

namespace eas::core::mail {

enum OofState : uint8_t { kOofDisabled = 0, kOofGlobal = 1, kOofTimeBased = 2 };

// Who the sender of a message is to the user: a user of this box, someone
// in the user's contacts, anyone else.
enum class OofAudience : uint8_t { kInternal, kExternalKnown, kExternalUnknown };

// RFC 3834 (section 2): "at most once ... per sender ... within a period
// of several days"; it suggests seven.
inline constexpr uint64_t kAutoReplyInterval = 7 * 86400;

// Whether replies go out at `now`: on, or time-based with start <= now < end.
inline bool OofActive(const storage::OofRecord& oof, uint64_t now) {
  if (oof.state == kOofGlobal) return true;
  return oof.state == kOofTimeBased && oof.start <= now && now < oof.end;
}

inline const storage::OofMessage& OofMessageFor(const storage::OofRecord& oof,
                                                OofAudience audience) {
  switch (audience) {
    case OofAudience::kInternal: return oof.internal;
    case OofAudience::kExternalKnown: return oof.external_known;
    default: return oof.external_unknown;
  }
}

}  // namespace eas::core::mail
