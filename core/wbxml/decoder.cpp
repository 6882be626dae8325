// A strict, iterative WBXML tokenizer for ActiveSync requests. It accepts
// only what ActiveSync clients send (no attributes, literals, extensions,
// entities or processing instructions) and checks every length against the
// input before reading, so hostile bytes give a Status, never a crash.
#include "core/wbxml/decoder.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace eas::core::wbxml {
namespace {

// Global tokens (WBXML 1.3 §7.1). Anything else with the low six bits >= 5
// is a tag.
enum : uint8_t {
  kSwitchPage = 0x00, kEnd = 0x01, kEntity = 0x02, kStrI = 0x03, kLiteral = 0x04,
  kExtI0 = 0x40, kExtI1 = 0x41, kExtI2 = 0x42, kPi = 0x43, kLiteralC = 0x44,
  kExtT0 = 0x80, kExtT1 = 0x81, kExtT2 = 0x82, kStrT = 0x83, kLiteralA = 0x84,
  kExt0 = 0xC0, kExt1 = 0xC1, kExt2 = 0xC2, kOpaque = 0xC3, kLiteralAc = 0xC4,
};
constexpr uint8_t kContentBit = 0x40;
constexpr uint8_t kAttributeBit = 0x80;
constexpr uint8_t kTokenMask = 0x3F;
constexpr uint32_t kPublicIdUnknown = 0x01;
constexpr uint32_t kPublicIdInStringTable = 0x00;
constexpr uint32_t kCharsetUtf8 = 106;

// The open elements, innermost last. Requests nest a handful of levels:
// those live inline (no allocation per request), deeper ones spill.
class OpenElements {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  Element* back() const { return size_ <= kInline ? inline_[size_ - 1] : spill_.back(); }
  void push_back(Element* e) {
    if (size_ < kInline) {
      inline_[size_] = e;
    } else {
      spill_.push_back(e);
    }
    ++size_;
  }
  void pop_back() {
    if (size_ > kInline) spill_.pop_back();
    --size_;
  }

 private:
  static constexpr size_t kInline = 16;
  Element* inline_[kInline];
  std::vector<Element*> spill_;
  size_t size_ = 0;
};

class Parser {
 public:
  Parser(std::string_view in, const DecodeLimits& limits, Element& root)
      : data_(reinterpret_cast<const uint8_t*>(in.data())), size_(in.size()), limits_(limits),
        root_(root) {}

  Status Run() {
    if (!Header() || !Body()) return status_;
    return Status::Ok();
  }

 private:
  // Records the first failure; always returns false so callers can
  // `return Fail(...)`.
  bool Fail(std::string_view what, size_t offset) {
    status_ = Status::Invalid("wbxml: " + std::string(what) + " at offset " +
                              std::to_string(offset));
    return false;
  }

  bool Byte(uint8_t* out, std::string_view what) {
    if (pos_ >= size_) return Fail(what, pos_);
    *out = data_[pos_++];
    return true;
  }

  // mb_u_int32: at most 5 bytes, and the value must fit 32 bits.
  bool MbUint32(uint32_t* out, std::string_view what) {
    const size_t start = pos_;
    uint32_t v = 0;
    for (int i = 0; i < 5; ++i) {
      if (pos_ >= size_) return Fail("truncated " + std::string(what), start);
      const uint8_t b = data_[pos_++];
      if ((v >> 25) != 0) return Fail(std::string(what) + " overflows 32 bits", start);
      v = (v << 7) | (b & 0x7F);
      if ((b & 0x80) == 0) {
        *out = v;
        return true;
      }
    }
    return Fail(std::string(what) + " longer than 5 bytes", start);
  }

  bool Header() {
    uint8_t version = 0;
    if (!Byte(&version, "truncated header")) return false;
    if (version < 0x01 || version > 0x03) return Fail("unsupported version", 0);
    uint32_t public_id = 0, public_index = 0;
    const size_t public_at = pos_;
    if (!MbUint32(&public_id, "public id")) return false;
    if (public_id == kPublicIdInStringTable) {
      if (!MbUint32(&public_index, "public id index")) return false;
    } else if (public_id != kPublicIdUnknown) {
      return Fail("unexpected public id", public_at);
    }
    const size_t charset_at = pos_;
    uint32_t charset = 0;
    if (!MbUint32(&charset, "charset")) return false;
    if (charset != kCharsetUtf8) return Fail("charset is not UTF-8", charset_at);
    const size_t strtbl_at = pos_;
    uint32_t strtbl_len = 0;
    if (!MbUint32(&strtbl_len, "string table length")) return false;
    if (strtbl_len > size_ - pos_) return Fail("string table longer than input", strtbl_at);
    strtbl_ = data_ + pos_;
    strtbl_len_ = strtbl_len;
    pos_ += strtbl_len;
    if (public_id == kPublicIdInStringTable && public_index >= strtbl_len_) {
      return Fail("public id index outside string table", public_at);
    }
    return true;
  }

