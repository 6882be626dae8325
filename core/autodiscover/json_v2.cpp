#include "core/autodiscover/json_v2.hpp"

#include <cstdio>

namespace eas::core::autodiscover {
namespace {

void AppendJsonString(std::string* out, std::string_view text) {
  out->push_back('"');
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out->append(escaped);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

bool IsActiveSync(std::string_view protocol) {
  constexpr std::string_view kName = "activesync";
  if (protocol.size() != kName.size()) return false;
  for (size_t i = 0; i < kName.size(); ++i) {
    char c = protocol[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kName[i]) return false;
  }
  return true;
}

JsonAnswer Error(int http_status, std::string_view code, std::string_view message) {
  JsonAnswer a;
  a.http_status = http_status;
  a.body = "{\"ErrorCode\":";
  AppendJsonString(&a.body, code);
  a.body += ",\"ErrorMessage\":";
  AppendJsonString(&a.body, message);
  a.body += "}";
  return a;
}

}  // namespace

JsonAnswer AnswerJsonV2(std::string_view protocol, std::string_view email,
                        std::string_view activesync_url) {
  if (!IsActiveSync(protocol)) {
    return Error(400, "InvalidProtocol",
                 "The given protocol value '" + std::string(protocol) +
                     "' is invalid. Supported values are 'ActiveSync'.");
  }
  if (email.find('@') == std::string_view::npos) {
    return Error(400, "InvalidEmail", "An e-mail address is required (Email=ADDRESS).");
  }
  JsonAnswer a;
  a.body = "{\"Protocol\":\"ActiveSync\",\"Url\":";
  AppendJsonString(&a.body, activesync_url);
  a.body += "}";
  return a;
}

}  // namespace eas::core::autodiscover
