// The MIME record made once at delivery (GMime 3): headers decoded to
// UTF-8 (RFC 2047, 8-bit, RFC 2231), the part table's offsets checked
// against the original bytes, bodies, preview, message class, malformed
// input kept, and the stored form's round trip.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/mail/file_name.hpp"
#include "core/mail/message_class.hpp"
#include "core/mail/mime_record.hpp"

namespace eas::core::mail {
namespace {

constexpr uint64_t kReceived = 1800000000;

MessageRecord Build(const std::string& mime) {
  Result<MessageRecord> r = BuildMessageRecord(mime, kReceived);
  CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.ok());
  return std::move(r).value();
}

// The part's bytes in the original message.
std::string Slice(const std::string& mime, const Part& p) {
  CPPUNIT_ASSERT(p.offset + p.length <= mime.size());
  return mime.substr(p.offset, p.length);
}

size_t Utf8Chars(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool ValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

const std::string kPlain =
    "Return-Path: <alice@example.com>\r\n"
    "From: Alice Example <alice@example.com>\r\n"
    "To: bob@example.org, \"Carol, C.\" <carol@example.org>\r\n"
    "Cc: Team: dave@example.org, Erin <erin@example.org>;\r\n"
    "Reply-To: replies@example.com\r\n"
    "Subject: Lunch\r\n"
    "Date: Tue, 01 Dec 2026 11:00:00 +0100\r\n"
    "Message-ID: <m1@example.com>\r\n"
    "In-Reply-To: <m0@example.com>\r\n"
    "References: <r1@example.com>\r\n <m0@example.com>\r\n"
    "X-Priority: 1 (Highest)\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "Hello Bob,\r\n"
    "\r\n"
    "See you   at noon.\r\n";

const std::string kAttachment =
    "From: a@example.com\r\n"
    "Subject: Report\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "preamble\r\n"
    "--outer\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "The report, gr\xC3\xBC\xC3\x9F" "e.\r\n"
    "--outer\r\n"
    "Content-Type: application/pdf\r\n"
    "Content-Disposition: attachment;\r\n"
    " filename*=UTF-8''%E2%82%AC%20report.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--outer--\r\n"
    "epilogue\r\n";

class MimeRecordTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MimeRecordTest);
  CPPUNIT_TEST(testPlainText);
  CPPUNIT_TEST(testNoDateUsesReceived);
  CPPUNIT_TEST(testHtmlOnly);
  CPPUNIT_TEST(testAlternative);
  CPPUNIT_TEST(testAttachmentRfc2231);
  CPPUNIT_TEST(testInlineImage);
  CPPUNIT_TEST(testNestedWithBareLineFeeds);
  CPPUNIT_TEST(testFileNameKeepsNoPath);
  CPPUNIT_TEST(testEncodedWords);
  CPPUNIT_TEST(testUndeclared8Bit);
  CPPUNIT_TEST(testWindows1252LabelledLatin1);
  CPPUNIT_TEST(testTrueLatin1StaysLatin1);
  CPPUNIT_TEST(testMalformedMultipart);
  CPPUNIT_TEST(testNoHeaders);
  CPPUNIT_TEST(testEmptyIsRefused);
  CPPUNIT_TEST(testAttachedMessage);
  CPPUNIT_TEST(testPreview);
  CPPUNIT_TEST(testPreviewCutsOnCharacters);
  CPPUNIT_TEST(testMessageClassSmime);
  CPPUNIT_TEST(testMessageClassMeeting);
  CPPUNIT_TEST(testRoundTrip);
  CPPUNIT_TEST(testDecodeRefusesDamage);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testPlainText() {
    MessageRecord m = Build(kPlain);
    CPPUNIT_ASSERT_EQUAL(std::string("Lunch"), m.subject);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, m.from.size());
    CPPUNIT_ASSERT(m.from[0] == (Address{"Alice Example", "alice@example.com"}));
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.to.size());
    CPPUNIT_ASSERT(m.to[0] == (Address{"", "bob@example.org"}));
    CPPUNIT_ASSERT(m.to[1] == (Address{"Carol, C.", "carol@example.org"}));
    // The group's members, flattened.
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.cc.size());
    CPPUNIT_ASSERT_EQUAL(std::string("dave@example.org"), m.cc[0].address);
    CPPUNIT_ASSERT(m.cc[1] == (Address{"Erin", "erin@example.org"}));
    CPPUNIT_ASSERT_EQUAL(std::string("replies@example.com"), m.reply_to.at(0).address);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1796119200}, m.date);
    CPPUNIT_ASSERT_EQUAL(kReceived, m.received);
    CPPUNIT_ASSERT_EQUAL(std::string("m1@example.com"), m.message_id);
    CPPUNIT_ASSERT_EQUAL(std::string("m0@example.com"), m.in_reply_to);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.references.size());
    CPPUNIT_ASSERT_EQUAL(std::string("r1@example.com"), m.references[0]);
    CPPUNIT_ASSERT_EQUAL(std::string("m0@example.com"), m.references[1]);
    CPPUNIT_ASSERT(m.importance == Importance::kHigh);
    const std::string body = "Hello Bob,\r\n\r\nSee you   at noon.\r\n";
    CPPUNIT_ASSERT_EQUAL(body, m.text_body);
    CPPUNIT_ASSERT_EQUAL(std::string(), m.html_body);
    CPPUNIT_ASSERT_EQUAL(std::string("Hello Bob, See you at noon."), m.preview);
    CPPUNIT_ASSERT_EQUAL(uint64_t{kPlain.size()}, m.size);
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Note"), m.message_class);
    CPPUNIT_ASSERT(!m.malformed);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, m.parts.size());
    const Part& p = m.parts[0];
    CPPUNIT_ASSERT_EQUAL(std::string("text/plain"), p.content_type);
    CPPUNIT_ASSERT_EQUAL(std::string("us-ascii"), p.charset);
    CPPUNIT_ASSERT_EQUAL(std::string(), p.transfer_encoding);
    CPPUNIT_ASSERT_EQUAL(body, Slice(kPlain, p));
    CPPUNIT_ASSERT_EQUAL(uint64_t{body.size()}, p.decoded_size);
    CPPUNIT_ASSERT_EQUAL(kPlain.size() - body.size(), size_t{p.offset});
  }

  void testNoDateUsesReceived() {
    MessageRecord m = Build("From: a@example.com\r\nImportance: low\r\n\r\nbody\r\n");
    CPPUNIT_ASSERT_EQUAL(kReceived, m.date);
    CPPUNIT_ASSERT(m.importance == Importance::kLow);
    CPPUNIT_ASSERT_EQUAL(std::string("body\r\n"), m.text_body);
    m = Build("From: a@example.com\r\nDate: not a date at all\r\nX-Priority: 3\r\n\r\nx");
    CPPUNIT_ASSERT_EQUAL(kReceived, m.date);
    CPPUNIT_ASSERT(m.importance == Importance::kNormal);
  }

  void testHtmlOnly() {
    const std::string raw =
        "<html><body><p>Hi</p><p>there &amp; you=\r\n"
        "</p><script>x()</script></body></html>\r\n";
    const std::string mime =
        "From: a@example.com\r\n"
        "Subject: html\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n" + raw;
    MessageRecord m = Build(mime);
    CPPUNIT_ASSERT_EQUAL(
        std::string("<html><body><p>Hi</p><p>there &amp; you</p><script>x()</script></body>"
                    "</html>\r\n"),
        m.html_body);
    CPPUNIT_ASSERT_EQUAL(std::string("Hi\nthere & you"), m.text_body);
    CPPUNIT_ASSERT_EQUAL(std::string("Hi there & you"), m.preview);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, m.parts.size());
    CPPUNIT_ASSERT_EQUAL(std::string("quoted-printable"), m.parts[0].transfer_encoding);
    CPPUNIT_ASSERT_EQUAL(raw, Slice(mime, m.parts[0]));
    CPPUNIT_ASSERT_EQUAL(uint64_t{m.html_body.size()}, m.parts[0].decoded_size);
  }

  void testAlternative() {
    const std::string mime =
        "From: a@example.com\r\n"
        "Content-Type: multipart/alternative; boundary=alt\r\n"
        "\r\n"
        "--alt\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "Plain version\r\n"
        "\r\n"
        "--alt\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "PHA+SFRNTCB2ZXJzaW9uPC9wPg==\r\n"
        "--alt--\r\n";
    MessageRecord m = Build(mime);
    CPPUNIT_ASSERT_EQUAL(std::string("Plain version\r\n"), m.text_body);
    CPPUNIT_ASSERT_EQUAL(std::string("<p>HTML version</p>"), m.html_body);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.parts.size());
    // The line break before a boundary belongs to the boundary.
    CPPUNIT_ASSERT_EQUAL(std::string("Plain version\r\n"), Slice(mime, m.parts[0]));
    CPPUNIT_ASSERT_EQUAL(std::string("PHA+SFRNTCB2ZXJzaW9uPC9wPg=="), Slice(mime, m.parts[1]));
    CPPUNIT_ASSERT_EQUAL(std::string("base64"), m.parts[1].transfer_encoding);
    CPPUNIT_ASSERT_EQUAL(uint64_t{19}, m.parts[1].decoded_size);
    CPPUNIT_ASSERT(!m.malformed);
  }

  void testAttachmentRfc2231() {
    MessageRecord m = Build(kAttachment);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.parts.size());
    // In a multipart, the line break before a boundary is the boundary's.
    CPPUNIT_ASSERT_EQUAL(std::string("The report, gr\xC3\xBC\xC3\x9F" "e."), m.text_body);
    CPPUNIT_ASSERT_EQUAL(std::string("8bit"), m.parts[0].transfer_encoding);
    const Part& pdf = m.parts[1];
    CPPUNIT_ASSERT_EQUAL(std::string("application/pdf"), pdf.content_type);
    CPPUNIT_ASSERT_EQUAL(std::string("\xE2\x82\xAC report.pdf"), pdf.file_name);
    CPPUNIT_ASSERT(pdf.disposition == Disposition::kAttachment);
    CPPUNIT_ASSERT_EQUAL(std::string("base64"), pdf.transfer_encoding);
    CPPUNIT_ASSERT_EQUAL(uint64_t{9}, pdf.decoded_size);  // "%PDF-1.4\n"
    CPPUNIT_ASSERT_EQUAL(std::string("JVBERi0xLjQK"), Slice(kAttachment, pdf));
    CPPUNIT_ASSERT_EQUAL(std::string("The report, gr\xC3\xBC\xC3\x9F" "e."),
                         Slice(kAttachment, m.parts[0]));
  }

  void testInlineImage() {
    const std::string mime =
        "From: a@example.com\r\n"
        "Content-Type: multipart/related; boundary=\"rel\"; type=\"text/html\"\r\n"
        "\r\n"
        "--rel\r\n"
        "Content-Type: text/html; charset=us-ascii\r\n"
        "\r\n"
        "<p>Logo: <img src=\"cid:logo@example.com\" alt=\"ACME\"></p>\r\n"
        "--rel\r\n"
        "Content-Type: image/png; name=logo.png\r\n"
        "Content-ID: <logo@example.com>\r\n"
        "Content-Disposition: inline\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "iVBORw0KGgo=\r\n"
        "--rel--\r\n";
    MessageRecord m = Build(mime);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.parts.size());
    const Part& png = m.parts[1];
    CPPUNIT_ASSERT_EQUAL(std::string("image/png"), png.content_type);
    CPPUNIT_ASSERT_EQUAL(std::string("logo@example.com"), png.content_id);
    CPPUNIT_ASSERT(png.disposition == Disposition::kInline);
    CPPUNIT_ASSERT_EQUAL(std::string("logo.png"), png.file_name);  // from name=
    CPPUNIT_ASSERT_EQUAL(uint64_t{8}, png.decoded_size);
    CPPUNIT_ASSERT_EQUAL(std::string("iVBORw0KGgo="), Slice(mime, png));
    CPPUNIT_ASSERT_EQUAL(std::string("Logo: ACME"), m.text_body);
    CPPUNIT_ASSERT(m.parts[0].disposition == Disposition::kNone);
  }

  // mixed > alternative, with LF line ends (as a Maildir file has them):
  // each leaf's slice is its encoded body; an attached text is no body.
  void testNestedWithBareLineFeeds() {
    const std::string mime =
        "From: a@example.com\n"
        "Content-Type: multipart/mixed; boundary=\"A\"\n"
        "\n"
        "--A\n"
        "Content-Type: multipart/alternative; boundary=\"B\"\n"
        "\n"
        "--B\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n"
        "\n"
        "caf=C3=A9\n"
        "--B\n"
        "Content-Type: text/html; charset=utf-8\n"
        "\n"
        "<b>caf&eacute;</b>\n"
        "--B--\n"
        "\n"
        "--A\n"
        "Content-Type: text/plain\n"
        "Content-Disposition: attachment; filename=\"=?ISO-8859-1?Q?r=E9sum=E9.txt?=\"\n"
        "\n"
        "attached text\n"
        "--A--\n";
    MessageRecord m = Build(mime);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, m.parts.size());
    CPPUNIT_ASSERT_EQUAL(std::string("caf=C3=A9"), Slice(mime, m.parts[0]));
    CPPUNIT_ASSERT_EQUAL(uint64_t{5}, m.parts[0].decoded_size);
    CPPUNIT_ASSERT_EQUAL(std::string("<b>caf&eacute;</b>"), Slice(mime, m.parts[1]));
    CPPUNIT_ASSERT_EQUAL(std::string("attached text"), Slice(mime, m.parts[2]));
    CPPUNIT_ASSERT_EQUAL(std::string("r\xC3\xA9sum\xC3\xA9.txt"), m.parts[2].file_name);
    CPPUNIT_ASSERT(m.parts[2].disposition == Disposition::kAttachment);
    CPPUNIT_ASSERT_EQUAL(std::string("caf\xC3\xA9"), m.text_body);
    CPPUNIT_ASSERT_EQUAL(std::string("<b>caf&eacute;</b>"), m.html_body);
    CPPUNIT_ASSERT(!m.malformed);
  }

  // A sender's directory parts are never kept (RFC 2183 2.3): a phone or
  // an export that saves the attachment cannot be sent outside its folder.
  void testFileNameKeepsNoPath() {
    const char* names[][2] = {
        {"../../../../etc/passwd", "passwd"},
        {"C:\\Windows\\evil.exe", "evil.exe"},
        {"/tmp/x.pdf", "x.pdf"},
        {"..", ""},
        {"report\x01\r\n.pdf", "report.pdf"},
        {" plain.txt ", "plain.txt"},
    };
    for (const auto& [given, kept] : names) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(given, std::string(kept), TerminalFileName(given));
    }
    const std::string mime =
        "From: a@example.com\r\n"
        "Content-Type: multipart/mixed; boundary=\"A\"\r\n"
        "\r\n"
        "--A\r\n"
        "Content-Type: text/plain\r\n"
        "\r\n"
        "hi\r\n"
        "--A\r\n"
        "Content-Type: application/octet-stream\r\n"
        "Content-Disposition: attachment; filename=\"../../.ssh/authorized_keys\"\r\n"
        "\r\n"
        "ssh-ed25519 AAAA\r\n"
        "--A--\r\n";
    MessageRecord m = Build(mime);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.parts.size());
    CPPUNIT_ASSERT_EQUAL(std::string("authorized_keys"), m.parts[1].file_name);
  }

  void testEncodedWords() {
    MessageRecord m = Build(
        "From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <joerg@example.de>\r\n"
        "To: =?ISO-8859-1?Q?Ren=E9?= <rene@example.fr>\r\n"
        "Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus?= =?ISO-8859-1?Q?_K=F6ln?=\r\n"
        "\r\nx\r\n");
    CPPUNIT_ASSERT_EQUAL(std::string("Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln"), m.subject);
    CPPUNIT_ASSERT(m.from.at(0) == (Address{"J\xC3\xB6rg M\xC3\xBCller", "joerg@example.de"}));
    CPPUNIT_ASSERT(m.to.at(0) == (Address{"Ren\xC3\xA9", "rene@example.fr"}));
  }

  void testUndeclared8Bit() {
    // Latin-1 bytes in headers and in a body without a charset.
    MessageRecord m = Build(
        "From: Andr\xE9 <andre@example.fr>\r\n"
        "Subject: Caf\xE9 cr\xE8me\r\n"
        "\r\n"
        "Un caf\xE9, s'il vous pla\xEEt.\r\n");
    CPPUNIT_ASSERT_EQUAL(std::string("Caf\xC3\xA9 cr\xC3\xA8me"), m.subject);
    CPPUNIT_ASSERT_EQUAL(std::string("Andr\xC3\xA9"), m.from.at(0).name);
    CPPUNIT_ASSERT_EQUAL(std::string("Un caf\xC3\xA9, s'il vous pla\xC3\xAEt.\r\n"), m.text_body);
    // Undeclared UTF-8 stays as it is.
    m = Build("Subject: Gr\xC3\xBC\xC3\x9F" "e\r\n\r\nS\xC3\xBC\xC3\x9F\r\n");
    CPPUNIT_ASSERT_EQUAL(std::string("Gr\xC3\xBC\xC3\x9F" "e"), m.subject);
    CPPUNIT_ASSERT_EQUAL(std::string("S\xC3\xBC\xC3\x9F\r\n"), m.text_body);
    // 8-bit text that claims to be ASCII is read as undeclared.
    m = Build("Content-Type: text/plain; charset=us-ascii\r\n\r\nna\xEFve\r\n");
    CPPUNIT_ASSERT_EQUAL(std::string("na\xC3\xAFve\r\n"), m.text_body);
  }

  void testWindows1252LabelledLatin1() {
    MessageRecord m = Build(
        "Subject: =?iso-8859-1?Q?=93Quoted=94_=80?=\r\n"
        "Content-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        "\x93Hi\x94 it costs \x80" "5 \x96 caf\xE9\r\n");
    CPPUNIT_ASSERT_EQUAL(
        std::string("\xE2\x80\x9CHi\xE2\x80\x9D it costs \xE2\x82\xAC"
                    "5 \xE2\x80\x93 caf\xC3\xA9\r\n"),
        m.text_body);
    CPPUNIT_ASSERT_EQUAL(std::string("\xE2\x80\x9CQuoted\xE2\x80\x9D \xE2\x82\xAC"), m.subject);
    // The same for quoted-printable bodies.
    m = Build(
        "Content-Type: text/plain; charset=ISO-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "=80 100\r\n");
    CPPUNIT_ASSERT_EQUAL(std::string("\xE2\x82\xAC 100\r\n"), m.text_body);
  }

  void testTrueLatin1StaysLatin1() {
    // ISO-8859-2 without bytes at 0x80-0x9F is read as ISO-8859-2
    // (windows-1250 differs at 0xA1: U+02C7 there, U+0104 here).
    MessageRecord m = Build(
        "Content-Type: text/plain; charset=iso-8859-2\r\n\r\n\xA1\r\n");
    CPPUNIT_ASSERT_EQUAL(std::string("\xC4\x84\r\n"), m.text_body);
    m = Build("Content-Type: text/plain; charset=iso-8859-1\r\n\r\n\xA3\xE9\r\n");
    CPPUNIT_ASSERT_EQUAL(std::string("\xC2\xA3\xC3\xA9\r\n"), m.text_body);
  }

  void testMalformedMultipart() {
    // Garbage among the headers, and no closing boundary: what could be
    // read is kept, and the record says it is malformed.
    const std::string mime =
        "From: a@example.com\r\n"
        "this line is no header\r\n"
        "Subject: broken\r\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        "\r\n"
        "--b1\r\n"
        "Content-Type: text/plain\r\n"
        "\r\n"
        "first part\r\n"
        "--b1\r\n"
        "Content-Type: application/octet-stream\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "AAEC\r\n";
    MessageRecord m = Build(mime);
    CPPUNIT_ASSERT(m.malformed);
    CPPUNIT_ASSERT_EQUAL(std::string("a@example.com"), m.from.at(0).address);
    CPPUNIT_ASSERT_EQUAL(std::string("first part"), m.text_body.substr(0, 10));
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.parts.size());
    CPPUNIT_ASSERT_EQUAL(std::string("AAEC\r\n"), Slice(mime, m.parts[1]));
    CPPUNIT_ASSERT_EQUAL(uint64_t{3}, m.parts[1].decoded_size);
  }

  void testNoHeaders() {
    const std::string mime = "just some text\nwithout any header\n";
    MessageRecord m = Build(mime);
    CPPUNIT_ASSERT(m.text_body.find("without any header") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(kReceived, m.date);
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Note"), m.message_class);
  }

  void testEmptyIsRefused() {
    CPPUNIT_ASSERT(!BuildMessageRecord("", kReceived).ok());
  }

  void testAttachedMessage() {
    const std::string inner =
        "From: inner@example.com\r\n"
        "Subject: inner\r\n"
        "\r\n"
        "inner body\r\n";
    const std::string mime =
        "From: a@example.com\r\n"
        "Content-Type: multipart/mixed; boundary=\"m\"\r\n"
        "\r\n"
        "--m\r\n"
        "Content-Type: text/plain\r\n"
        "\r\n"
        "see attached\r\n"
        "--m\r\n"
        "Content-Type: message/rfc822\r\n"
        "\r\n" + inner +
        "--m--\r\n";
    MessageRecord m = Build(mime);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.parts.size());
    CPPUNIT_ASSERT_EQUAL(std::string("message/rfc822"), m.parts[1].content_type);
    CPPUNIT_ASSERT(m.parts[1].disposition == Disposition::kAttachment);
    CPPUNIT_ASSERT_EQUAL(inner.substr(0, inner.size() - 2), Slice(mime, m.parts[1]));
    // The inner message's text is not the outer body.
    CPPUNIT_ASSERT_EQUAL(std::string("see attached"), m.text_body);
  }

  void testPreview() {
    std::string body;
    for (int i = 0; i < 40; ++i) body += "W\xC3\xB6rter  und\r\n\t";  // 11 characters each
    MessageRecord m = Build("Content-Type: text/plain; charset=utf-8\r\n\r\n" + body);
    CPPUNIT_ASSERT_EQUAL(kPreviewChars, Utf8Chars(m.preview));
    CPPUNIT_ASSERT(m.preview.size() > kPreviewChars);  // bytes, not characters
    CPPUNIT_ASSERT(ValidUtf8(m.preview));
    CPPUNIT_ASSERT(m.preview.find("  ") == std::string::npos);
    CPPUNIT_ASSERT(m.preview.find('\n') == std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("W\xC3\xB6rter und W\xC3\xB6rter"), m.preview.substr(0, 19));
    CPPUNIT_ASSERT_EQUAL(std::string("W\xC3\xB6rter und W\xC3\xB6rter und"),
                         MakePreview(body, 22));
  }

  void testPreviewCutsOnCharacters() {
    std::string euros;
    for (int i = 0; i < 300; ++i) euros += "\xE2\x82\xAC";
    std::string p = MakePreview(euros);
    CPPUNIT_ASSERT_EQUAL(size_t{255 * 3}, p.size());
    CPPUNIT_ASSERT(ValidUtf8(p));
    CPPUNIT_ASSERT_EQUAL(std::string("a"), MakePreview("  \r\n a \xC2\xA0  ", 3));
    CPPUNIT_ASSERT_EQUAL(std::string("a b"), MakePreview("  a\xC2\xA0\xC2\xA0" "b  "));
    // A space never ends the preview.
    CPPUNIT_ASSERT_EQUAL(std::string("ab"), MakePreview("ab cd", 3));
    // A character cut off at the end of the input is not half-copied.
    CPPUNIT_ASSERT_EQUAL(std::string("a"), MakePreview("a\xE2\x82", 5));
  }

  void testMessageClassSmime() {
    MessageRecord m = Build(
        "From: a@example.com\r\n"
        "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
        " micalg=sha-256; boundary=\"s\"\r\n"
        "\r\n"
        "--s\r\n"
        "Content-Type: text/plain\r\n"
        "\r\n"
        "signed text\r\n"
        "--s\r\n"
        "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "MIAGCSqGSIb3DQEHAqCAMIACAQE=\r\n"
        "--s--\r\n");
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Note.SMIME.MultipartSigned"), m.message_class);
    CPPUNIT_ASSERT_EQUAL(std::string("signed text"), m.text_body);
    m = Build(
        "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "MIAGCSqGSIb3DQEHA6CAMIACAQA=\r\n");
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Note.SMIME"), m.message_class);
  }

  void testMessageClassMeeting() {
    auto invite = [](const std::string& method, const std::string& attendee) {
      return "From: a@example.com\r\n"
             "Content-Type: multipart/alternative; boundary=\"c\"\r\n"
             "\r\n"
             "--c\r\n"
             "Content-Type: text/plain\r\n"
             "\r\n"
             "Meeting\r\n"
             "--c\r\n"
             "Content-Type: text/calendar; charset=utf-8; method=" + method + "\r\n"
             "\r\n"
             "BEGIN:VCALENDAR\r\n"
             "VERSION:2.0\r\n"
             "METHOD:" + method + "\r\n"
             "BEGIN:VEVENT\r\n"
             "UID:1\r\n"
             "DTSTART:20261207T100000Z\r\n" + attendee +
             "END:VEVENT\r\n"
             "END:VCALENDAR\r\n"
             "--c--\r\n";
    };
    MessageRecord m = Build(invite("REQUEST", ""));
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Schedule.Meeting.Request"), m.message_class);
    CPPUNIT_ASSERT_EQUAL(std::string("REQUEST"), m.calendar_method);
    CPPUNIT_ASSERT_EQUAL(std::string("Meeting"), m.text_body);
    m = Build(invite("CANCEL", ""));
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Schedule.Meeting.Canceled"), m.message_class);
    // A folded ATTENDEE line; PARTSTAT on the continuation.
    m = Build(invite("REPLY", "ATTENDEE;CN=Bob;\r\n PARTSTAT=ACCEPTED:mailto:bob@example.org\r\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Schedule.Meeting.Resp.Pos"), m.message_class);
    m = Build(invite("REPLY", "ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.org\r\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Schedule.Meeting.Resp.Neg"), m.message_class);
    m = Build(invite("REPLY", "ATTENDEE;PARTSTAT=TENTATIVE;CN=B:mailto:bob@example.org\r\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Schedule.Meeting.Resp.Tent"), m.message_class);
    m = Build(invite("PUBLISH", ""));
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Note"), m.message_class);
    CPPUNIT_ASSERT_EQUAL(std::string("PUBLISH"), m.calendar_method);
  }

  void testRoundTrip() {
    for (const std::string& mime : {kPlain, kAttachment}) {
      MessageRecord m = Build(mime);
      std::string bytes = EncodeMessageRecord(m);
      Result<MessageRecord> back = DecodeMessageRecord(bytes);
      CPPUNIT_ASSERT(back.ok());
      CPPUNIT_ASSERT(*back == m);
    }
    // Every field, odd bytes included.
    MessageRecord m;
    m.subject = std::string("a\0b 1:x", 7);
    m.from = {{"N", "n@x"}};
    m.reply_to = {{"", ""}};
    m.date = 1;
    m.received = UINT64_MAX;
    m.references = {"r1", ""};
    m.importance = Importance::kLow;
    m.parts.push_back({7, 8, "text/plain", "base64", "utf-8", 5, "f", "c", Disposition::kInline});
    m.text_body = "t";
    m.html_body = "<p>";
    m.preview = "p";
    m.size = 99;
    m.message_class = "IPM.Note";
    m.calendar_method = "REQUEST";
    m.malformed = true;
    Result<MessageRecord> back = DecodeMessageRecord(EncodeMessageRecord(m));
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT(*back == m);
  }

  void testDecodeRefusesDamage() {
    std::string bytes = EncodeMessageRecord(Build(kAttachment));
    CPPUNIT_ASSERT(!DecodeMessageRecord(bytes.substr(0, bytes.size() - 1)).ok());
    CPPUNIT_ASSERT(!DecodeMessageRecord(bytes + " 1").ok());
    CPPUNIT_ASSERT(!DecodeMessageRecord("eas-mail-record-2" + bytes.substr(17)).ok());
    CPPUNIT_ASSERT(!DecodeMessageRecord("").ok());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MimeRecordTest);

class MessageClassTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MessageClassTest);
  CPPUNIT_TEST(testSummary);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testSummary() {
    CalendarSummary s = SummarizeCalendar(
        "BEGIN:VCALENDAR\nMETHOD:reply\nBEGIN:VEVENT\n"
        "ATTENDEE;PARTSTAT=\"declined\":mailto:x@y\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:z@y\nEND:VEVENT\nEND:VCALENDAR\n");
    CPPUNIT_ASSERT_EQUAL(std::string("REPLY"), s.method);
    CPPUNIT_ASSERT_EQUAL(std::string("DECLINED"), s.partstat);
    // METHODX is another property, not METHOD.
    CPPUNIT_ASSERT_EQUAL(std::string(), SummarizeCalendar("METHODX:REQUEST\r\n").method);
    CPPUNIT_ASSERT_EQUAL(std::string("IPM.Note"),
                         MessageClassOf({"text/plain", "REPLY", ""}));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MessageClassTest);

}  // namespace
}  // namespace eas::core::mail
