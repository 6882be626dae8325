#include "core/wbxml/xml_dump.hpp"

#include <cstdio>
#include <string_view>

#include "core/util/xml_text.hpp"

namespace eas::core::wbxml {
namespace {

// Opaque payloads up to this size are shown whole; larger ones are cut.
constexpr size_t kOpaqueShown = 1024;
constexpr size_t kOpaquePreview = 48;

void AppendBase64(std::string* out, std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out->push_back(kAlphabet[v >> 18]);
    out->push_back(kAlphabet[(v >> 12) & 63]);
    out->push_back(kAlphabet[(v >> 6) & 63]);
    out->push_back(kAlphabet[v & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 0) return;
  uint32_t v = uint8_t(bytes[i]) << 16;
  if (rest == 2) v |= uint8_t(bytes[i + 1]) << 8;
  out->push_back(kAlphabet[v >> 18]);
  out->push_back(kAlphabet[(v >> 12) & 63]);
  out->push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
  out->push_back('=');
}

void AppendName(std::string* out, Tag tag) {
  if (const char* name = TagName(tag)) {
    out->append(name);
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "unknown-%u-0x%02x", unsigned(tag.page), unsigned(tag.token));
  out->append(buf);
}

void AppendText(std::string* out, const Element& e) {
  if (!e.opaque) {
    util::AppendXmlEscaped(out, e.text);
    return;
  }
  out->append("<!--opaque " + std::to_string(e.text.size()) + " bytes-->");
  if (e.text.size() <= kOpaqueShown) {
    AppendBase64(out, e.text);
  } else {
    AppendBase64(out, std::string_view(e.text).substr(0, kOpaquePreview));
    out->append("...");
  }
}

void Append(std::string* out, const Element& e, int parent_page) {
  out->push_back('<');
  AppendName(out, e.tag);
  if (e.tag.page != parent_page) {
    const char* ns = PageNamespace(e.tag.page);
    out->append(" xmlns=\"");
    out->append(ns != nullptr ? ns : "unknown:");
    out->push_back('"');
  }
  if (e.text.empty() && !e.opaque && e.children.empty()) {
    out->append("/>");
    return;
  }
  out->push_back('>');
  AppendText(out, e);
  for (const Element& c : e.children) Append(out, c, e.tag.page);
  out->append("</");
  AppendName(out, e.tag);
  out->push_back('>');
}

}  // namespace

std::string ToXml(const Element& root) {
  std::string out;
  Append(&out, root, -1);
  return out;
}

bool SameTree(const Element& a, const Element& b) {
  if (!(a.tag == b.tag) || a.opaque != b.opaque || a.text != b.text ||
      a.children.size() != b.children.size()) {
    return false;
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!SameTree(a.children[i], b.children[i])) return false;
  }
  return true;
}

}  // namespace eas::core::wbxml
