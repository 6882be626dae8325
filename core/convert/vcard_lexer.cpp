#include "core/convert/vcard_lexer.hpp"

#include <algorithm>
#include <cctype>

#include "core/convert/text_lines.hpp"
#include "core/convert/vcard_text.hpp"

namespace eas::core::convert {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

struct LogicalLine {
  int number = 0;
  std::string text;
};

bool IsQuotedPrintable(std::string_view line) {
  size_t colon = line.find(':');
  return Upper(line.substr(0, colon)).find("QUOTED-PRINTABLE") != std::string::npos;
}

// Physical lines joined: a line starting with a space or tab continues the
// previous one (RFC 6350 3.2); a quoted-printable value ending in '=' goes
// on in the next line (vCard 2.1 soft line break).
std::vector<LogicalLine> Unfold(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
  std::vector<LogicalLine> lines;
  bool soft_break = false;
  int number = 0;
  while (!text.empty()) {
    std::string_view line = TakeLine(&text);
    ++number;
    if (soft_break && !lines.empty()) {
      lines.back().text.pop_back();  // the '='
      lines.back().text.append(line);
    } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !lines.empty()) {
      lines.back().text.append(line.substr(1));
    } else {
      lines.push_back({number, std::string(line)});
    }
    const std::string& last = lines.empty() ? std::string() : lines.back().text;
    soft_break = !last.empty() && last.back() == '=' && IsQuotedPrintable(last);
  }
  return lines;
}

// Parses `text` (one logical line) into `p`; an error message on failure.
std::string ParseLine(const LogicalLine& line, VProperty* p) {
  std::string_view s = line.text;
  p->line = line.number;
  size_t i = 0;
  while (i < s.size() && (IsNameChar(s[i]) || s[i] == '.')) ++i;
  std::string_view name = s.substr(0, i);
  if (size_t dot = name.rfind('.'); dot != std::string_view::npos) {
    p->group = std::string(name.substr(0, dot));
    name.remove_prefix(dot + 1);
  }
  if (name.empty()) return "a content line without a property name";
  p->name = Upper(name);
  while (i < s.size() && s[i] == ';') {
    size_t start = ++i;
    while (i < s.size() && IsNameChar(s[i])) ++i;
    std::string pname = Upper(s.substr(start, i - start));
    if (i >= s.size() || s[i] != '=') {  // vCard 2.1 bare parameter
      if (pname.empty()) return "an empty parameter";
      bool encoding = pname == "QUOTED-PRINTABLE" || pname == "BASE64" || pname == "8BIT";
      p->params.emplace_back(encoding ? "ENCODING" : "TYPE", pname);
      continue;
    }
    do {
      ++i;  // '=' or ','
      std::string value;
      if (i < s.size() && s[i] == '"') {
        size_t close = s.find('"', i + 1);
        if (close == std::string_view::npos) return "an unterminated quoted parameter value";
        value = std::string(s.substr(i + 1, close - i - 1));
        i = close + 1;
      } else {
        size_t start_value = i;
        while (i < s.size() && s[i] != ',' && s[i] != ';' && s[i] != ':') ++i;
        value = std::string(s.substr(start_value, i - start_value));
      }
      p->params.emplace_back(pname, std::move(value));
    } while (i < s.size() && s[i] == ',');
  }
  if (i >= s.size() || s[i] != ':') return "a content line without ':'";
  std::string value(s.substr(i + 1));

  if (Upper(p->Param("ENCODING")) == "QUOTED-PRINTABLE") value = DecodeQuotedPrintable(value);
  std::string charset = Lower(p->Param("CHARSET"));
  bool latin1 = charset == "iso-8859-1" || charset == "latin1" || charset == "windows-1252";
  if (latin1 || !IsValidUtf8(value)) value = Latin1ToUtf8(value);
  p->value = std::move(value);
  return {};
}

bool Is(const VProperty& p, std::string_view name, std::string_view value) {
  return p.name == name && Upper(p.value) == value;
}

}  // namespace

std::string VProperty::Param(std::string_view wanted) const {
  for (const auto& [n, v] : params) {
    if (n == wanted) return v;
  }
  return {};
}

std::vector<std::string> VProperty::Types() const {
  std::vector<std::string> out;
  for (const auto& [n, v] : params) {
    if (n != "TYPE") continue;
    for (const std::string& t : SplitUnescaped(v, ',')) {
      if (!t.empty()) out.push_back(Lower(t));
    }
  }
  return out;
}

bool VProperty::HasType(std::string_view lower_case_type) const {
  auto types = Types();
  return std::find(types.begin(), types.end(), lower_case_type) != types.end();
}

std::vector<VCardBlock> SplitVCards(std::string_view text) {
  std::vector<VCardBlock> blocks;
  bool open = false;
  for (const LogicalLine& line : Unfold(text)) {
    if (line.text.find_first_not_of(" \t") == std::string::npos) continue;
    VProperty p;
    std::string error = ParseLine(line, &p);
    if (error.empty() && Is(p, "BEGIN", "VCARD")) {
      if (open) blocks.back().error = "line " + std::to_string(line.number) +
                                      ": BEGIN:VCARD before END:VCARD";
      blocks.emplace_back();
      blocks.back().line = line.number;
      open = true;
      continue;
    }
    if (!open) continue;  // text between cards is not ours to judge
    VCardBlock& block = blocks.back();
    if (error.empty() && Is(p, "END", "VCARD")) {
      open = false;
    } else if (!error.empty()) {
      if (block.error.empty()) block.error = "line " + std::to_string(line.number) + ": " + error;
    } else {
      block.properties.push_back(std::move(p));
    }
  }
  if (open && blocks.back().error.empty()) blocks.back().error = "no END:VCARD";
  return blocks;
}

}  // namespace eas::core::convert
