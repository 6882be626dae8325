#include "core/mail/auto_reply_message.hpp"

#include <algorithm>

#include "core/mail/header_values.hpp"
#include "core/util/base64.hpp"

namespace eas::core::mail {
namespace {

bool PlainAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// "Name" <address>, the name quoted or encoded as it needs.
std::string Mailbox(const SenderIdentity& who) {
  if (who.name.empty()) return "<" + who.address + ">";
  std::string name;
  if (PlainAscii(who.name)) {
    name = "\"";
    for (char c : who.name) {
      if (c == '"' || c == '\\') name += '\\';
      name += c;
    }
    name += "\"";
  } else {
    name = EncodeHeaderText(who.name);
  }
  return name + " <" + who.address + ">";
}

// Base64 in lines of 76 characters (RFC 2045).
std::string Base64Lines(std::string_view data) {
  const std::string b64 = util::Base64Encode(data);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

// A header value on one line: CR and LF from a stored field never start
// a header of their own.
std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

}  // namespace

std::string EncodeHeaderText(std::string_view utf8) {
  if (PlainAscii(utf8)) return std::string(utf8);
  // 45 bytes make 60 base64 characters: 72 with "=?UTF-8?B?" and "?=".
  constexpr size_t kChunk = 45;
  std::string out;
  size_t pos = 0;
  while (pos < utf8.size()) {
    size_t end = std::min(utf8.size(), pos + kChunk);
    // Never split a character: back up to a lead byte.
    while (end < utf8.size() && end > pos + 1 &&
           (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + util::Base64Encode(utf8.substr(pos, end - pos)) + "?=";
    pos = end;
  }
  return out;
}

std::string BuildAutoReply(const SenderIdentity& from, std::string_view to,
                           const MessageRecord& original, const storage::OofMessage& reply,
                           uint64_t now) {
  std::string m;
  m += "From: " + Mailbox(from) + "\r\n";
  m += "To: <" + OneLine(to) + ">\r\n";
  m += "Subject: " + EncodeHeaderText("Auto: " + OneLine(original.subject)) + "\r\n";
  m += "Date: " + RfcDate(now) + "\r\n";
  m += "Message-ID: <" + NewMessageId(from.address, "oof.") + ">\r\n";
  if (!original.message_id.empty()) {
    const std::string id = "<" + OneLine(original.message_id) + ">";
    m += "In-Reply-To: " + id + "\r\n";
    m += "References:";
    for (const std::string& ref : original.references) m += " <" + OneLine(ref) + ">\r\n";
    m += " " + id + "\r\n";
  }
  m += "Auto-Submitted: auto-replied\r\n";
  m += "X-Auto-Response-Suppress: All\r\n";  // Exchange and Outlook: no reply to this
  m += "MIME-Version: 1.0\r\n";
  m += std::string("Content-Type: ") + (reply.html ? "text/html" : "text/plain") +
       "; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n\r\n";
  m += Base64Lines(reply.reply);
  return m;
}

}  // namespace eas::core::mail
