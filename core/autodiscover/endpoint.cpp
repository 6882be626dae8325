#include "core/autodiscover/endpoint.hpp"

namespace eas::core::autodiscover {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != lower[i]) return false;
  }
  return true;
}

bool EndsWithNoCase(std::string_view s, std::string_view lower_suffix) {
  return s.size() >= lower_suffix.size() &&
         EqualsNoCase(s.substr(s.size() - lower_suffix.size()), lower_suffix);
}

// Where `lower` starts in `s` ignoring case, or npos.
size_t FindNoCase(std::string_view s, std::string_view lower) {
  if (lower.size() > s.size()) return std::string_view::npos;
  for (size_t i = 0; i + lower.size() <= s.size(); ++i) {
    if (EqualsNoCase(s.substr(i, lower.size()), lower)) return i;
  }
  return std::string_view::npos;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = Lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

constexpr std::string_view kJsonPath = "/autodiscover/autodiscover.json";

}  // namespace

Endpoint ClassifyPath(std::string_view path) {
  if (EndsWithNoCase(path, "/autodiscover/autodiscover.xml")) return Endpoint::kMobileSyncXml;
  if (EndsWithNoCase(path, "/email.mobileconfig")) return Endpoint::kAppleProfile;
  size_t json = FindNoCase(path, kJsonPath);
  if (json != std::string_view::npos) {
    std::string_view rest = path.substr(json + kJsonPath.size());
    if (rest.empty() || rest.front() == '/') return Endpoint::kJsonV2;
  }
  return Endpoint::kNone;
}

std::string JsonV2Address(std::string_view path, std::string_view query_string) {
  size_t json = FindNoCase(path, kJsonPath);
  if (json != std::string_view::npos) {
    std::string_view rest = path.substr(json + kJsonPath.size());
    // "/v1.0/ADDRESS": the last segment, when it looks like an address
    size_t slash = rest.rfind('/');
    if (slash != std::string_view::npos) {
      std::string last = PercentDecode(rest.substr(slash + 1));
      if (last.find('@') != std::string::npos) return last;
    }
  }
  return QueryParameter(query_string, "email");
}

std::string QueryParameter(std::string_view query_string, std::string_view name) {
  while (!query_string.empty()) {
    size_t amp = query_string.find('&');
    std::string_view pair = query_string.substr(0, amp);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && EqualsNoCase(pair.substr(0, eq), name)) {
      return PercentDecode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query_string.remove_prefix(amp + 1);
  }
  return {};
}

}  // namespace eas::core::autodiscover
