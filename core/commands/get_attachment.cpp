// GetAttachment (MS-ASCMD 2.2.1.7), for clients of protocol 2.5 to 12.1:
// the attachment the request line's AttachmentName names (the FileReference,
// Email:AttName before 12.0) as the whole answer body, raw, with its own
// Content-Type. 14.0 removed the command in favour of ItemOperations Fetch.
// An attachment that is not there answers HTTP 500, as the spec says for
// one deleted on the server; to a client a reference that was never ours or
// is another user's looks the same. Runs on the thread pool: the
// attachment is decoded from the message's transfer encoding.
#include <string>

#include "core/commands/command.hpp"
#include "core/mail/attachment_read.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

constexpr int kVersion14 = 140;

// The type to send: the part's own, with its charset for text.
std::string ContentTypeOf(const mail::Attachment& a) {
  if (a.content_type.empty()) return "application/octet-stream";
  std::string type = a.content_type;
  if (type.starts_with("text/") && !a.charset.empty()) type += "; charset=" + a.charset;
  return type;
}

}  // namespace

void GetAttachment(CommandContext& ctx) {
  if (ctx.version >= kVersion14) {
    ctx.Fail(400, LogLevel::kInfo,
             "GetAttachment: not in protocol " + ctx.response.protocol_version +
                 " (removed in 14.0; ItemOperations Fetch replaces it)");
    return;
  }
  const std::string& name = ctx.query.attachment_name;
  if (name.empty()) {
    ctx.Fail(400, LogLevel::kWarn, "GetAttachment: no AttachmentName in the request line");
    return;
  }
  if (!ctx.MayWrite()) return;  // decoding may be big: off the event loop

  Result<mail::Attachment> attachment = Status::NotFound("not read");
  Status s = ctx.store.Read([&](storage::Txn& txn) {
    attachment = mail::ReadAttachment(txn, ctx.user.id, name);
    const Code code = attachment.status().code();
    return code == Code::kOk || code == Code::kNotFound || code == Code::kInvalidArgument
               ? Status::Ok()
               : attachment.status();
  });
  if (!s.ok()) {
    ctx.Fail(503, LogLevel::kError, "GetAttachment: store: " + s.message());
    return;
  }
  if (!attachment.ok()) {
    const Status& why = attachment.status();
    ctx.Fail(500, why.code() == Code::kNotFound ? LogLevel::kInfo : LogLevel::kError,
             "GetAttachment " + name + ": " + why.message() + " for " + ctx.user.name);
    return;
  }
  ctx.Answer(std::move(attachment->bytes), {});
  ctx.response.content_type_value = ContentTypeOf(*attachment);
}

}  // namespace eas::core::commands
