// SendMail, SmartReply and SmartForward (MS-ASCMD 2.2.1.17, 2.2.1.20,
// 2.2.1.19): one path. From 14.0 a WBXML ComposeMail request (ClientId,
// SaveInSentItems, Mime; the Smart commands also Source and ReplaceMime);
// before, the message itself (Content-Type message/rfc822) with SaveInSent,
// ItemId, CollectionId and LongId in the request line. A Smart command
// first reads its source message (any letter of the user's mail folders)
// and takes from it what the new message gets (core/mail/source_message):
// threading headers, and unless ReplaceMime the quoted original and a
// forward's attachments. The headers are completed (core/mail/submission);
// local delivery, the Sent Items copy, the relay's queue entry, the
// ClientId, the collected addresses and the source's LastVerbExecuted are
// written in one transaction (core/mail/submit): success is answered only
// when all of it is on disk, and a resent ClientId is answered 118 without
// sending anything again.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/commands/sync_collection.hpp"
#include "core/folder_access.hpp"
#include "core/mail/collected_addresses.hpp"
#include "core/mail/source_message.hpp"
#include "core/mail/submit.hpp"
#include "core/util/join.hpp"
#include "core/wbxml/tags.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace cm = wbxml::tags::compose;

// Common status codes (MS-ASCMD 2.2.2) in <Command><Status> from 14.0
// on; before that the HTTP status alone.
enum ComposeStatus {
  kInvalidXml = 103,
  kInvalidMime = 107,
  kServerError = 110,
  kServerErrorRetryLater = 111,
  kMailboxQuotaExceeded = 113,
  kMessagePreviouslySent = 118,
  kMessageHasNoRecipient = 119,
  kItemNotFound = 150,
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

enum class Kind { kSend, kReply, kForward };

struct ComposeRequest {
  std::string_view client_id;  // empty in the raw form
  bool save_in_sent = false;
  bool replace_mime = false;   // the client sent the whole message (14.0+)
  std::string_view mime;
  // The source of a reply or forward: an ItemId ("folder:item", the
  // ServerId Sync gave), the folder it says it is in (may be empty), or a
  // Search result's LongId (the same form).
  std::string_view folder_id, item_id, long_id;
};

// The request in either form; false (with *why) when it lacks what
// MS-ASCMD requires.
bool ReadRequest(const CommandContext& ctx, Kind kind, ComposeRequest* out, std::string* why) {
  if (ctx.body == nullptr) {  // message/rfc822 (core/service checked)
    out->mime = ctx.request.body;
    out->save_in_sent = ctx.query.save_in_sent;
    out->folder_id = ctx.query.collection_id;
    out->item_id = ctx.query.item_id;
    out->long_id = ctx.query.long_id;
  } else {
    const wbxml::Element& root = *ctx.body;
    const wbxml::Tag& expected = kind == Kind::kSend    ? cm::kSendMail
                                 : kind == Kind::kReply ? cm::kSmartReply
                                                        : cm::kSmartForward;
    if (root.tag != expected) {
      *why = "the request is not <" + ctx.query.cmd + ">";
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
    out->replace_mime = root.Has(cm::kReplaceMime);
    if (const wbxml::Element* source = root.Child(cm::kSource)) {
      out->folder_id = source->ChildText(cm::kFolderId);
      out->item_id = source->ChildText(cm::kItemId);
      out->long_id = source->ChildText(cm::kLongId);
    }
  }
  if (kind != Kind::kSend && out->item_id.empty() && out->long_id.empty()) {
    *why = "no source message (ItemId or LongId)";
    return false;
  }
  return true;
}

struct Source {
  mail::SourceMessage message;
  bool writable = false;  // the user may mark it (a folder shared read-only: not)
};

// The source message if it is one of this user's; NotFound with the reason.
Result<Source> FindSource(storage::Txn& txn, const CommandContext& ctx,
                          const ComposeRequest& request) {
  const std::string_view server_id = request.long_id.empty() ? request.item_id : request.long_id;
  const size_t colon = server_id.find(':');
  const auto folder_id = ParseFolderId(server_id.substr(0, colon));
  const std::string named = "source " + std::string(server_id);
  if (colon == std::string_view::npos || !folder_id ||
      (!request.folder_id.empty() && ParseFolderId(request.folder_id) != folder_id)) {
    return Status::NotFound(named + ": not an item id of ours" +
                            (request.folder_id.empty()
                                 ? std::string()
                                 : " in folder " + std::string(request.folder_id)));
  }
  auto folder = txn.GetFolder(*folder_id);
  if (!folder.ok() && folder.status().code() != Code::kNotFound) return folder.status();
  const FolderRole role = folder.ok() ? RoleOf(*folder, ctx.user.id) : FolderRole::kNone;
  if (!MayRead(role)) return Status::NotFound(named + ": no such folder for this user");
  auto item = ParseItemServerId(server_id, *folder_id);
  if (!item) return Status::NotFound(named + ": not an item id of ours");
  auto message = mail::ReadSourceMessage(txn, *folder_id, *item);
  if (!message.ok()) {
    if (message.status().code() != Code::kNotFound) return message.status();
    return Status::NotFound(named + ": " + message.status().message());
  }
  return Source{std::move(message).value(), MayWriteItems(role)};
}

std::string_view VerbName(mail::LastVerb verb) {
  switch (verb) {
    case mail::LastVerb::kReplyToSender: return "replied to the sender";
    case mail::LastVerb::kReplyToAll: return "replied to all";
    case mail::LastVerb::kForward: return "forwarded";
    default: return "";
  }
}

void Compose(CommandContext& ctx, Kind kind) {
  const std::string who = ctx.query.cmd + " from " + ctx.user.name + " (device " + ctx.device_id + ")";
  auto refuse = [&](int status, LogLevel level, const std::string& why) {
    const std::string sent = ctx.AnswerCommonStatus(status, LegacyHttp(status));
    ctx.response.log.push_back({level, who + " refused (" + sent + "): " + why});
  };

  ComposeRequest request;
  std::string why;
  if (!ReadRequest(ctx, kind, &request, &why)) return refuse(kInvalidXml, LogLevel::kWarn, why);
  // Reading MIME and writing are pool work.
  if (!ctx.MayWrite()) return;

  // The source step: what a reply or forward takes from the original.
  std::optional<Source> source;
  mail::SourceAdditions additions;
  const mail::SourceUse use = kind == Kind::kForward ? mail::SourceUse::kForward
                                                     : mail::SourceUse::kReply;
  if (kind != Kind::kSend) {
    Status s = ctx.store.Read([&](storage::Txn& txn) -> Status {
      auto found = FindSource(txn, ctx, request);
      if (!found.ok()) return found.status();
      source = std::move(found).value();
      return Status::Ok();
    });
    if (s.code() == Code::kNotFound) return refuse(kItemNotFound, LogLevel::kNotice, s.message());
    if (!s.ok()) return refuse(kServerErrorRetryLater, LogLevel::kError, s.message());
    auto made = mail::AdditionsFrom(source->message, use, request.replace_mime);
    if (!made.ok()) {
      return refuse(kServerError, LogLevel::kError,
                    "source " + ItemServerId(source->message.folder, source->message.item) +
                        " does not match its stored record: " + made.status().message());
    }
    additions = std::move(made).value();
  }

  const mail::SenderIdentity me = mail::IdentityOf(ctx.user);
  auto ready = mail::ReadyToSend(request.mime, me, ctx.request.now,
                                 source ? &additions : nullptr);
  if (!ready.ok()) {
    return refuse(kInvalidMime, LogLevel::kWarn, "invalid MIME: " + ready.status().message());
  }
  const mail::ReadyMessage& message = **ready;
  if (message.submission.recipients.empty()) {
    return refuse(kMessageHasNoRecipient, LogLevel::kNotice, "no recipient in To, Cc or Bcc");
  }
  mail::LastVerb verb = mail::LastVerb::kNone;
  if (source) {
    std::vector<std::string> own = ctx.user.addresses;
    own.push_back(me.address);
    verb = mail::VerbFor(use, source->message.mail.message, message.submission.recipients, own);
  }

  bool duplicate = false;
  bool marked = false;
  mail::SubmitResult result;
  Status s = ctx.store.Write([&](storage::Txn& txn) -> Status {
    duplicate = false;
    marked = false;
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
    Status collected =
        mail::CollectAddresses(txn, ctx.user, message.submission.mailboxes, ctx.request.now);
    if (!collected.ok()) return collected;
    if (source && source->writable) {
      Status m = mail::MarkSource(txn, source->message.folder, source->message.item, verb,
                                  ctx.request.now);
      // Deleted since it was read: the mail still goes.
      if (!m.ok() && m.code() != Code::kNotFound) return m;
      marked = m.ok();
    }
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
  // Success is HTTP 200 without a body (MS-ASCMD 2.2.3.177.14, .16).
  ctx.response.http_status = 200;
  if (!result.delivered_to.empty()) {
    ctx.response.log.push_back(
        {LogLevel::kInfo, what + " delivered to " + util::JoinWith(result.delivered_to, ", ")});
  }
  if (result.saved) ctx.response.log.push_back({LogLevel::kInfo, what + " saved in Sent Items"});
  if (!message.submission.from_replaced.empty()) {
    ctx.response.log.push_back({LogLevel::kNotice, what + " sent as <" + me.address + ">: its From (" +
                                                       message.submission.from_replaced +
                                                       ") is not an address of " + ctx.user.name});
  }
  for (const std::string& line : result.away) ctx.response.log.push_back({LogLevel::kInfo, line});
  if (!result.dropped_held.empty()) {
    ctx.response.log.push_back({LogLevel::kInfo, what + ": " + result.dropped_held});
  }
  if (!result.queued_for.empty()) {
    ctx.response.queued_outgoing = true;
    ctx.response.log.push_back(
        {LogLevel::kInfo, what + " for " + util::JoinWith(result.queued_for, ", ") +
                              " kept in the outgoing queue (entry " +
                              std::to_string(result.queue_id) + ") for the SMTP relay"});
  }
  if (source) {
    const std::string original = ItemServerId(source->message.folder, source->message.item);
    ctx.response.log.push_back(
        {LogLevel::kInfo, what + (request.replace_mime ? " (ReplaceMime: nothing added)" : "") +
                              (marked ? "; " + original + " marked " + std::string(VerbName(verb))
                                      : "; " + original + " not marked (gone or read-only)")});
  }
}

}  // namespace

void SendMail(CommandContext& ctx) { Compose(ctx, Kind::kSend); }
void SmartReply(CommandContext& ctx) { Compose(ctx, Kind::kReply); }
void SmartForward(CommandContext& ctx) { Compose(ctx, Kind::kForward); }

}  // namespace eas::core::commands
