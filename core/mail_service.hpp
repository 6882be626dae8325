// The mail-in façade the LMTP glue (ngx_stream_eas_module) calls, as
// core/service.hpp is the ActiveSync one: who a recipient is, parsing a
// message, and storing messages in groups. Plain types in and out; the
// delivery itself is core/mail/delivery's, the same as eas-deliver's.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"
#include "core/log_line.hpp"
#include "core/mail/lmtp_session.hpp"

namespace eas::storage { class Store; }

namespace eas::core {

namespace mail { struct PreparedMessage; }

// One message on its way into the store, for all of its recipients.
struct MailJob {
  MailJob();
  ~MailJob();
  MailJob(const MailJob&) = delete;
  MailJob& operator=(const MailJob&) = delete;

  mail::LmtpMessage message;
  uint64_t received = 0;  // unix seconds
  // One per recipient, by Commit (or by Prepare, when the message can
  // never be stored).
  std::vector<mail::DeliveryOutcome> outcomes;
  // For the error log, written by the glue on the event loop.
  std::vector<LogLine> log;

  // Prepare's work, for Commit.
  std::unique_ptr<mail::PreparedMessage> prepared;
};

class MailService {
 public:
  // Opens the store at `store_path` (per process, after fork; shared with
  // the ActiveSync Service of the same store, see storage/shared_store)
  // and readies the MIME and HTML libraries for the pool threads.
  static Result<std::unique_ptr<MailService>> Open(const std::string& store_path);
  // The same over a store the caller holds (tests).
  static std::unique_ptr<MailService> Open(std::shared_ptr<storage::Store> store);
  ~MailService();
  MailService(const MailService&) = delete;
  MailService& operator=(const MailService&) = delete;

  // RCPT: whether the address names a user (core/mail/delivery's
  // ResolveRecipient) in one read transaction: kTryLater, with *log set,
  // when the store cannot tell. Event loop; never throws.
  mail::RecipientCheck CheckRecipient(std::string_view address, LogLine* log) noexcept;

  // Parses the message (GMime, HTML → text): the slow part, outside any
  // transaction. Any thread, many at once, one job each. A message that
  // can never be stored gets its outcomes here.
  static void Prepare(MailJob& job) noexcept;

  // Group commit: stores every prepared job of the batch, for each of its
  // recipients, in one write transaction (one fsync), and fills in each
  // job's outcomes. A recipient deleted since RCPT gets kUnknown, a
  // message the mailbox has already kDuplicate. When the group cannot be
  // committed, each job is tried alone, so one bad message does not hold
  // back the others; what still fails gets kStoreFull or kTryLater. Any
  // thread; Store::Write orders commits.
  void Commit(const std::vector<MailJob*>& batch) noexcept;

  // The worker idles: let go of parked read snapshots (see
  // storage::Store::ReleaseIdleSnapshots).
  void ReleaseIdleSnapshots();

 private:
  explicit MailService(std::shared_ptr<storage::Store> store);
  // One write transaction for these jobs; their outcomes on success.
  Status CommitTogether(const std::vector<MailJob*>& jobs);
  std::shared_ptr<storage::Store> store_;
};

}  // namespace eas::core
