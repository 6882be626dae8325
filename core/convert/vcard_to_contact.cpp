// vCard → Contacts ApplicationData. See vcard.hpp for the field mapping.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "base/status.hpp"
#include "core/convert/contact_fields.hpp"
#include "core/convert/eas_time.hpp"
#include "core/convert/element_util.hpp"
#include "core/convert/tags.hpp"
#include "core/convert/vcard.hpp"
#include "core/convert/vcard_lexer.hpp"
#include "core/convert/vcard_text.hpp"
#include "core/util/base64.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::convert {
namespace {

namespace c = tags::contacts;
namespace c2 = tags::contacts2;
using wbxml::Tag;

// MS-ASCNTC 2.2.2.58: a larger Picture makes the server answer Status 6.
constexpr size_t kMaxPictureBase64 = 48 * 1024;
// The year Apple and Outlook write for a birthday without one.
constexpr int kNoYear = 1604;

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// The pieces of a comma list, unescaped, empty ones dropped.
std::vector<std::string> TextList(std::string_view raw) {
  std::vector<std::string> out;
  for (const std::string& piece : SplitUnescaped(raw, ',')) {
    std::string t = Trim(UnescapeText(piece));
    if (!t.empty()) out.push_back(std::move(t));
  }
  return out;
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const std::string& s : v) {
    if (s.empty()) continue;
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// vCard dates: 1980-05-17, 19800517, --0517, --05-17, each optionally
// followed by a time, which a birthday does not need.
std::optional<CivilDate> ParseVCardDate(std::string_view v) {
  v = v.substr(0, v.find('T'));
  std::string digits;
  bool no_year = v.substr(0, 2) == "--";
  if (no_year) v.remove_prefix(2);
  for (char ch : v) {
    if (ch >= '0' && ch <= '9') {
      digits += ch;
    } else if (ch != '-') {
      return std::nullopt;
    }
  }
  CivilDate d;
  if (no_year && digits.size() == 4) {
    d = {kNoYear, std::stoi(digits.substr(0, 2)), std::stoi(digits.substr(2, 2))};
  } else if (!no_year && digits.size() == 8) {
    d = {std::stoi(digits.substr(0, 4)), std::stoi(digits.substr(4, 2)),
         std::stoi(digits.substr(6, 2))};
  } else {
    return std::nullopt;
  }
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) {
    return std::nullopt;
  }
  return d;
}

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The contact as it is assembled from one vCard.
class ContactBuilder {
 public:
  explicit ContactBuilder(std::vector<std::string>* warnings) : warnings_(warnings) {}

  void Add(const VProperty& p) {
    const std::string& n = p.name;
    std::string text = Trim(UnescapeText(p.value));
    if (n == "FN") return Set(c::kFileAs, text);
    if (n == "N") return AddName(p);
    if (n == "NICKNAME") return Set(c2::kNickName, Join(TextList(p.value), ", "));
    if (n == "ORG") {
      auto parts = SplitUnescaped(p.value, ';');
      Set(c::kCompanyName, Trim(UnescapeText(parts[0])));
      if (parts.size() > 1) Set(c::kDepartment, Trim(UnescapeText(parts[1])));
      return;
    }
    if (n == "TITLE" || n == "ROLE") return Set(c::kJobTitle, text);
    if (n == "EMAIL") return AddEmail(p, text);
    if (n == "TEL") return AddPhone(p, text);
    if (n == "ADR") return AddAddress(p);
    if (n == "URL") return Set(c::kWebPage, text);
    if (n == "BDAY") return AddDate(c::kBirthday, p, text);
    if (IsOneOf(n, {"ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY",
                    "X-EVOLUTION-ANNIVERSARY", "X-KADDRESSBOOK-X-ANNIVERSARY"})) {
      return AddDate(c::kAnniversary, p, text);
    }
    if (n == "NOTE") {
      note_ += (note_.empty() || text.empty() ? "" : "\n\n") + text;
      return;
    }
    if (n == "CATEGORIES") {
      for (std::string& cat : TextList(p.value)) {
        if (std::find(categories_.begin(), categories_.end(), cat) == categories_.end()) {
          categories_.push_back(std::move(cat));
        }
      }
      return;
    }
    if (n == "PHOTO") return AddPicture(p);
    if (n == "RELATED") return AddRelated(p, text);
    if (IsOneOf(n, {"X-SPOUSE", "X-MS-SPOUSE", "X-EVOLUTION-SPOUSE",
                    "X-KADDRESSBOOK-X-SPOUSESNAME"})) {
      return Set(c::kSpouse, text);
    }
    if (IsOneOf(n, {"X-CHILD", "X-MS-CHILD", "X-CHILDREN"})) {
      for (std::string& child : TextList(p.value)) children_.push_back(std::move(child));
      return;
    }
    if (IsOneOf(n, {"X-ASSISTANT", "X-MS-ASSISTANT", "X-EVOLUTION-ASSISTANT",
                    "X-KADDRESSBOOK-X-ASSISTANTSNAME"})) {
      return Set(c::kAssistantName, text);
    }
    if (IsOneOf(n, {"X-MANAGER", "X-MS-MANAGER", "X-EVOLUTION-MANAGER",
                    "X-KADDRESSBOOK-X-MANAGERSNAME"})) {
      return Set(c2::kManagerName, text);
    }
    if (IsOneOf(n, {"X-EAS-OFFICELOCATION", "X-EVOLUTION-OFFICE", "X-KADDRESSBOOK-X-OFFICE"})) {
      return Set(c::kOfficeLocation, text);
    }
    if (n == "X-EAS-CUSTOMERID") return Set(c2::kCustomerId, text);
    if (IsOneOf(n, {"IMPP", "X-MS-IMADDRESS", "X-AIM", "X-JABBER", "X-ICQ", "X-MSN",
                    "X-YAHOO", "X-SKYPE", "X-GOOGLE-TALK", "X-GADUGADU"})) {
      return AddIm(p, text);
    }
    // Anything else (VERSION, PRODID, UID, REV, KIND, unknown X-) has no
    // EAS field; dropping it silently keeps the report readable.
  }

