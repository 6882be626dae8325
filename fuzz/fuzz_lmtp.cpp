// libFuzzer target for the LMTP dialogue (core/mail/lmtp_session): the
// input is what a client sends, fed once whole and once in pieces of
// varying size, with a fake deliverer whose outcome depends on the
// recipient only. Both runs must give the same replies and the same
// messages (pipelining answers do not depend on packet boundaries), and
// no message may exceed the size limit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/mail/lmtp_session.hpp"

namespace {

using namespace eas::core::mail;

constexpr uint64_t kMaxMessage = 4096;

unsigned Sum(std::string_view s) {
  unsigned h = 0;
  for (unsigned char c : s) h = h * 31 + c;
  return h;
}

struct Transcript {
  std::string replies;
  std::vector<LmtpMessage> messages;
};

// Delivers every finished message at once, as the glue does when its
// thread pool is idle, and collects the replies.
void Drain(LmtpSession& session, Transcript& t) {
  while (session.has_message()) {
    LmtpMessage m = session.TakeMessage();
    std::vector<DeliveryOutcome> outcomes;
    for (const std::string& r : m.recipients) {
      outcomes.push_back(static_cast<DeliveryOutcome>(Sum(r) % 6));
    }
    if (!outcomes.empty() && Sum(m.sender) % 5 == 0) outcomes.pop_back();  // one missing
    session.Delivered(outcomes);
    t.messages.push_back(std::move(m));
  }
  t.replies += session.output();
  session.output().clear();
}

// `piece`: the size of each Feed for the byte at that offset (0: all at once).
Transcript Run(std::string_view in, bool in_pieces) {
  LmtpOptions options;
  options.host_name = "mx.fuzz";
  options.max_message_size = kMaxMessage;
  options.max_recipients = 8;
  options.max_line = 256;
  options.max_errors = 20;
  LmtpSession session(options, [](std::string_view address) {
    switch (Sum(address) % 3) {
      case 0: return RecipientCheck::kUnknown;
      case 1: return RecipientCheck::kTryLater;
      default: return RecipientCheck::kAccept;
    }
  });
  Transcript t;
  session.Greet();
  size_t at = 0;
  while (at < in.size() && !session.closed()) {
    const size_t n = in_pieces ? 1 + (static_cast<unsigned char>(in[at]) & 31) : in.size();
    session.Feed(in.substr(at, n));
    at += n;
    Drain(session, t);
  }
  if (!session.closed()) session.Close("4.4.2", "fuzz input ended");
  Drain(session, t);
  return t;
}

[[noreturn]] void Die(const char* what, const Transcript& a, const Transcript& b) {
  std::fprintf(stderr, "fuzz_lmtp: %s\n--- whole:\n%s\n--- in pieces:\n%s\n", what,
               a.replies.c_str(), b.replies.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const Transcript whole = Run(in, false);
  const Transcript pieces = Run(in, true);
  if (whole.replies != pieces.replies) Die("replies depend on the packet boundaries", whole, pieces);
  if (whole.messages.size() != pieces.messages.size()) Die("messages differ in number", whole, pieces);
  for (size_t i = 0; i < whole.messages.size(); ++i) {
    const LmtpMessage& a = whole.messages[i];
    const LmtpMessage& b = pieces.messages[i];
    if (a.sender != b.sender || a.recipients != b.recipients || a.data != b.data) {
      Die("a message depends on the packet boundaries", whole, pieces);
    }
    if (a.data.size() > kMaxMessage) Die("a message over the size limit was delivered", whole, pieces);
  }
  return 0;
}
