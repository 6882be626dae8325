#include "core/mail/quote.hpp"

#include <ctime>

#include "core/util/html_escape.hpp"

namespace eas::core::mail {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Where `needle` (lower case) first (or, with `last`, last) occurs in
// `hay` in any letter case; npos when it does not.
size_t FindNoCase(std::string_view hay, std::string_view needle, bool last = false) {
  if (needle.size() > hay.size()) return std::string_view::npos;
  size_t found = std::string_view::npos;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && Lower(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) {
      found = i;
      if (!last) break;
    }
  }
  return found;
}

std::string Sender(const MessageRecord& m) {
  if (m.from.empty()) return "an unknown sender";
  const Address& a = m.from.front();
  if (a.name.empty()) return a.address;
  if (a.address.empty()) return a.name;
  return a.name + " <" + a.address + ">";
}

}  // namespace

std::string QuoteIntro(const MessageRecord& original) {
  const time_t t = static_cast<time_t>(original.date);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char date[64];
  // %e pads the day with a space; the number is written without it.
  strftime(date, sizeof date, "%a, %%d %b %Y at %H:%M UTC", &tm);
  std::string when(date);
  when.replace(when.find("%d"), 2, std::to_string(tm.tm_mday));
  return "On " + when + ", " + Sender(original) + " wrote:";
}

std::string QuotePlain(std::string_view intro, std::string_view text) {
  std::string out = "\n";
  out.append(intro);
  out += '\n';
  std::string quoted;
  size_t kept = 0;  // quoted's size up to its last line with text
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    quoted += line.empty() || line.front() == '>' ? ">" : "> ";
    quoted.append(line);
    quoted += '\n';
    if (!line.empty()) kept = quoted.size();
  }
  quoted.resize(kept);
  return out + quoted;
}

std::string_view HtmlBodyContent(std::string_view html) {
  size_t open = FindNoCase(html, "<body");
  if (open == std::string_view::npos) return html;
  size_t start = html.find('>', open);
  if (start == std::string_view::npos) return html;
  ++start;
  size_t close = FindNoCase(html.substr(start), "</body", true);
  return html.substr(start, close);
}

std::string QuoteHtml(std::string_view intro, std::string_view html, std::string_view text) {
  std::string out = "<div><br></div><div>";
  util::AppendHtmlText(out, intro);
  out += "</div><blockquote type=\"cite\" style=\"margin:0 0 0 .8ex;"
         "border-left:1px solid #ccc;padding-left:1ex\">";
  if (!html.empty()) {
    out.append(HtmlBodyContent(html));
  } else {
    out += "<div>";
    util::AppendHtmlText(out, text);
    out += "</div>";
  }
  out += "</blockquote>";
  return out;
}

std::string AppendToHtml(std::string_view html, std::string_view addition) {
  size_t close = FindNoCase(html, "</body", true);
  if (close == std::string_view::npos) close = html.size();
  std::string out(html.substr(0, close));
  out.append(addition);
  out.append(html.substr(close));
  return out;
}

}  // namespace eas::core::mail
