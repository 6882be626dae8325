// SendBySmtp with libcurl's SMTP: the easy handle and the recipient list
// each behind an owner; no curl type leaves this file.
#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/mail/relay.hpp"

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

void InitCurl() {
  // Once per process; curl_global_init is not thread-safe before 7.84's
  // threadsafe feature, so every thread goes through here.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  std::string_view rest;
};

// The relay's reply lines, for the log and the bounce (libcurl's own
// error text names the command, not what the relay said).
int KeepReplies(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (!line.empty()) static_cast<std::vector<std::string>*>(user)->push_back(std::move(line));
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
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // a pool thread: no SIGALRM
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  std::vector<std::string> lines;
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, KeepReplies);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &lines);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // feeds KeepReplies; prints nothing itself
  if (relay.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!relay.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, relay.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, relay.password.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.code);
  if (rc == CURLE_OK) {
    reply.outcome = SmtpOutcome::kSent;
    reply.text = ReplyWithCode(lines, reply.code);
    if (reply.text.empty()) reply.text = std::to_string(reply.code) + " accepted";
    return reply;
  }
  reply.outcome = reply.code >= 500 && reply.code < 600 ? SmtpOutcome::kPermanent
                                                         : SmtpOutcome::kTransient;
  reply.text = ReplyWithCode(lines, reply.code);
  if (reply.text.empty()) reply.text = error[0] != '\0' ? error : curl_easy_strerror(rc);
  return reply;
}

}  // namespace eas::core::mail
