#include "core/mail_service.hpp"

#include <exception>
#include <utility>

#include "core/mail/auto_reply.hpp"
#include "core/mail/charset.hpp"
#include "core/mail/delivery.hpp"
#include "core/mail/html_text.hpp"
#include "storage/shared_store.hpp"
#include "storage/store.hpp"

namespace eas::core {
namespace {

using mail::DeliveryOutcome;

// What the log calls a message: its Message-ID, size and sender.
std::string Describe(const MailJob& job) {
  std::string id = job.prepared != nullptr && !job.prepared->record.message_id.empty()
                       ? "<" + job.prepared->record.message_id + ">"
                       : "without Message-ID";
  return "message " + id + " (" + std::to_string(job.message.data.size()) + " bytes) from <" +
         job.message.sender + ">";
}

void SetAll(MailJob& job, DeliveryOutcome outcome) {
  job.outcomes.assign(job.message.recipients.size(), outcome);
}

// A job whose commit failed: transient, whatever the reason (a store
// error is never the message's fault), 452 when the store is full.
void Failed(MailJob& job, const Status& s) {
  SetAll(job, s.code() == Code::kStoreFull ? DeliveryOutcome::kStoreFull
                                           : DeliveryOutcome::kTryLater);
  job.log.push_back({LogLevel::kError, "lmtp: " + Describe(job) + " not stored: " + s.message()});
}

}  // namespace

MailJob::MailJob() = default;
MailJob::~MailJob() = default;

MailService::MailService(std::shared_ptr<storage::Store> store) : store_(std::move(store)) {}
MailService::~MailService() = default;

Result<std::unique_ptr<MailService>> MailService::Open(const std::string& store_path) {
  try {
    // Here, on the thread that opens the store, before pool threads parse.
    mail::InitGMime();
    mail::InitHtmlParser();
    auto store = storage::OpenShared(store_path);
    if (!store.ok()) return store.status();
    return Open(std::move(store).value());
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

std::unique_ptr<MailService> MailService::Open(std::shared_ptr<storage::Store> store) {
  return std::unique_ptr<MailService>(new MailService(std::move(store)));
}

void MailService::ReleaseIdleSnapshots() { store_->ReleaseIdleSnapshots(); }

mail::RecipientCheck MailService::CheckRecipient(std::string_view address, LogLine* log) noexcept {
  try {
    mail::RecipientCheck verdict = mail::RecipientCheck::kTryLater;
    Status s = store_->Read([&](storage::Txn& txn) -> Status {
      auto user = mail::ResolveRecipient(txn, address);
      if (user.ok()) {
        verdict = mail::RecipientCheck::kAccept;
      } else if (user.status().code() == Code::kNotFound) {
        verdict = mail::RecipientCheck::kUnknown;
      } else {
        return user.status();
      }
      return Status::Ok();
    });
    if (s.ok()) return verdict;
    *log = {LogLevel::kError,
            "lmtp: cannot look up recipient <" + std::string(address) + ">: " + s.message()};
  } catch (const std::exception& e) {
    *log = {LogLevel::kError, std::string("lmtp: recipient lookup failed: ") + e.what()};
  } catch (...) {
  }
  return mail::RecipientCheck::kTryLater;
}

void MailService::Prepare(MailJob& job) noexcept {
  try {
    job.outcomes.clear();
    job.prepared.reset();
    if (job.message.data.empty()) {
      SetAll(job, DeliveryOutcome::kRejected);
      job.log.push_back({LogLevel::kNotice, "lmtp: empty " + Describe(job) + " rejected"});
      return;
    }
    auto prepared = mail::PrepareMessage(job.message.data, job.received);
    if (!prepared.ok()) {
      Failed(job, prepared.status());
      return;
    }
    for (const std::string& note : prepared->notes) {
      job.log.push_back({LogLevel::kNotice, "lmtp: " + Describe(job) + ": " + note});
    }
    job.prepared = std::make_unique<mail::PreparedMessage>(std::move(prepared).value());
  } catch (const std::exception& e) {
    job.prepared.reset();
    Failed(job, Status::Internal(e.what()));
  } catch (...) {
    job.prepared.reset();
    Failed(job, Status::Internal("exception"));
  }
}

Status MailService::CommitTogether(const std::vector<MailJob*>& jobs) {
  // Who each recipient turned out to be, for the log (set when stored).
  std::vector<std::vector<std::string>> users(jobs.size());
  std::vector<std::vector<std::string>> notes(jobs.size());
  // What out of office did for each job (core/mail/auto_reply).
  std::vector<std::vector<std::string>> away(jobs.size());
  Status s = store_->Write([&](storage::Txn& txn) -> Status {
    // May run twice (a full map grows and the transaction starts over).
    for (size_t j = 0; j < jobs.size(); ++j) {
      MailJob& job = *jobs[j];
      const auto& recipients = job.message.recipients;
      SetAll(job, DeliveryOutcome::kTryLater);
      users[j].assign(recipients.size(), std::string());
      notes[j].assign(recipients.size(), std::string());
      away[j].clear();
      for (size_t i = 0; i < recipients.size(); ++i) {
        auto user = mail::ResolveRecipient(txn, recipients[i]);
        if (!user.ok()) {
          if (user.status().code() != Code::kNotFound) return user.status();
          job.outcomes[i] = DeliveryOutcome::kUnknown;  // deleted since RCPT
          continue;
        }
        auto folder = mail::DeliveryFolder(txn, *user, "");
        if (!folder.ok()) {
          if (folder.status().code() != Code::kNotFound) return folder.status();
          notes[j][i] = folder.status().message();  // no Inbox: try later
          continue;
        }
        auto stored = mail::StoreMessage(txn, *user, *folder, *job.prepared);
        if (!stored.ok()) return stored.status();
        job.outcomes[i] = *stored == mail::Stored::kDuplicate ? DeliveryOutcome::kDuplicate
                                                              : DeliveryOutcome::kDelivered;
        users[j][i] = user->name;
        if (*stored == mail::Stored::kNew) {
          auto reply = mail::AnswerWhileAway(txn, *user, *job.prepared, job.message.sender,
                                             job.received);
          if (!reply.ok()) return reply.status();
          if (!reply->empty()) away[j].push_back(std::move(reply).value());
        }
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (size_t j = 0; j < jobs.size(); ++j) {
    MailJob& job = *jobs[j];
    for (std::string& line : away[j]) job.log.push_back({LogLevel::kInfo, "lmtp: " + line});
    const std::string what = "lmtp: " + Describe(job) + " for <";
    for (size_t i = 0; i < job.outcomes.size(); ++i) {
      const std::string who = what + job.message.recipients[i] + ">: ";
      switch (job.outcomes[i]) {
        case DeliveryOutcome::kDelivered:
          job.log.push_back({LogLevel::kInfo, who + "delivered to " + users[j][i]});
          break;
        case DeliveryOutcome::kDuplicate:
          job.log.push_back({LogLevel::kInfo, who + users[j][i] + " has it already"});
          break;
        case DeliveryOutcome::kUnknown:
          job.log.push_back({LogLevel::kNotice, who + "no such user any more"});
          break;
        default:
          job.log.push_back({LogLevel::kWarn, who + "not delivered: " + notes[j][i]});
          break;
      }
    }
  }
  return Status::Ok();
}

void MailService::Commit(const std::vector<MailJob*>& batch) noexcept {
  std::vector<MailJob*> ready;
  try {
    for (MailJob* job : batch) {
      if (job->prepared != nullptr) ready.push_back(job);
    }
    if (ready.empty()) return;
    Status s = CommitTogether(ready);
    if (s.ok()) {
      if (ready.size() > 1) {
        ready.front()->log.push_back(
            {LogLevel::kInfo,
             "lmtp: " + std::to_string(ready.size()) + " messages committed together"});
      }
      return;
    }
    if (ready.size() == 1) {
      Failed(*ready.front(), s);
      return;
    }
    // Alone, each job stands or falls by itself.
    for (MailJob* job : ready) {
      Status one = CommitTogether({job});
      if (!one.ok()) Failed(*job, one);
    }
  } catch (const std::exception& e) {
    for (MailJob* job : ready) Failed(*job, Status::Internal(e.what()));
  } catch (...) {
    for (MailJob* job : ready) Failed(*job, Status::Internal("exception"));
  }
}

}  // namespace eas::core
