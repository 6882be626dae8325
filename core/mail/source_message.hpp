// The stored message a SmartReply or SmartForward names: read from the
// store, turned into what the new message takes from it, and marked
// afterwards with what was done to it (Email2:LastVerbExecuted).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/mail/mail_item.hpp"
#include "core/mail/source_additions.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::mail {

struct SourceMessage {
  storage::FolderId folder = 0;
  storage::ItemId item = 0;
  MailItem mail;    // the record made at delivery and the device-set state
  std::string raw;  // the original bytes (a forward's attachments are sliced from them)
};

// The message in the caller's transaction; the caller has checked that
// the user may read the folder. NotFound (with a reason for the log) when
// there is no such item, it is no mail message, or its bytes are gone.
Result<SourceMessage> ReadSourceMessage(storage::Txn& txn, storage::FolderId folder,
                                        storage::ItemId item);

enum class SourceUse : uint8_t { kReply, kForward };

// In-Reply-To (a reply only) and References from the original's
// Message-ID, References and In-Reply-To; unless `whole_message_sent`
// (ReplaceMime: the client's MIME already holds what it wants), the
// original quoted in plain text and HTML, and for a forward its
// attachments (as a device lists them: every part but the text and HTML
// bodies). kInvalidArgument when the record does not fit the bytes.
Result<SourceAdditions> AdditionsFrom(const SourceMessage& source, SourceUse use,
                                      bool whole_message_sent);

// The verb a device is shown on the original: forward; reply to all when
// the reply goes to someone the original was sent to (To or Cc) besides
// the user (`own` holds the user's addresses) and its sender; else reply
// to the sender.
LastVerb VerbFor(SourceUse use, const MessageRecord& original,
                 const std::vector<std::string>& recipients,
                 const std::vector<std::string>& own);

// Records the verb and its time on the stored message, a change every
// device syncing its folder is sent. NotFound when it went meanwhile.
Status MarkSource(storage::Txn& txn, storage::FolderId folder, storage::ItemId item,
                  LastVerb verb, uint64_t now);

}  // namespace eas::core::mail
