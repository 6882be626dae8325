// Device access rules from nginx config (eas_device_rule, eas_device_default,
// eas_provisioning_exempt): parsed and compiled once at configuration time,
// matched on every request. Errors are values, so `nginx -t` can print them.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.hpp"

namespace eas::core::access {

// What config (or eas_device_access) decides for a device.
enum class Decision : unsigned char { kNone = 0, kAllow, kBlock, kQuarantine };

// "allow", "block", "quarantine"; kNone for anything else.
Decision ParseDecision(std::string_view text);
// The inverse; "" for kNone.
std::string_view DecisionName(Decision decision);

// What a rule looks at, as the request tells it.
struct DeviceFacts {
  std::string_view user;         // canonical login name
  std::string_view device_type;  // DeviceType=
  std::string_view user_agent;   // User-Agent header
  std::string_view device_id;    // DeviceId=
};

// The first rule a device matched.
struct RuleMatch {
  Decision decision = Decision::kNone;  // kNone: no rule matched
  size_t number = 0;                    // 1-based, in configuration order
  std::string_view text;                // "block type=~^Android agent=~Outlook"
};

// An ordered list of rules; the first whose conditions all hold wins.
// Immutable once configuration is read, so workers and pool threads share
// it without locks.
class RuleList {
 public:
  RuleList();
  ~RuleList();
  RuleList(const RuleList&) = delete;
  RuleList& operator=(const RuleList&) = delete;

  // Adds a rule. Each condition is FIELD=VALUE (equal, ignoring case),
  // FIELD=~REGEX (ECMAScript search, case-sensitive) or FIELD=~*REGEX
  // (ignoring case); FIELD is user, type, agent or device. At least one
  // condition. Errors name the bad argument and why.
  Status Add(Decision decision, const std::vector<std::string>& conditions);

  // The first matching rule; decision kNone when none matches.
  RuleMatch First(const DeviceFacts& facts) const;

  size_t size() const;

 private:
  struct Rule;
  std::vector<std::unique_ptr<Rule>> rules_;
};

}  // namespace eas::core::access
