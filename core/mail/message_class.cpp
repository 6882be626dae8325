#include "core/mail/message_class.hpp"

#include <cctype>

namespace eas::core::mail {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(s[i])) !=
        std::toupper(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

// The value of a property line "NAME;params:value" ("" if another name).
bool PropertyValue(std::string_view line, std::string_view name, std::string_view& params,
                   std::string_view& value) {
  if (!StartsWithNoCase(line, name) || line.size() == name.size()) return false;
  char next = line[name.size()];
  if (next != ':' && next != ';') return false;
  size_t colon = line.find(':', name.size());
  if (colon == std::string_view::npos) return false;
  params = line.substr(name.size(), colon - name.size());
  value = line.substr(colon + 1);
  return true;
}

}  // namespace

CalendarSummary SummarizeCalendar(std::string_view ics) {
  // Unfold (a line starting with space or tab continues the previous one).
  std::string text;
  text.reserve(ics.size());
  for (size_t i = 0; i < ics.size(); ++i) {
    char c = ics[i];
    if (c == '\r') continue;
    if (c == '\n' && i + 1 < ics.size() && (ics[i + 1] == ' ' || ics[i + 1] == '\t')) {
      ++i;
      continue;
    }
    text += c;
  }
  CalendarSummary out;
  std::string_view rest(text);
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    std::string_view params, value;
    if (out.method.empty() && PropertyValue(line, "METHOD", params, value)) {
      out.method = Upper(value);
    } else if (out.partstat.empty() && PropertyValue(line, "ATTENDEE", params, value)) {
      std::string up = Upper(params);
      size_t at = up.find(";PARTSTAT=");
      if (at != std::string::npos) {
        size_t start = at + 10;
        size_t end = up.find_first_of(";:", start);
        out.partstat = up.substr(start, end == std::string::npos ? end : end - start);
        if (!out.partstat.empty() && out.partstat.front() == '"') {
          out.partstat.erase(0, 1);
          if (!out.partstat.empty() && out.partstat.back() == '"') out.partstat.pop_back();
        }
      }
    }
  }
  return out;
}

std::string MessageClassOf(const MessageClassInput& in) {
  if (in.top_type == "multipart/signed") return "IPM.Note.SMIME.MultipartSigned";
  if (in.top_type == "application/pkcs7-mime" || in.top_type == "application/x-pkcs7-mime")
    return "IPM.Note.SMIME";
  const std::string_view m = in.calendar_method;
  if (m == "REQUEST" || m == "ADD") return "IPM.Schedule.Meeting.Request";
  if (m == "CANCEL") return "IPM.Schedule.Meeting.Canceled";
  if (m == "REPLY") {
    if (in.calendar_partstat == "ACCEPTED") return "IPM.Schedule.Meeting.Resp.Pos";
    if (in.calendar_partstat == "DECLINED") return "IPM.Schedule.Meeting.Resp.Neg";
    if (in.calendar_partstat == "TENTATIVE") return "IPM.Schedule.Meeting.Resp.Tent";
  }
  return "IPM.Note";
}

}  // namespace eas::core::mail
