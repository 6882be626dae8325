#include "core/mail/draft.hpp"

#include "core/mail/part_content.hpp"
#include "core/util/base64.hpp"

namespace eas::core::mail {
namespace {

// A header line of the draft; the value is the client's text with line
// breaks taken out (a header must not end early).
void Header(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  out.append(name).append(": ");
  for (char c : value) out += (c == '\r' || c == '\n') ? ' ' : c;
  out += "\r\n";
}

}  // namespace

Result<Draft> ReadDraft(const MailItem& item, std::string_view raw) {
  const MessageRecord& m = item.message;
  Draft d;
  d.bcc = item.state.bcc;
  d.subject = m.subject;
  d.importance = m.importance;
  d.html = !m.html_body.empty();
  d.body = d.html ? m.html_body : m.text_body;
  for (const Part& p : m.parts) {
    if (!IsAttachmentPart(p)) continue;
    auto bytes = DecodedPart(raw, p);
    if (!bytes.ok()) return bytes.status();
    d.attachments.push_back({p.content_type, p.charset, p.file_name, p.content_id,
                             p.disposition == Disposition::kInline, std::move(bytes).value()});
  }
  return d;
}

Result<std::string> DraftMessage(const Draft& draft, const SenderIdentity& sender, uint64_t now) {
  // The header and body as plain text; PrepareSubmission parses them with
  // GMime, encodes 8-bit header text, adds the attachments and writes the
  // message out, as it does for what SendMail gets.
  std::string raw;
  Header(raw, "To", draft.to);
  Header(raw, "Cc", draft.cc);
  Header(raw, "Bcc", draft.bcc);
  Header(raw, "Subject", draft.subject);
  if (draft.importance == Importance::kHigh) Header(raw, "Importance", "high");
  if (draft.importance == Importance::kLow) Header(raw, "Importance", "low");
  raw += "MIME-Version: 1.0\r\n";
  raw += draft.html ? "Content-Type: text/html; charset=utf-8\r\n"
                    : "Content-Type: text/plain; charset=utf-8\r\n";
  raw += "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::string encoded = util::Base64Encode(draft.body);
  for (size_t i = 0; i < encoded.size(); i += 76) raw += encoded.substr(i, 76) + "\r\n";
  SourceAdditions additions;
  additions.attachments = draft.attachments;
  auto made = PrepareSubmission(raw, sender, now, &additions);
  if (!made.ok()) return made.status();
  return std::move(made->for_sent_items);
}

int AttachmentPartIndex(const MessageRecord& record, size_t n) {
  for (size_t i = 0; i < record.parts.size(); ++i) {
    if (!IsAttachmentPart(record.parts[i])) continue;
    if (n == 0) return static_cast<int>(i);
    --n;
  }
  return -1;
}

}  // namespace eas::core::mail