  Result<wbxml::Element> Finish() {
    static const std::vector<Tag> email_slots = {c::kEmail1Address, c::kEmail2Address,
                                                 c::kEmail3Address};
    for (size_t i = 0; i < emails_.size(); ++i) {
      if (i < email_slots.size()) {
        Set(email_slots[i], emails_[i]);
      } else {
        warnings_->push_back("e-mail address " + emails_[i] + " dropped: EAS keeps three");
      }
    }
    if (!Has(c::kFileAs) && !Has(c::kFirstName) && !Has(c::kLastName) &&
        !Has(c::kCompanyName) && !Has(c::kEmail1Address)) {
      return Status::Invalid("the vCard names no person, organisation or e-mail address");
    }
    wbxml::Element app = Node(wbxml::tags::airsync::kApplicationData);
    for (const Tag& t : ContactTextFields()) {
      for (const auto& [tag, value] : fields_) {
        if (tag == t) AddText(app, tag, value);
      }
    }
    AddList(app, c::kChildren, c::kChild, children_);
    AddList(app, c::kCategories, c::kCategory, categories_);
    if (!note_.empty()) {
      wbxml::Element body = Node(tags::base::kBody);
      body.children.push_back(Leaf(tags::base::kType, "1"));
      body.children.push_back(Leaf(tags::base::kData, note_));
      app.children.push_back(std::move(body));
    }
    return app;
  }

 private:
  bool Has(Tag t) const {
    return std::any_of(fields_.begin(), fields_.end(), [&](const auto& f) { return f.first == t; });
  }
  // The first value wins; later ones of the same field are dropped.
  void Set(Tag t, std::string value) {
    if (!value.empty() && !Has(t)) fields_.emplace_back(t, std::move(value));
  }
  void Warn(const VProperty& p, const std::string& what) {
    warnings_->push_back("line " + std::to_string(p.line) + ": " + what);
  }

  static void AddList(wbxml::Element& app, Tag list, Tag entry,
                      const std::vector<std::string>& values) {
    if (values.empty()) return;
    wbxml::Element node = Node(list);
    for (const std::string& v : values) node.children.push_back(Leaf(entry, v));
    app.children.push_back(std::move(node));
  }

  void AddName(const VProperty& p) {
    static const std::vector<Tag> order = {c::kLastName, c::kFirstName, c::kMiddleName,
                                           c::kTitle, c::kSuffix};
    auto parts = SplitUnescaped(p.value, ';');
    for (size_t i = 0; i < parts.size() && i < order.size(); ++i) {
      Set(order[i], Join(TextList(parts[i]), " "));
    }
  }

  void AddEmail(const VProperty& p, std::string address) {
    if (address.rfind("mailto:", 0) == 0) address.erase(0, 7);
    if (address.empty()) return;
    bool preferred = p.HasType("pref") || p.Param("PREF") == "1";
    emails_.insert(preferred ? emails_.begin() : emails_.end(), std::move(address));
  }

  void AddPhone(const VProperty& p, std::string number) {
    if (number.rfind("tel:", 0) == 0) number.erase(0, 4);
    if (number.empty()) return;
    std::vector<Tag> wanted;
    if (p.HasType("fax")) {
      wanted = p.HasType("home") ? std::vector<Tag>{c::kHomeFaxNumber, c::kBusinessFaxNumber}
                             : std::vector<Tag>{c::kBusinessFaxNumber, c::kHomeFaxNumber};
    } else {
      static const std::vector<std::pair<std::vector<std::string_view>, std::vector<Tag>>>
          kByType = {
              {{"cell", "mobile", "iphone"}, {c::kMobilePhoneNumber}},
              {{"pager"}, {c::kPagerNumber}},
              {{"car", "x-car"}, {c::kCarPhoneNumber}},
              {{"radio", "x-radio"}, {c::kRadioPhoneNumber}},
              {{"assistant", "x-assistant", "x-evolution-assistant"},
               {c::kAssistantTelephoneNumber}},
              {{"home"}, {c::kHomePhoneNumber, c::kHome2PhoneNumber}},
              {{"work"}, {c::kBusinessPhoneNumber, c::kBusiness2PhoneNumber}},
          };
      for (const auto& [types, tags] : kByType) {
        if (std::any_of(types.begin(), types.end(), [&](auto t) { return p.HasType(t); })) {
          wanted = tags;
          break;
        }
      }
      // Untyped numbers, and typed ones whose field is taken, go to the
      // first free general-purpose field (the first five slots).
      for (size_t i = 0; i < 5; ++i) wanted.push_back(PhoneSlots()[i].tag);
    }
    for (const Tag& t : wanted) {
      if (!Has(t)) return Set(t, number);
    }
    Warn(p, "phone number " + number + " dropped: no free EAS phone field");
  }

