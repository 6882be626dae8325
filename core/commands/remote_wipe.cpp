#include "core/commands/remote_wipe.hpp"

#include "core/commands/command.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace pv = wbxml::tags::provision;
using storage::DeviceRecord;

enum { kSuccess = 1, kProtocolError = 2, kServerError = 3 };

// <Provision><Status>n</Status>[<RemoteWipe/>]</Provision>
void Answer(CommandContext& ctx, int status, const wbxml::Tag* directive) {
  wbxml::Writer w;
  w.Start(pv::kProvision);
  w.Element(pv::kStatus, std::to_string(status));
  if (directive != nullptr) w.Empty(*directive);
  w.End();
  ctx.Answer(w.Take());
}

}  // namespace

void ProvisionRemoteWipe(CommandContext& ctx) {
  const DeviceRecord::Wipe pending = ctx.device.wipe;
  const bool account_only = pending == DeviceRecord::Wipe::kAccountOnly;
  const wbxml::Tag& directive = account_only ? pv::kAccountOnlyRemoteWipe : pv::kRemoteWipe;
  const std::string what = std::string(account_only ? "account-only remote wipe" : "remote wipe") +
                           " of device \"" + ctx.device_id + "\" of user \"" + ctx.user.name + "\"";

  const wbxml::Element* ack = ctx.body != nullptr ? ctx.body->Child(directive) : nullptr;
  if (ack == nullptr) {
    // The initial request (MS-ASPROV 3.1.5.1.1: an empty Provision, or a
    // policy request): the directive, and no policy.
    ctx.response.log.push_back({LogLevel::kNotice, what + ": directive sent"});
    Answer(ctx, kSuccess, &directive);
    return;
  }
  std::string_view status = ack->ChildText(pv::kStatus);
  if (status != "1") {
    // MS-ASPROV 3.2.5.1.2.2: Status 2 and the directive again.
    ctx.response.log.push_back(
        {LogLevel::kWarn, what + ": the device reports failure (Status " + std::string(status) +
                              "); directive sent again"});
    Answer(ctx, kProtocolError, &directive);
    return;
  }
  if (!ctx.MayWrite()) return;
  Status s = ctx.store.Write([&](storage::Txn& txn) {
    auto device = txn.GetDevice(ctx.user.id, ctx.device_id);
    if (!device.ok()) return device.status();
    if (device->wipe != pending) return Status::Ok();  // the administrator changed it meanwhile
    device->wipe = DeviceRecord::Wipe::kDone;
    return txn.PutDevice(*device);
  });
  if (!s.ok()) {
    ctx.response.log.push_back({LogLevel::kError, "Provision: store: " + s.message()});
    Answer(ctx, kServerError, nullptr);
    return;
  }
  ctx.response.log.push_back(
      {LogLevel::kNotice, what + ": acknowledged by the device, done; it stays blocked until "
                                 "`easctl device remove`"});
  Answer(ctx, kSuccess, nullptr);
}

}  // namespace eas::core::commands
