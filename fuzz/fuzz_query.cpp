// libFuzzer target for the MS-ASHTTP request line parser (plain and base64
// query forms). A query that parses must re-encode to the base64 form and
// parse again to the same fields.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = eas::core::ParseQuery(input);
  if (!parsed.ok()) return 0;
  std::string again;
  try {
    again = eas::core::EncodeBase64Query(*parsed, "14.1");
  } catch (const std::exception&) {
    return 0;  // a field the binary form cannot carry (e.g. over 255 bytes)
  }
  auto reparsed = eas::core::ParseQuery(again);
  if (!reparsed.ok() || reparsed->cmd != parsed->cmd ||
      reparsed->device_id != parsed->device_id ||
      reparsed->device_type != parsed->device_type || reparsed->user != parsed->user) {
    abort();
  }
  return 0;
}
