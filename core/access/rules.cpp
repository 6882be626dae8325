#include "core/access/rules.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace eas::core::access {
namespace {

enum class Field { kUser, kType, kAgent, kDevice };

// A client chooses its User-Agent and DeviceType: libstdc++'s regex
// matcher recurses per character, so only this many bytes are looked at.
constexpr size_t kMaxSubject = 512;

bool EqualNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

struct Condition {
  Field field;
  bool is_regex = false;
  std::string value;  // the exact value when !is_regex
  std::regex re;

  bool Matches(const DeviceFacts& f) const {
    std::string_view subject = field == Field::kUser   ? f.user
                               : field == Field::kType ? f.device_type
                               : field == Field::kAgent ? f.user_agent
                                                         : f.device_id;
    subject = subject.substr(0, kMaxSubject);
    if (!is_regex) return EqualNoCase(subject, value);
    return std::regex_search(subject.begin(), subject.end(), re);
  }
};

}  // namespace

struct RuleList::Rule {
  Decision decision;
  std::string text;
  std::vector<Condition> conditions;
};

Decision ParseDecision(std::string_view text) {
  if (text == "allow") return Decision::kAllow;
  if (text == "block") return Decision::kBlock;
  if (text == "quarantine") return Decision::kQuarantine;
  return Decision::kNone;
}

std::string_view DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kAllow: return "allow";
    case Decision::kBlock: return "block";
    case Decision::kQuarantine: return "quarantine";
    case Decision::kNone: break;
  }
  return "";
}

RuleList::RuleList() = default;
RuleList::~RuleList() = default;

Status RuleList::Add(Decision decision, const std::vector<std::string>& conditions) {
  if (conditions.empty()) {
    return Status::Invalid("a rule needs at least one condition (user=, type=, agent=, device=); "
                           "use eas_device_default for everything else");
  }
  auto rule = std::make_unique<Rule>();
  rule->decision = decision;
  rule->text = std::string(DecisionName(decision));
  for (const std::string& arg : conditions) {
    size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      return Status::Invalid("\"" + arg + "\" is not FIELD=VALUE or FIELD=~REGEX");
    }
    std::string_view name(arg.data(), eq);
    Condition c;
    if (name == "user") {
      c.field = Field::kUser;
    } else if (name == "type") {
      c.field = Field::kType;
    } else if (name == "agent") {
      c.field = Field::kAgent;
    } else if (name == "device") {
      c.field = Field::kDevice;
    } else {
      return Status::Invalid("unknown field \"" + std::string(name) + "\" in \"" + arg +
                             "\": it must be user, type, agent or device");
    }
    std::string_view value = std::string_view(arg).substr(eq + 1);
    if (value.rfind('~', 0) == 0) {
      auto flags = std::regex::ECMAScript | std::regex::nosubs;
      value.remove_prefix(1);
      if (value.rfind('*', 0) == 0) {
        flags |= std::regex::icase;
        value.remove_prefix(1);
      }
      if (value.empty()) return Status::Invalid("empty regular expression in \"" + arg + "\"");
      try {
        c.re = std::regex(value.begin(), value.end(), flags);
      } catch (const std::regex_error& e) {
        return Status::Invalid("bad regular expression in \"" + arg + "\": " + e.what());
      }
      c.is_regex = true;
    } else {
      if (value.empty()) return Status::Invalid("empty value in \"" + arg + "\"");
      c.value = std::string(value);
    }
    rule->text += " " + arg;
    rule->conditions.push_back(std::move(c));
  }
  rules_.push_back(std::move(rule));
  return Status::Ok();
}

RuleMatch RuleList::First(const DeviceFacts& facts) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Rule& r = *rules_[i];
    bool all = std::all_of(r.conditions.begin(), r.conditions.end(),
                           [&](const Condition& c) { return c.Matches(facts); });
    if (all) return RuleMatch{r.decision, i + 1, r.text};
  }
  return RuleMatch{};
}

size_t RuleList::size() const { return rules_.size(); }

}  // namespace eas::core::access
