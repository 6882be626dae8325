#include "core/mail/header_fields.hpp"

namespace eas::core::mail {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool SameText(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

void ForEachHeader(std::string_view message,
                   const std::function<bool(std::string_view, std::string_view)>& fn) {
  size_t pos = 0;
  std::string_view name;
  std::string value;
  bool open = false;  // a field is being read
  auto flush = [&] {
    if (!open) return true;
    open = false;
    return fn(name, Trim(value));
  };
  while (pos < message.size()) {
    size_t eol = message.find('\n', pos);
    std::string_view line = message.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    pos = eol == std::string_view::npos ? message.size() : eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of the header block
    if (line.front() == ' ' || line.front() == '\t') {
      if (open) value.append(" ").append(Trim(line));
      continue;
    }
    if (!flush()) return;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return;  // no header here
    name = Trim(line.substr(0, colon));
    value.assign(line.substr(colon + 1));
    open = true;
  }
  flush();
}

std::optional<std::string> FirstHeader(std::string_view message, std::string_view name) {
  std::optional<std::string> found;
  ForEachHeader(message, [&](std::string_view n, std::string_view v) {
    if (!SameText(n, name)) return true;
    found.emplace(v);
    return false;
  });
  return found;
}

}  // namespace eas::core::mail
