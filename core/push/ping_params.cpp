#include "core/push/ping_params.hpp"

#include <algorithm>
#include <charconv>

#include "core/util/text_record.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::push {
namespace {

namespace ping = wbxml::tags::ping;

// MS-ASCMD 2.2.3.27.4; SMS since 14.0.
constexpr std::string_view kClasses[] = {"Email", "Calendar", "Contacts", "Tasks",
                                         "Notes", "SMS"};
// MS-ASCMD 2.2.3.90: an Id has at most 64 characters.
constexpr size_t kMaxIdSize = 64;
// Larger than any heartbeat we accept; keeps the number sane before the
// range check answers Status 5.
constexpr uint64_t kMaxHeartbeatText = 1u << 31;

}  // namespace

// "P1 <heartbeat> <n> (<blob id> <blob class>)..."
std::string EncodePingParams(const PingParams& p) {
  util::TextRecordWriter w("P1");
  w.Number(p.heartbeat).Number(p.folders.size());
  for (const auto& f : p.folders) w.Blob(f.id).Blob(f.klass);
  return w.Take();
}

std::optional<PingParams> DecodePingParams(std::string_view bytes) {
  util::TextRecordReader r(bytes);
  PingParams p;
  uint64_t n = 0;
  if (!r.Magic("P1") || !r.Number(p.heartbeat) || !r.Number(n) || n > r.remaining()) {
    return std::nullopt;
  }
  p.folders.resize(n);
  for (auto& f : p.folders) {
    if (!r.Blob(f.id) || !r.Blob(f.klass)) return std::nullopt;
  }
  if (!r.AtEnd()) return std::nullopt;
  return p;
}

std::optional<PingRequest> ParsePingRequest(const wbxml::Element* body, std::string* why) {
  PingRequest req;
  if (body == nullptr) return req;
  if (!(body->tag == ping::kPing)) {
    *why = "the root element is not Ping";
    return std::nullopt;
  }
  if (const wbxml::Element* hb = body->Child(ping::kHeartbeatInterval)) {
    uint64_t seconds = 0;
    const std::string& text = hb->text;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() ||
        seconds > kMaxHeartbeatText) {
      *why = "HeartbeatInterval \"" + text + "\" is not a number of seconds";
      return std::nullopt;
    }
    req.heartbeat = seconds;
  }
  if (const wbxml::Element* folders = body->Child(ping::kFolders)) {
    std::vector<PingFolder> list;
    for (const wbxml::Element* folder : folders->Children(ping::kFolder)) {
      PingFolder f;
      f.id = std::string(folder->ChildText(ping::kId));
      f.klass = std::string(folder->ChildText(ping::kClass));
      if (f.id.empty() || f.id.size() > kMaxIdSize) {
        *why = "a Folder without a valid Id";
        return std::nullopt;
      }
      if (!f.klass.empty() &&
          std::find(std::begin(kClasses), std::end(kClasses), f.klass) == std::end(kClasses)) {
        *why = "unknown Class \"" + f.klass + "\"";
        return std::nullopt;
      }
      if (std::any_of(list.begin(), list.end(), [&](const PingFolder& g) { return g.id == f.id; })) {
        *why = "folder " + f.id + " is listed twice";
        return std::nullopt;
      }
      list.push_back(std::move(f));
    }
    if (list.empty()) {
      *why = "Folders without a Folder";
      return std::nullopt;
    }
    req.folders = std::move(list);
  }
  // <Ping/> with neither part is taken as an empty Ping: the remembered
  // parameters, or Status 3.
  return req;
}

}  // namespace eas::core::push
