// A tiny text-with-blobs record format for sync states: numbers as decimal
// text (readable in a store dump), blobs length-prefixed ("3:abc") so any
// bytes fit. Used by the hierarchy and collection sync states.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace eas::core::util {

class TextRecordWriter {
 public:
  explicit TextRecordWriter(std::string_view magic) : out_(magic) {}
  TextRecordWriter& Number(uint64_t v) {
    out_ += ' ';
    out_ += std::to_string(v);
    return *this;
  }
  TextRecordWriter& Blob(std::string_view blob) {
    out_ += ' ';
    out_ += std::to_string(blob.size());
    out_ += ':';
    out_.append(blob);
    return *this;
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Every method returns false on malformed input; the record is then unusable.
class TextRecordReader {
 public:
  explicit TextRecordReader(std::string_view in) : in_(in) {}
  bool Magic(std::string_view magic) {
    if (in_.substr(0, magic.size()) != magic) return false;
    in_.remove_prefix(magic.size());
    return true;
  }
  bool Number(uint64_t& v) {
    if (!Space()) return false;
    auto [p, ec] = std::from_chars(in_.data(), in_.data() + in_.size(), v);
    if (ec != std::errc()) return false;
    in_.remove_prefix(static_cast<size_t>(p - in_.data()));
    return true;
  }
  bool Blob(std::string& out) {
    std::string_view view;
    if (!Blob(view)) return false;
    out.assign(view);
    return true;
  }
  // The blob as a view into the input.
  bool Blob(std::string_view& out) {
    uint64_t n = 0;
    if (!Number(n) || in_.empty() || in_.front() != ':') return false;
    in_.remove_prefix(1);
    if (n > in_.size()) return false;
    out = in_.substr(0, n);
    in_.remove_prefix(n);
    return true;
  }
  bool AtEnd() const { return in_.empty(); }
  size_t remaining() const { return in_.size(); }

 private:
  bool Space() {
    if (in_.empty() || in_.front() != ' ') return false;
    in_.remove_prefix(1);
    return true;
  }
  std::string_view in_;
};

}  // namespace eas::core::util
