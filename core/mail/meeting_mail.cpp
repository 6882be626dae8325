#include "core/mail/meeting_mail.hpp"

#include <string_view>

#include "core/util/base64.hpp"

namespace eas::core::mail {
namespace {

// Base64 in lines of 76 (RFC 2045): the calendar and the text may be any
// UTF-8, and a relay without 8BITMIME takes this too.
std::string Base64Lines(std::string_view bytes) {
  const std::string flat = util::Base64Encode(bytes);
  std::string out;
  for (size_t i = 0; i < flat.size(); i += 76) out += flat.substr(i, 76) + "\r\n";
  return out;
}

std::string_view Verb(convert::ItipAnswer answer) {
  switch (answer) {
    case convert::ItipAnswer::kTentative: return "Tentative";
    case convert::ItipAnswer::kDeclined: return "Declined";
    default: return "Accepted";
  }
}

std::string_view Sentence(convert::ItipAnswer answer) {
  switch (answer) {
    case convert::ItipAnswer::kTentative: return "has tentatively accepted";
    case convert::ItipAnswer::kDeclined: return "has declined";
    default: return "has accepted";
  }
}

// A display name in a header: quoted, with quotes and backslashes escaped
// (PrepareSubmission encodes what is not ASCII).
std::string Mailbox(const std::string& name, const std::string& address) {
  if (name.empty()) return "<" + address + ">";
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c != '\r' && c != '\n') quoted += c;
  }
  return quoted + "\" <" + address + ">";
}

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return text;
}

}  // namespace

std::string ItipMail(const SenderIdentity& from, const std::vector<Address>& to,
                     const std::string& subject, const std::string& text, std::string_view method,
                     const std::string& ics, uint64_t now) {
  const std::string boundary = "itip-" + std::string(method) + "-" + std::to_string(now);
  std::string m;
  m += "From: " + Mailbox(from.name, from.address) + "\r\n";
  std::string list;
  for (const Address& a : to) list += (list.empty() ? "" : ",\r\n ") + Mailbox(a.name, a.address);
  m += "To: " + list + "\r\n";
  m += "Subject: " + OneLine(subject) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
  m += "\r\n";
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n\r\n";
  m += Base64Lines(text);
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/calendar; charset=utf-8; method=" + std::string(method) + "\r\n";
  m += "Content-Transfer-Encoding: base64\r\n\r\n";
  m += Base64Lines(ics);
  m += "--" + boundary + "--\r\n";
  return m;
}

std::string MeetingReplyMessage(const SenderIdentity& from, const convert::ItipReply& reply,
                                const std::string& text, uint64_t now) {
  std::string body = text;
  if (body.empty()) {
    const std::string who = from.name.empty() ? from.address : from.name;
    body = who + " " + std::string(Sentence(reply.answer)) + " this meeting" +
           (reply.summary.empty() ? "." : ": " + reply.summary) + "\r\n";
  }
  return ItipMail(from, {{reply.organizer_name, reply.organizer_email}},
                  std::string(Verb(reply.answer)) + ": " + reply.summary, body, "REPLY",
                  convert::ItipReplyText(reply), now);
}

}  // namespace eas::core::mail
