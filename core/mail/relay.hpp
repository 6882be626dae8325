// The SMTP relay mail for other domains goes through (nginx config:
// eas_smtp_relay), and what one attempt to hand a message over came to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/log_line.hpp"

namespace eas::core::mail {

struct RelayOptions {
  std::string host;
  uint16_t port = 25;
  bool starttls = false;       // refuse to send without STARTTLS
  std::string user, password;  // AUTH when user is not empty
  uint64_t timeout_ms = 30000; // the whole transaction
  uint64_t retry_s = 60;       // first retry after this, doubling, at most an hour
  uint64_t give_up_s = 5 * 86400;  // a message still deferred then is returned
};

enum class SmtpOutcome : uint8_t {
  kSent,       // the transaction ended: every recipient not in `refused` has it
  kTransient,  // 4xx, no connection, a timeout: try again later
  kPermanent,  // 5xx: return it to the sender
};

// A recipient the relay refused at RCPT while others were taken (or
// while each was refused on its own).
struct RecipientRefusal {
  std::string address;
  long code = 0;     // 4xx: try again later; 5xx: return to the sender
  std::string text;  // the relay's reply line
};

// The relay's replies to those recipients, joined ("550 ...; 452 ..."):
// for the log, the queue's last error and a bounce.
std::string RefusalTexts(const std::vector<RecipientRefusal>& refused);

struct SmtpReply {
  SmtpOutcome outcome = SmtpOutcome::kTransient;
  long code = 0;     // the relay's last reply code; 0 when there was none
  std::string text;  // for the log and the bounce
  std::vector<RecipientRefusal> refused;  // with kSent only
};

// What one run over the outgoing queue did (core/mail/outgoing_queue).
struct QueueRun {
  size_t sent = 0, deferred = 0, bounced = 0;
  size_t released = 0;  // held meeting replies whose time came (core/mail/held_reply)
  std::vector<LogLine> log;
};

// libcurl's one-time setup (std::call_once); SendBySmtp calls it.
void InitCurl();

// One SMTP transaction through libcurl (blocking: thread pool or CLI only).
SmtpReply SendBySmtp(const RelayOptions& relay, std::string_view from,
                     const std::vector<std::string>& recipients, std::string_view message);

}  // namespace eas::core::mail
