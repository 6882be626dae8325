// Out of office at delivery: once a message is stored for a user whose
// Oof is on (core/mail/oof.hpp), the user's reply goes to the envelope
// sender, in the delivery's own write transaction — to the sender's Inbox
// when the sender is a user of this box, else into the outgoing queue with
// a null envelope sender (RFC 3834 3.3: nothing bounces back to it).
// RFC 3834's rules (auto_reply_rules.hpp) and "once per sender per
// kAutoReplyInterval" (remembered in the store, forgotten when Oof is set
// again) decide whether one goes.
//
// Who is "internal": a sender that names a user of this box. Every other
// sender is "external unknown": the user's contacts are not searched, so
// AppliesToExternalKnown's message is kept and shown but never sent (the
// safe side: a user who answers only known senders answers no outsider).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.hpp"
#include "core/mail/delivery.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::mail {

// After StoreMessage stored `message` for `user` as new. Answers a line
// for the delivery log ("" when the user's Oof is off: nothing to say).
// Fails only for a store error, which dooms the transaction anyway;
// everything else (an address too long to remember, a local sender without
// an Inbox) is said in the line and the delivery goes on.
Result<std::string> AnswerWhileAway(storage::Txn& txn, const storage::UserRecord& user,
                                    const PreparedMessage& message,
                                    std::string_view envelope_sender, uint64_t now);

}  // namespace eas::core::mail
