// The header values the server writes into mail it makes (submissions,
// bounces, out-of-office replies): Message-IDs unique and in the sender's
// domain, a host name for a bare user name, and the RFC 5322 date form.
#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <string>

#include "core/mail/header_values.hpp"

namespace eas::core::mail {
namespace {

class HeaderValuesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HeaderValuesTest);
  CPPUNIT_TEST(testMessageIds);
  CPPUNIT_TEST(testDomain);
  CPPUNIT_TEST(testDate);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testMessageIds() {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
      std::string id = NewMessageId("alice@example.org", "oof.");
      CPPUNIT_ASSERT(id.starts_with("oof."));
      CPPUNIT_ASSERT(id.ends_with("@example.org"));
      CPPUNIT_ASSERT_EQUAL(size_t(4 + 32 + 12), id.size());
      CPPUNIT_ASSERT(seen.insert(id).second);
    }
  }

  void testDomain() {
    CPPUNIT_ASSERT_EQUAL(std::string("b.example"), DomainOrHostName("a@x@b.example"));
    std::string host = DomainOrHostName("alice");
    CPPUNIT_ASSERT(!host.empty());
    CPPUNIT_ASSERT(host.find('@') == std::string::npos);
  }

  void testDate() {
    CPPUNIT_ASSERT_EQUAL(std::string("Thu, 01 Jan 1970 00:00:00 +0000"), RfcDate(0));
    CPPUNIT_ASSERT_EQUAL(std::string("Mon, 07 Dec 2026 07:41:05 +0000"), RfcDate(1796629265));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HeaderValuesTest);

}  // namespace
}  // namespace eas::core::mail
