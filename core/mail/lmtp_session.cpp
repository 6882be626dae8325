#include "core/mail/lmtp_session.hpp"

#include <utility>

namespace eas::core::mail {
namespace {

char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// ASCII, any letter case.
bool Is(std::string_view s, std::string_view upper) {
  if (s.size() != upper.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (Upper(s[i]) != upper[i]) return false;
  }
  return true;
}

bool StartsWith(std::string_view s, std::string_view upper) {
  return s.size() >= upper.size() && Is(s.substr(0, upper.size()), upper);
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// "<path> params" after "FROM:" / "TO:": the address inside the angle
// brackets (a source route "@a,@b:" dropped) and what follows. False
// when there are no brackets.
bool ParsePath(std::string_view s, std::string* address, std::string_view* params) {
  s = TrimLeft(s);
  if (s.empty() || s.front() != '<') return false;
  size_t close = s.find('>');
  if (close == std::string_view::npos) return false;
  std::string_view a = s.substr(1, close - 1);
  if (!a.empty() && a.front() == '@') {
    size_t colon = a.find(':');
    if (colon == std::string_view::npos) return false;
    a.remove_prefix(colon + 1);
  }
  *address = std::string(a);
  *params = TrimLeft(s.substr(close + 1));
  return true;
}

// The next space-separated word of *s.
std::string_view NextWord(std::string_view* s) {
  *s = TrimLeft(*s);
  size_t end = s->find_first_of(" \t");
  std::string_view word = s->substr(0, end);
  s->remove_prefix(end == std::string_view::npos ? s->size() : end);
  return word;
}

bool ParseNumber(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = n;
  return true;
}

}  // namespace

LmtpSession::LmtpSession(LmtpOptions options, Resolver resolve)
    : options_(std::move(options)), resolve_(std::move(resolve)) {}

void LmtpSession::Greet() { Reply("220 " + options_.host_name + " LMTP eas ready"); }

bool LmtpSession::idle() const {
  return state_ == State::kCommand && !mail_ && !skipping_ && pos_ == in_.size();
}

void LmtpSession::Close(std::string_view code, std::string_view text) {
  if (state_ == State::kClosed) return;
  Reply("421 " + std::string(code) + " " + options_.host_name + " " + std::string(text));
  state_ = State::kClosed;
}

void LmtpSession::Reply(std::string_view line) {
  output_.append(line);
  output_.append("\r\n");
}

void LmtpSession::Error(std::string_view line) {
  Reply(line);
  if (++errors_ >= options_.max_errors) Close("4.7.0", "too many errors, closing connection");
}

void LmtpSession::Feed(std::string_view bytes) {
  if (state_ == State::kClosed) return;
  in_.append(bytes);
  Process();
}

void LmtpSession::Process() {
  while (state_ == State::kCommand || state_ == State::kData) {
    if (state_ == State::kData) {
      if (!ProcessData()) break;
      continue;
    }
    size_t eol = in_.find('\n', pos_);
    if (eol == std::string::npos) {
      if (skipping_) {
        pos_ = in_.size();
      } else if (in_.size() - pos_ >= options_.max_line) {
        pos_ = in_.size();
        skipping_ = true;
        Error("500 5.5.2 line too long");
      }
      break;
    }
    std::string_view line(in_.data() + pos_, eol - pos_);
    pos_ = eol + 1;
    if (skipping_) {  // the end of the overlong line, answered already
      skipping_ = false;
      continue;
    }
    if (line.size() + 1 > options_.max_line) {
      Error("500 5.5.2 line too long");
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Command(line);
  }
  // Keep only what is still to be read (amortised: a pipelined burst of
  // commands is not copied once per command).
  if (pos_ == in_.size()) {
    in_.clear();
    pos_ = 0;
  } else if (pos_ > 4096 && pos_ > in_.size() / 2) {
    in_.erase(0, pos_);
    pos_ = 0;
  }
}

// The message, a line at a time: "." alone ends it, a leading "." of any
// other line is dropped (RFC 5321 4.5.2). A line may come in pieces; what
// cannot be decided yet (a "." or ".\r" at the end of the input) waits.
bool LmtpSession::ProcessData() {
  for (;;) {
    if (pos_ >= in_.size()) return false;
    if (line_start_) {
      if (in_[pos_] == '.') {
        size_t avail = in_.size() - pos_;
        if (avail < 2) return false;
        if (in_[pos_ + 1] == '\n') {
          pos_ += 2;
          EndData();
          return true;
        }
        if (in_[pos_ + 1] == '\r') {
          if (avail < 3) return false;
          if (in_[pos_ + 2] == '\n') {
            pos_ += 3;
            EndData();
            return true;
          }
        }
        ++pos_;
      }
      line_start_ = false;
    }
    size_t eol = in_.find('\n', pos_);
    size_t end = eol == std::string::npos ? in_.size() : eol + 1;
    AppendData(in_.data() + pos_, end - pos_);
    pos_ = end;
    line_start_ = eol != std::string::npos;
  }
}

void LmtpSession::AppendData(const char* bytes, size_t n) {
  data_size_ += n;
  if (too_big_) return;
  if (data_size_ > options_.max_message_size) {
    too_big_ = true;  // read on to the dot, keep nothing
    std::string().swap(data_);
    return;
  }
  data_.append(bytes, n);
}

void LmtpSession::EndData() {
  if (too_big_) {
    for (const auto& r : recipients_) {
      Reply("552 5.3.4 <" + r + "> message exceeds the size limit of " +
            std::to_string(options_.max_message_size) + " bytes");
    }
    Reset();
    state_ = State::kCommand;
    return;
  }
  state_ = State::kDelivering;
  taken_ = false;
}

LmtpMessage LmtpSession::TakeMessage() {
  LmtpMessage m;
  if (!has_message()) return m;
  m.sender = sender_;
  m.recipients = recipients_;
  m.data = std::move(data_);
  data_.clear();
  taken_ = true;
  return m;
}

void LmtpSession::Delivered(const std::vector<DeliveryOutcome>& outcomes) {
  if (state_ != State::kDelivering) return;
  for (size_t i = 0; i < recipients_.size(); ++i) {
    const std::string who = "<" + recipients_[i] + ">";
    switch (i < outcomes.size() ? outcomes[i] : DeliveryOutcome::kTryLater) {
      case DeliveryOutcome::kDelivered:
        Reply("250 2.0.0 " + who + " delivered");
        break;
      case DeliveryOutcome::kDuplicate:
        Reply("250 2.0.0 " + who + " delivered already");
        break;
      case DeliveryOutcome::kUnknown:
        Reply("550 5.1.1 " + who + " no such user");
        break;
      case DeliveryOutcome::kTryLater:
        Reply("451 4.3.0 " + who + " cannot store the message now, try again later");
        break;
      case DeliveryOutcome::kStoreFull:
        Reply("452 4.3.1 " + who + " mail store full, try again later");
        break;
      case DeliveryOutcome::kRejected:
        Reply("554 5.6.0 " + who + " message rejected (empty)");
        break;
    }
  }
  Reset();
  state_ = State::kCommand;
  Process();
}

void LmtpSession::Reset() {
  mail_ = false;
  sender_.clear();
  recipients_.clear();
  std::string().swap(data_);
  data_size_ = 0;
  too_big_ = false;
  taken_ = false;
}

void LmtpSession::Command(std::string_view line) {
  std::string_view args = line;
  std::string_view verb = NextWord(&args);
  args = TrimLeft(args);
  if (Is(verb, "LHLO")) {
    Lhlo(args);
  } else if (Is(verb, "MAIL")) {
    Mail(args);
  } else if (Is(verb, "RCPT")) {
    Rcpt(args);
  } else if (Is(verb, "DATA")) {
    Data(args);
  } else if (Is(verb, "RSET")) {
    Reset();
    Reply("250 2.0.0 OK");
  } else if (Is(verb, "NOOP")) {
    Reply("250 2.0.0 OK");
  } else if (Is(verb, "QUIT")) {
    Reply("221 2.0.0 " + options_.host_name + " closing connection");
    state_ = State::kClosed;
  } else if (Is(verb, "VRFY")) {
    Reply("252 2.5.2 cannot verify, but will take mail for local users");
  } else if (Is(verb, "HELP")) {
    Reply("214 2.0.0 LHLO MAIL RCPT DATA RSET NOOP VRFY QUIT");
  } else if (Is(verb, "HELO") || Is(verb, "EHLO")) {
    Error("500 5.5.1 this is LMTP: say LHLO");
  } else {
    Error("500 5.5.2 unknown command");
  }
}

void LmtpSession::Lhlo(std::string_view args) {
  if (args.empty()) {
    Error("501 5.5.4 syntax: LHLO hostname");
    return;
  }
  Reset();
  greeted_ = true;
  Reply("250-" + options_.host_name);
  Reply("250-PIPELINING");
  Reply("250-ENHANCEDSTATUSCODES");
  Reply("250-8BITMIME");
  Reply("250 SIZE " + std::to_string(options_.max_message_size));
}

void LmtpSession::Mail(std::string_view args) {
  if (!greeted_) {
    Error("503 5.5.1 say LHLO first");
    return;
  }
  if (mail_) {
    Error("503 5.5.1 MAIL given already");
    return;
  }
  std::string sender;
  std::string_view params;
  if (!StartsWith(args, "FROM:") || !ParsePath(args.substr(5), &sender, &params)) {
    Error("501 5.5.4 syntax: MAIL FROM:<address>");
    return;
  }
  while (!params.empty()) {
    std::string_view param = NextWord(&params);
    size_t eq = param.find('=');
    std::string_view key = param.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
    if (Is(key, "SIZE")) {
      uint64_t size = 0;
      if (!ParseNumber(value, &size)) {
        Error("501 5.5.4 syntax: SIZE=<number>");
        return;
      }
      if (size > options_.max_message_size) {
        Reply("552 5.3.4 message size exceeds the limit of " +
              std::to_string(options_.max_message_size) + " bytes");
        return;
      }
    } else if (Is(key, "BODY")) {
      if (!Is(value, "7BIT") && !Is(value, "8BITMIME")) {
        Error("501 5.5.4 syntax: BODY=7BIT or BODY=8BITMIME");
        return;
      }
    } else if (!key.empty()) {
      Error("555 5.5.4 unsupported parameter " + std::string(key));
      return;
    }
  }
  mail_ = true;
  sender_ = std::move(sender);
  Reply("250 2.1.0 OK");
}

void LmtpSession::Rcpt(std::string_view args) {
  if (!mail_) {
    Error("503 5.5.1 need MAIL first");
    return;
  }
  std::string address;
  std::string_view params;
  if (!StartsWith(args, "TO:") || !ParsePath(args.substr(3), &address, &params) ||
      address.empty()) {
    Error("501 5.5.4 syntax: RCPT TO:<address>");
    return;
  }
  if (!params.empty()) {
    Error("555 5.5.4 unsupported parameter " + std::string(NextWord(&params)));
    return;
  }
  if (recipients_.size() >= options_.max_recipients) {
    Reply("452 4.5.3 too many recipients");
    return;
  }
  const std::string who = "<" + address + ">";
  switch (resolve_ ? resolve_(address) : RecipientCheck::kTryLater) {
    case RecipientCheck::kAccept:
      recipients_.push_back(std::move(address));
      Reply("250 2.1.5 " + who + " OK");
      break;
    case RecipientCheck::kUnknown:
      Reply("550 5.1.1 " + who + " no such user");
      break;
    case RecipientCheck::kTryLater:
      Reply("451 4.3.0 " + who + " cannot look the user up now, try again later");
      break;
  }
}

void LmtpSession::Data(std::string_view args) {
  if (!args.empty()) {
    Error("501 5.5.4 syntax: DATA");
    return;
  }
  if (!mail_) {
    Error("503 5.5.1 need MAIL first");
    return;
  }
  if (recipients_.empty()) {
    Error("503 5.5.1 no valid recipients");
    return;
  }
  Reply("354 go ahead, end with <CRLF>.<CRLF>");
  state_ = State::kData;
  line_start_ = true;
  data_size_ = 0;
  too_big_ = false;
  data_.clear();
}

}  // namespace eas::core::mail
