// The quoted original of a reply or forward (core/mail/quote): the intro
// line, "> " before each plain line (nested quotes, CRLF, long lines kept
// whole, trailing blank lines), HTML escaping of the intro and of a
// plain-text original, the original's <body> content inside a blockquote,
// and where the quote goes in the user's HTML.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/mail/quote.hpp"

namespace eas::core::mail {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class QuoteTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(QuoteTest);
  CPPUNIT_TEST(testIntro);
  CPPUNIT_TEST(testPlainLines);
  CPPUNIT_TEST(testLongLineKeptWhole);
  CPPUNIT_TEST(testHtmlEscapesTextAndIntro);
  CPPUNIT_TEST(testHtmlTakesBodyContent);
  CPPUNIT_TEST(testAppendToHtml);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testIntro() {
    MessageRecord m;
    m.date = 1717408800;  // Mon, 3 Jun 2024 10:00:00 UTC
    m.from = {{"Bob Bäcker", "bob@example.org"}};
    CPPUNIT_ASSERT_EQUAL(std::string("On Mon, 3 Jun 2024 at 10:00 UTC, Bob Bäcker "
                                     "<bob@example.org> wrote:"),
                         QuoteIntro(m));
    m.from = {{"", "bob@example.org"}};
    CPPUNIT_ASSERT(Has(QuoteIntro(m), ", bob@example.org wrote:"));
    m.from.clear();
    CPPUNIT_ASSERT(Has(QuoteIntro(m), "an unknown sender wrote:"));
  }

  void testPlainLines() {
    CPPUNIT_ASSERT_EQUAL(std::string("\nIntro:\n> first\n>\n>> earlier\n> last\n"),
                         QuotePlain("Intro:", "first\r\n\r\n> earlier\r\nlast\r\n\r\n\n"));
    CPPUNIT_ASSERT_EQUAL(std::string("\nIntro:\n"), QuotePlain("Intro:", ""));
  }

  void testLongLineKeptWhole() {
    std::string line;
    for (int i = 0; i < 500; ++i) line += "Grüße ";  // 3500 bytes, 2-byte characters
    const std::string quoted = QuotePlain("I:", line + "\nend");
    CPPUNIT_ASSERT_EQUAL(std::string("\nI:\n> " + line + "\n> end\n"), quoted);
  }

  void testHtmlEscapesTextAndIntro() {
    const std::string html = QuoteHtml("On X, Tom & Jerry <tj@example.org> wrote:", "",
                                       "a < b & \"c\"\r\n<script>x</script>");
    CPPUNIT_ASSERT(Has(html, "On X, Tom &amp; Jerry &lt;tj@example.org&gt; wrote:"));
    CPPUNIT_ASSERT(Has(html, "<blockquote type=\"cite\""));
    CPPUNIT_ASSERT(Has(html, "a &lt; b &amp; &quot;c&quot;<br>\n&lt;script&gt;x&lt;/script&gt;"));
    CPPUNIT_ASSERT(!Has(html, "<script>"));
  }

  void testHtmlTakesBodyContent() {
    const std::string html =
        QuoteHtml("I:", "<HTML><head><style>p{}</style></head><BODY class=x><p>Hi</p></Body></HTML>",
                  "Hi");
    CPPUNIT_ASSERT(Has(html, "<p>Hi</p></blockquote>"));
    CPPUNIT_ASSERT(!Has(html, "<style>"));
    CPPUNIT_ASSERT(!Has(html, "<HTML>"));
    // No body element: all of it.
    CPPUNIT_ASSERT(Has(QuoteHtml("I:", "<p>bare</p>", "bare"), "<p>bare</p></blockquote>"));
  }

  void testAppendToHtml() {
    CPPUNIT_ASSERT_EQUAL(std::string("<html><body>mine<q/></BODY></html>"),
                         AppendToHtml("<html><body>mine</BODY></html>", "<q/>"));
    CPPUNIT_ASSERT_EQUAL(std::string("<p>mine</p><q/>"), AppendToHtml("<p>mine</p>", "<q/>"));
  }
};

}  // namespace

CPPUNIT_TEST_SUITE_REGISTRATION(QuoteTest);

}  // namespace eas::core::mail
