#include "core/mail/conversation.hpp"

#include <glib.h>

#include <algorithm>
#include <cctype>

#include "core/util/base64.hpp"
#include "core/util/digest.hpp"

namespace eas::core::mail {
namespace {

// UTF-16 code units counted by MS-OXOMSG ("up to 255 of the first
// nonzero characters").
constexpr size_t kMaxTopicUnits = 255;

void AppendUtf16Le(std::string& out, uint32_t unit) {
  out += static_cast<char>(unit & 0xFF);
  out += static_cast<char>(unit >> 8);
}

}  // namespace

std::string_view NormalizedSubject(std::string_view subject) {
  static constexpr std::string_view kPrefixes[] = {"re", "fw", "fwd", "aw", "wg", "sv",
                                                    "vs", "antw", "tr", "rif", "r"};
  for (bool again = true; again;) {
    again = false;
    while (!subject.empty() && (subject.front() == ' ' || subject.front() == '\t')) {
      subject.remove_prefix(1);
    }
    size_t colon = subject.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 4) break;
    std::string prefix(subject.substr(0, colon));
    std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::string_view p : kPrefixes) {
      if (prefix == p) {
        subject.remove_prefix(colon + 1);
        again = true;
        break;
      }
    }
  }
  return subject;
}

std::string ConversationIdOf(std::string_view subject) {
  const std::string_view topic = NormalizedSubject(subject);
  std::string utf16;
  size_t units = 0;
  // GLib's case mapping is the locale-independent one ("i" is "I").
  for (const char* p = topic.data(); p < topic.data() + topic.size() && units < kMaxTopicUnits;) {
    gunichar c = g_utf8_get_char_validated(p, topic.data() + topic.size() - p);
    if (c == static_cast<gunichar>(-1) || c == static_cast<gunichar>(-2)) break;  // not UTF-8
    p = g_utf8_next_char(p);
    if (c == 0) continue;
    c = g_unichar_toupper(c);
    if (c >= 0x10000) {
      if (units + 2 > kMaxTopicUnits) break;
      c -= 0x10000;
      AppendUtf16Le(utf16, 0xD800 + (c >> 10));
      AppendUtf16Le(utf16, 0xDC00 + (c & 0x3FF));
      units += 2;
    } else {
      AppendUtf16Le(utf16, c);
      ++units;
    }
  }
  if (utf16.empty()) return {};
  return util::Md5(utf16);
}

std::string ConversationIndexOf(std::string_view thread_index_header, uint64_t date,
                                std::string_view conversation_id) {
  std::string header(thread_index_header);
  header.erase(std::remove_if(header.begin(), header.end(),
                              [](unsigned char c) { return std::isspace(c); }),
               header.end());
  if (auto index = util::Base64Decode(header);
      index && index->size() >= 22 && (index->size() - 22) % 5 == 0 && (*index)[0] == 1) {
    return *index;
  }
  if (conversation_id.size() != 16) return {};
  // FILETIME: 100 ns steps since 1601-01-01.
  const uint64_t filetime = (date + 11644473600ull) * 10000000ull;
  std::string index(1, '\x01');
  for (int shift = 56; shift >= 24; shift -= 8) index += static_cast<char>(filetime >> shift);
  index.append(conversation_id);
  return index;
}

}  // namespace eas::core::mail
