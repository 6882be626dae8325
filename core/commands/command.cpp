#include "core/commands/command.hpp"

#include "core/access/versions.hpp"
#include "core/protocol.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"

namespace eas::core::commands {

void CommandContext::Answer(std::string body, std::string_view content_type) {
  response.http_status = 200;
  response.content_type = content_type;
  response.body = std::move(body);
}

std::string StatusAnswer(wbxml::Tag root, wbxml::Tag status, int code) {
  wbxml::Writer w;
  w.Start(root);
  w.Element(status, std::to_string(code));
  w.End();
  return w.Take();
}

void CommandContext::Fail(int http_status, LogLevel level, std::string text) {
  response.http_status = http_status;
  response.content_type = {};
  response.content_type_value.clear();
  response.body.clear();
  response.log.push_back({level, std::move(text)});
}

std::string CommandContext::AnswerCommonStatus(int status, int legacy_http) {
  wbxml::Tag root, status_tag;
  if (version >= 140 && CommandStatusTags(query.cmd, root, status_tag)) {
    wbxml::Writer w;
    w.Start(root);
    w.Element(status_tag, std::to_string(status));
    w.End();
    Answer(w.Take());
    return "Status " + std::to_string(status);
  }
  response.http_status = legacy_http;
  return "HTTP " + std::to_string(legacy_http);
}

namespace {

constexpr CommandInfo kCommands[] = {
    {"FolderSync", FolderSync, true},
    {"FolderCreate", FolderCreate, true},
    {"FolderUpdate", FolderUpdate, true},
    {"FolderDelete", FolderDelete, true},
    {"Settings", Settings, true},
    {"Sync", Sync, false},
    {"SendMail", SendMail, true, true},
    {"SmartForward", SmartForward, true, true},
    {"SmartReply", SmartReply, true, true},
    {"GetAttachment", GetAttachment, false},
    {"GetHierarchy", nullptr, false},
    {"CreateCollection", nullptr, true},
    {"DeleteCollection", nullptr, true},
    {"MoveCollection", nullptr, true},
    {"MoveItems", MoveItems, true},
    {"GetItemEstimate", GetItemEstimate, true},
    {"MeetingResponse", MeetingResponse, true},
    {"Search", Search, true},
    {"Ping", Ping, false},
    {"ItemOperations", ItemOperations, true},
    {"Provision", Provision, true},
    {"ResolveRecipients", ResolveRecipients, true},
    {"ValidateCert", ValidateCert, true},
    {"Find", Find, true, false, "16.1"},
};

}  // namespace

const CommandInfo* FindCommand(std::string_view name) {
  for (const auto& c : kCommands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string ImplementedCommands(std::string_view max_version) {
  std::string out;
  for (const auto& c : kCommands) {
    if (c.handler == nullptr) continue;
    if (!c.since_version.empty() && access::AboveMaxVersion(c.since_version, max_version)) continue;
    if (!out.empty()) out += ',';
    out += c.name;
  }
  return out;
}

bool CommandStatusTags(std::string_view command, wbxml::Tag& root, wbxml::Tag& status) {
  namespace t = wbxml::tags;
  struct Entry { std::string_view name; const wbxml::Tag* root; const wbxml::Tag* status; };
  static const Entry kEntries[] = {
      {"FolderSync", &t::fh::kFolderSync, &t::fh::kStatus},
      {"FolderCreate", &t::fh::kFolderCreate, &t::fh::kStatus},
      {"FolderUpdate", &t::fh::kFolderUpdate, &t::fh::kStatus},
      {"FolderDelete", &t::fh::kFolderDelete, &t::fh::kStatus},
      {"Settings", &t::settings::kSettings, &t::settings::kStatus},
      {"Sync", &t::airsync::kSync, &t::airsync::kStatus},
      {"GetItemEstimate", &t::gie::kGetItemEstimate, &t::gie::kStatus},
      {"MoveItems", &t::move::kMoveItems, &t::move::kStatus},
      {"Ping", &t::ping::kPing, &t::ping::kStatus},
      {"ItemOperations", &t::itemops::kItemOperations, &t::itemops::kStatus},
      {"Search", &t::search::kSearch, &t::search::kStatus},
      {"Find", &t::find::kFind, &t::find::kStatus},
      {"Provision", &t::provision::kProvision, &t::provision::kStatus},
      {"SendMail", &t::compose::kSendMail, &t::compose::kStatus},
      {"SmartReply", &t::compose::kSmartReply, &t::compose::kStatus},
      {"SmartForward", &t::compose::kSmartForward, &t::compose::kStatus},
      {"ResolveRecipients", &t::resolve_recipients::kResolveRecipients,
       &t::resolve_recipients::kStatus},
      {"ValidateCert", &t::validate_cert::kValidateCert, &t::validate_cert::kStatus},
  };
  for (const auto& e : kEntries) {
    if (e.name == command) {
      root = *e.root;
      status = *e.status;
      return true;
    }
  }
  return false;
}

}  // namespace eas::core::commands