  // Text at the current position needs an open element to belong to.
  Element* TextTarget(size_t at) {
    if (stack_.empty()) {
      Fail("content outside the root element", at);
      return nullptr;
    }
    return stack_.back();
  }

  bool Body() {
    while (pos_ < size_) {
      const size_t at = pos_;
      if (root_done_) return Fail("trailing bytes after the root element", at);
      const uint8_t b = data_[pos_++];
      switch (b) {
        case kSwitchPage: {
          uint8_t page = 0;
          if (!Byte(&page, "truncated SWITCH_PAGE")) return false;
          if (PageNamespace(page) == nullptr) return Fail("unknown code page", at);
          page_ = page;
          break;
        }
        case kEnd:
          if (stack_.empty()) return Fail("END without an open element", at);
          stack_.pop_back();
          if (stack_.empty()) root_done_ = true;
          break;
        case kStrI: {
          Element* e = TextTarget(at);
          if (e == nullptr) return false;
          const void* nul = std::memchr(data_ + pos_, 0, size_ - pos_);
          if (nul == nullptr) return Fail("unterminated STR_I", at);
          const size_t len = static_cast<const uint8_t*>(nul) - (data_ + pos_);
          e->text.append(reinterpret_cast<const char*>(data_ + pos_), len);
          pos_ += len + 1;
          break;
        }
        case kStrT: {
          Element* e = TextTarget(at);
          if (e == nullptr) return false;
          uint32_t offset = 0;
          if (!MbUint32(&offset, "STR_T offset")) return false;
          if (offset >= strtbl_len_) return Fail("STR_T offset outside string table", at);
          const void* nul = std::memchr(strtbl_ + offset, 0, strtbl_len_ - offset);
          if (nul == nullptr) return Fail("unterminated string table entry", at);
          const size_t len = static_cast<const uint8_t*>(nul) - (strtbl_ + offset);
          e->text.append(reinterpret_cast<const char*>(strtbl_ + offset), len);
          break;
        }
        case kOpaque: {
          Element* e = TextTarget(at);
          if (e == nullptr) return false;
          uint32_t len = 0;
          if (!MbUint32(&len, "OPAQUE length")) return false;
          if (len > size_ - pos_) return Fail("OPAQUE longer than input", at);
          e->text.append(reinterpret_cast<const char*>(data_ + pos_), len);
          e->opaque = true;
          pos_ += len;
          break;
        }
        case kEntity: return Fail("ENTITY not supported", at);
        case kPi: return Fail("processing instruction not supported", at);
        case kLiteral: case kLiteralA: case kLiteralC: case kLiteralAc:
          return Fail("literal tag not supported", at);
        case kExtI0: case kExtI1: case kExtI2: case kExtT0: case kExtT1: case kExtT2:
        case kExt0: case kExt1: case kExt2:
          return Fail("extension token not supported", at);
        default:
          if (!StartTag(b, at)) return false;
          break;
      }
    }
    if (!stack_.empty()) return Fail("truncated: element not closed", size_);
    if (!root_done_) return Fail("no root element", size_);
    return true;
  }

  // A tag token: a new child of the innermost open element (or the root),
  // pushed when it has content.
  bool StartTag(uint8_t b, size_t at) {
    if ((b & kAttributeBit) != 0) return Fail("attributes not supported", at);
    const Tag tag{page_, static_cast<uint8_t>(b & kTokenMask)};
    if (!IsKnown(tag)) return Fail("unknown tag", at);
    if (++elements_ > limits_.max_elements) return Fail("too many elements", at);
    if (stack_.size() + 1 > limits_.max_depth) return Fail("nesting too deep", at);
    Element* e;
    if (stack_.empty()) {
      e = &root_;
    } else {
      // Only the innermost open element's children grow, and no pointer on
      // the stack points into that vector, so the stack stays valid.
      std::vector<Element>& siblings = stack_.back()->children;
      if (siblings.empty()) siblings.reserve(4);  // most ActiveSync parents have a few
      e = &siblings.emplace_back();
    }
    e->tag = tag;
    if ((b & kContentBit) != 0) {
      stack_.push_back(e);
    } else if (stack_.empty()) {
      root_done_ = true;
    }
    return true;
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  const DecodeLimits& limits_;
  const uint8_t* strtbl_ = nullptr;
  size_t strtbl_len_ = 0;
  uint8_t page_ = 0;
  bool root_done_ = false;
  size_t elements_ = 0;
  Element& root_;
  OpenElements stack_;
  Status status_;
};

}  // namespace

Status Decode(std::string_view wbxml, Element* out, const DecodeLimits& limits) {
  return Parser(wbxml, limits, *out).Run();
}

Result<Element> Decode(std::string_view wbxml, const DecodeLimits& limits) {
  return Filled<Element>([&](Element* root) { return Decode(wbxml, root, limits); });
}

}  // namespace eas::core::wbxml
