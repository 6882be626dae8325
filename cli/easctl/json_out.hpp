// Minimal JSON output for easctl --json: an array of flat string objects.
#pragma once

#include <initializer_list>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace eas::cli {

class JsonArray {
 public:
  explicit JsonArray(std::ostream& out) : out_(out) { out_ << "["; }
  ~JsonArray() { out_ << (first_ ? "]\n" : "\n]\n"); }
  JsonArray(const JsonArray&) = delete;
  JsonArray& operator=(const JsonArray&) = delete;

  void Object(std::initializer_list<std::pair<const char*, std::string>> fields) {
    Fields({fields.begin(), fields.end()});
  }

  // The same, from fields built at run time.
  void Fields(const std::vector<std::pair<const char*, std::string>>& fields) {
    out_ << (first_ ? "\n  {" : ",\n  {");
    first_ = false;
    bool first_field = true;
    for (const auto& [key, value] : fields) {
      out_ << (first_field ? "" : ", ") << '"' << key << "\": " << Quote(value);
      first_field = false;
    }
    out_ << "}";
  }

  static std::string Quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        char buf[8];
        snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  }

 private:
  std::ostream& out_;
  bool first_ = true;
};

}  // namespace eas::cli