  void AddAddress(const VProperty& p) {
    auto raw = SplitUnescaped(p.value, ';');
    raw.resize(7);
    auto part = [&](size_t i, std::string_view sep) { return Join(TextList(raw[i]), sep); };
    std::string street = Join({part(0, "\n"), part(1, "\n"), part(2, "\n")}, "\n");
    std::vector<std::string_view> order;
    if (p.HasType("work")) order = {"work", "other", "home"};
    else if (p.HasType("home")) order = {"home", "other", "work"};
    else order = {"other", "home", "work"};
    for (std::string_view type : order) {
      for (const AddressSlot& slot : AddressSlots()) {
        if (slot.type != type || Has(slot.street) || Has(slot.city) || Has(slot.postal_code)) {
          continue;
        }
        Set(slot.street, street);
        Set(slot.city, part(3, ", "));
        Set(slot.state, part(4, ", "));
        Set(slot.postal_code, part(5, ", "));
        Set(slot.country, part(6, ", "));
        return;
      }
    }
    Warn(p, "address dropped: EAS keeps one home, one business and one other address");
  }

  void AddDate(Tag t, const VProperty& p, const std::string& text) {
    auto date = ParseVCardDate(text);
    if (!date) return Warn(p, p.name + " " + text + " is not a date; dropped");
    // Midnight UTC of the date; the exporter reads it back rounding to
    // the nearest midnight, so clients that shift it by their offset agree.
    Set(t, ExtendedUtc(DaysFromCivil(*date) * 86400));
  }

  void AddPicture(const VProperty& p) {
    std::string_view v = p.value;
    if (v.rfind("data:", 0) == 0) {  // 4.0: data:image/jpeg;base64,....
      size_t comma = v.find(',');
      if (comma == std::string_view::npos || v.substr(0, comma).find(";base64") == v.npos) {
        return Warn(p, "PHOTO data URI without base64 dropped");
      }
      v.remove_prefix(comma + 1);
    } else if (v.find("://") != std::string_view::npos) {
      return Warn(p, "PHOTO by reference is not fetched; dropped");
    }
    std::string data;
    for (char ch : v) {
      if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') data += ch;
    }
    if (!util::Base64Decode(data)) return Warn(p, "PHOTO is not valid base64; dropped");
    if (data.size() > kMaxPictureBase64) {
      return Warn(p, "PHOTO larger than the 48 KB EAS allows; dropped");
    }
    Set(c::kPicture, std::move(data));
  }

  void AddRelated(const VProperty& p, const std::string& text) {
    // Only names travel; a reference to another card (urn:uuid:...) does not.
    bool is_text = p.Param("VALUE") == "text" || text.find(':') == std::string::npos;
    if (!is_text) return;
    if (p.HasType("spouse")) Set(c::kSpouse, text);
    if (p.HasType("child") && !text.empty()) children_.push_back(text);
  }

  void AddIm(const VProperty& p, std::string address) {
    for (const Tag& t : {c2::kIMAddress, c2::kIMAddress2, c2::kIMAddress3}) {
      if (!Has(t)) return Set(t, std::move(address));
    }
    Warn(p, "IM address " + address + " dropped: EAS keeps three");
  }

  std::vector<std::pair<Tag, std::string>> fields_;
  std::vector<std::string> emails_;  // preferred first
  std::vector<std::string> categories_, children_;
  std::string note_;
  std::vector<std::string>* warnings_;
};

}  // namespace

ConvertReport ContactsFromVCards(std::string_view text) {
  ConvertReport report;
  for (const VCardBlock& block : SplitVCards(text)) {
    if (!block.error.empty()) {
      report.skipped.push_back({block.line, block.error});
      continue;
    }
    ConvertedItem item;
    item.line = block.line;
    ContactBuilder builder(&item.warnings);
    for (const VProperty& p : block.properties) builder.Add(p);
    auto app = builder.Finish();
    if (!app.ok()) {
      report.skipped.push_back({block.line, app.status().message()});
      continue;
    }
    item.application_data = std::move(*app);
    report.items.push_back(std::move(item));
  }
  return report;
}

}  // namespace eas::core::convert
