#include "core/mail/bounce.hpp"

#include <string_view>

#include "core/mail/header_values.hpp"

namespace eas::core::mail {
namespace {

// The original's header block (up to the first empty line).
std::string_view HeaderBlock(std::string_view message) {
  size_t end = message.find("\r\n\r\n");
  return end == std::string_view::npos ? message : message.substr(0, end + 2);
}

// One line for a header: a relay's reply never carries CR or LF, but a
// line is cut at one all the same.
std::string OneLine(std::string_view text) {
  std::string out(text.substr(0, text.find_first_of("\r\n")));
  return out;
}

}  // namespace

std::string BuildBounce(const storage::OutgoingRecord& entry, const std::string& reason,
                        uint64_t now) {
  const std::string domain = DomainOrHostName(entry.sender);
  const std::string boundary = "bounce-" + std::to_string(entry.id) + "-" + std::to_string(now);
  const std::string why = OneLine(reason);
  std::string m;
  m += "From: Mail Delivery System <MAILER-DAEMON@" + domain + ">\r\n";
  m += "To: <" + entry.sender + ">\r\n";
  m += "Subject: Undelivered Mail Returned to Sender\r\n";
  m += "Date: " + RfcDate(now) + "\r\n";
  m += "Message-ID: <bounce." + std::to_string(entry.id) + "." + std::to_string(now) + "@" +
       domain + ">\r\n";
  m += "Auto-Submitted: auto-replied\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/report; report-type=delivery-status; boundary=\"" + boundary +
       "\"\r\n\r\n";
  m += "--" + boundary + "\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
  m += "Your message could not be delivered to:\r\n\r\n";
  for (const std::string& r : entry.recipients) m += "  <" + r + ">\r\n";
  m += "\r\nThe mail relay answered: " + why + "\r\n\r\n";
  m += "--" + boundary + "\r\nContent-Type: message/delivery-status\r\n\r\n";
  m += "Reporting-MTA: dns; " + domain + "\r\n";
  m += "Arrival-Date: " + RfcDate(entry.queued_at) + "\r\n";
  for (const std::string& r : entry.recipients) {
    m += "\r\nFinal-Recipient: rfc822; " + r + "\r\nAction: failed\r\nStatus: 5.0.0\r\n";
    m += "Diagnostic-Code: smtp; " + why + "\r\n";
  }
  m += "\r\n--" + boundary + "\r\nContent-Type: text/rfc822-headers\r\n\r\n";
  m += HeaderBlock(entry.message);
  m += "\r\n--" + boundary + "--\r\n";
  return m;
}

}  // namespace eas::core::mail
