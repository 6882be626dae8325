// MS-ASHTTP 2.2.1.1.1 request line. Both forms end up in one Query; every
// length is checked before it is used, and every limit is a kConstant.
//
// Binary form (2.2.1.1.1.1), all integers little-endian:
//   protocol version  1 byte, major*10+minor (141 = "14.1")
//   command code      1 byte (2.2.1.1.1.1.2)
//   locale            2 bytes (0x0409 = en-US); read and dropped
//   device id         1 length byte + bytes
//   policy key        1 length byte (0 or 4) + uint32
//   device type       1 length byte + bytes
//   parameters        (tag, length, value)* to the end (2.2.1.1.1.1.3)
// The spec's example "jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l" carries the
// device id "v140Device" as its ASCII bytes, equivalent to the plain
// DeviceId=v140Device.
#include "core/query.hpp"

#include <charconv>
#include <cstdint>
#include <iterator>
#include <stdexcept>

#include "core/util/base64.hpp"
#include "core/util/hex.hpp"

namespace eas::core {
namespace {

// nginx itself allows long request lines; no real client comes near this.
constexpr size_t kMaxQueryLength = 4096;
// Exchange documents 32 for DeviceId; some clients send longer ids, and the
// binary form allows 255, so be lenient but bounded.
constexpr size_t kMaxDeviceIdLength = 64;
constexpr size_t kMaxDeviceTypeLength = 64;
constexpr size_t kMaxCmdLength = 32;
constexpr size_t kMaxUserLength = 256;
constexpr size_t kMaxIdLength = 1024;  // CollectionId, ItemId, names, ...

constexpr uint8_t kOptionSaveInSent = 0x01;
constexpr uint8_t kOptionAcceptMultiPart = 0x02;

// MS-ASHTTP 2.2.1.1.1.1.2. Codes 5..8 are unassigned. Find (23) came with
// protocol 16.1.
struct CommandCode {
  uint8_t code;
  const char* name;
};
constexpr CommandCode kCommands[] = {
    {0, "Sync"},             {1, "SendMail"},          {2, "SmartForward"},
    {3, "SmartReply"},       {4, "GetAttachment"},     {9, "FolderSync"},
    {10, "FolderCreate"},    {11, "FolderDelete"},     {12, "FolderUpdate"},
    {13, "MoveItems"},       {14, "GetItemEstimate"},  {15, "MeetingResponse"},
    {16, "Search"},          {17, "Settings"},         {18, "Ping"},
    {19, "ItemOperations"},  {20, "Provision"},        {21, "ResolveRecipients"},
    {22, "ValidateCert"},    {23, "Find"},
};

// MS-ASHTTP 2.2.1.1.1.1.3. Tag 5 (ParentId) is not in the current table but
// older clients send it; it maps onto the plain form's ParentId.
enum Tag : uint8_t {
  kTagAttachmentName = 0,
  kTagCollectionId = 1,
  kTagItemId = 3,
  kTagLongId = 4,
  kTagParentId = 5,
  kTagOccurrence = 6,
  kTagOptions = 7,
  kTagUser = 8,
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XY escapes; '+' is a space only in the plain form's values (the base64
// alphabet uses '+'). False on a malformed escape. *out is `in` itself when
// it has no escape (the usual case), else the text decoded into *scratch.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* scratch,
                   std::string_view* out) {
  bool escaped = false;
  for (char c : in) escaped |= c == '%' || (c == '+' && plus_is_space);
  if (!escaped) {
    *out = in;
    return true;
  }
  scratch->clear();
  scratch->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *scratch += static_cast<char>(hi << 4 | lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      *scratch += ' ';
    } else {
      *scratch += c;
    }
  }
  *out = *scratch;
  return true;
}

// The same into a string of its own.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  std::string_view decoded;
  if (!PercentDecode(in, plus_is_space, out, &decoded)) return false;
  if (decoded.data() != out->data()) out->assign(decoded);
  return true;
}

