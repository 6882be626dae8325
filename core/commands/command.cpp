#include "core/commands/command.hpp"

#include "core/protocol.hpp"

namespace eas::core::commands {

void CommandContext::Answer(std::string wbxml) {
  response.http_status = 200;
  response.content_type = std::string(kWbxmlContentType);
  response.body = std::move(wbxml);
}

void CommandContext::Fail(int http_status, LogLevel level, std::string text) {
  response.http_status = http_status;
  response.content_type.clear();
  response.body.clear();
  response.log.push_back({level, std::move(text)});
}

namespace {

constexpr CommandInfo kCommands[] = {
    {"FolderSync", FolderSync, true},
    {"FolderCreate", FolderCreate, true},
    {"FolderUpdate", FolderUpdate, true},
    {"FolderDelete", FolderDelete, true},
    {"Settings", Settings, true},
    {"Sync", nullptr, false},
    {"SendMail", nullptr, true},
    {"SmartForward", nullptr, true},
    {"SmartReply", nullptr, true},
    {"GetAttachment", nullptr, false},
    {"GetHierarchy", nullptr, false},
    {"CreateCollection", nullptr, true},
    {"DeleteCollection", nullptr, true},
    {"MoveCollection", nullptr, true},
    {"MoveItems", nullptr, true},
    {"GetItemEstimate", nullptr, true},
    {"MeetingResponse", nullptr, true},
    {"Search", nullptr, true},
    {"Ping", Ping, false},
    {"ItemOperations", nullptr, true},
    {"Provision", nullptr, true},
    {"ResolveRecipients", nullptr, true},
    {"ValidateCert", nullptr, true},
    {"Find", nullptr, true},
};

}  // namespace

const CommandInfo* FindCommand(std::string_view name) {
  for (const auto& c : kCommands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string ImplementedCommands() {
  std::string out;
  for (const auto& c : kCommands) {
    if (c.handler == nullptr) continue;
    if (!out.empty()) out += ',';
    out += c.name;
  }
  return out;
}

}  // namespace eas::core::commands
