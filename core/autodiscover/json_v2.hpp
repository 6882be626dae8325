// AutodiscoverV2, the JSON lookup Outlook (mobile and desktop) tries first:
// GET /autodiscover/autodiscover.json?Email=ADDRESS&Protocol=ActiveSync
// answers {"Protocol":"ActiveSync","Url":"..."}. It carries no secret, so
// it needs no credentials (as Exchange's does not).
#pragma once

#include <string>
#include <string_view>

namespace eas::core::autodiscover {

struct JsonAnswer {
  int http_status = 200;
  std::string body;
};

// `protocol`: the Protocol parameter as sent (any letter case); only
// ActiveSync is served here. `email`: the address asked about (needed).
JsonAnswer AnswerJsonV2(std::string_view protocol, std::string_view email,
                        std::string_view activesync_url);

}  // namespace eas::core::autodiscover
