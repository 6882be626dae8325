// Settings (MS-ASCMD 2.2.1.18): stores what the device says about itself
// (DeviceInformation/Set) and answers UserInformation/Get with the user's
// addresses. Oof is settings_oof's; DevicePassword is acknowledged.
#include "core/commands/command.hpp"
#include "core/commands/device_information.hpp"
#include "core/commands/settings_oof.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace st = wbxml::tags::settings;

enum SettingsStatus { kSuccess = 1, kProtocolError = 2, kServerUnavailable = 4 };

void WriteUserInformation(wbxml::Writer& w, const CommandContext& ctx) {
  const auto& addresses = ctx.user.addresses;
  w.Start(st::kUserInformation);
  w.Element(st::kStatus, "1");
  w.Start(st::kGet);
  if (ctx.version >= 141) {
    w.Start(st::kAccounts);
    w.Start(st::kAccount);
    w.Element(st::kUserDisplayName,
              ctx.user.display_name.empty() ? ctx.user.name : ctx.user.display_name);
    w.Start(st::kEmailAddresses);
    for (const auto& a : addresses) w.Element(st::kSmtpAddress, a);
    if (!addresses.empty()) w.Element(st::kPrimarySmtpAddress, addresses.front());
    w.End();
    w.End();
    w.End();
  } else {
    w.Start(st::kEmailAddresses);
    for (const auto& a : addresses) w.Element(st::kSmtpAddress, a);
    w.End();
  }
  w.End();
  w.End();
}

}  // namespace

void Settings(CommandContext& ctx) {
  const wbxml::Element* root = ctx.body;
  if (root == nullptr || !(root->tag == st::kSettings)) {
    wbxml::Writer w;
    w.Start(st::kSettings);
    w.Element(st::kStatus, std::to_string(kProtocolError));
    w.End();
    ctx.response.log.push_back({LogLevel::kWarn, "Settings: malformed request"});
    ctx.Answer(w.Take());
    return;
  }

  const wbxml::Element* device_info = root->Child(st::kDeviceInformation);
  const wbxml::Element* set = device_info ? device_info->Child(st::kSet) : nullptr;
  const wbxml::Element* oof = root->Child(st::kOof);
  // Writes, and Oof's HTML conversion (libxml2), stay off the event loop:
  // the whole command runs on the thread pool then.
  if ((set != nullptr || oof != nullptr) && !ctx.MayWrite()) return;
  int device_status = kSuccess;
  if (set != nullptr) {
    Status s = ctx.store.Write([&](storage::Txn& txn) {
      auto device = txn.GetDevice(ctx.user.id, ctx.device_id);
      if (!device.ok()) return device.status();
      ApplyDeviceInformation(*set, *device);
      return txn.PutDevice(*device);
    });
    if (!s.ok()) {
      ctx.response.log.push_back({LogLevel::kError, "Settings: store: " + s.message()});
      device_status = kServerUnavailable;
    }
  }

  wbxml::Writer w;
  w.Start(st::kSettings);
  w.Element(st::kStatus, "1");
  if (oof != nullptr) AnswerOof(*oof, ctx, w);
  if (device_info != nullptr) {
    w.Start(st::kDeviceInformation);
    w.Element(st::kStatus, std::to_string(device_status));
    w.End();
  }
  if (root->Has(st::kDevicePassword)) {
    w.Start(st::kDevicePassword);
    w.Element(st::kStatus, "1");
    w.End();
  }
  if (const wbxml::Element* ui = root->Child(st::kUserInformation); ui && ui->Has(st::kGet)) {
    WriteUserInformation(w, ctx);
  }
  w.End();
  ctx.Answer(w.Take());
}

}  // namespace eas::core::commands
