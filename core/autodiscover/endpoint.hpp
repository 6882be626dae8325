// Which Autodiscover flavour a request path asks for. Clients spell the
// path in every letter case (Outlook "Autodiscover/Autodiscover.xml", iOS
// "autodiscover/autodiscover.xml"), so the match ignores case.
#pragma once

#include <string>
#include <string_view>

namespace eas::core::autodiscover {

enum class Endpoint {
  kNone,
  kMobileSyncXml,  // POST .../autodiscover/autodiscover.xml (MS-ASCMD 2.2.1.1)
  kJsonV2,         // GET .../autodiscover/autodiscover.json[/v1.0/ADDRESS]
  kAppleProfile,   // GET .../email.mobileconfig?email=ADDRESS
};

Endpoint ClassifyPath(std::string_view path);

// AutodiscoverV2 names the address either in the path
// (/autodiscover/autodiscover.json/v1.0/ADDRESS) or in the query (Email=);
// the path wins. Empty when neither does.
std::string JsonV2Address(std::string_view path, std::string_view query_string);

// The value of `name` (any letter case) in an URL query string,
// percent-decoded ('+' as a space); empty when absent.
std::string QueryParameter(std::string_view query_string, std::string_view name);

}  // namespace eas::core::autodiscover
