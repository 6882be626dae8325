// What every command handler gets, and the table of commands we implement.
#pragma once

#include <string>
#include <string_view>

#include "core/http_exchange.hpp"
#include "core/query.hpp"
#include "core/wbxml/element.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Store; }

namespace eas::core::commands {

struct CommandContext {
  // A constructor rather than aggregate initialisation, which GCC compiles
  // to zeroing the whole context (with its device record) first.
  CommandContext(const Request& request_in, const Query& query_in, storage::Store& store_in,
                 const storage::UserRecord& user_in, std::string device_id_in, int version_in,
                 bool may_block_in, Response& response_in)
      : request(request_in), query(query_in), store(store_in), user(user_in),
        device_id(std::move(device_id_in)), version(version_in), may_block(may_block_in),
        response(response_in) {}

  const Request& request;
  const Query& query;
  storage::Store& store;
  const storage::UserRecord& user;       // the authenticated user (Service::Run owns it)
  std::string device_id;
  storage::DeviceRecord device;         // as stored when the request began
  int version = 0;                      // 141 for "14.1"
  const wbxml::Element* body = nullptr; // decoded request; null when empty
  bool may_block = false;
  Response& response;

  // True when this call may write. Otherwise marks the response
  // needs_blocking (the glue re-runs the request on its thread pool) and
  // returns false: the handler must then return without answering.
  bool MayWrite() {
    if (!may_block) response.needs_blocking = true;
    return may_block;
  }
  // An answer with HTTP 200: WBXML, or a body of another literal type (a
  // multipart ItemOperations answer).
  void Answer(std::string body, std::string_view content_type = kWbxmlContentType);
  // An HTTP error without a body, with a line for the error log.
  void Fail(int http_status, LogLevel level, std::string log_text);
  // A status every command shares (MS-ASCMD 2.2.2 common status codes):
  // `status` in the command's own root element for 14.0 and later,
  // `legacy_http` without a body before that, or for a command without
  // such an answer. Returns what was sent ("Status 129", "HTTP 403").
  std::string AnswerCommonStatus(int status, int legacy_http);
};

// <root><status>code</status></root>: the answer every command gives when
// it can say no more than a status.
std::string StatusAnswer(wbxml::Tag root, wbxml::Tag status, int code);

using Handler = void (*)(CommandContext&);

struct CommandInfo {
  std::string_view name;
  Handler handler;       // null: known to the protocol, not implemented here
  bool needs_body;       // a request without a WBXML body is malformed
  // Also takes a raw message (Content-Type message/rfc822, MS-ASCMD's
  // form before 14.0), and answers a WBXML body it cannot decode with
  // its Status 102 instead of HTTP 400.
  bool takes_mime = false;
  // The protocol version that brought the command ("16.1" for Find), or
  // "" for one every version has: OPTIONS announces it only to a client
  // offered that version.
  std::string_view since_version = {};
};

// Every MS-ASCMD command; nullptr for a name that is none of them.
const CommandInfo* FindCommand(std::string_view name);

// "FolderSync,FolderCreate,..." — only those with a handler (OPTIONS),
// and of those only the ones the versions up to `max_version`
// (eas_max_protocol_version; empty: every version) have.
std::string ImplementedCommands(std::string_view max_version);

// The root and Status tags of a command's answer, for answers every command
// shares (policy key refused: Status 142..144; device refused: 129, 140,
// 177). False for commands without a WBXML answer of that shape.
bool CommandStatusTags(std::string_view command, wbxml::Tag& root, wbxml::Tag& status);

void Ping(CommandContext& ctx);  // core/commands/ping.cpp
void FolderSync(CommandContext& ctx);
void FolderCreate(CommandContext& ctx);
void FolderUpdate(CommandContext& ctx);
void FolderDelete(CommandContext& ctx);
void Settings(CommandContext& ctx);
void Sync(CommandContext& ctx);
void GetItemEstimate(CommandContext& ctx);
void ItemOperations(CommandContext& ctx);  // core/commands/item_operations.cpp
void GetAttachment(CommandContext& ctx);  // core/commands/get_attachment.cpp
void MoveItems(CommandContext& ctx);  // core/commands/move_items.cpp
// core/commands/compose_mail.cpp: one path for the three.
void SendMail(CommandContext& ctx);
void SmartReply(CommandContext& ctx);
void SmartForward(CommandContext& ctx);
void Provision(CommandContext& ctx);
void MeetingResponse(CommandContext& ctx);  // core/commands/meeting_response.cpp
void ResolveRecipients(CommandContext& ctx);  // core/commands/resolve_recipients.cpp
void ValidateCert(CommandContext& ctx);  // core/commands/validate_cert.cpp
void Search(CommandContext& ctx);  // core/commands/search.cpp
void Find(CommandContext& ctx);    // core/commands/find.cpp

}  // namespace eas::core::commands