// Control bytes have no business in any field and would corrupt log lines.
bool HasControl(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

// Device ids and types become storage keys: printable ASCII, no space and
// no comma (2.2.1.1.1.2.3: "MUST NOT contain commas or special characters").
bool IsDeviceToken(std::string_view s) {
  for (unsigned char c : s)
    if (c <= 0x20 || c >= 0x7f || c == ',') return false;
  return true;
}

Status CheckField(std::string_view name, std::string_view value, size_t max) {
  if (value.size() > max) return Status::Invalid(std::string(name) + " too long");
  if (HasControl(value))
    return Status::Invalid(std::string(name) + " contains control characters");
  return Status::Ok();
}

// The checks both forms share once the fields are filled in.
Status Validate(const Query& q) {
  if (q.cmd.empty()) return Status::Invalid("missing Cmd");
  if (q.device_id.empty()) return Status::Invalid("missing DeviceId");
  if (q.device_type.empty()) return Status::Invalid("missing DeviceType");
  if (q.cmd.size() > kMaxCmdLength) return Status::Invalid("Cmd too long");
  if (q.device_id.size() > kMaxDeviceIdLength) return Status::Invalid("DeviceId too long");
  if (q.device_type.size() > kMaxDeviceTypeLength)
    return Status::Invalid("DeviceType too long");
  if (!IsDeviceToken(q.cmd)) return Status::Invalid("bad Cmd");
  if (!IsDeviceToken(q.device_id)) return Status::Invalid("bad DeviceId");
  if (!IsDeviceToken(q.device_type)) return Status::Invalid("bad DeviceType");
  struct {
    const char* name;
    const std::string& value;
    size_t max;
  } const fields[] = {
      {"User", q.user, kMaxUserLength},
      {"AttachmentName", q.attachment_name, kMaxIdLength},
      {"CollectionId", q.collection_id, kMaxIdLength},
      {"ItemId", q.item_id, kMaxIdLength},
      {"LongId", q.long_id, kMaxIdLength},
      {"ParentId", q.parent_id, kMaxIdLength},
      {"Occurrence", q.occurrence, kMaxIdLength},
  };
  for (const auto& f : fields) {
    Status s = CheckField(f.name, f.value, f.max);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// --- plain form (2.2.1.1.1.2) ---------------------------------------------

Status ParseBool(std::string_view name, std::string_view value, bool* out) {
  if (value == "T") *out = true;
  else if (value == "F") *out = false;
  else return Status::Invalid(std::string(name) + " must be T or F");
  return Status::Ok();
}

Status ParsePlain(std::string_view qs, Query& q) {
  static const struct {
    std::string_view name;
    std::string Query::*field;
  } kStrings[] = {
      {"Cmd", &Query::cmd},
      {"User", &Query::user},
      {"DeviceId", &Query::device_id},
      {"DeviceType", &Query::device_type},
      {"AttachmentName", &Query::attachment_name},
      {"CollectionId", &Query::collection_id},
      {"ItemId", &Query::item_id},
      {"LongId", &Query::long_id},
      {"ParentId", &Query::parent_id},
      {"Occurrence", &Query::occurrence},
  };
  constexpr uint32_t kSaveInSentBit = 1u << 30, kAcceptMultiPartBit = 1u << 31;
  // A repeated parameter is refused rather than resolved: two Cmd values
  // could mean different things to a proxy and to us.
  uint32_t seen = 0;
  // Values are decoded straight into their field; these hold only what has
  // no field: an escaped name, a T/F flag, an unknown parameter's value.
  std::string name_buf, scratch;
  while (!qs.empty()) {
    size_t amp = qs.find('&');
    std::string_view pair = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    std::string_view name;
    if (!PercentDecode(raw_name, true, &name_buf, &name)) {
      return Status::Invalid("bad %-escape in query");
    }

    uint32_t bit = 0;
    std::string* value = &scratch;
    bool* flag = nullptr;
    for (size_t i = 0; i < std::size(kStrings); ++i) {
      if (name == kStrings[i].name) {
        bit = 1u << i;
        value = &(q.*kStrings[i].field);
        break;
      }
    }
    if (name == "SaveInSent") {
      bit = kSaveInSentBit;
      flag = &q.save_in_sent;
    } else if (name == "AcceptMultiPart") {
      bit = kAcceptMultiPartBit;
      flag = &q.accept_multipart;
    }
    if (!PercentDecode(raw_value, true, value)) return Status::Invalid("bad %-escape in query");
    if (flag != nullptr) {
      Status s = ParseBool(name, *value, flag);
      if (!s.ok()) return s;
    }
    if (bit == 0) continue;  // unknown parameter: ignored, as documented
    if (seen & bit) return Status::Invalid("repeated parameter " + std::string(name));
    seen |= bit;
  }
  return Validate(q);
}

// --- binary form (2.2.1.1.1.1) --------------------------------------------

// A bounds-checked cursor over the decoded bytes.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool empty() const { return pos_ == data_.size(); }
  bool Byte(uint8_t* out) {
    if (pos_ + 1 > data_.size()) return false;
    *out = static_cast<uint8_t>(data_[pos_++]);
    return true;
  }
  bool Bytes(size_t n, std::string_view* out) {
    if (n > data_.size() - pos_) return false;
    *out = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  // One length byte, then that many bytes.
  bool Counted(std::string_view* out) {
    uint8_t n;
    return Byte(&n) && Bytes(n, out);
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

uint32_t LoadLe32(std::string_view b) {
  return static_cast<uint32_t>(static_cast<uint8_t>(b[0])) |
         static_cast<uint32_t>(static_cast<uint8_t>(b[1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[2])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[3])) << 24;
}

// The spec allows "a string or a GUID" here. Printable ids are kept as
// sent (so both forms name one device); a binary GUID becomes upper-case
// hex, the spelling such clients use in the plain form.
std::string DeviceIdFromBytes(std::string_view b) {
  if (IsDeviceToken(b)) return std::string(b);
  return util::Hex(b, /*upper=*/true);
}

Status ParseBinary(std::string_view qs, Query& q) {
  std::string unescaped;
  if (!PercentDecode(qs, false, &unescaped)) return Status::Invalid("bad %-escape in query");
  std::optional<std::string> bytes = util::Base64Decode(unescaped);
  if (!bytes) return Status::Invalid("query is neither plain nor base64");

  q.base64_form = true;
  Reader r(*bytes);
  uint8_t version, code;
  std::string_view locale, device_id, policy_key, device_type;
  if (!r.Byte(&version) || !r.Byte(&code) || !r.Bytes(2, &locale) ||
      !r.Counted(&device_id) || !r.Counted(&policy_key) || !r.Counted(&device_type))
    return Status::Invalid("base64 query truncated");
  if (version < 10) return Status::Invalid("bad protocol version in base64 query");
  q.protocol_version = std::to_string(version / 10) + "." + std::to_string(version % 10);
  for (const auto& c : kCommands)
    if (c.code == code) q.cmd = c.name;
  if (q.cmd.empty()) return Status::Invalid("unknown command code " + std::to_string(code));
  q.device_id = DeviceIdFromBytes(device_id);
  if (policy_key.size() == 4) {
    q.policy_key = std::to_string(LoadLe32(policy_key));
  } else if (!policy_key.empty()) {
    return Status::Invalid("policy key length must be 0 or 4");
  }
  q.device_type = std::string(device_type);

  uint32_t seen = 0;
  while (!r.empty()) {
    uint8_t tag;
    std::string_view value;
    if (!r.Byte(&tag) || !r.Counted(&value))
      return Status::Invalid("base64 query parameter truncated");
    if (tag < 32) {
      if (seen & (1u << tag)) return Status::Invalid("repeated base64 query parameter");
      seen |= 1u << tag;
    }
    switch (tag) {
      case kTagAttachmentName: q.attachment_name = value; break;
      case kTagCollectionId: q.collection_id = value; break;
      case kTagItemId: q.item_id = value; break;
      case kTagLongId: q.long_id = value; break;
      case kTagParentId: q.parent_id = value; break;
      case kTagOccurrence: q.occurrence = value; break;
      case kTagUser: q.user = value; break;
      case kTagOptions: {
        if (value.size() != 1) return Status::Invalid("Options must be one byte");
        uint8_t options = static_cast<uint8_t>(value[0]);
        q.save_in_sent = options & kOptionSaveInSent;
        q.accept_multipart = options & kOptionAcceptMultiPart;
        break;
      }
      default: break;  // unknown tag: skipped, like unknown plain parameters
    }
  }
  return Validate(q);
}

// "14.1" -> 141; throws on anything else.
uint8_t VersionByte(std::string_view v) {
  size_t dot = v.find('.');
  unsigned major = 0, minor = 0;
  if (dot == std::string_view::npos || dot + 2 != v.size())
    throw std::invalid_argument("protocol version must look like 14.1");
  auto [p1, e1] = std::from_chars(v.data(), v.data() + dot, major);
  auto [p2, e2] = std::from_chars(v.data() + dot + 1, v.data() + v.size(), minor);
  if (e1 != std::errc() || e2 != std::errc() || p1 != v.data() + dot ||
      p2 != v.data() + v.size() || major < 1 || major > 25 || minor > 9)
    throw std::invalid_argument("protocol version must look like 14.1");
  return static_cast<uint8_t>(major * 10 + minor);
}

void AppendCounted(std::string* out, std::string_view value) {
  if (value.size() > 255) throw std::invalid_argument("base64 query field longer than 255");
  *out += static_cast<char>(value.size());
  *out += value;
}

}  // namespace

Status ParseQuery(std::string_view query_string, Query* out) {
  if (query_string.size() > kMaxQueryLength) return Status::Invalid("query too long");
  if (query_string.empty()) return Status::Invalid("empty query");
  // Base64 never holds '&', and holds '=' only as trailing padding; a plain
  // query has at least one '=' followed by more text ("Cmd=Sync...").
  std::string_view trimmed = query_string;
  while (!trimmed.empty() && trimmed.back() == '=') trimmed.remove_suffix(1);
  bool plain = trimmed.find_first_of("=&") != std::string_view::npos;
  return plain ? ParsePlain(query_string, *out) : ParseBinary(query_string, *out);
}

Result<Query> ParseQuery(std::string_view query_string) {
  return Filled<Query>([&](Query* q) { return ParseQuery(query_string, q); });
}

// Throws std::invalid_argument for what the binary form cannot carry: an
// unknown command, a malformed version or policy key, a field over 255
// bytes. Tools and tests only; never on a request path.
std::string EncodeBase64Query(const Query& q, std::string_view protocol_version) {
  std::string b;
  b += static_cast<char>(VersionByte(protocol_version));
  const CommandCode* command = nullptr;
  for (const auto& c : kCommands)
    if (q.cmd == c.name) command = &c;
  if (!command) throw std::invalid_argument("no command code for " + q.cmd);
  b += static_cast<char>(command->code);
  b += '\x09';  // locale 0x0409 (en-US), little-endian
  b += '\x04';
  AppendCounted(&b, q.device_id);
  if (q.policy_key.empty()) {
    b += '\0';
  } else {
    uint32_t key = 0;
    auto [p, ec] = std::from_chars(q.policy_key.data(),
                                   q.policy_key.data() + q.policy_key.size(), key);
    if (ec != std::errc() || p != q.policy_key.data() + q.policy_key.size())
      throw std::invalid_argument("policy key must be a uint32");
    b += '\x04';
    for (int i = 0; i < 4; ++i) b += static_cast<char>((key >> (8 * i)) & 0xff);
  }
  AppendCounted(&b, q.device_type);
  const struct {
    Tag tag;
    const std::string& value;
  } params[] = {
      {kTagAttachmentName, q.attachment_name}, {kTagCollectionId, q.collection_id},
      {kTagItemId, q.item_id},                 {kTagLongId, q.long_id},
      {kTagParentId, q.parent_id},             {kTagOccurrence, q.occurrence},
      {kTagUser, q.user},
  };
  for (const auto& p : params) {
    if (p.value.empty()) continue;
    b += static_cast<char>(p.tag);
    AppendCounted(&b, p.value);
  }
  uint8_t options = (q.save_in_sent ? kOptionSaveInSent : 0) |
                    (q.accept_multipart ? kOptionAcceptMultiPart : 0);
  if (options) {
    b += static_cast<char>(kTagOptions);
    b += '\x01';
    b += static_cast<char>(options);
  }
  return util::Base64Encode(b);
}

}  // namespace eas::core
