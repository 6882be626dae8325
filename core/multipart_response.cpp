#include "core/multipart_response.hpp"

#include <cstdint>
#include <limits>

namespace eas::core {
namespace {

constexpr uint64_t kMaxBody = std::numeric_limits<int32_t>::max();

void AppendLe32(std::string& out, uint64_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace

Result<std::string> EncodeMultipart(std::string_view wbxml, const std::vector<std::string>& parts) {
  const uint64_t count = parts.size() + 1;
  const uint64_t header = 4 + 8 * count;
  uint64_t size = header + wbxml.size();
  for (const auto& p : parts) size += p.size();
  if (size > kMaxBody) {
    return Status::Invalid("multipart answer of " + std::to_string(size) +
                           " bytes is over the format's 2 GiB");
  }
  std::string out;
  out.reserve(size);
  AppendLe32(out, count);
  uint64_t offset = header;
  AppendLe32(out, offset);
  AppendLe32(out, wbxml.size());
  offset += wbxml.size();
  for (const auto& p : parts) {
    AppendLe32(out, offset);
    AppendLe32(out, p.size());
    offset += p.size();
  }
  out += wbxml;
  for (const auto& p : parts) out += p;
  return out;
}

}  // namespace eas::core
