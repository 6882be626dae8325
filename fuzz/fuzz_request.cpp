// libFuzzer target for the whole request path: a hostile body for every
// command through the Service façade, as the nginx glue calls it, on a
// temporary store where alice and her device exist (request_fixture.hpp).
// Input: byte 0 picks the command, byte 1 the protocol version (and, in
// its high bits, a MIME body and a multipart answer); the rest is the
// body. Findings besides crashes: an answer of 500 (an exception escaped a
// handler: bad input must get the protocol's status) and a WBXML answer
// that does not decode.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include "core/wbxml/decoder.hpp"
#include "fuzz/request_fixture.hpp"

namespace {

constexpr std::string_view kCommands[] = {
    "FolderSync", "FolderCreate", "FolderUpdate", "FolderDelete", "Settings",
    "Sync", "SendMail", "SmartForward", "SmartReply", "GetAttachment",
    "MoveItems", "GetItemEstimate", "MeetingResponse", "Search", "Ping",
    "ItemOperations", "Provision", "ResolveRecipients", "ValidateCert", "Find",
};
constexpr std::string_view kVersions[] = {"2.5", "12.0", "12.1", "14.0", "14.1", "16.0", "16.1"};
constexpr uint8_t kMimeBody = 0x80;       // Content-Type: message/rfc822
constexpr uint8_t kAcceptMultipart = 0x40;

// A fresh store now and then, so that what earlier inputs wrote does not
// grow without bound.
constexpr unsigned kInputsPerStore = 5000;

eas::fuzz::RequestFixture& Fixture() {
  static std::unique_ptr<eas::fuzz::RequestFixture> fixture;
  static unsigned inputs = 0;
  if (!fixture) std::atexit([] { fixture.reset(); });  // the store's directory goes
  if (!fixture || ++inputs % kInputsPerStore == 0) {
    fixture.reset();
    fixture = std::make_unique<eas::fuzz::RequestFixture>();
  }
  return *fixture;
}

[[noreturn]] void Die(const std::string& query, const eas::core::Response& r, const char* what) {
  std::fprintf(stderr, "fuzz_request: %s: %s HTTP %d\n", query.c_str(), what, r.http_status);
  for (const auto& line : r.log) std::fprintf(stderr, "  log: %s\n", line.text.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::string_view cmd = kCommands[data[0] % std::size(kCommands)];
  const std::string_view version = kVersions[(data[1] & 0x3f) % std::size(kVersions)];
  const std::string query = "Cmd=" + std::string(cmd) + "&User=alice&DeviceId=" +
                            eas::fuzz::kDevice + "&DeviceType=iPhone";
  const std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);

  eas::core::Request request = eas::fuzz::RequestFixture::From(query, version, body);
  if (data[1] & kMimeBody) request.content_type = "message/rfc822";
  request.accept_multipart = (data[1] & kAcceptMultipart) != 0;
  const eas::core::Response r = Fixture().Handle(request);

  if (r.http_status >= 500) Die(query, r, "server error");
  if (r.content_type == eas::core::kWbxmlContentType && !r.body.empty()) {
    if (auto answer = eas::core::wbxml::Decode(r.body); !answer.ok()) {
      std::fprintf(stderr, "%s\n", answer.status().message().c_str());
      Die(query, r, "the WBXML answer does not decode");
    }
  }
  return 0;
}
