#include "core/autodiscover/mobilesync.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "core/util/libxml_doc.hpp"
#include "core/util/xml_text.hpp"

namespace eas::core::autodiscover {
namespace {

constexpr std::string_view kXmlHead = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
constexpr std::string_view kOuterNamespace =
    "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";

bool LocalNameIs(const xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE && n->name != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
}

// The text of an element, trimmed (clients indent and wrap freely).
std::string TextOf(const xmlNode* n) {
  std::string text;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      text += reinterpret_cast<const char*>(c->content);
    }
  }
  const char* space = " \t\r\n";
  size_t first = text.find_first_not_of(space);
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

void OpenResponse(std::string* out) {
  out->append(kXmlHead);
  out->append("<Autodiscover xmlns=\"").append(kOuterNamespace).append("\">");
  out->append("<Response xmlns=\"").append(kMobileSyncResponseSchema).append("\">");
}

void CloseResponse(std::string* out) { out->append("</Response></Autodiscover>\n"); }

void AppendUser(std::string* out, std::string_view display_name, std::string_view email) {
  out->append("<Culture>en:us</Culture><User>");
  if (!display_name.empty()) util::AppendXmlElement(out, "DisplayName", display_name);
  util::AppendXmlElement(out, "EMailAddress", email);
  out->append("</User>");
}

}  // namespace

Result<MobileSyncRequest> ParseMobileSyncRequest(std::string_view xml) {
  if (xml.empty()) return Status::Invalid("empty request body");
  if (xml.size() > INT_MAX) return Status::Invalid("request body too large");
  util::InitXmlParserOnce();
  // No NOENT (entities stay unexpanded), no DTDLOAD, no network.
  util::XmlDocPtr doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) return Status::Invalid("request is not well-formed XML");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || !LocalNameIs(root, "Autodiscover")) {
    return Status::Invalid("root element is not Autodiscover");
  }
  const xmlNode* request = nullptr;
  for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
    if (!LocalNameIs(c, "Request")) continue;
    if (request != nullptr) return Status::Invalid("more than one Request element");
    request = c;
  }
  if (request == nullptr) return Status::Invalid("no Request element");
  MobileSyncRequest out;
  for (const xmlNode* c = request->children; c != nullptr; c = c->next) {
    if (LocalNameIs(c, "EMailAddress")) out.email = TextOf(c);
    if (LocalNameIs(c, "AcceptableResponseSchema")) out.acceptable_schema = TextOf(c);
  }
  if (out.email.empty()) return Status::Invalid("no EMailAddress in the Request");
  return out;
}

std::string MobileSyncSettings(std::string_view display_name, std::string_view email,
                               std::string_view activesync_url) {
  std::string out;
  OpenResponse(&out);
  AppendUser(&out, display_name, email);
  out.append("<Action><Settings><Server><Type>MobileSync</Type>");
  util::AppendXmlElement(&out, "Url", activesync_url);
  util::AppendXmlElement(&out, "Name", activesync_url);
  out.append("</Server></Settings></Action>");
  CloseResponse(&out);
  return out;
}

std::string MobileSyncRequestError(int error_code, std::string_view message, uint64_t now,
                                   uint32_t id) {
  char time[16];
  std::snprintf(time, sizeof time, "%02u:%02u:%02u", static_cast<unsigned>(now / 3600 % 24),
                static_cast<unsigned>(now / 60 % 60), static_cast<unsigned>(now % 60));
  // The response schema's own Response (no mobilesync namespace): the
  // shape its schema gives ErrorCode.
  std::string out(kXmlHead);
  out.append("<Autodiscover xmlns=\"").append(kOuterNamespace).append("\"><Response>");
  out.append("<Error Time=\"").append(time).append("\" Id=\"").append(std::to_string(id));
  out.append("\">");
  util::AppendXmlElement(&out, "ErrorCode", std::to_string(error_code));
  util::AppendXmlElement(&out, "Message", message);
  out.append("<DebugData/></Error></Response></Autodiscover>\n");
  return out;
}

std::string MobileSyncUserError(std::string_view email, std::string_view message) {
  std::string out;
  OpenResponse(&out);
  AppendUser(&out, {}, email);
  out.append("<Action><Error><Status>2</Status>");
  util::AppendXmlElement(&out, "Message", message);
  out.append("</Error></Action>");
  CloseResponse(&out);
  return out;
}

}  // namespace eas::core::autodiscover
