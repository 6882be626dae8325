#include "core/autodiscover/apple_profile.hpp"

#include "core/util/digest.hpp"
#include "core/util/hex.hpp"
#include "core/util/xml_text.hpp"

namespace eas::core::autodiscover {
namespace {

constexpr std::string_view kIdentifierBase = "org.eas-for-nginx.account";

// A UUID (RFC 9562 version 8, name-derived) from SHA-256 of `name`.
std::string DerivedUuid(std::string_view name) {
  std::string bytes = util::Sha256(name).substr(0, 16);
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x80);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  std::string hex = util::Hex(bytes, /*upper=*/true);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

void Key(std::string* out, std::string_view key) { util::AppendXmlElement(out, "key", key); }

void StringEntry(std::string* out, std::string_view key, std::string_view value) {
  Key(out, key);
  util::AppendXmlElement(out, "string", value);
}

void IntegerEntry(std::string* out, std::string_view key, int value) {
  Key(out, key);
  util::AppendXmlElement(out, "integer", std::to_string(value));
}

void BoolEntry(std::string* out, std::string_view key, bool value) {
  Key(out, key);
  out->append(value ? "<true/>" : "<false/>");
}

}  // namespace

std::string HostOfUrl(std::string_view url, bool* ssl) {
  *ssl = true;
  if (size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    std::string_view name = url.substr(0, scheme);
    *ssl = !(name.size() == 4 && (name[0] | 0x20) == 'h' && (name[1] | 0x20) == 't' &&
             (name[2] | 0x20) == 't' && (name[3] | 0x20) == 'p');
    url.remove_prefix(scheme + 3);
  }
  return std::string(url.substr(0, url.find_first_of("/?#")));
}

std::string AppleProfile(const AppleProfileAccount& a) {
  bool ssl = true;
  const std::string host = HostOfUrl(a.activesync_url, &ssl);
  const std::string seed = std::string(a.login) + "\n" + std::string(a.activesync_url);
  const std::string account_name =
      a.display_name.empty() ? std::string(a.email) : std::string(a.display_name);

  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
      "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
      "<plist version=\"1.0\">\n<dict>\n";
  Key(&out, "PayloadContent");
  out.append("\n<array>\n<dict>\n");
  StringEntry(&out, "EmailAddress", a.email);
  StringEntry(&out, "Host", host);
  BoolEntry(&out, "SSL", ssl);
  StringEntry(&out, "UserName", a.login);
  BoolEntry(&out, "EnableMail", true);
  BoolEntry(&out, "EnableContacts", true);
  BoolEntry(&out, "EnableCalendars", true);
  BoolEntry(&out, "EnableReminders", true);
  BoolEntry(&out, "EnableNotes", true);
  StringEntry(&out, "PayloadDisplayName", "Exchange ActiveSync");
  StringEntry(&out, "PayloadDescription", "Mail, contacts and calendars of " + account_name);
  StringEntry(&out, "PayloadIdentifier", std::string(kIdentifierBase) + ".eas." + DerivedUuid(seed));
  StringEntry(&out, "PayloadType", "com.apple.eas.account");
  StringEntry(&out, "PayloadUUID", DerivedUuid(seed + "\neas"));
  IntegerEntry(&out, "PayloadVersion", 1);
  out.append("\n</dict>\n</array>\n");
  StringEntry(&out, "PayloadDisplayName", "Exchange account " + std::string(a.email));
  StringEntry(&out, "PayloadIdentifier", std::string(kIdentifierBase) + "." + DerivedUuid(seed));
  BoolEntry(&out, "PayloadRemovalDisallowed", false);
  StringEntry(&out, "PayloadType", "Configuration");
  StringEntry(&out, "PayloadUUID", DerivedUuid(seed + "\nprofile"));
  IntegerEntry(&out, "PayloadVersion", 1);
  out.append("\n</dict>\n</plist>\n");
  return out;
}

}  // namespace eas::core::autodiscover
