// The body of a multipart ItemOperations answer (MS-ASCMD 2.2.1.10.1.1,
// Content-Type application/vnd.ms-sync.multipart), asked for with
// MS-ASAcceptMultiPart: T or the AcceptMultiPart query flag: the WBXML
// answer and each fetched body or attachment as raw bytes, so a client reads
// large data piece by piece instead of decoding base64 out of the WBXML.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"

namespace eas::core {

inline constexpr std::string_view kMultipartContentType = "application/vnd.ms-sync.multipart";

// The parts a multipart answer sends after its WBXML. The WBXML is part 0,
// so the first added part is 1: the number the WBXML's itemoperations:Part
// element carries in place of the inline Data.
class MultipartParts {
 public:
  // Takes `bytes` as the next part; returns its index in the answer.
  size_t Add(std::string bytes) {
    parts_.push_back(std::move(bytes));
    return parts_.size();
  }
  const std::vector<std::string>& parts() const { return parts_; }

 private:
  std::vector<std::string> parts_;
};

// PartsCount, then an (Offset, Length) pair per part, then the parts: the
// WBXML first, then `parts` in order. Every integer is 32 bits,
// little-endian; an offset counts from the start of the body.
// kInvalidArgument when the body would not fit those integers (2 GiB: they
// are signed in the clients that read them).
Result<std::string> EncodeMultipart(std::string_view wbxml, const std::vector<std::string>& parts);

}  // namespace eas::core
