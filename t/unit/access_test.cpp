// Device access: rule parsing and matching (first match wins, regex and
// exact conditions, errors as values for `nginx -t`), the order of stored
// decisions over config, the device limit and the protocol version cap.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "core/access/decide.hpp"
#include "core/access/rules.hpp"
#include "core/access/versions.hpp"

using eas::Code;
using eas::core::access::Admission;
using eas::core::access::AccessOptions;
using eas::core::access::Decide;
using eas::core::access::Decision;
using eas::core::access::DeviceFacts;
using eas::core::access::RuleList;
using eas::core::access::Verdict;
using eas::storage::DeviceRecord;

namespace {

const DeviceFacts kAndroidOutlook{"bob", "Android", "Outlook-Android/2.0", "ANDR01"};
const DeviceFacts kIphone{"alice", "iPhone", "Apple-iPhone9C1/1602.92", "ApplDNPX01"};

bool Adds(RuleList& rules, Decision d, std::vector<std::string> conds) {
  return rules.Add(d, conds).ok();
}

std::string AddError(std::vector<std::string> conds) {
  RuleList rules;
  auto s = rules.Add(Decision::kBlock, conds);
  CPPUNIT_ASSERT(!s.ok());
  CPPUNIT_ASSERT(s.code() == Code::kInvalidArgument);
  return s.message();
}

}  // namespace

class AccessTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AccessTest);
  CPPUNIT_TEST(DecisionNames);
  CPPUNIT_TEST(FirstMatchWins);
  CPPUNIT_TEST(ExactAndRegexConditions);
  CPPUNIT_TEST(BadRulesAreErrors);
  CPPUNIT_TEST(StoredStateBeatsConfig);
  CPPUNIT_TEST(VariableThenRulesThenDefault);
  CPPUNIT_TEST(DeviceLimitOnlyForNewDevices);
  CPPUNIT_TEST(ProvisioningExemption);
  CPPUNIT_TEST(ProtocolVersionCap);
  CPPUNIT_TEST_SUITE_END();

 public:
  void DecisionNames() {
    CPPUNIT_ASSERT(eas::core::access::ParseDecision("allow") == Decision::kAllow);
    CPPUNIT_ASSERT(eas::core::access::ParseDecision("block") == Decision::kBlock);
    CPPUNIT_ASSERT(eas::core::access::ParseDecision("quarantine") == Decision::kQuarantine);
    CPPUNIT_ASSERT(eas::core::access::ParseDecision("Allow") == Decision::kNone);
    CPPUNIT_ASSERT(eas::core::access::ParseDecision("") == Decision::kNone);
    CPPUNIT_ASSERT_EQUAL(std::string("quarantine"),
                         std::string(eas::core::access::DecisionName(Decision::kQuarantine)));
    CPPUNIT_ASSERT_EQUAL(std::string("wipe_account"),
                         std::string(eas::core::access::VerdictName(Verdict::kAccountOnlyWipe)));
  }

  void FirstMatchWins() {
    RuleList rules;
    CPPUNIT_ASSERT(Adds(rules, Decision::kAllow, {"user=bob", "device=ANDR01"}));
    CPPUNIT_ASSERT(Adds(rules, Decision::kBlock, {"type=~^Android", "agent=~Outlook"}));
    CPPUNIT_ASSERT(Adds(rules, Decision::kQuarantine, {"user=bob"}));
    CPPUNIT_ASSERT_EQUAL(size_t{3}, rules.size());

    auto m = rules.First(kAndroidOutlook);
    CPPUNIT_ASSERT(m.decision == Decision::kAllow);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, m.number);
    CPPUNIT_ASSERT_EQUAL(std::string("allow user=bob device=ANDR01"), std::string(m.text));

    DeviceFacts other = kAndroidOutlook;
    other.device_id = "ANDR02";
    m = rules.First(other);
    CPPUNIT_ASSERT(m.decision == Decision::kBlock);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, m.number);

    other.user_agent = "Android-Mail/1.0";  // not Outlook: falls to rule 3
    m = rules.First(other);
    CPPUNIT_ASSERT(m.decision == Decision::kQuarantine);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, m.number);

    m = rules.First(kIphone);
    CPPUNIT_ASSERT(m.decision == Decision::kNone);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, m.number);
  }

  void ExactAndRegexConditions() {
    RuleList rules;
    CPPUNIT_ASSERT(Adds(rules, Decision::kBlock, {"type=iphone"}));  // exact ignores case
    CPPUNIT_ASSERT(rules.First(kIphone).number == 1);
    CPPUNIT_ASSERT(rules.First(kAndroidOutlook).number == 0);

    RuleList partial;
    CPPUNIT_ASSERT(Adds(partial, Decision::kBlock, {"type=iPho"}));  // exact is whole
    CPPUNIT_ASSERT(partial.First(kIphone).number == 0);

    RuleList re;
    CPPUNIT_ASSERT(Adds(re, Decision::kBlock, {"agent=~iphone"}));  // regex keeps case
    CPPUNIT_ASSERT(re.First(kIphone).number == 0);
    RuleList re_icase;
    CPPUNIT_ASSERT(Adds(re_icase, Decision::kBlock, {"agent=~*iphone"}));
    CPPUNIT_ASSERT(re_icase.First(kIphone).number == 1);
    RuleList anchored;
    CPPUNIT_ASSERT(Adds(anchored, Decision::kBlock, {"device=~^Appl[A-Z]+[0-9]{2}$"}));
    CPPUNIT_ASSERT(anchored.First(kIphone).number == 1);
    CPPUNIT_ASSERT(anchored.First(kAndroidOutlook).number == 0);
    RuleList users;
    CPPUNIT_ASSERT(Adds(users, Decision::kBlock, {"user=~^(bob|carol)$"}));
    CPPUNIT_ASSERT(users.First(kAndroidOutlook).number == 1);
    CPPUNIT_ASSERT(users.First(kIphone).number == 0);

    // Only the first 512 bytes of a value are looked at.
    std::string long_agent(600, 'x');
    long_agent += "Outlook";
    DeviceFacts f = kIphone;
    f.user_agent = long_agent;
    RuleList outlook;
    CPPUNIT_ASSERT(Adds(outlook, Decision::kBlock, {"agent=~Outlook"}));
    CPPUNIT_ASSERT(outlook.First(f).number == 0);
  }

  void BadRulesAreErrors() {
    CPPUNIT_ASSERT(AddError({}).find("at least one condition") != std::string::npos);
    CPPUNIT_ASSERT(AddError({"model=x"}).find("unknown field \"model\"") != std::string::npos);
    CPPUNIT_ASSERT(AddError({"user"}).find("not FIELD=VALUE") != std::string::npos);
    CPPUNIT_ASSERT(AddError({"agent=~(Outlook"}).find("bad regular expression in \"agent=~(Outlook\"") !=
                   std::string::npos);
    CPPUNIT_ASSERT(AddError({"type="}).find("empty value") != std::string::npos);
    CPPUNIT_ASSERT(AddError({"type=~"}).find("empty regular expression") != std::string::npos);
    CPPUNIT_ASSERT(AddError({"user=bob", "type=~*["}).find("type=~*[") != std::string::npos);
  }

  void StoredStateBeatsConfig() {
    RuleList rules;
    CPPUNIT_ASSERT(Adds(rules, Decision::kBlock, {"type=~^Android"}));
    AccessOptions o;
    o.rules = &rules;
    o.variable = "quarantine";
    DeviceRecord d;
    Admission a = Decide(o, kAndroidOutlook, &d, 0);
    CPPUNIT_ASSERT(a.verdict == Verdict::kQuarantine);  // the variable comes before rules

    d.access = DeviceRecord::Access::kApproved;
    a = Decide(o, kAndroidOutlook, &d, 0);
    CPPUNIT_ASSERT(a.verdict == Verdict::kAllow);
    CPPUNIT_ASSERT_EQUAL(std::string("administrator"), a.reason);

    o.variable.clear();
    o.default_decision = Decision::kAllow;
    d.access = DeviceRecord::Access::kBlocked;
    a = Decide(o, kIphone, &d, 0);  // no rule matches, the default allows: still blocked
    CPPUNIT_ASSERT(a.verdict == Verdict::kBlock);
    CPPUNIT_ASSERT_EQUAL(std::string("administrator"), a.reason);

    d.wipe = DeviceRecord::Wipe::kRequested;
    CPPUNIT_ASSERT(Decide(o, kIphone, &d, 0).verdict == Verdict::kWipe);
    d.wipe = DeviceRecord::Wipe::kAccountOnly;
    CPPUNIT_ASSERT(Decide(o, kIphone, &d, 0).verdict == Verdict::kAccountOnlyWipe);
    d.wipe = DeviceRecord::Wipe::kDone;
    d.access = DeviceRecord::Access::kApproved;
    a = Decide(o, kIphone, &d, 0);  // wiped: out, even when approved
    CPPUNIT_ASSERT(a.verdict == Verdict::kBlock);
    CPPUNIT_ASSERT_EQUAL(std::string("wiped"), a.reason);
  }

  void VariableThenRulesThenDefault() {
    RuleList rules;
    CPPUNIT_ASSERT(Adds(rules, Decision::kAllow, {"user=alice"}));
    CPPUNIT_ASSERT(Adds(rules, Decision::kQuarantine, {"type=Android"}));
    AccessOptions o;
    o.rules = &rules;
    o.default_decision = Decision::kBlock;

    Admission a = Decide(o, kIphone, nullptr, 0);
    CPPUNIT_ASSERT(a.verdict == Verdict::kAllow);
    CPPUNIT_ASSERT_EQUAL(std::string("rule 1 (allow user=alice)"), a.reason);
    a = Decide(o, kAndroidOutlook, nullptr, 0);
    CPPUNIT_ASSERT(a.verdict == Verdict::kQuarantine);
    CPPUNIT_ASSERT_EQUAL(std::string("rule 2 (quarantine type=Android)"), a.reason);
    DeviceFacts nobody{"carol", "WindowsMail", "", "W1"};
    a = Decide(o, nobody, nullptr, 0);
    CPPUNIT_ASSERT(a.verdict == Verdict::kBlock);
    CPPUNIT_ASSERT_EQUAL(std::string("eas_device_default"), a.reason);

    o.variable = "block";
    a = Decide(o, kIphone, nullptr, 0);
    CPPUNIT_ASSERT(a.verdict == Verdict::kBlock);
    CPPUNIT_ASSERT_EQUAL(std::string("eas_device_access"), a.reason);

    o.variable = "maybe";  // a bad map value: warned about, the rules decide
    a = Decide(o, kIphone, nullptr, 0);
    CPPUNIT_ASSERT(a.verdict == Verdict::kAllow);
    CPPUNIT_ASSERT(a.warning.find("\"maybe\"") != std::string::npos);
  }

  void DeviceLimitOnlyForNewDevices() {
    AccessOptions o;
    o.max_devices = 2;
    CPPUNIT_ASSERT(Decide(o, kIphone, nullptr, 1).verdict == Verdict::kAllow);
    Admission a = Decide(o, kIphone, nullptr, 2);
    CPPUNIT_ASSERT(a.verdict == Verdict::kTooManyDevices);
    CPPUNIT_ASSERT_EQUAL(std::string("eas_max_devices 2"), a.reason);
    DeviceRecord known;
    CPPUNIT_ASSERT(Decide(o, kIphone, &known, 5).verdict == Verdict::kAllow);
    o.max_devices = 0;
    CPPUNIT_ASSERT(Decide(o, kIphone, nullptr, 1000).verdict == Verdict::kAllow);
  }

  void ProvisioningExemption() {
    RuleList exempt;
    CPPUNIT_ASSERT(Adds(exempt, Decision::kAllow, {"agent=~^Outlook/"}));
    RuleList rules;
    CPPUNIT_ASSERT(Adds(rules, Decision::kBlock, {"user=bob"}));
    AccessOptions o;
    o.provisioning_exempt = &exempt;
    CPPUNIT_ASSERT(!Decide(o, kIphone, nullptr, 0).provisioning_exempt);
    CPPUNIT_ASSERT(!Decide(o, kAndroidOutlook, nullptr, 0).provisioning_exempt);
    DeviceFacts desktop{"alice", "WindowsOutlook15", "Outlook/16.0", "OUT1"};
    CPPUNIT_ASSERT(Decide(o, desktop, nullptr, 0).provisioning_exempt);
    desktop.user = "bob";
    o.rules = &rules;
    Admission a = Decide(o, desktop, nullptr, 0);  // refused devices are exempt from nothing
    CPPUNIT_ASSERT(a.verdict == Verdict::kBlock);
    CPPUNIT_ASSERT(!a.provisioning_exempt);
  }

  void ProtocolVersionCap() {
    using eas::core::access::AboveMaxVersion;
    using eas::core::access::OfferedVersions;
    CPPUNIT_ASSERT_EQUAL(std::string("2.5,12.0,12.1,14.0,14.1,16.0,16.1"), OfferedVersions(""));
    CPPUNIT_ASSERT_EQUAL(std::string("2.5,12.0,12.1,14.0,14.1"), OfferedVersions("14.1"));
    CPPUNIT_ASSERT_EQUAL(std::string("2.5,12.0,12.1"), OfferedVersions("12.1"));
    CPPUNIT_ASSERT_EQUAL(std::string("2.5,12.0,12.1,14.0,14.1,16.0,16.1"), OfferedVersions("15"));
    CPPUNIT_ASSERT(AboveMaxVersion("16.1", "14.1"));
    CPPUNIT_ASSERT(!AboveMaxVersion("14.1", "14.1"));
    CPPUNIT_ASSERT(!AboveMaxVersion("12.1", "14.1"));
    CPPUNIT_ASSERT(!AboveMaxVersion("16.1", ""));
    CPPUNIT_ASSERT(!AboveMaxVersion("16.1", "nonsense"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AccessTest);
