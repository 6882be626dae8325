// Direct WBXML token writer. Misuse (unbalanced tags, text outside the
// root, a second root, a tag libwbxml does not know) is a programming error
// and throws std::logic_error; nothing here depends on client input.
#include "core/wbxml/writer.hpp"

#include "core/wbxml/element.hpp"

#include <stdexcept>
#include <string>

namespace eas::core::wbxml {
namespace {

// WBXML 1.3, public id 1 (unknown: ActiveSync is anonymous), UTF-8 (106 =
// 0x6A), string table length 0.
constexpr char kHeader[] = {0x03, 0x01, 0x6A, 0x00};
constexpr size_t kHeaderSize = sizeof(kHeader);
constexpr size_t kInitialReserve = 4096;

constexpr char kSwitchPage = 0x00;
constexpr char kEnd = 0x01;
constexpr char kStrI = 0x03;
constexpr char kOpaque = static_cast<char>(0xC3);
constexpr uint8_t kContentBit = 0x40;

// mb_u_int32: big-endian groups of 7 bits, continuation bit on all but last.
void AppendMbUint32(std::string* out, uint32_t v) {
  char buf[5];
  int n = 5;
  buf[--n] = static_cast<char>(v & 0x7F);
  while ((v >>= 7) != 0) buf[--n] = static_cast<char>(0x80 | (v & 0x7F));
  out->append(buf + n, 5 - n);
}

[[noreturn]] void Misuse(const std::string& what) {
  throw std::logic_error("wbxml::Writer: " + what);
}

}  // namespace

Writer::Writer() {
  out_.reserve(kInitialReserve);
  out_.append(kHeader, kHeaderSize);
}

void Writer::Token(Tag t, bool content) {
  if (!IsKnown(t)) {
    Misuse("tag page " + std::to_string(t.page) + " token " + std::to_string(t.token) +
           " is not in libwbxml's ActiveSync table");
  }
  // With no open tag, anything past the header means the root is complete.
  if (open_.empty() && out_.size() > kHeaderSize) Misuse("second root element");
  if (t.page != page_) {
    out_.push_back(kSwitchPage);
    out_.push_back(static_cast<char>(t.page));
    page_ = t.page;
  }
  out_.push_back(static_cast<char>(t.token | (content ? kContentBit : 0)));
}

void Writer::Start(Tag t) {
  Token(t, true);
  open_.push_back(t);
}

void Writer::End() {
  if (open_.empty()) Misuse("End() without an open tag");
  out_.push_back(kEnd);
  open_.pop_back();
}

void Writer::Empty(Tag t) { Token(t, false); }

void Writer::Text(std::string_view utf8) {
  if (open_.empty()) Misuse("Text() outside the root element");
  utf8 = utf8.substr(0, utf8.find('\0'));  // STR_I cannot carry a NUL
  if (utf8.empty()) return;
  out_.push_back(kStrI);
  out_.append(utf8);
  out_.push_back('\0');
}

void Writer::Opaque(std::string_view bytes) {
  if (open_.empty()) Misuse("Opaque() outside the root element");
  if (bytes.size() > UINT32_MAX) Misuse("Opaque() larger than 4 GiB");
  out_.push_back(kOpaque);
  AppendMbUint32(&out_, static_cast<uint32_t>(bytes.size()));
  out_.append(bytes);
}

void Writer::Fragment(std::string_view tokens) {
  if (open_.empty()) Misuse("Fragment() outside the root element");
  out_.append(tokens);
  page_ = kUnknownPage;
}

void Writer::Element(Tag t, std::string_view text) {
  text = text.substr(0, text.find('\0'));
  if (text.empty()) {
    Empty(t);
    return;
  }
  Start(t);
  Text(text);
  End();
}

std::string Writer::Take() {
  if (!open_.empty()) Misuse("Take() with " + std::to_string(open_.size()) + " open tag(s)");
  if (out_.size() == kHeaderSize) Misuse("Take() without a root element");
  std::string doc = std::move(out_);
  // Ready for another document; no buffer until one is written (a Writer
  // per Sync item is let go right after).
  out_.assign(kHeader, kHeaderSize);
  page_ = 0;
  return doc;
}

}  // namespace eas::core::wbxml

namespace eas::core::wbxml {

std::string Writer::TakeFragment() {
  std::string fragment = Take();
  fragment.erase(0, kHeaderSize);  // in place: no second buffer and copy
  return fragment;
}

void WriteElement(Writer& w, const Element& e) {
  if (!e.children.empty()) {
    w.Start(e.tag);
    for (const auto& c : e.children) WriteElement(w, c);
    w.End();
  } else if (e.opaque) {
    w.Start(e.tag);
    w.Opaque(e.text);
    w.End();
  } else {
    w.Element(e.tag, e.text);
  }
}

}  // namespace eas::core::wbxml
