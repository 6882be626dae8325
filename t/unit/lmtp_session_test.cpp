// The LMTP session without a transport: replies to pipelined input do not
// depend on how it is cut into packets, the message comes out
// dot-unstuffed, the size limit holds at MAIL and after DATA, commands out
// of order get 503, each recipient gets its own reply after the dot, and
// input that arrives during a delivery waits for it.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "core/mail/lmtp_session.hpp"

namespace eas::core::mail {
namespace {

// Runs a session over input cut into pieces, delivering every message at
// once with the outcomes `outcome_for` gives per recipient.
struct Run {
  explicit Run(LmtpOptions options = Options())
      : session(std::move(options), [](std::string_view a) {
          if (a.starts_with("nobody")) return RecipientCheck::kUnknown;
          if (a.starts_with("later")) return RecipientCheck::kTryLater;
          return RecipientCheck::kAccept;
        }) {}

  static LmtpOptions Options() {
    LmtpOptions o;
    o.host_name = "mx.test";
    o.max_message_size = 1000;
    o.max_line = 100;
    return o;
  }

  void Feed(std::string_view bytes) {
    session.Feed(bytes);
    Drain();
  }

  void Drain() {
    while (session.has_message() && deliver) {
      LmtpMessage m = session.TakeMessage();
      std::vector<DeliveryOutcome> outcomes;
      for (const auto& r : m.recipients) {
        outcomes.push_back(r.starts_with("full") ? DeliveryOutcome::kStoreFull
                           : r.starts_with("gone") ? DeliveryOutcome::kUnknown
                           : r.starts_with("dup")  ? DeliveryOutcome::kDuplicate
                                                   : DeliveryOutcome::kDelivered);
      }
      messages.push_back(std::move(m));
      session.Delivered(outcomes);
    }
    out += session.output();
    session.output().clear();
  }

