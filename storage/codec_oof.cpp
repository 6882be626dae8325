// The out-of-office record (codec.hpp describes the layout); each
// audience's message is a nested record.
#include <utility>

#include "storage/codec.hpp"
#include "storage/field_codec.hpp"

namespace eas::storage {
namespace {

// Field tags. Never reuse or renumber a tag: old values still carry it.
enum OofTag : uint8_t {
  kOofState = 1, kOofStart = 2, kOofEnd = 3, kOofInternal = 4, kOofExternalKnown = 5,
  kOofExternalUnknown = 6,
};
enum OofMessageTag : uint8_t { kMsgEnabled = 1, kMsgHtml = 2, kMsgReply = 3 };

std::string EncodeMessage(const OofMessage& m) {
  FieldWriter w(/*nested=*/true);
  w.Uint(kMsgEnabled, m.enabled ? 1 : 0);
  w.Uint(kMsgHtml, m.html ? 1 : 0);
  w.Bytes(kMsgReply, m.reply);
  return std::move(w).Finish();
}

bool ParseFlag(std::string_view v, bool* out) {
  uint8_t flag = 0;
  if (!ParseUint(v, &flag) || flag > 1) return false;
  *out = flag == 1;
  return true;
}

const char* DecodeMessage(std::string_view in, OofMessage* out) {
  FieldReader reader(in, /*nested=*/true);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    bool ok = true;
    switch (tag) {
      case kMsgEnabled: ok = ParseFlag(v, &out->enabled); break;
      case kMsgHtml: ok = ParseFlag(v, &out->html); break;
      case kMsgReply: out->reply.assign(v); break;
      default: break;
    }
    if (!ok) return "bad out-of-office flag";
  }
  return reader.why();
}

}  // namespace

std::string EncodeOof(const OofRecord& r) {
  FieldWriter w;
  w.Uint(kOofState, r.state);
  w.Uint(kOofStart, r.start);
  w.Uint(kOofEnd, r.end);
  w.Bytes(kOofInternal, EncodeMessage(r.internal));
  w.Bytes(kOofExternalKnown, EncodeMessage(r.external_known));
  w.Bytes(kOofExternalUnknown, EncodeMessage(r.external_unknown));
  return std::move(w).Finish();
}

const char* DecodeOof(std::string_view in, OofRecord* out) {
  OofRecord r;
  FieldReader reader(in);
  uint8_t tag = 0;
  std::string_view v;
  while (reader.Next(&tag, &v)) {
    const char* why = nullptr;
    switch (tag) {
      case kOofState: if (!ParseUint(v, &r.state)) why = "bad integer field"; break;
      case kOofStart: if (!ParseUint(v, &r.start)) why = "bad integer field"; break;
      case kOofEnd: if (!ParseUint(v, &r.end)) why = "bad integer field"; break;
      case kOofInternal: why = DecodeMessage(v, &r.internal); break;
      case kOofExternalKnown: why = DecodeMessage(v, &r.external_known); break;
      case kOofExternalUnknown: why = DecodeMessage(v, &r.external_unknown); break;
      default: break;
    }
    if (why != nullptr) return why;
  }
  if (reader.why() != nullptr) return reader.why();
  *out = std::move(r);
  return nullptr;
}

}  // namespace eas::storage
