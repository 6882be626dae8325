// How a message is kept as an item of a mail folder: what a device may
// change (Read, Flag, Categories, the last reply/forward) next to the
// record made once at delivery (mime_record.hpp). The original bytes are
// the item's blob (storage::ItemRecord::blob), shared by its copies.
// A flag change rewrites this and never the message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/mail/mime_record.hpp"

namespace eas::core::mail {

// MS-ASEMAIL's Email2:LastVerbExecuted.
enum class LastVerb : uint8_t { kNone = 0, kReplyToSender = 1, kReplyToAll = 2, kForward = 3 };

struct MailState {
  bool read = false;
  // The Flag element's children as a device sent them (WBXML tokens,
  // core/items/item_data.hpp), empty when the message is not flagged;
  // other devices get them back as they were.
  std::string flag;
  std::vector<std::string> categories;
  LastVerb last_verb = LastVerb::kNone;
  uint64_t last_verb_time = 0;  // unix seconds
  // A draft a 16.x client wrote (core/mail/draft.hpp): its Bcc, which the
  // record does not keep, goes back to the devices with Email2:IsDraft.
  bool draft = false;
  std::string bcc;  // the Bcc list as the client wrote it; drafts only
  bool operator==(const MailState&) const = default;
};

struct MailItem {
  MailState state;
  MessageRecord message;
  bool operator==(const MailItem&) const = default;
};

// The same with the record as views into the stored bytes (mime_record.hpp).
struct MailItemView {
  MailState state;
  MessageView message;
};

std::string EncodeMailItem(const MailItem& item);
// kInvalidArgument for bytes that are not a mail item.
Result<MailItem> DecodeMailItem(std::string_view bytes);
// The same into *out, its record viewing `bytes`, which must outlive it.
Status DecodeMailItem(std::string_view bytes, MailItemView* out);
// Only the state (a flag change decodes no more than it rewrites).
Result<MailState> DecodeMailState(std::string_view bytes);
// The state replaced, the record kept as its bytes.
Result<std::string> ReplaceMailState(std::string_view bytes, const MailState& state);

}  // namespace eas::core::mail
