// Autodiscover's pieces without nginx: which flavour a path is, the query
// and path forms of an address, the request parser's refusals, and the
// documents' escaping (an address or name with markup in it must not
// change the document's shape).
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/autodiscover/apple_profile.hpp"
#include "core/autodiscover/endpoint.hpp"
#include "core/autodiscover/json_v2.hpp"
#include "core/autodiscover/mobilesync.hpp"

namespace eas::core::autodiscover {
namespace {

std::string Request(std::string_view email, std::string_view schema = kMobileSyncResponseSchema) {
  return "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/mobilesync/"
         "requestschema/2006\"><Request><EMailAddress>" + std::string(email) +
         "</EMailAddress><AcceptableResponseSchema>" + std::string(schema) +
         "</AcceptableResponseSchema></Request></Autodiscover>";
}

class AutodiscoverTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AutodiscoverTest);
  CPPUNIT_TEST(testPaths);
  CPPUNIT_TEST(testAddresses);
  CPPUNIT_TEST(testParse);
  CPPUNIT_TEST(testRefusals);
  CPPUNIT_TEST(testEscaping);
  CPPUNIT_TEST(testJson);
  CPPUNIT_TEST(testHostOfUrl);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testPaths() {
    CPPUNIT_ASSERT(ClassifyPath("/autodiscover/autodiscover.xml") == Endpoint::kMobileSyncXml);
    CPPUNIT_ASSERT(ClassifyPath("/Autodiscover/Autodiscover.XML") == Endpoint::kMobileSyncXml);
    CPPUNIT_ASSERT(ClassifyPath("/autodiscover/autodiscover.json") == Endpoint::kJsonV2);
    CPPUNIT_ASSERT(ClassifyPath("/autodiscover/autodiscover.json/v1.0/a@b.c") == Endpoint::kJsonV2);
    CPPUNIT_ASSERT(ClassifyPath("/autodiscover/autodiscover.jsonx") == Endpoint::kNone);
    CPPUNIT_ASSERT(ClassifyPath("/email.mobileconfig") == Endpoint::kAppleProfile);
    CPPUNIT_ASSERT(ClassifyPath("/autodiscover/other.xml") == Endpoint::kNone);
    CPPUNIT_ASSERT(ClassifyPath("") == Endpoint::kNone);
  }

  void testAddresses() {
    CPPUNIT_ASSERT_EQUAL(std::string("a@b.c"),
                         JsonV2Address("/autodiscover/autodiscover.json/v1.0/a%40b.c", ""));
    CPPUNIT_ASSERT_EQUAL(std::string("x y@b.c"),
                         JsonV2Address("/autodiscover/autodiscover.json",
                                       "Protocol=ActiveSync&EMAIL=x+y%40b.c"));
    CPPUNIT_ASSERT_EQUAL(std::string(""), JsonV2Address("/autodiscover/autodiscover.json",
                                                        "Protocol=ActiveSync"));
    // a broken escape stays as it is
    CPPUNIT_ASSERT_EQUAL(std::string("a%4"), QueryParameter("email=a%4", "email"));
    CPPUNIT_ASSERT_EQUAL(std::string("2"), QueryParameter("emailx=1&email=2", "email"));
  }

  void testParse() {
    auto r = ParseMobileSyncRequest(Request("  alice@example.com\n "));
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("alice@example.com"), r.value().email);
    CPPUNIT_ASSERT_EQUAL(std::string(kMobileSyncResponseSchema), r.value().acceptable_schema);
  }

  void testRefusals() {
    CPPUNIT_ASSERT(!ParseMobileSyncRequest("").ok());
    CPPUNIT_ASSERT(!ParseMobileSyncRequest("<Autodiscover><Request>").ok());
    CPPUNIT_ASSERT(!ParseMobileSyncRequest("<Other/>").ok());
    CPPUNIT_ASSERT(!ParseMobileSyncRequest(Request("")).ok());
    std::string two = Request("a@b.c");
    size_t at = two.find("<Request>");
    size_t end = two.find("</Request>") + std::string_view("</Request>").size();
    two.insert(end, two.substr(at, end - at));
    auto r = ParseMobileSyncRequest(two);
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT(r.status().message().find("more than one") != std::string::npos);
  }

  void testEscaping() {
    std::string doc = MobileSyncSettings("<b>&Co", "a@b.c", "https://h/x?a=1&b=2");
    CPPUNIT_ASSERT(doc.find("<DisplayName>&lt;b&gt;&amp;Co</DisplayName>") != std::string::npos);
    CPPUNIT_ASSERT(doc.find("<Url>https://h/x?a=1&amp;b=2</Url>") != std::string::npos);
    // the document parses back: its shape survived
    CPPUNIT_ASSERT(doc.find("<Type>MobileSync</Type>") != std::string::npos);
    std::string err = MobileSyncRequestError(600, "Invalid Request", 3600 * 25 + 61, 7);
    CPPUNIT_ASSERT(err.find("Time=\"01:01:01\" Id=\"7\"") != std::string::npos);
    std::string profile = AppleProfile({"a<x>@b.c", "dom\\a", "", "https://h:8443/x"});
    CPPUNIT_ASSERT(profile.find("<string>a&lt;x&gt;@b.c</string>") != std::string::npos);
    CPPUNIT_ASSERT(profile.find("<key>Host</key><string>h:8443</string>") != std::string::npos);
  }

  void testJson() {
    JsonAnswer a = AnswerJsonV2("ActiveSync", "a@b.c", "https://h/\"x\"");
    CPPUNIT_ASSERT_EQUAL(200, a.http_status);
    CPPUNIT_ASSERT_EQUAL(std::string("{\"Protocol\":\"ActiveSync\",\"Url\":\"https://h/\\\"x\\\"\"}"),
                         a.body);
    CPPUNIT_ASSERT_EQUAL(400, AnswerJsonV2("Ews", "a@b.c", "u").http_status);
    CPPUNIT_ASSERT_EQUAL(400, AnswerJsonV2("ActiveSync", "nobody", "u").http_status);
  }

  void testHostOfUrl() {
    bool ssl = false;
    CPPUNIT_ASSERT_EQUAL(std::string("mail.example.com"),
                         HostOfUrl("https://mail.example.com/Microsoft-Server-ActiveSync", &ssl));
    CPPUNIT_ASSERT(ssl);
    CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:8080"),
                         HostOfUrl("HTTP://127.0.0.1:8080/Microsoft-Server-ActiveSync", &ssl));
    CPPUNIT_ASSERT(!ssl);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AutodiscoverTest);

}  // namespace
}  // namespace eas::core::autodiscover
