// MS-ASHTTP request line: the plain query (Cmd=...&User=...) and the
// base64-encoded binary form (MS-ASHTTP 2.2.1.1.1.1).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.hpp"

namespace eas::core {

struct Query {
  std::string cmd;              // "FolderSync", ... as the client spelled it
  std::string user;             // as sent; may be "DOMAIN\user" or "user@domain"
  std::string device_id;
  std::string device_type;
  std::string protocol_version; // from the base64 form; else empty (header wins)
  std::string policy_key;       // base64 form carries it as uint32; decimal here
  std::string attachment_name, collection_id, item_id, long_id, parent_id,
      occurrence;
  bool save_in_sent = false;
  bool accept_multipart = false;
  bool base64_form = false;
};

// Parses the query string (the part after '?', still %-encoded). Either form
// is detected by content: a plain query contains '='; anything else must be
// valid base64 of the binary form. Unknown plain parameters are ignored.
// kInvalidArgument with a reason for malformed input.
Result<Query> ParseQuery(std::string_view query_string);
// The same into *out, which must be a fresh Query (unspecified after an
// error): the request path parses every request line and skips moving it.
Status ParseQuery(std::string_view query_string, Query* out);

// The binary form of `q` as base64, for tests and tools.
std::string EncodeBase64Query(const Query& q, std::string_view protocol_version);

}  // namespace eas::core