  LmtpSession session;
  bool deliver = true;
  std::string out;
  std::vector<LmtpMessage> messages;
};

// Everything `input` gets, fed in pieces of `size` bytes (0: at once).
Run Replay(const std::string& input, size_t size, LmtpOptions options = Run::Options()) {
  Run run(std::move(options));
  run.session.Greet();
  if (size == 0) {
    run.Feed(input);
  } else {
    for (size_t at = 0; at < input.size(); at += size) run.Feed(input.substr(at, size));
  }
  return run;
}

const std::string kScript =
    "LHLO client.test\r\n"
    "MAIL FROM:<sender@example.com> SIZE=200 BODY=8BITMIME\r\n"
    "RCPT TO:<alice@example.org>\r\n"
    "RCPT TO:<nobody@example.org>\r\n"
    "RCPT TO:<dup-bob>\r\n"
    "DATA\r\n"
    "Subject: one\r\n"
    "\r\n"
    "..leading dot\r\n"
    "a . in the middle\r\n"
    ".\r\n"
    "mail from:<>\r\n"
    "rcpt to:<@relay.test:carol@example.org>\r\n"
    "data\r\n"
    "Subject: two\n"
    "\n"
    "bare line ends\n"
    ".\n"
    "NOOP\r\n"
    "RSET\r\n"
    "VRFY alice\r\n"
    "BOGUS\r\n"
    "QUIT\r\n"
    "NOOP\r\n";  // after QUIT: never answered

const std::string kScriptReplies =
    "220 mx.test LMTP eas ready\r\n"
    "250-mx.test\r\n"
    "250-PIPELINING\r\n"
    "250-ENHANCEDSTATUSCODES\r\n"
    "250-8BITMIME\r\n"
    "250 SIZE 1000\r\n"
    "250 2.1.0 OK\r\n"
    "250 2.1.5 <alice@example.org> OK\r\n"
    "550 5.1.1 <nobody@example.org> no such user\r\n"
    "250 2.1.5 <dup-bob> OK\r\n"
    "354 go ahead, end with <CRLF>.<CRLF>\r\n"
    "250 2.0.0 <alice@example.org> delivered\r\n"
    "250 2.0.0 <dup-bob> delivered already\r\n"
    "250 2.1.0 OK\r\n"
    "250 2.1.5 <carol@example.org> OK\r\n"
    "354 go ahead, end with <CRLF>.<CRLF>\r\n"
    "250 2.0.0 <carol@example.org> delivered\r\n"
    "250 2.0.0 OK\r\n"
    "250 2.0.0 OK\r\n"
    "252 2.5.2 cannot verify, but will take mail for local users\r\n"
    "500 5.5.2 unknown command\r\n"
    "221 2.0.0 mx.test closing connection\r\n";

}  // namespace

class LmtpSessionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(LmtpSessionTest);
  CPPUNIT_TEST(testPipelinedScript);
  CPPUNIT_TEST(testEverySplitGivesTheSameReplies);
  CPPUNIT_TEST(testDotUnstuffing);
  CPPUNIT_TEST(testSizeLimit);
  CPPUNIT_TEST(testBadSequences);
  CPPUNIT_TEST(testSyntaxErrors);
  CPPUNIT_TEST(testLineTooLong);
  CPPUNIT_TEST(testTooManyErrorsEndsTheSession);
  CPPUNIT_TEST(testOneReplyPerRecipient);
  CPPUNIT_TEST(testInputWaitsForTheDelivery);
  CPPUNIT_TEST(testRecipientLookupFails);
  CPPUNIT_TEST(testTooManyRecipients);
  CPPUNIT_TEST(testIdleAndClose);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testPipelinedScript() {
    Run run = Replay(kScript, 0);
    CPPUNIT_ASSERT_EQUAL(kScriptReplies, run.out);
    CPPUNIT_ASSERT(run.session.closed());
    CPPUNIT_ASSERT_EQUAL(size_t{2}, run.messages.size());
    const LmtpMessage& one = run.messages[0];
    CPPUNIT_ASSERT_EQUAL(std::string("sender@example.com"), one.sender);
    CPPUNIT_ASSERT(one.recipients == std::vector<std::string>({"alice@example.org", "dup-bob"}));
    CPPUNIT_ASSERT_EQUAL(std::string("Subject: one\r\n\r\n.leading dot\r\na . in the middle\r\n"),
                         one.data);
    const LmtpMessage& two = run.messages[1];
    CPPUNIT_ASSERT_EQUAL(std::string(), two.sender);
    CPPUNIT_ASSERT(two.recipients == std::vector<std::string>({"carol@example.org"}));
    CPPUNIT_ASSERT_EQUAL(std::string("Subject: two\n\nbare line ends\n"), two.data);
  }

  // The same replies and messages whether the input comes at once, cut in
  // two at any byte, or a byte at a time.
  void testEverySplitGivesTheSameReplies() {
    Run whole = Replay(kScript, 0);
    for (size_t cut = 1; cut < kScript.size(); ++cut) {
      Run run(Run::Options());
      run.session.Greet();
      run.Feed(kScript.substr(0, cut));
      run.Feed(kScript.substr(cut));
      CPPUNIT_ASSERT_EQUAL_MESSAGE("cut at " + std::to_string(cut), whole.out, run.out);
      CPPUNIT_ASSERT_EQUAL(size_t{2}, run.messages.size());
      CPPUNIT_ASSERT_EQUAL(whole.messages[0].data, run.messages[0].data);
      CPPUNIT_ASSERT_EQUAL(whole.messages[1].data, run.messages[1].data);
    }
    for (size_t size : {1, 2, 3, 7}) {
      Run run = Replay(kScript, size);
      CPPUNIT_ASSERT_EQUAL_MESSAGE("pieces of " + std::to_string(size), whole.out, run.out);
      CPPUNIT_ASSERT_EQUAL(whole.messages[0].data, run.messages[0].data);
    }
  }

