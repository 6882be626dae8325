// Body text to UTF-8 for the MIME record: declared, undeclared, wrongly
// declared and broken charsets.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/mail/charset.hpp"

namespace eas::core::mail {
namespace {

class MailCharsetTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MailCharsetTest);
  CPPUNIT_TEST(testDeclared);
  CPPUNIT_TEST(testUndeclaredAndUnknown);
  CPPUNIT_TEST(testWindowsForIso);
  CPPUNIT_TEST(testInvalidBytes);
  CPPUNIT_TEST(testHeaderC1);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testDeclared() {
    CPPUNIT_ASSERT_EQUAL(std::string("plain"), TextToUtf8("plain", "shift_jis"));
    // KOI8-R "привет", and ISO-8859-15's euro at 0xA4.
    CPPUNIT_ASSERT_EQUAL(std::string("\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"),
                         TextToUtf8("\xD0\xD2\xC9\xD7\xC5\xD4", "koi8-r"));
    CPPUNIT_ASSERT_EQUAL(std::string("\xE2\x82\xAC"), TextToUtf8("\xA4", "ISO-8859-15"));
    CPPUNIT_ASSERT_EQUAL(std::string("\xC3\xA9"), TextToUtf8("\xC3\xA9", "UTF-8"));
  }

  void testUndeclaredAndUnknown() {
    CPPUNIT_ASSERT_EQUAL(std::string("caf\xC3\xA9"), TextToUtf8("caf\xE9", ""));
    CPPUNIT_ASSERT_EQUAL(std::string("caf\xC3\xA9"), TextToUtf8("caf\xE9", "x-no-such-charset"));
    // Labelled UTF-8 but Latin-1 in fact.
    CPPUNIT_ASSERT_EQUAL(std::string("caf\xC3\xA9"), TextToUtf8("caf\xE9", "utf-8"));
    // Undeclared windows-1252 (curly quotes) is read as windows-1252.
    CPPUNIT_ASSERT_EQUAL(std::string("\xE2\x80\x9Cq\xE2\x80\x9D"), TextToUtf8("\x93q\x94", ""));
  }

  void testWindowsForIso() {
    CPPUNIT_ASSERT_EQUAL(std::string("\xE2\x82\xAC"), TextToUtf8("\x80", "iso-8859-1"));
    CPPUNIT_ASSERT_EQUAL(std::string("\xE2\x82\xAC"), TextToUtf8("\x80", "latin1"));
    // iso-8859-2 with 0x8A: windows-1250's S caron.
    CPPUNIT_ASSERT_EQUAL(std::string("\xC5\xA0"), TextToUtf8("\x8A", "iso-8859-2"));
  }

  void testInvalidBytes() {
    // 0xFF is no Shift_JIS lead byte: one replacement character, the rest read.
    CPPUNIT_ASSERT_EQUAL(std::string("a\xEF\xBF\xBD" "b"), TextToUtf8("a\xFF" "b", "shift_jis"));
    // A multibyte character cut off at the end.
    CPPUNIT_ASSERT_EQUAL(std::string("a\xEF\xBF\xBD"), TextToUtf8("a\x82", "shift_jis"));
  }

  void testHeaderC1() {
    CPPUNIT_ASSERT_EQUAL(std::string("\xE2\x80\x9Cx\xE2\x80\x9D \xC3\xA9"),
                         C1AsCp1252("\xC2\x93x\xC2\x94 \xC3\xA9"));
    // 0x81 has no windows-1252 character: left as it is.
    CPPUNIT_ASSERT_EQUAL(std::string("\xC2\x81"), C1AsCp1252("\xC2\x81"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MailCharsetTest);

}  // namespace
}  // namespace eas::core::mail
