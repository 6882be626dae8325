// SendMail (MS-ASCMD 2.2.1.17): a new message from the device. From 14.0
// a WBXML ComposeMail request (ClientId, SaveInSentItems, Mime); before,
// the message itself (Content-Type message/rfc822) with SaveInSent=T in
// the request line. The headers are completed (core/mail/submission), and
// local delivery, the Sent Items copy, the relay's queue entry and the
// ClientId are written in one transaction (core/mail/submit): success is
// answered only when all of it is on disk, and a resent ClientId is
// answered 118 without sending anything again.
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.hpp"
#include "core/mail/submit.hpp"
#include "core/wbxml/tags.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace cm = wbxml::tags::compose;

// Common status codes (MS-ASCMD 2.2.2) in <SendMail><Status> from 14.0
// on; before that the HTTP status alone.
enum SendStatus {
  kInvalidXml = 103,
  kInvalidMime = 107,
  kServerError = 110,
  kServerErrorRetryLater = 111,
  kMailboxQuotaExceeded = 113,
  kMessagePreviouslySent = 118,
  kMessageHasNoRecipient = 119,
};

int LegacyHttp(int status) {
  switch (status) {
    case kServerErrorRetryLater:
    case kMailboxQuotaExceeded:
      return 503;
    case kServerError:
      return 500;
    default:
      return 400;
  }
}

// ClientIds remembered per device: a retry comes soon after the first try.
constexpr size_t kClientIdsKept = 1000;

struct SendRequest {
  std::string_view client_id;  // empty in the raw form
  bool save_in_sent = false;
  std::string_view mime;
};

// The request in either form; false (with *why) when the WBXML form lacks
// what MS-ASCMD requires.
bool ReadRequest(const CommandContext& ctx, SendRequest* out, std::string* why) {
  if (ctx.body == nullptr) {  // message/rfc822 (core/service checked)
    out->mime = ctx.request.body;
    out->save_in_sent = ctx.query.save_in_sent;
    return true;
  }
  const wbxml::Element& root = *ctx.body;
  if (root.tag != cm::kSendMail) {
    *why = "the request is not <SendMail>";
    return false;
  }
  const wbxml::Element* mime = root.Child(cm::kMime);
  if (mime == nullptr || mime->text.empty()) {
    *why = "no Mime";
    return false;
  }
  out->mime = mime->text;
  out->client_id = root.ChildText(cm::kClientId);
  if (out->client_id.empty()) {
    *why = "no ClientId";
    return false;
  }
  out->save_in_sent = root.Has(cm::kSaveInSentItems);
  return true;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

void SendMail(CommandContext& ctx) {
  const std::string who = "SendMail from " + ctx.user.name + " (device " + ctx.device_id + ")";
  auto refuse = [&](int status, LogLevel level, const std::string& why) {
    const std::string sent = ctx.AnswerCommonStatus(status, LegacyHttp(status));
    ctx.response.log.push_back({level, who + " refused (" + sent + "): " + why});
  };

  SendRequest request;
  std::string why;
  if (!ReadRequest(ctx, &request, &why)) return refuse(kInvalidXml, LogLevel::kWarn, why);
  // Reading MIME and writing are pool work.
  if (!ctx.MayWrite()) return;

  auto ready = mail::ReadyToSend(request.mime, mail::IdentityOf(ctx.user), ctx.request.now);
  if (!ready.ok()) {
    return refuse(kInvalidMime, LogLevel::kWarn, "invalid MIME: " + ready.status().message());
  }
  const mail::ReadyMessage& message = **ready;
  if (message.submission.recipients.empty()) {
    return refuse(kMessageHasNoRecipient, LogLevel::kNotice, "no recipient in To, Cc or Bcc");
  }

  bool duplicate = false;
  mail::SubmitResult result;
  Status s = ctx.store.Write([&](storage::Txn& txn) -> Status {
    duplicate = false;
    if (!request.client_id.empty()) {
      auto fresh = txn.RememberClientId(ctx.user.id, ctx.device_id, request.client_id,
                                        ctx.request.now, kClientIdsKept);
      if (!fresh.ok()) return fresh.status();
      if (!*fresh) {
        duplicate = true;
        return Status::Ok();
      }
    }
    auto submitted = mail::Submit(txn, ctx.user, message, request.save_in_sent, ctx.request.now);
    if (!submitted.ok()) return submitted.status();
    result = std::move(submitted).value();
    return Status::Ok();
  });
  if (!s.ok()) {
    if (s.code() == Code::kInvalidArgument) return refuse(kInvalidXml, LogLevel::kWarn, s.message());
    const int status = s.code() == Code::kStoreFull ? kMailboxQuotaExceeded
                       : s.code() == Code::kInternal ? kServerError
                                                     : kServerErrorRetryLater;
    return refuse(status, LogLevel::kError, "not sent: " + s.message());
  }
  const std::string what = who + ": message <" + message.submission.message_id + ">";
  if (duplicate) {
    return refuse(kMessagePreviouslySent, LogLevel::kNotice,
                  "ClientId " + std::string(request.client_id) + " was sent already");
  }
  // Success is HTTP 200 without a body (MS-ASCMD 2.2.3.177.14).
  ctx.response.http_status = 200;
  if (!result.delivered_to.empty()) {
    ctx.response.log.push_back({LogLevel::kInfo, what + " delivered to " + Join(result.delivered_to)});
  }
  if (result.saved) ctx.response.log.push_back({LogLevel::kInfo, what + " saved in Sent Items"});
  if (!result.queued_for.empty()) {
    ctx.response.log.push_back(
        {LogLevel::kInfo, what + " for " + Join(result.queued_for) + " kept in the outgoing queue (entry " +
                              std::to_string(result.queue_id) +
                              ") for the SMTP relay"});
  }
}

}  // namespace eas::core::commands
