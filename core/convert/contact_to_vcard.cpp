// Contacts ApplicationData → vCard 3.0 or 4.0. See vcard.hpp for the
// field mapping.
#include <cstdio>
#include <string>
#include <vector>

#include "core/convert/contact_fields.hpp"
#include "core/convert/eas_time.hpp"
#include "core/convert/element_util.hpp"
#include "core/convert/tags.hpp"
#include "core/convert/vcard.hpp"
#include "core/convert/vcard_text.hpp"
#include "core/util/base64.hpp"
#include "core/util/join.hpp"

namespace eas::core::convert {
namespace {

namespace c = tags::contacts;
namespace c2 = tags::contacts2;
using wbxml::Element;
using wbxml::Tag;

constexpr int kNoYear = 1604;  // see vcard_to_contact.cpp

std::string Upper(std::string s) {
  for (char& ch : s) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return s;
}

// "Anna Smith" <anna@example.org> → anna@example.org; a bare address stays.
std::string AddrSpec(std::string_view address) {
  size_t open = address.rfind('<');
  size_t close = address.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(address.substr(open + 1, close - open - 1));
  }
  return std::string(address);
}

const char* PictureType(std::string_view base64) {
  auto bytes = util::Base64Decode(base64.substr(0, 12));
  std::string_view b = bytes ? std::string_view(*bytes) : std::string_view();
  if (b.substr(0, 4) == "\x89PNG") return "png";
  if (b.substr(0, 4) == "GIF8") return "gif";
  return "jpeg";
}

class Writer {
 public:
  Writer(const Element& app, VCardVersion version) : app_(app), v4_(version == VCardVersion::k40) {}

  std::string Write(std::string_view uid) {
    Line("BEGIN", "VCARD");
    Line("VERSION", v4_ ? "4.0" : "3.0");
    Line("PRODID", "-//eas for nginx//easctl//EN");
    Line("UID", EscapeText(uid));
    Line("FN", EscapeText(DisplayName()));
    Line("N", Structured({Text(c::kLastName), Text(c::kFirstName), Text(c::kMiddleName),
                          Text(c::kTitle), Text(c::kSuffix)}));
    Field("NICKNAME", c2::kNickName);
    if (!Text(c::kCompanyName).empty() || !Text(c::kDepartment).empty()) {
      Line("ORG", Structured({Text(c::kCompanyName), Text(c::kDepartment)}));
    }
    Field("TITLE", c::kJobTitle);
    Field("X-EAS-OFFICELOCATION", c::kOfficeLocation);
    bool first = true;
    for (const Tag& t : {c::kEmail1Address, c::kEmail2Address, c::kEmail3Address}) {
      if (Text(t).empty()) continue;
      std::string name = v4_ ? (first ? "EMAIL;PREF=1" : "EMAIL")
                             : (first ? "EMAIL;TYPE=INTERNET,PREF" : "EMAIL;TYPE=INTERNET");
      Line(name, EscapeText(AddrSpec(Text(t))));
      first = false;
    }
    for (const PhoneSlot& slot : PhoneSlots()) {
      if (!Text(slot.tag).empty()) Line("TEL;TYPE=" + Type(slot.types), EscapeText(Text(slot.tag)));
    }
    for (const AddressSlot& slot : AddressSlots()) Address(slot);
    Field("URL", c::kWebPage);
    Date("BDAY", c::kBirthday);
    Date(v4_ ? "ANNIVERSARY" : "X-ANNIVERSARY", c::kAnniversary);
    if (const Element* body = app_.Child(tags::base::kBody)) {
      std::string note = PlainBodyText(*body);
      if (!note.empty()) Line("NOTE", EscapeText(note));
    }
    if (const Element* cats = app_.Child(c::kCategories)) {
      std::vector<std::string> list;
      for (const Element* cat : cats->Children(c::kCategory)) list.push_back(cat->text);
      if (!list.empty()) Line("CATEGORIES", List(list));
    }
    Picture();
    Field(v4_ ? "RELATED;TYPE=spouse;VALUE=text" : "X-MS-SPOUSE", c::kSpouse);
    if (const Element* children = app_.Child(c::kChildren)) {
      for (const Element* child : children->Children(c::kChild)) {
        Line(v4_ ? "RELATED;TYPE=child;VALUE=text" : "X-MS-CHILD", EscapeText(child->text));
      }
    }
    Field("X-MS-ASSISTANT", c::kAssistantName);
    Field("X-MS-MANAGER", c2::kManagerName);
    Field("X-EAS-CUSTOMERID", c2::kCustomerId);
    for (const Tag& t : {c2::kIMAddress, c2::kIMAddress2, c2::kIMAddress3}) {
      std::string im = Text(t);
      if (im.empty()) continue;
      // IMPP wants a URI (xmpp:, sip:, ...); free text keeps Outlook's name.
      size_t colon = im.find(':');
      bool uri = colon != std::string::npos && colon > 0 && im.find(' ') == std::string::npos;
      Line(uri ? "IMPP" : "X-MS-IMADDRESS", EscapeText(im));
    }
    Line("END", "VCARD");
    return std::move(out_);
  }

