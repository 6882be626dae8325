// SendBySmtp with libcurl's SMTP: the easy handle and the recipient list
// each behind an owner; no curl type leaves this file.
#include <curl/curl.h>

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/mail/relay.hpp"
#include "core/util/join.hpp"

namespace eas::core::mail {
namespace {

struct EasyCleanup {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
using EasyPtr = std::unique_ptr<CURL, EasyCleanup>;

struct ListFree {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using ListPtr = std::unique_ptr<curl_slist, ListFree>;

struct Upload {
  std::string_view rest;
};

// What the relay said: its reply lines, for the log and the bounce
// (libcurl's own error text names the command, not what the relay said),
// and its final reply to each RCPT, in the order the recipients were
// given (libcurl sends them in order and waits for each reply).
struct Dialogue {
  std::vector<std::string> lines;
  size_t rcpts_sent = 0;
  bool awaiting_rcpt_reply = false;
  std::vector<std::pair<long, std::string>> rcpt_replies;
};

long ReplyCode(const std::string& line) {
  if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
      !std::isdigit(static_cast<unsigned char>(line[1])) ||
      !std::isdigit(static_cast<unsigned char>(line[2]))) {
    return 0;
  }
  return std::stol(line.substr(0, 3));
}

int FollowDialogue(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* d = static_cast<Dialogue*>(user);
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (type == CURLINFO_HEADER_OUT) {
    if (line.size() >= 8 && strncasecmp(line.c_str(), "RCPT TO:", 8) == 0) {
      ++d->rcpts_sent;
      d->awaiting_rcpt_reply = true;
    }
    return 0;
  }
  if (type != CURLINFO_HEADER_IN || line.empty()) return 0;
  d->lines.push_back(line);
  const bool final_line = line.size() == 3 || line[3] != '-';  // "250-" continues
  if (final_line && d->awaiting_rcpt_reply) {
    d->awaiting_rcpt_reply = false;
    d->rcpt_replies.emplace_back(ReplyCode(line), line);
  }
  return 0;
}

// The last line with the reply code that ended the transaction (curl
// still says QUIT after a refusal; its 221 is not the reason).
std::string ReplyWithCode(const std::vector<std::string>& lines, long code) {
  const std::string prefix = std::to_string(code);
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (it->compare(0, prefix.size(), prefix) == 0) return *it;
  }
  return std::string();
}

// The recipients refused at RCPT, when the relay answered every RCPT
// (otherwise the transaction broke off before: nothing per recipient).
std::vector<RecipientRefusal> Refusals(const std::vector<std::string>& recipients,
                                       const Dialogue& d) {
  std::vector<RecipientRefusal> refused;
  if (d.rcpt_replies.size() != recipients.size()) return refused;
  for (size_t i = 0; i < recipients.size(); ++i) {
    const auto& [code, text] = d.rcpt_replies[i];
    if (code >= 400) refused.push_back({recipients[i], code, text});
  }
  return refused;
}

size_t ReadMessage(char* buffer, size_t size, size_t n, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t take = std::min(size * n, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), take);
  upload->rest.remove_prefix(take);
  return take;
}

std::string Bracketed(std::string_view address) {
  return "<" + std::string(address) + ">";
}

}  // namespace

void InitCurl() {
  // Once per process; curl_global_init is not thread-safe before 7.84's
  // threadsafe feature, so every thread goes through here.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string RefusalTexts(const std::vector<RecipientRefusal>& refused) {
  return util::JoinWith(refused, "; ",
                        [](const RecipientRefusal& r) -> const std::string& { return r.text; });
}

SmtpReply SendBySmtp(const RelayOptions& relay, std::string_view from,
                     const std::vector<std::string>& recipients, std::string_view message) {
  InitCurl();
  SmtpReply reply;
  EasyPtr curl(curl_easy_init());
  if (!curl) {
    reply.text = "libcurl: no handle";
    return reply;
  }
  ListPtr rcpts;
  for (const std::string& r : recipients) {
    curl_slist* grown = curl_slist_append(rcpts.get(), Bracketed(r).c_str());
    if (grown == nullptr) {
      reply.text = "libcurl: out of memory";
      return reply;
    }
    (void)rcpts.release();
    rcpts.reset(grown);
  }
  const std::string url = "smtp://" + relay.host + ":" + std::to_string(relay.port);
  const std::string mail_from = Bracketed(from);
  Upload upload{message};
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(relay.timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(relay.timeout_ms));
  // The QUIT at cleanup is outside CURLOPT_TIMEOUT and would wait two
  // minutes for its reply; the queue's claim (ClaimHold) counts on one
  // timeout for it.
  curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                   static_cast<long>((relay.timeout_ms + 999) / 1000));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // a pool thread: no SIGALRM
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  // One refused recipient does not stop the others (a typo next to a
  // colleague's address): the refused ones are told apart afterwards.
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L);
  Dialogue dialogue;
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, FollowDialogue);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &dialogue);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // feeds FollowDialogue; prints nothing itself
  if (relay.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!relay.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, relay.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, relay.password.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.code);
  const std::vector<std::string>& lines = dialogue.lines;
  if (rc == CURLE_OK) {
    reply.outcome = SmtpOutcome::kSent;
    reply.refused = Refusals(recipients, dialogue);
    reply.text = ReplyWithCode(lines, reply.code);
    if (reply.text.empty()) reply.text = std::to_string(reply.code) + " accepted";
    return reply;
  }
  reply.refused = Refusals(recipients, dialogue);
  if (!reply.refused.empty() && reply.refused.size() == recipients.size()) {
    // Every recipient refused on its own: all alike, the message as a
    // whole returns (5xx) or waits (4xx); otherwise each goes its own way,
    // as when only some are refused.
    size_t permanent = 0;
    for (const auto& r : reply.refused) permanent += r.code >= 500 ? 1 : 0;
    if (permanent == 0 || permanent == recipients.size()) {
      reply.outcome = permanent ? SmtpOutcome::kPermanent : SmtpOutcome::kTransient;
      reply.code = reply.refused.back().code;
      reply.text = RefusalTexts(reply.refused);
      reply.refused.clear();
    } else {
      reply.outcome = SmtpOutcome::kSent;
      reply.text = "no recipient taken";
    }
    return reply;
  }
  reply.refused.clear();
  reply.outcome = reply.code >= 500 && reply.code < 600 ? SmtpOutcome::kPermanent
                                                         : SmtpOutcome::kTransient;
  reply.text = ReplyWithCode(lines, reply.code);
  if (reply.text.empty()) reply.text = error[0] != '\0' ? error : curl_easy_strerror(rc);
  return reply;
}

}  // namespace eas::core::mail