  void testDotUnstuffing() {
    const std::string head =
        "LHLO c\r\nMAIL FROM:<s@x>\r\nRCPT TO:<alice>\r\nDATA\r\n";
    const std::string body =
        "..\r\n"               // a line of one dot, stuffed
        "...two\r\n"           // ".." kept as "."+"."
        ". space\r\n"          // not the end: a dot and more
        ".\rcr\r\n"            // a dot and a lone CR
        "x.\r\n"               // a dot not at the start
        "\r\n"
        "..\r\n";
    for (size_t size : {0, 1}) {
      Run run = Replay(head + body + ".\r\n", size);
      CPPUNIT_ASSERT_EQUAL(size_t{1}, run.messages.size());
      CPPUNIT_ASSERT_EQUAL(std::string(".\r\n..two\r\n space\r\n\rcr\r\nx.\r\n\r\n.\r\n"),
                           run.messages[0].data);
    }
    // An empty message: the dot right away.
    Run run = Replay(head + ".\r\n", 0);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, run.messages.size());
    CPPUNIT_ASSERT_EQUAL(std::string(), run.messages[0].data);
  }

  void testSizeLimit() {
    // Announced too big: 552 at MAIL, and the transaction never began.
    Run run = Replay("LHLO c\r\nMAIL FROM:<s@x> SIZE=1001\r\nRCPT TO:<alice>\r\n"
                     "MAIL FROM:<s@x> SIZE=1000\r\n", 0);
    CPPUNIT_ASSERT(run.out.find("552 5.3.4 message size exceeds the limit of 1000 bytes\r\n"
                                "503 5.5.1 need MAIL first\r\n250 2.1.0 OK\r\n") !=
                   std::string::npos);

    // Bigger than announced: read to the dot, 552 for every recipient,
    // and the session goes on. Exactly the limit is fine.
    const std::string big(1001, 'x');
    const std::string exact(998, 'y');  // + CRLF = 1000
    for (size_t size : {0, 1, 64}) {
      run = Replay("LHLO c\r\nMAIL FROM:<s@x>\r\nRCPT TO:<alice>\r\nRCPT TO:<bob>\r\nDATA\r\n" +
                   big + "\r\n.\r\nNOOP\r\n" +
                   "MAIL FROM:<s@x>\r\nRCPT TO:<alice>\r\nDATA\r\n" + exact + "\r\n.\r\n", size);
      CPPUNIT_ASSERT_MESSAGE(run.out,
          run.out.find("354 go ahead, end with <CRLF>.<CRLF>\r\n"
                       "552 5.3.4 <alice> message exceeds the size limit of 1000 bytes\r\n"
                       "552 5.3.4 <bob> message exceeds the size limit of 1000 bytes\r\n"
                       "250 2.0.0 OK\r\n250 2.1.0 OK\r\n") != std::string::npos);
      CPPUNIT_ASSERT_EQUAL(size_t{1}, run.messages.size());
      CPPUNIT_ASSERT_EQUAL(exact + "\r\n", run.messages[0].data);
      CPPUNIT_ASSERT(run.out.ends_with("250 2.0.0 <alice> delivered\r\n"));
    }
  }

  void testBadSequences() {
    Run run = Replay(
        "MAIL FROM:<s@x>\r\n"          // before LHLO
        "RCPT TO:<alice>\r\n"          // before MAIL
        "DATA\r\n"                     // before MAIL
        "HELO c\r\n"                   // SMTP's greeting
        "LHLO c\r\n"
        "DATA\r\n"                     // no MAIL
        "MAIL FROM:<s@x>\r\n"
        "MAIL FROM:<s@x>\r\n"          // nested
        "DATA\r\n"                     // no recipient
        "RCPT TO:<nobody>\r\n"
        "DATA\r\n"                     // no accepted recipient
        "RSET\r\n"
        "RCPT TO:<alice>\r\n",         // RSET ended the transaction
        0);
    const std::string want =
        "220 mx.test LMTP eas ready\r\n"
        "503 5.5.1 say LHLO first\r\n"
        "503 5.5.1 need MAIL first\r\n"
        "503 5.5.1 need MAIL first\r\n"
        "500 5.5.1 this is LMTP: say LHLO\r\n";
    CPPUNIT_ASSERT_EQUAL(want, run.out.substr(0, want.size()));
    const std::string tail =
        "250 SIZE 1000\r\n"
        "503 5.5.1 need MAIL first\r\n"
        "250 2.1.0 OK\r\n"
        "503 5.5.1 MAIL given already\r\n"
        "503 5.5.1 no valid recipients\r\n"
        "550 5.1.1 <nobody> no such user\r\n"
        "503 5.5.1 no valid recipients\r\n"
        "250 2.0.0 OK\r\n"
        "503 5.5.1 need MAIL first\r\n";
    CPPUNIT_ASSERT(run.out.ends_with(tail));
    CPPUNIT_ASSERT(run.messages.empty());
    CPPUNIT_ASSERT(!run.session.closed());
  }

  void testSyntaxErrors() {
    Run run = Replay(
        "LHLO\r\n"
        "LHLO c\r\n"
        "MAIL FROM:s@x\r\n"
        "MAIL TO:<s@x>\r\n"
        "MAIL FROM:<s@x> SIZE=abc\r\n"
        "MAIL FROM:<s@x> BODY=BINARYMIME\r\n"
        "MAIL FROM:<s@x> SMTPUTF8\r\n"
        "MAIL FROM:<s@x>\r\n"
        "RCPT TO:<>\r\n"
        "RCPT TO:<alice> NOTIFY=NEVER\r\n"
        "RCPT TO: <alice>\r\n"           // a space before the path is tolerated
        "DATA now\r\n"
        "\r\n",
        0);
    CPPUNIT_ASSERT_EQUAL(std::string(
        "220 mx.test LMTP eas ready\r\n"
        "501 5.5.4 syntax: LHLO hostname\r\n"
        "250-mx.test\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SIZE 1000\r\n"
        "501 5.5.4 syntax: MAIL FROM:<address>\r\n"
        "501 5.5.4 syntax: MAIL FROM:<address>\r\n"
        "501 5.5.4 syntax: SIZE=<number>\r\n"
        "501 5.5.4 syntax: BODY=7BIT or BODY=8BITMIME\r\n"
        "555 5.5.4 unsupported parameter SMTPUTF8\r\n"
        "250 2.1.0 OK\r\n"
        "501 5.5.4 syntax: RCPT TO:<address>\r\n"
        "555 5.5.4 unsupported parameter NOTIFY=NEVER\r\n"
        "250 2.1.5 <alice> OK\r\n"
        "501 5.5.4 syntax: DATA\r\n"
        "500 5.5.2 unknown command\r\n"), run.out);
  }

  void testLineTooLong() {
    const std::string longline = "NOOP " + std::string(200, 'x') + "\r\n";
    for (size_t size : {0, 1, 10}) {
      Run run = Replay("LHLO c\r\n" + longline + "NOOP\r\n", size);
      CPPUNIT_ASSERT_MESSAGE(run.out, run.out.ends_with("250 SIZE 1000\r\n"
                                                        "500 5.5.2 line too long\r\n"
                                                        "250 2.0.0 OK\r\n"));
    }
    // Exactly max_line with its CRLF is fine.
    Run run = Replay("NOOP " + std::string(93, 'x') + "\r\n", 0);
    CPPUNIT_ASSERT(run.out.ends_with("250 2.0.0 OK\r\n"));
  }

  void testTooManyErrorsEndsTheSession() {
    std::string garbage;
    for (int i = 0; i < 25; ++i) garbage += "JUNK\r\n";
    Run run = Replay(garbage, 0);
    CPPUNIT_ASSERT(run.session.closed());
    CPPUNIT_ASSERT(run.out.ends_with(
        "500 5.5.2 unknown command\r\n421 4.7.0 mx.test too many errors, closing connection\r\n"));
    size_t count = 0;
    for (size_t at = 0; (at = run.out.find("500 ", at)) != std::string::npos; ++at) ++count;
    CPPUNIT_ASSERT_EQUAL(size_t{20}, count);
  }

  void testOneReplyPerRecipient() {
    Run run = Replay(
        "LHLO c\r\nMAIL FROM:<s@x>\r\n"
        "RCPT TO:<a>\r\nRCPT TO:<full-b>\r\nRCPT TO:<gone-c>\r\nRCPT TO:<dup-d>\r\n"
        "DATA\r\nSubject: x\r\n\r\nhi\r\n.\r\n", 0);
    CPPUNIT_ASSERT_MESSAGE(run.out, run.out.ends_with(
        "250 2.0.0 <a> delivered\r\n"
        "452 4.3.1 <full-b> mail store full, try again later\r\n"
        "550 5.1.1 <gone-c> no such user\r\n"
        "250 2.0.0 <dup-d> delivered already\r\n"));

    // Outcomes missing (a delivery that could not report): 451, never 5xx.
    Run partial(Run::Options());
    partial.deliver = false;
    partial.Feed("LHLO c\r\nMAIL FROM:<s@x>\r\nRCPT TO:<a>\r\nRCPT TO:<b>\r\nDATA\r\nx\r\n.\r\n");
    CPPUNIT_ASSERT(partial.session.has_message());
    partial.session.TakeMessage();
    CPPUNIT_ASSERT(!partial.session.has_message());
    partial.session.Delivered({DeliveryOutcome::kDelivered});
    partial.Drain();
    CPPUNIT_ASSERT(partial.out.ends_with(
        "250 2.0.0 <a> delivered\r\n"
        "451 4.3.0 <b> cannot store the message now, try again later\r\n"));
  }

  // Commands pipelined behind the dot are answered only after the
  // message's own replies.
  void testInputWaitsForTheDelivery() {
    Run run(Run::Options());
    run.deliver = false;
    run.Feed("LHLO c\r\nMAIL FROM:<s@x>\r\nRCPT TO:<a>\r\nDATA\r\nhi\r\n.\r\nNOOP\r\nQU");
    CPPUNIT_ASSERT(run.session.delivering());
    CPPUNIT_ASSERT(run.out.ends_with("354 go ahead, end with <CRLF>.<CRLF>\r\n"));
    run.Feed("IT\r\n");
    CPPUNIT_ASSERT(run.out.ends_with("354 go ahead, end with <CRLF>.<CRLF>\r\n"));
    CPPUNIT_ASSERT(!run.session.idle());
    LmtpMessage m = run.session.TakeMessage();
    CPPUNIT_ASSERT_EQUAL(std::string("hi\r\n"), m.data);
    run.session.Delivered({DeliveryOutcome::kDelivered});
    run.Drain();
    CPPUNIT_ASSERT(run.out.ends_with(
        "250 2.0.0 <a> delivered\r\n250 2.0.0 OK\r\n221 2.0.0 mx.test closing connection\r\n"));
    CPPUNIT_ASSERT(run.session.closed());
  }

  void testRecipientLookupFails() {
    Run run = Replay("LHLO c\r\nMAIL FROM:<s@x>\r\nRCPT TO:<later@x>\r\nRCPT TO:<a>\r\n", 0);
    CPPUNIT_ASSERT(run.out.ends_with(
        "451 4.3.0 <later@x> cannot look the user up now, try again later\r\n"
        "250 2.1.5 <a> OK\r\n"));
  }

  void testTooManyRecipients() {
    LmtpOptions o = Run::Options();
    o.max_recipients = 2;
    Run run = Replay("LHLO c\r\nMAIL FROM:<s@x>\r\nRCPT TO:<a>\r\nRCPT TO:<b>\r\nRCPT TO:<c>\r\n"
                     "DATA\r\nx\r\n.\r\n", 0, o);
    CPPUNIT_ASSERT(run.out.find("452 4.5.3 too many recipients\r\n354") != std::string::npos);
    CPPUNIT_ASSERT(run.messages.at(0).recipients == std::vector<std::string>({"a", "b"}));
  }

  void testIdleAndClose() {
    Run run(Run::Options());
    run.session.Greet();
    CPPUNIT_ASSERT(run.session.idle());
    run.Feed("LHLO c\r\n");
    CPPUNIT_ASSERT(run.session.idle());
    run.Feed("MAIL FROM:<s@x>\r\n");
    CPPUNIT_ASSERT(!run.session.idle());  // a transaction begun
    run.Feed("RSET\r\nNO");
    CPPUNIT_ASSERT(!run.session.idle());  // half a command waiting
    run.Feed("OP\r\n");
    CPPUNIT_ASSERT(run.session.idle());
    run.session.Close("4.3.2", "shutting down");
    run.Drain();
    CPPUNIT_ASSERT(run.out.ends_with("421 4.3.2 mx.test shutting down\r\n"));
    CPPUNIT_ASSERT(run.session.closed());
    run.Feed("NOOP\r\n");
    CPPUNIT_ASSERT(run.out.ends_with("421 4.3.2 mx.test shutting down\r\n"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LmtpSessionTest);

}  // namespace eas::core::mail
