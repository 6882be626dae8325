// An LMTP server session (RFC 2033) without a transport. Fed the bytes a
// client sends, it appends its replies to output() and hands out each
// complete message with its accepted recipients; whoever delivers it
// reports one outcome per recipient, which become the replies after the
// final dot (LMTP's one reply per recipient, in RCPT order). The nginx
// glue (ngx_stream_eas_module.cpp) moves the bytes and delivers on its
// thread pool; the unit tests feed strings.
//
// PIPELINING (RFC 2920): commands that arrive together are answered in
// order, whatever the packet boundaries. While a message is out for
// delivery the session reads no further input: what arrives meanwhile
// waits in it until Delivered().
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace eas::core::mail {

struct LmtpOptions {
  std::string host_name = "localhost";      // in the greeting and the LHLO answer
  uint64_t max_message_size = 50ull << 20;  // SIZE; a bigger message: 552 (read and dropped)
  size_t max_recipients = 1000;             // per message; the next RCPT: 452
  size_t max_line = 2048;                   // a command line with its CRLF; longer: 500
  size_t max_errors = 20;                   // bad commands before 421 and the end
};

// What RCPT learned of a recipient.
enum class RecipientCheck { kAccept, kUnknown, kTryLater };

// What became of a message for one recipient.
enum class DeliveryOutcome : uint8_t {
  kDelivered,
  kDuplicate,   // the mailbox had it already (same Message-ID and bytes): 250
  kUnknown,     // no such user any more: 550
  kTryLater,    // the store failed: 451
  kStoreFull,   // 452
  kRejected,    // never storable (an empty message): 554
};

// A message to deliver.
struct LmtpMessage {
  std::string sender;                   // MAIL FROM without <>; empty for <>
  std::vector<std::string> recipients;  // accepted ones, in RCPT order, without <>
  std::string data;                     // dot-unstuffed, line ends as sent, no final "."
};

class LmtpSession {
 public:
  // Says whether RCPT accepts an address (without <>). Called during Feed.
  using Resolver = std::function<RecipientCheck(std::string_view address)>;

  LmtpSession(LmtpOptions options, Resolver resolve);
  LmtpSession(LmtpSession&&) = default;
  LmtpSession& operator=(LmtpSession&&) = default;

  // Appends the 220 greeting.
  void Greet();
  // Takes bytes from the client and answers every command they complete,
  // up to the end of a message.
  void Feed(std::string_view bytes);
  // Replies not yet sent; the caller sends them and clears the string.
  std::string& output() { return output_; }

  // A message came to its final dot: take it, deliver it, then call
  // Delivered with one outcome per recipient (a missing one counts as
  // kTryLater). Delivered answers and goes on with the input waiting.
  bool has_message() const { return state_ == State::kDelivering && !taken_; }
  LmtpMessage TakeMessage();
  void Delivered(const std::vector<DeliveryOutcome>& outcomes);

  bool delivering() const { return state_ == State::kDelivering; }
  // QUIT was answered, or the session ended itself (421): send the
  // output, then close.
  bool closed() const { return state_ == State::kClosed; }
  // Between transactions with no input waiting: closing loses nothing.
  bool idle() const;
  // Ends the session with "421 <code> <host> <text>" (a timeout, the
  // server shutting down). The glue closes after sending it.
  void Close(std::string_view code, std::string_view text);

 private:
  enum class State { kCommand, kData, kDelivering, kClosed };

  void Process();
  bool ProcessData();  // false: needs more input
  void AppendData(const char* bytes, size_t n);
  void EndData();
  void Command(std::string_view line);
  void Lhlo(std::string_view args);
  void Mail(std::string_view args);
  void Rcpt(std::string_view args);
  void Data(std::string_view args);
  void Reset();
  void Reply(std::string_view line);
  void Error(std::string_view line);  // a reply that counts towards max_errors

  LmtpOptions options_;
  Resolver resolve_;
  State state_ = State::kCommand;
  std::string in_;    // input not handled yet, from pos_
  size_t pos_ = 0;
  std::string output_;
  bool greeted_ = false;      // LHLO seen
  bool skipping_ = false;     // dropping the rest of an overlong line
  size_t errors_ = 0;
  // the transaction
  bool mail_ = false;         // MAIL accepted
  std::string sender_;
  std::vector<std::string> recipients_;
  // DATA
  bool line_start_ = true;
  bool too_big_ = false;
  uint64_t data_size_ = 0;
  std::string data_;
  bool taken_ = false;
};

}  // namespace eas::core::mail
