#include "storage/field_codec.hpp"

#include "storage/codec.hpp"

namespace eas::storage {
namespace {

constexpr char kEndMarker = 0;
constexpr size_t kMaxVarintBytes = 10;

void AppendVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Consumes one varint from the front of *in; false if truncated or longer
// than 64 bits.
bool ConsumeVarint(std::string_view* in, uint64_t* out) {
  // Lengths and most numbers fit in one byte: no loop for them.
  if (!in->empty() && static_cast<unsigned char>((*in)[0]) < 0x80) {
    *out = static_cast<unsigned char>((*in)[0]);
    in->remove_prefix(1);
    return true;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < kMaxVarintBytes && i < in->size(); ++i) {
    uint64_t byte = static_cast<unsigned char>((*in)[i]);
    if (i == kMaxVarintBytes - 1 && byte > 1) return false;  // > 64 bits
    v |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      in->remove_prefix(i + 1);
      *out = v;
      return true;
    }
  }
  return false;
}

}  // namespace

FieldWriter::FieldWriter(bool nested) : nested_(nested) {
  if (!nested_) out_.push_back(static_cast<char>(kFormatVersion));
}

void FieldWriter::Uint(uint8_t tag, uint64_t value) {
  std::string varint;
  AppendVarint(&varint, value);
  Bytes(tag, varint);
}

void FieldWriter::Bytes(uint8_t tag, std::string_view value) {
  out_.push_back(static_cast<char>(tag));
  AppendVarint(&out_, value.size());
  out_.append(value);
}

std::string FieldWriter::Finish() && {
  if (!nested_) out_.push_back(kEndMarker);
  return std::move(out_);
}

FieldReader::FieldReader(std::string_view in, bool nested) : in_(in), nested_(nested) {
  if (nested_) return;
  if (in_.empty()) {
    why_ = "empty value";
  } else if (static_cast<unsigned char>(in_[0]) != kFormatVersion) {
    why_ = "unsupported format version";
  } else {
    in_.remove_prefix(1);
  }
}

bool FieldReader::NextSlow(uint8_t* tag, std::string_view* value) {
  if (why_ != nullptr || done_) return false;
  if (in_.empty()) {
    if (!nested_) why_ = "missing end marker (truncated value)";
    done_ = true;
    return false;
  }
  if (in_[0] == kEndMarker) {
    if (nested_) {
      why_ = "zero tag in nested field";
    } else if (in_.size() != 1) {
      why_ = "bytes after end marker";
    }
    done_ = true;
    return false;
  }
  *tag = static_cast<uint8_t>(in_[0]);
  in_.remove_prefix(1);
  uint64_t length = 0;
  if (!ConsumeVarint(&in_, &length)) {
    why_ = "bad field length";
    return false;
  }
  if (length > in_.size()) {
    why_ = "field longer than the value (truncated value)";
    return false;
  }
  *value = in_.substr(0, length);
  in_.remove_prefix(length);
  return true;
}

bool ParseVarintSlow(std::string_view field, uint64_t* out) {
  return ConsumeVarint(&field, out) && field.empty();
}

}  // namespace eas::storage
