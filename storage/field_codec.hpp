// The tagged field layer under codec.hpp: a writer that appends fields and
// a reader that walks them, checking every length against the input.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace eas::storage {

// Builds one value: the version byte first (unless nested), then fields.
class FieldWriter {
 public:
  // A nested writer omits the version byte and the end marker.
  explicit FieldWriter(bool nested = false);
  // Pre-allocates for a value of about `bytes` (large item bodies).
  void Reserve(size_t bytes) { out_.reserve(bytes); }
  void Uint(uint8_t tag, uint64_t value);
  void Bytes(uint8_t tag, std::string_view value);
  // Appends the end marker (top level only) and yields the bytes.
  std::string Finish() &&;

 private:
  std::string out_;
  bool nested_;
};

// Walks the fields of one value. Next() answers false at the end or on
// malformed input; why() then tells which (nullptr = clean end).
class FieldReader {
 public:
  explicit FieldReader(std::string_view in, bool nested = false);
  // The usual field (a tag, a one-byte length, its bytes) is read inline:
  // records are decoded field by field on every request. The rest, the end
  // marker and every error take NextSlow.
  bool Next(uint8_t* tag, std::string_view* value) {
    if (in_.size() >= 2 && why_ == nullptr && !done_) {
      const auto t = static_cast<unsigned char>(in_[0]);
      const auto n = static_cast<unsigned char>(in_[1]);
      if (t != 0 && n < 0x80 && n <= in_.size() - 2) {
        *tag = t;
        *value = in_.substr(2, n);
        in_.remove_prefix(2 + size_t{n});
        return true;
      }
    }
    return NextSlow(tag, value);
  }
  const char* why() const { return why_; }

 private:
  bool NextSlow(uint8_t* tag, std::string_view* value);

  std::string_view in_;
  bool nested_;
  bool done_ = false;
  const char* why_ = nullptr;
};

bool ParseVarintSlow(std::string_view field, uint64_t* out);

// Reads a field holding exactly one varint. Inline for the one-byte ones
// (ids, flags, enums: most integer fields of the records read per request).
inline bool ParseVarint(std::string_view field, uint64_t* out) {
  if (field.size() == 1 && static_cast<unsigned char>(field[0]) < 0x80) {
    *out = static_cast<unsigned char>(field[0]);
    return true;
  }
  return ParseVarintSlow(field, out);
}

// Reads a field holding exactly one varint that fits in T.
template <class T>
bool ParseUint(std::string_view field, T* out) {
  uint64_t v = 0;
  if (!ParseVarint(field, &v) || v > std::numeric_limits<T>::max()) return false;
  *out = static_cast<T>(v);
  return true;
}

}  // namespace eas::storage
