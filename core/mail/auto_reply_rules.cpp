#include "core/mail/auto_reply_rules.hpp"

#include <algorithm>
#include <array>

#include "core/mail/header_fields.hpp"

namespace eas::core::mail {
namespace {

// The first word of a structured value, lower case: "Auto-Generated
// (by cron)" → "auto-generated", "bulk; x" → "bulk".
std::string FirstWord(std::string_view value) {
  size_t end = value.find_first_of(" \t;(,");
  return LowerAddress(value.substr(0, end));
}

// Local parts that are programs, not people (RFC 3834 2: "the sender ...
// is a mailing list or ... a mail delivery agent"). A no-reply address
// reads no reply either.
bool IsSystemSender(std::string_view address) {
  const std::string a = LowerAddress(address);
  const std::string local = a.substr(0, a.rfind('@'));
  static constexpr std::array<std::string_view, 8> kExact = {
      "mailer-daemon", "postmaster", "listserv", "majordomo",
      "noreply",       "no-reply",   "donotreply", "do-not-reply"};
  if (std::find(kExact.begin(), kExact.end(), local) != kExact.end()) return true;
  return local.starts_with("owner-") || local.ends_with("-request") ||
         local.ends_with("-owner") || local.ends_with("-bounces");
}

bool Lists(const std::vector<Address>& list, const std::vector<std::string>& addresses) {
  for (const Address& a : list) {
    for (const std::string& mine : addresses) {
      if (SameText(a.address, mine)) return true;
    }
  }
  return false;
}

// X-Auto-Response-Suppress is a comma-separated list (DR, NDR, RN, NRN,
// OOF, AutoReply, All); OOF and All silence an out-of-office reply.
bool SuppressesOof(std::string_view value) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view token = BareAddress(value.substr(0, comma));
    if (SameText(token, "oof") || SameText(token, "all")) return true;
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
  }
  return false;
}

}  // namespace

std::string LowerAddress(std::string_view address) {
  std::string out(address);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view BareAddress(std::string_view path) {
  while (!path.empty() && (path.front() == ' ' || path.front() == '\t' || path.front() == '<')) {
    path.remove_prefix(1);
  }
  while (!path.empty() && (path.back() == ' ' || path.back() == '\t' || path.back() == '>' ||
                           path.back() == '\r')) {
    path.remove_suffix(1);
  }
  return path;
}

AutoReplyVerdict DecideAutoReply(std::string_view envelope_sender, std::string_view message,
                                 const MessageRecord& record,
                                 const std::vector<std::string>& user_addresses) {
  const std::string_view sender = BareAddress(envelope_sender);
  if (sender.empty()) return AutoReplyVerdict::kNullSender;
  if (IsSystemSender(sender)) return AutoReplyVerdict::kSystemSender;
  for (const std::string& mine : user_addresses) {
    if (SameText(sender, mine)) return AutoReplyVerdict::kOwnMail;
  }

  AutoReplyVerdict verdict = AutoReplyVerdict::kReply;
  ForEachHeader(message, [&](std::string_view name, std::string_view value) {
    if (SameText(name, "Auto-Submitted")) {
      if (FirstWord(value) != "no") verdict = AutoReplyVerdict::kAutoSubmitted;
    } else if (name.size() > 5 && SameText(name.substr(0, 5), "List-")) {
      verdict = AutoReplyVerdict::kMailingList;
    } else if (SameText(name, "Precedence")) {
      const std::string p = FirstWord(value);
      if (p == "bulk" || p == "list" || p == "junk") verdict = AutoReplyVerdict::kBulk;
    } else if (SameText(name, "X-Auto-Response-Suppress")) {
      if (SuppressesOof(value)) verdict = AutoReplyVerdict::kSuppressed;
    } else if (SameText(name, "Content-Type")) {
      if (FirstWord(value) == "multipart/report") verdict = AutoReplyVerdict::kReport;
    }
    return verdict == AutoReplyVerdict::kReply;
  });
  if (verdict != AutoReplyVerdict::kReply) return verdict;

  if (!Lists(record.to, user_addresses) && !Lists(record.cc, user_addresses)) {
    return AutoReplyVerdict::kNotAddressed;
  }
  return AutoReplyVerdict::kReply;
}

std::string_view Describe(AutoReplyVerdict verdict) {
  switch (verdict) {
    case AutoReplyVerdict::kReply: return "a person who wrote to the user";
    case AutoReplyVerdict::kNullSender: return "a null sender";
    case AutoReplyVerdict::kSystemSender: return "a mail system or list address";
    case AutoReplyVerdict::kOwnMail: return "the user's own mail";
    case AutoReplyVerdict::kAutoSubmitted: return "automatic mail (Auto-Submitted)";
    case AutoReplyVerdict::kReport: return "a delivery report";
    case AutoReplyVerdict::kMailingList: return "a mailing list (List-*)";
    case AutoReplyVerdict::kBulk: return "bulk mail (Precedence)";
    case AutoReplyVerdict::kSuppressed: return "a sender who asked for none (X-Auto-Response-Suppress)";
    case AutoReplyVerdict::kNotAddressed: return "mail not addressed to the user in To or Cc";
  }
  return "?";
}

}  // namespace eas::core::mail
