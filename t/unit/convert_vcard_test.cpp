// vCard ↔ Contacts ApplicationData: 3.0 and 4.0 (and 2.1 leftovers) in,
// 3.0 and 4.0 out, folding, escaping, typed TEL/EMAIL/ADR, dates, photo,
// and broken cards skipped with their line while the rest imports.
#include <cppunit/extensions/HelperMacros.h>

#include "core/convert/eas_time.hpp"
#include "core/convert/element_util.hpp"
#include "core/convert/tags.hpp"
#include "core/convert/vcard.hpp"
#include "core/convert/vcard_text.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::convert {
namespace {

namespace c = tags::contacts;
namespace c2 = tags::contacts2;
using wbxml::Element;

std::string Text(const Element& app, wbxml::Tag t) { return TextOf(app, t); }

std::vector<std::string> ListOf(const Element& app, wbxml::Tag list, wbxml::Tag entry) {
  std::vector<std::string> out;
  if (const Element* l = app.Child(list)) {
    for (const Element* e : l->Children(entry)) out.push_back(e->text);
  }
  return out;
}

const char* kVCard30 =
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Dr. Anna Maria Smith\r\n"
    "N:Smith;Anna;Maria;Dr.;PhD\r\n"
    "NICKNAME:Annie\r\n"
    "ORG:Example\\, Inc.;Research\r\n"
    "TITLE:Chief Scientist\r\n"
    "EMAIL;TYPE=INTERNET:anna@work.example\r\n"
    "EMAIL;TYPE=INTERNET,PREF:anna@example.org\r\n"
    "TEL;TYPE=CELL:+49 170 1234567\r\n"
    "TEL;TYPE=HOME,VOICE:+49 30 111\r\n"
    "TEL;TYPE=WORK,VOICE:+49 30 222\r\n"
    "TEL;TYPE=WORK,FAX:+49 30 223\r\n"
    "TEL;TYPE=HOME:+49 30 112\r\n"
    "TEL:+49 30 999\r\n"
    "ADR;TYPE=WORK:;Building 5;Main Street 1;Berlin;BE;10115;Germany\r\n"
    "ADR;TYPE=HOME:;;Elm Road 2\\nBackyard;Potsdam;;14467;Germany\r\n"
    "URL:https://example.org/anna\r\n"
    "BDAY:1980-05-17\r\n"
    "X-ANNIVERSARY:2005-08-20\r\n"
    "CATEGORIES:Friends,Work\r\n"
    "NOTE:First line\\nSecond line\\; with semicolon\\, and comma\r\n"
    "X-MS-SPOUSE:Bob Smith\r\n"
    "X-MS-CHILD:Carl\r\n"
    "X-MS-CHILD:Dora\r\n"
    "X-MS-ASSISTANT:Eve\r\n"
    "X-MS-MANAGER:Frank\r\n"
    "X-EAS-OFFICELOCATION:Room 42\r\n"
    "X-JABBER:anna@jabber.example\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\r\n"
    " EASABIAAA=\r\n"
    "END:VCARD\r\n";

const char* kVCard40 =
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "FN:Jürgen Müller\n"
    "N:Müller;Jürgen;;;\n"
    "EMAIL:j@example.net\n"
    "EMAIL;PREF=1:juergen@example.de\n"
    "TEL;VALUE=uri;TYPE=\"cell,voice\":tel:+49-171-555\n"
    "TEL;TYPE=pager:+49 1 2\n"
    "ADR:;;Other Way 3;Hamburg;;20095;Germany\n"
    "BDAY:--0229\n"
    "ANNIVERSARY:20100612\n"
    "RELATED;TYPE=spouse;VALUE=text:Gisela\n"
    "RELATED;TYPE=child;VALUE=text:Hans\n"
    "RELATED;TYPE=friend:urn:uuid:1234\n"
    "IMPP:xmpp:juergen@example.de\n"
    "PHOTO:data:image/png;base64,iVBORw0KGgo=\n"
    "END:VCARD\n";

class ConvertVCardTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConvertVCardTest);
  CPPUNIT_TEST(testVCard30);
  CPPUNIT_TEST(testVCard40);
  CPPUNIT_TEST(testVCard21QuotedPrintableAndLatin1);
  CPPUNIT_TEST(testBrokenCardsAreSkippedWithTheirLine);
  CPPUNIT_TEST(testRoundTrip30And40);
  CPPUNIT_TEST(testExportShape);
  CPPUNIT_TEST(testFoldingKeepsUtf8Whole);
  CPPUNIT_TEST(testPictureCannotInjectProperties);
  CPPUNIT_TEST(testDatesFromShiftedClients);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testVCard30() {
    ConvertReport r = ContactsFromVCards(kVCard30);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, r.items.size());
    CPPUNIT_ASSERT(r.skipped.empty());
    const Element& a = r.items[0].application_data;
    CPPUNIT_ASSERT_EQUAL(1, r.items[0].line);
    CPPUNIT_ASSERT_EQUAL(std::string("Dr. Anna Maria Smith"), Text(a, c::kFileAs));
    CPPUNIT_ASSERT_EQUAL(std::string("Smith"), Text(a, c::kLastName));
    CPPUNIT_ASSERT_EQUAL(std::string("Anna"), Text(a, c::kFirstName));
    CPPUNIT_ASSERT_EQUAL(std::string("Maria"), Text(a, c::kMiddleName));
    CPPUNIT_ASSERT_EQUAL(std::string("Dr."), Text(a, c::kTitle));
    CPPUNIT_ASSERT_EQUAL(std::string("PhD"), Text(a, c::kSuffix));
    CPPUNIT_ASSERT_EQUAL(std::string("Annie"), Text(a, c2::kNickName));
    CPPUNIT_ASSERT_EQUAL(std::string("Example, Inc."), Text(a, c::kCompanyName));
    CPPUNIT_ASSERT_EQUAL(std::string("Research"), Text(a, c::kDepartment));
    CPPUNIT_ASSERT_EQUAL(std::string("Chief Scientist"), Text(a, c::kJobTitle));
    // PREF first.
    CPPUNIT_ASSERT_EQUAL(std::string("anna@example.org"), Text(a, c::kEmail1Address));
    CPPUNIT_ASSERT_EQUAL(std::string("anna@work.example"), Text(a, c::kEmail2Address));
    CPPUNIT_ASSERT_EQUAL(std::string("+49 170 1234567"), Text(a, c::kMobilePhoneNumber));
    CPPUNIT_ASSERT_EQUAL(std::string("+49 30 111"), Text(a, c::kHomePhoneNumber));
    CPPUNIT_ASSERT_EQUAL(std::string("+49 30 112"), Text(a, c::kHome2PhoneNumber));
    CPPUNIT_ASSERT_EQUAL(std::string("+49 30 222"), Text(a, c::kBusinessPhoneNumber));
    CPPUNIT_ASSERT_EQUAL(std::string("+49 30 223"), Text(a, c::kBusinessFaxNumber));
    // The untyped number takes the first free general field.
    CPPUNIT_ASSERT_EQUAL(std::string("+49 30 999"), Text(a, c::kBusiness2PhoneNumber));
    CPPUNIT_ASSERT_EQUAL(std::string("Building 5\nMain Street 1"), Text(a, c::kBusinessStreet));
    CPPUNIT_ASSERT_EQUAL(std::string("Berlin"), Text(a, c::kBusinessCity));
    CPPUNIT_ASSERT_EQUAL(std::string("BE"), Text(a, c::kBusinessState));
    CPPUNIT_ASSERT_EQUAL(std::string("10115"), Text(a, c::kBusinessPostalCode));
    CPPUNIT_ASSERT_EQUAL(std::string("Germany"), Text(a, c::kBusinessCountry));
    CPPUNIT_ASSERT_EQUAL(std::string("Elm Road 2\nBackyard"), Text(a, c::kHomeStreet));
    CPPUNIT_ASSERT_EQUAL(std::string("Potsdam"), Text(a, c::kHomeCity));
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.org/anna"), Text(a, c::kWebPage));
    CPPUNIT_ASSERT_EQUAL(std::string("1980-05-17T00:00:00.000Z"), Text(a, c::kBirthday));
    CPPUNIT_ASSERT_EQUAL(std::string("2005-08-20T00:00:00.000Z"), Text(a, c::kAnniversary));
    CPPUNIT_ASSERT(ListOf(a, c::kCategories, c::kCategory) ==
                   std::vector<std::string>({"Friends", "Work"}));
    const Element* body = a.Child(tags::base::kBody);
    CPPUNIT_ASSERT(body != nullptr);
    CPPUNIT_ASSERT_EQUAL(std::string("1"), TextOf(*body, tags::base::kType));
    CPPUNIT_ASSERT_EQUAL(std::string("First line\nSecond line; with semicolon, and comma"),
                         TextOf(*body, tags::base::kData));
    CPPUNIT_ASSERT_EQUAL(std::string("Bob Smith"), Text(a, c::kSpouse));
    CPPUNIT_ASSERT(ListOf(a, c::kChildren, c::kChild) == std::vector<std::string>({"Carl", "Dora"}));
    CPPUNIT_ASSERT_EQUAL(std::string("Eve"), Text(a, c::kAssistantName));
    CPPUNIT_ASSERT_EQUAL(std::string("Frank"), Text(a, c2::kManagerName));
    CPPUNIT_ASSERT_EQUAL(std::string("Room 42"), Text(a, c::kOfficeLocation));
    CPPUNIT_ASSERT_EQUAL(std::string("anna@jabber.example"), Text(a, c2::kIMAddress));
    // Folded base64 joined again.
    CPPUNIT_ASSERT_EQUAL(std::string("/9j/4AAQSkZJRgABAQEASABIAAA="), Text(a, c::kPicture));
    CPPUNIT_ASSERT(!a.Child(c::kPicture)->opaque);
    CPPUNIT_ASSERT(r.items[0].warnings.empty());
  }

  void testVCard40() {
    ConvertReport r = ContactsFromVCards(kVCard40);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, r.items.size());
    const Element& a = r.items[0].application_data;
    CPPUNIT_ASSERT_EQUAL(std::string("Jürgen Müller"), Text(a, c::kFileAs));
    CPPUNIT_ASSERT_EQUAL(std::string("juergen@example.de"), Text(a, c::kEmail1Address));
    CPPUNIT_ASSERT_EQUAL(std::string("j@example.net"), Text(a, c::kEmail2Address));
    CPPUNIT_ASSERT_EQUAL(std::string("+49-171-555"), Text(a, c::kMobilePhoneNumber));
    CPPUNIT_ASSERT_EQUAL(std::string("+49 1 2"), Text(a, c::kPagerNumber));
    CPPUNIT_ASSERT_EQUAL(std::string("Other Way 3"), Text(a, c::kOtherStreet));
    CPPUNIT_ASSERT_EQUAL(std::string("Hamburg"), Text(a, c::kOtherCity));
    // A birthday without a year: year 1604, as Apple and Outlook write it.
    CPPUNIT_ASSERT_EQUAL(std::string("1604-02-29T00:00:00.000Z"), Text(a, c::kBirthday));
    CPPUNIT_ASSERT_EQUAL(std::string("2010-06-12T00:00:00.000Z"), Text(a, c::kAnniversary));
    CPPUNIT_ASSERT_EQUAL(std::string("Gisela"), Text(a, c::kSpouse));
    CPPUNIT_ASSERT(ListOf(a, c::kChildren, c::kChild) == std::vector<std::string>({"Hans"}));
    CPPUNIT_ASSERT_EQUAL(std::string("xmpp:juergen@example.de"), Text(a, c2::kIMAddress));
    CPPUNIT_ASSERT_EQUAL(std::string("iVBORw0KGgo="), Text(a, c::kPicture));
  }

  void testVCard21QuotedPrintableAndLatin1() {
    std::string card =
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "N;CHARSET=ISO-8859-1:M\xfcller;J\xfcrgen\r\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:Zeile eins=0D=0AZeile =\r\n"
        "zwei\r\n"
        "TEL;HOME;VOICE:+49 40 1\r\n"
        "END:VCARD\r\n";
    ConvertReport r = ContactsFromVCards(card);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, r.items.size());
    const Element& a = r.items[0].application_data;
    CPPUNIT_ASSERT_EQUAL(std::string("Müller"), Text(a, c::kLastName));
    CPPUNIT_ASSERT_EQUAL(std::string("Jürgen"), Text(a, c::kFirstName));
    CPPUNIT_ASSERT_EQUAL(std::string("+49 40 1"), Text(a, c::kHomePhoneNumber));
    CPPUNIT_ASSERT_EQUAL(std::string("Zeile eins\r\nZeile zwei"),
                         TextOf(*a.Child(tags::base::kBody), tags::base::kData));
  }

  void testBrokenCardsAreSkippedWithTheirLine() {
    std::string text =
        "BEGIN:VCARD\nVERSION:3.0\nFN:Good One\nEND:VCARD\n"      // 1
        "BEGIN:VCARD\nVERSION:3.0\nFN:Broken\nthis line has no colon\nEND:VCARD\n"  // 5
        "BEGIN:VCARD\nVERSION:3.0\nNOTE:nobody\nEND:VCARD\n"      // 10
        "BEGIN:VCARD\nVERSION:3.0\nFN:Good Two\nBDAY:notadate\nEND:VCARD\n"  // 14
        "BEGIN:VCARD\nFN:Unterminated\n";                         // 19
    ConvertReport r = ContactsFromVCards(text);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, r.items.size());
    CPPUNIT_ASSERT_EQUAL(std::string("Good One"), Text(r.items[0].application_data, c::kFileAs));
    CPPUNIT_ASSERT_EQUAL(14, r.items[1].line);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, r.items[1].warnings.size());
    CPPUNIT_ASSERT(r.items[1].warnings[0].find("line 17") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, r.skipped.size());
    CPPUNIT_ASSERT_EQUAL(5, r.skipped[0].line);
    CPPUNIT_ASSERT(r.skipped[0].reason.find("line 8") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(10, r.skipped[1].line);
    CPPUNIT_ASSERT_EQUAL(19, r.skipped[2].line);
    CPPUNIT_ASSERT(r.skipped[2].reason.find("END:VCARD") != std::string::npos);
  }

  void testRoundTrip30And40() {
    for (const char* sample : {kVCard30, kVCard40}) {
      Element original = ContactsFromVCards(sample).items.at(0).application_data;
      for (VCardVersion v : {VCardVersion::k30, VCardVersion::k40}) {
        std::string card = VCardFromContact(original, v, "uid-1");
        ConvertReport back = ContactsFromVCards(card);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(card, size_t{1}, back.items.size());
        CPPUNIT_ASSERT_MESSAGE(card, back.items[0].application_data == original);
        CPPUNIT_ASSERT(back.items[0].warnings.empty());
      }
    }
  }

  void testExportShape() {
    Element a = ContactsFromVCards(kVCard40).items.at(0).application_data;
    std::string v3 = VCardFromContact(a, VCardVersion::k30, "u;1");
    CPPUNIT_ASSERT(v3.rfind("BEGIN:VCARD\r\nVERSION:3.0\r\n", 0) == 0);
    CPPUNIT_ASSERT(v3.find("UID:u\\;1\r\n") != std::string::npos);
    CPPUNIT_ASSERT(v3.find("EMAIL;TYPE=INTERNET,PREF:juergen@example.de\r\n") != std::string::npos);
    CPPUNIT_ASSERT(v3.find("TEL;TYPE=CELL:+49-171-555\r\n") != std::string::npos);
    CPPUNIT_ASSERT(v3.find("BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29\r\n") != std::string::npos);
    CPPUNIT_ASSERT(v3.find("PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo=\r\n") != std::string::npos);
    CPPUNIT_ASSERT(v3.find("ADR:;;Other Way 3;Hamburg;;20095;Germany\r\n") != std::string::npos);
    std::string v4 = VCardFromContact(a, VCardVersion::k40, "u1");
    CPPUNIT_ASSERT(v4.find("VERSION:4.0\r\n") != std::string::npos);
    CPPUNIT_ASSERT(v4.find("BDAY:--0229\r\n") != std::string::npos);
    CPPUNIT_ASSERT(v4.find("ANNIVERSARY:20100612\r\n") != std::string::npos);
    CPPUNIT_ASSERT(v4.find("PHOTO:data:image/png;base64,iVBORw0KGgo=\r\n") != std::string::npos);
    CPPUNIT_ASSERT(v4.find("EMAIL;PREF=1:juergen@example.de\r\n") != std::string::npos);
    CPPUNIT_ASSERT(v4.size() > 2 && v4.substr(v4.size() - 11) == "END:VCARD\r\n");
  }

  // Found by fuzz/fuzz_vcard: a client's Picture with line breaks and a
  // property in it was written into the export as it came.
  void testPictureCannotInjectProperties() {
    Element a = ContactsFromVCards(kVCard40).items.at(0).application_data;
    for (Element& e : a.children) {
      if (e.tag == c::kPicture) e.text = "iVBORw0K\r\nGgo=\r\nNICKNAME:Mallory";
    }
    for (auto version : {VCardVersion::k30, VCardVersion::k40}) {
      std::string card = VCardFromContact(a, version, "u1");
      CPPUNIT_ASSERT(card.find("Mallory") == std::string::npos);
      CPPUNIT_ASSERT(card.find("PHOTO") == std::string::npos);
    }
    for (Element& e : a.children) {
      if (e.tag == c::kPicture) e.text = "iVBORw0K\r\nGgo=";  // wrapped: kept, unwrapped
    }
    CPPUNIT_ASSERT(VCardFromContact(a, VCardVersion::k30, "u1")
                       .find("PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo=\r\n") != std::string::npos);
  }

  void testFoldingKeepsUtf8Whole() {
    std::string value;
    for (int i = 0; i < 60; ++i) value += "ä";  // 120 octets
    std::string out;
    AppendFolded(out, "NOTE:" + value);
    size_t start = 0;
    std::string joined;
    while (start < out.size()) {
      size_t end = out.find("\r\n", start);
      std::string line = out.substr(start, end - start);
      CPPUNIT_ASSERT(line.size() <= 75);
      CPPUNIT_ASSERT(IsValidUtf8(line));
      joined += start == 0 ? line : line.substr(1);
      start = end + 2;
    }
    CPPUNIT_ASSERT_EQUAL("NOTE:" + value, joined);
  }

  void testDatesFromShiftedClients() {
    // A phone in Berlin writes local midnight in UTC, one in New York the
    // morning: both mean the 17th.
    for (const char* when : {"1980-05-16T22:00:00.000Z", "1980-05-17T04:00:00.000Z",
                             "1980-05-17T11:59:00.000Z", "19800517T000000Z"}) {
      Element a = Node(wbxml::tags::airsync::kApplicationData);
      a.children.push_back(Leaf(c::kFileAs, "X"));
      a.children.push_back(Leaf(c::kBirthday, when));
      std::string card = VCardFromContact(a, VCardVersion::k30, "x");
      CPPUNIT_ASSERT_MESSAGE(card, card.find("BDAY:1980-05-17\r\n") != std::string::npos);
    }
    CPPUNIT_ASSERT_EQUAL(std::string("20261124T101500Z"),
                         CompactUtc(*ParseEasTime("2026-11-24T10:15:00.000Z")));
    CPPUNIT_ASSERT(!ParseEasTime("2026-13-01T00:00:00Z"));
    CPPUNIT_ASSERT(!ParseEasTime("20261124T1015"));
    CPPUNIT_ASSERT_EQUAL(int64_t{-86400}, *ParseEasTime("19691231T000000Z"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConvertVCardTest);

}  // namespace
}  // namespace eas::core::convert
