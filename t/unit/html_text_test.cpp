// HTML -> text with libxml2's HTML parser: what is dropped, where lines
// break, what white space becomes.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/mail/html_text.hpp"

namespace eas::core::mail {
namespace {

class HtmlTextTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HtmlTextTest);
  CPPUNIT_TEST(testScriptStyleHeadDropped);
  CPPUNIT_TEST(testBlocksBreakLines);
  CPPUNIT_TEST(testBrAndBlankLines);
  CPPUNIT_TEST(testListItems);
  CPPUNIT_TEST(testLinkKeepsText);
  CPPUNIT_TEST(testEntities);
  CPPUNIT_TEST(testWhiteSpaceCollapses);
  CPPUNIT_TEST(testPreKeepsLines);
  CPPUNIT_TEST(testTableCells);
  CPPUNIT_TEST(testBrokenMarkup);
  CPPUNIT_TEST(testDeepNesting);
  CPPUNIT_TEST(testEmpty);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testScriptStyleHeadDropped() {
    std::string text = HtmlToText(
        "<html><head><title>T</title><style>p{color:red}</style></head>"
        "<body><script>alert('x')</script><p>Hello</p><!-- note --></body></html>");
    CPPUNIT_ASSERT_EQUAL(std::string("Hello"), text);
  }

  void testBlocksBreakLines() {
    CPPUNIT_ASSERT_EQUAL(std::string("One\nTwo\nThree\nFour"),
                         HtmlToText("<p>One</p><div>Two</div><h1>Three</h1>Four"));
    CPPUNIT_ASSERT_EQUAL(std::string("quoted\nafter"),
                         HtmlToText("<blockquote>quoted</blockquote>after"));
  }

  void testBrAndBlankLines() {
    CPPUNIT_ASSERT_EQUAL(std::string("a\nb"), HtmlToText("a<br>b"));
    CPPUNIT_ASSERT_EQUAL(std::string("a\n\nb"), HtmlToText("a<br><br>b"));
    // Never more than one blank line, however many <br> there are.
    CPPUNIT_ASSERT_EQUAL(std::string("a\n\nb"), HtmlToText("a<br><br><br><br>b"));
  }

  void testListItems() {
    CPPUNIT_ASSERT_EQUAL(std::string("Items:\none\ntwo\nend"),
                         HtmlToText("Items:<ul><li>one</li><li>two</ul>end"));
  }

  void testLinkKeepsText() {
    CPPUNIT_ASSERT_EQUAL(std::string("see the site now"),
                         HtmlToText("see <a href=\"http://example.com/\">the site</a> now"));
  }

  void testEntities() {
    // &amp; &lt; &eacute; &euro; and a numeric reference, all to UTF-8.
    CPPUNIT_ASSERT_EQUAL(std::string("a & <b> \xC3\xA9 \xE2\x82\xAC \xE2\x80\x9Cq\xE2\x80\x9D"),
                         HtmlToText("a &amp; &lt;b&gt; &eacute; &euro; &#8220;q&#x201D;"));
  }

  void testWhiteSpaceCollapses() {
    CPPUNIT_ASSERT_EQUAL(std::string("a b c"), HtmlToText("  a \n\t b   <span> c </span> "));
    CPPUNIT_ASSERT_EQUAL(std::string("x\ny"), HtmlToText("<div> x </div>  <div>  y  </div>"));
  }

  void testPreKeepsLines() {
    CPPUNIT_ASSERT_EQUAL(std::string("before\nline 1\n  line 2\nafter"),
                         HtmlToText("before<pre>line 1\n  line 2</pre>after"));
  }

  void testTableCells() {
    CPPUNIT_ASSERT_EQUAL(
        std::string("a\tb\nc\td"),
        HtmlToText("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>"));
  }

  void testBrokenMarkup() {
    // Unclosed tags, a stray end tag, an unterminated attribute: text stays.
    std::string text = HtmlToText("<p>first<p>second</b><div class='x>third");
    CPPUNIT_ASSERT(text.find("first") != std::string::npos);
    CPPUNIT_ASSERT(text.find("second") != std::string::npos);
    CPPUNIT_ASSERT(text.find("first\nsecond") == 0);
  }

  // The walk is iterative: 240 levels (under libxml2's limit of 256) give
  // their text. Past the limit libxml2 stops parsing; what came before stays.
  void testDeepNesting() {
    std::string html = "<p>intro</p>";
    for (int i = 0; i < 120; ++i) html += "<div><span>";
    CPPUNIT_ASSERT_EQUAL(std::string("intro\ndeep"), HtmlToText(html + "deep"));
    for (int i = 0; i < 5000; ++i) html += "<div>";
    CPPUNIT_ASSERT_EQUAL(std::string("intro"), HtmlToText(html + "lost"));
  }

  void testEmpty() {
    CPPUNIT_ASSERT_EQUAL(std::string(), HtmlToText(""));
    CPPUNIT_ASSERT_EQUAL(std::string(), HtmlToText("<html><body></body></html>"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HtmlTextTest);

}  // namespace
}  // namespace eas::core::mail
