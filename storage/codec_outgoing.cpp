// The outgoing queue's record (codec.hpp describes the layout).
#include <utility>

#include "storage/codec.hpp"
#include "storage/field_codec.hpp"

namespace eas::storage {
namespace {

// Field tags. Never reuse or renumber a tag: old values still carry it.
enum OutgoingTag : uint8_t {
  kOutId = 1, kOutUser = 2, kOutSender = 3, kOutRecipient = 4, kOutMessage = 5,
  kOutQueuedAt = 6, kOutAttempts = 7, kOutNextAttempt = 8, kOutClaimedUntil = 9,
  kOutLastError = 10, kOutHeldUid = 11, kOutHeldRecurrenceId = 12,
};

}  // namespace

std::string EncodeOutgoing(const OutgoingRecord& r) {
  FieldWriter w;
  w.Reserve(r.message.size() + 256);
  w.Uint(kOutId, r.id);
  w.Uint(kOutUser, r.user);
  w.Bytes(kOutSender, r.sender);
  for (const std::string& rcpt : r.recipients) w.Bytes(kOutRecipient, rcpt);
  w.Uint(kOutQueuedAt, r.queued_at);
  w.Uint(kOutAttempts, r.attempts);
  w.Uint(kOutNextAttempt, r.next_attempt);
  w.Uint(kOutClaimedUntil, r.claimed_until);
  w.Bytes(kOutLastError, r.last_error);
  if (!r.held_uid.empty()) {
    w.Bytes(kOutHeldUid, r.held_uid);
    w.Uint(kOutHeldRecurrenceId, static_cast<uint64_t>(r.held_recurrence_id));
  }
  w.Bytes(kOutMessage, r.message);
  return std::move(w).Finish();
}

const char* DecodeOutgoing(std::string_view in, OutgoingRecord* out) {
  OutgoingRecord r;
  FieldReader reader(in);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    bool ok = true;
    switch (tag) {
      case kOutId: ok = ParseUint(v, &r.id); break;
      case kOutUser: ok = ParseUint(v, &r.user); break;
      case kOutSender: r.sender.assign(v); break;
      case kOutRecipient: r.recipients.emplace_back(v); break;
      case kOutMessage: r.message.assign(v); break;
      case kOutQueuedAt: ok = ParseUint(v, &r.queued_at); break;
      case kOutAttempts: ok = ParseUint(v, &r.attempts); break;
      case kOutNextAttempt: ok = ParseUint(v, &r.next_attempt); break;
      case kOutClaimedUntil: ok = ParseUint(v, &r.claimed_until); break;
      case kOutLastError: r.last_error.assign(v); break;
      case kOutHeldUid: r.held_uid.assign(v); break;
      case kOutHeldRecurrenceId: {
        uint64_t rid = 0;
        ok = ParseUint(v, &rid);
        r.held_recurrence_id = static_cast<int64_t>(rid);
        break;
      }
      default: break;
    }
    if (!ok) return "bad integer field";
  }
  if (reader.why() != nullptr) return reader.why();
  *out = std::move(r);
  return nullptr;
}

}  // namespace eas::storage
