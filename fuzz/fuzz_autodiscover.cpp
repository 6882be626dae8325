// libFuzzer target for Autodiscover (core/autodiscover): the input is the
// body of a POST to autodiscover.xml from anyone with a password, and also
// the e-mail address of the GET flavours (the JSON v2 lookup and the Apple
// profile). Whatever was asked, an XML answer must be well-formed XML: an
// address echoed into it must not break out of its element.
#include <libxml/parser.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/autodiscover/answer.hpp"
#include "core/util/libxml_doc.hpp"

namespace {

using namespace eas::core;

[[noreturn]] void Die(const char* what, const std::string& body) {
  std::fprintf(stderr, "fuzz_autodiscover: %s\n%s\n", what, body.c_str());
  std::abort();
}

void CheckWellFormed(const Response& r) {
  if (r.body.empty() || r.content_type == "application/json") return;
  util::InitXmlParserOnce();
  util::XmlDocPtr doc(xmlReadMemory(r.body.data(), static_cast<int>(r.body.size()), nullptr,
                                    nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                 XML_PARSE_NOWARNING));
  if (!doc) Die("the answer is not well-formed XML", r.body);
}

Response Ask(const Request& request, autodiscover::Endpoint endpoint,
             const eas::storage::UserRecord* user) {
  Response r;
  autodiscover::Answer(request, endpoint, user, r);
  CheckWellFormed(r);
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  eas::storage::UserRecord alice;
  alice.name = "alice";
  alice.display_name = "Alice <&> \"A\"";
  alice.addresses = {"alice@example.org", "Alice.Alias@example.org"};

  Request post;
  post.method = "POST";
  post.path = "/autodiscover/autodiscover.xml";
  post.body = in;
  post.basic_user = "alice";
  post.now = 1700000000;
  post.options.autodiscover = true;
  post.options.activesync_url = "https://mail.example.org/Microsoft-Server-ActiveSync";
  Ask(post, autodiscover::Endpoint::kMobileSyncXml, &alice);

  const std::string query = "Protocol=ActiveSync&Email=" + in;
  const std::string path = "/autodiscover/autodiscover.json/v1.0/" + in;
  Request get = post;
  get.method = "GET";
  get.body = {};
  get.query_string = query;
  get.path = path;
  Ask(get, autodiscover::ClassifyPath(get.path), &alice);
  get.path = "/autodiscover/autodiscover.json";
  Ask(get, autodiscover::Endpoint::kJsonV2, nullptr);
  get.path = "/email.mobileconfig";
  get.query_string = std::string_view(query).substr(query.find("Email="));
  Ask(get, autodiscover::Endpoint::kAppleProfile, &alice);
  return 0;
}