 private:
  std::string Text(Tag t) const { return TextOf(app_, t); }

  void Line(const std::string& name, const std::string& value) {
    AppendFolded(out_, name + ":" + value);
  }
  void Field(const std::string& name, Tag t) {
    if (!Text(t).empty()) Line(name, EscapeText(Text(t)));
  }
  std::string Type(const char* types) const { return v4_ ? types : Upper(types); }

  static std::string Structured(const std::vector<std::string>& parts) {
    return util::JoinWith(parts, ";", EscapeText);
  }
  static std::string List(const std::vector<std::string>& items) {
    return util::JoinWith(items, ",", EscapeText);
  }

  std::string DisplayName() const {
    if (!Text(c::kFileAs).empty()) return Text(c::kFileAs);
    std::string name;
    for (const Tag& t : {c::kFirstName, c::kMiddleName, c::kLastName}) {
      if (!Text(t).empty()) name += (name.empty() ? "" : " ") + Text(t);
    }
    if (name.empty()) name = Text(c::kCompanyName);
    if (name.empty()) name = AddrSpec(Text(c::kEmail1Address));
    return name;
  }

  void Address(const AddressSlot& slot) {
    std::vector<std::string> parts = {"", "", Text(slot.street), Text(slot.city),
                                      Text(slot.state), Text(slot.postal_code),
                                      Text(slot.country)};
    bool any = false;
    for (const std::string& p : parts) any = any || !p.empty();
    if (!any) return;
    // vCard has no "other" address type: an untyped ADR is read back as one.
    std::string type = std::string_view(slot.type) == "other" ? "" : ";TYPE=" + Type(slot.type);
    Line("ADR" + type, Structured(parts));
  }

  // EAS keeps a date as an instant; the nearest midnight UTC is the date
  // (a client east of UTC writes the evening before, one west the morning).
  void Date(const std::string& name, Tag t) {
    auto instant = ParseEasTime(Text(t));
    if (!instant) return;
    int64_t days = *instant + 43200;
    days = days / 86400 - (days % 86400 < 0);
    CivilDate d = CivilFromDays(days);
    char buf[40];
    if (d.year == kNoYear) {
      if (v4_) {
        std::snprintf(buf, sizeof buf, "--%02d%02d", d.month, d.day);
        return Line(name, buf);
      }
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
      return Line(name + ";X-APPLE-OMIT-YEAR=1604", buf);
    }
    std::snprintf(buf, sizeof buf, v4_ ? "%04d%02d%02d" : "%04d-%02d-%02d", d.year, d.month, d.day);
    Line(name, buf);
  }

  // A phone sends Picture as base64, maybe wrapped; the line breaks go.
  // Anything else outside the alphabet leaves the PHOTO out: written as it
  // came, a line break would end the line and start properties of the
  // sender's choosing in every export.
  void Picture() {
    std::string data;
    for (char ch : Text(c::kPicture)) {
      if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
      const bool base64 = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                          (ch >= '0' && ch <= '9') || ch == '+' || ch == '/' || ch == '=';
      if (!base64) return;
      data += ch;
    }
    if (data.empty()) return;
    std::string type = PictureType(data);
    if (v4_) return Line("PHOTO", "data:image/" + type + ";base64," + data);
    Line("PHOTO;ENCODING=b;TYPE=" + Upper(type), data);
  }

  const Element& app_;
  const bool v4_;
  std::string out_;
};

}  // namespace

std::string VCardFromContact(const Element& application_data, VCardVersion version,
                             std::string_view uid) {
  return Writer(application_data, version).Write(uid);
}

}  // namespace eas::core::convert
