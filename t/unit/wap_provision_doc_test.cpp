// The EAS 2.5 provisioning document: the policy's values in the registry
// places a Windows Mobile device reads them from, and nothing when the
// policy asks for no password.
#include <cppunit/extensions/HelperMacros.h>

#include "core/provisioning/wap_provision_doc.hpp"

using eas::core::provisioning::Policy;
using eas::core::provisioning::WapProvisionDoc;

class WapProvisionDocTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WapProvisionDocTest);
  CPPUNIT_TEST(NoPasswordIsOnlyTheSecurityPolicy);
  CPPUNIT_TEST(PasswordRulesGoToTheRegistry);
  CPPUNIT_TEST(InactivityRoundsUpToWholeMinutes);
  CPPUNIT_TEST_SUITE_END();

  static bool Has(const std::string& doc, const std::string& part) {
    return doc.find(part) != std::string::npos;
  }

 public:
  void NoPasswordIsOnlyTheSecurityPolicy() {
    const std::string doc = WapProvisionDoc(Policy());
    CPPUNIT_ASSERT_EQUAL(std::string("<wap-provisioningdoc><characteristic type=\"SecurityPolicy\">"
                                     "<parm name=\"4131\" value=\"1\"/><parm name=\"4133\" value=\"1\"/>"
                                     "</characteristic></wap-provisioningdoc>"),
                         doc);
  }

  void PasswordRulesGoToTheRegistry() {
    Policy p;
    p.password_required = true;
    p.min_password_length = 8;
    p.alphanumeric_password = true;
    p.max_failed_attempts = 10;
    const std::string doc = WapProvisionDoc(p);
    CPPUNIT_ASSERT(Has(doc, "<parm name=\"4131\" value=\"0\"/>"));
    CPPUNIT_ASSERT(Has(doc, "<parm name=\"AEFrequencyType\" value=\"0\"/>"));
    CPPUNIT_ASSERT(!Has(doc, "AEFrequencyValue"));
    CPPUNIT_ASSERT(Has(doc, "<characteristic type=\"HKLM\\Comm\\Security\\Policy\\LASSD\">"
                            "<parm name=\"DeviceWipeThreshold\" value=\"10\"/></characteristic>"));
    CPPUNIT_ASSERT(Has(doc, "<parm name=\"CodewordFrequency\" value=\"5\"/>"));
    CPPUNIT_ASSERT(Has(doc, "<parm name=\"MinimumPasswordLength\" value=\"8\"/>"));
    CPPUNIT_ASSERT(Has(doc, "<parm name=\"PasswordComplexity\" value=\"0\"/>"));
    const std::string end = "</characteristic></characteristic></wap-provisioningdoc>";
    CPPUNIT_ASSERT(doc.size() > end.size() && doc.compare(doc.size() - end.size(), end.size(), end) == 0);
  }

  void InactivityRoundsUpToWholeMinutes() {
    Policy p;
    p.password_required = true;
    p.max_inactivity_seconds = 61;
    const std::string doc = WapProvisionDoc(p);
    CPPUNIT_ASSERT(Has(doc, "<parm name=\"AEFrequencyType\" value=\"1\"/><parm name=\"AEFrequencyValue\" value=\"2\"/>"));
    CPPUNIT_ASSERT(Has(doc, "<parm name=\"PasswordComplexity\" value=\"2\"/>"));
    CPPUNIT_ASSERT(!Has(doc, "MinimumPasswordLength"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WapProvisionDocTest);
