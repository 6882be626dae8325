// WBXML codec tests. libwbxml's public conversion API is the independent
// oracle: what Writer emits must convert to the intended XML, and what
// libwbxml encodes must decode to the intended tree.
#include <cppunit/extensions/HelperMacros.h>
#include <wbxml/wbxml.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/wbxml/decoder.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "core/wbxml/xml_dump.hpp"

namespace eas::core::wbxml {
namespace {

namespace as = tags::airsync;
namespace fh = tags::fh;
namespace base = tags::base;

const std::string kHeader("\x03\x01\x6a\x00", 4);
const std::string kDoctype =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE ActiveSync PUBLIC "
    "\"-//MICROSOFT//DTD ActiveSync//EN\" \"http://www.microsoft.com/\">\n";

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

// libwbxml's compact XML of a document, without declaration and DOCTYPE.
std::string LibwbxmlToXml(const std::string& wbxml) {
  WBXMLConvWBXML2XML* conv = nullptr;
  CPPUNIT_ASSERT_EQUAL(WBXML_OK, wbxml_conv_wbxml2xml_create(&conv));
  wbxml_conv_wbxml2xml_set_gen_type(conv, WBXML_GEN_XML_COMPACT);
  wbxml_conv_wbxml2xml_set_language(conv, WBXML_LANG_ACTIVESYNC);
  wbxml_conv_wbxml2xml_enable_preserve_whitespaces(conv);
  WB_UTINY* xml = nullptr;
  WB_ULONG len = 0;
  std::string copy = wbxml;
  WBXMLError err = wbxml_conv_wbxml2xml_run(conv, reinterpret_cast<WB_UTINY*>(copy.data()),
                                            copy.size(), &xml, &len);
  wbxml_conv_wbxml2xml_destroy(conv);
  CPPUNIT_ASSERT_EQUAL_MESSAGE("libwbxml refused our WBXML", WBXML_OK, err);
  std::string out(reinterpret_cast<char*>(xml), len);
  std::free(xml);
  const std::string dtd_end = "\"http://www.microsoft.com/\">";
  size_t at = out.find(dtd_end);
  return at == std::string::npos ? out : out.substr(at + dtd_end.size());
}

// libwbxml's WBXML for an XML body (DOCTYPE added here).
std::string LibwbxmlFromXml(const std::string& body, bool string_table, bool anonymous) {
  WBXMLConvXML2WBXML* conv = nullptr;
  CPPUNIT_ASSERT_EQUAL(WBXML_OK, wbxml_conv_xml2wbxml_create(&conv));
  if (!string_table) wbxml_conv_xml2wbxml_disable_string_table(conv);
  if (anonymous) wbxml_conv_xml2wbxml_disable_public_id(conv);
  std::string xml = kDoctype + body;
  WB_UTINY* wbxml = nullptr;
  WB_ULONG len = 0;
  WBXMLError err = wbxml_conv_xml2wbxml_run(conv, reinterpret_cast<WB_UTINY*>(xml.data()),
                                            xml.size(), &wbxml, &len);
  wbxml_conv_xml2wbxml_destroy(conv);
  CPPUNIT_ASSERT_EQUAL_MESSAGE("libwbxml could not encode the test XML", WBXML_OK, err);
  std::string out(reinterpret_cast<char*>(wbxml), len);
  std::free(wbxml);
  return out;
}

Element E(Tag t, std::string text = {}, std::vector<Element> children = {}) {
  Element e;
  e.tag = t;
  e.text = std::move(text);
  e.children = std::move(children);
  return e;
}

Element O(Tag t, std::string bytes) {
  Element e = E(t, std::move(bytes));
  e.opaque = true;
  return e;
}

// Writes a tree the way a handler would, through Writer's calls.
void WriteTree(Writer& w, const Element& e) {
  if (e.text.empty() && !e.opaque && e.children.empty()) return w.Empty(e.tag);
  w.Start(e.tag);
  if (e.opaque) w.Opaque(e.text); else w.Text(e.text);
  for (const Element& c : e.children) WriteTree(w, c);
  w.End();
}

std::string Encode(const Element& root) {
  Writer w;
  WriteTree(w, root);
  return w.Take();
}

// A Sync response with `n` contacts of 13 fields each (the benchmark shape).
Element ContactsSync(int n) {
  auto c = [](const char* name) { return TagNamed(Page::kContacts, name); };
  Element commands = E(as::kCommands);
  for (int i = 0; i < n; ++i) {
    std::string id = std::to_string(i);
    commands.children.push_back(E(as::kAdd, {}, {
        E(as::kServerId, "5:" + id),
        E(as::kApplicationData, {}, {
            E(c("FileAs"), "Doe" + id + ", John"), E(c("FirstName"), "John"),
            E(c("LastName"), "Doe" + id), E(c("CompanyName"), "Smith & Sons <Ltd>"),
            E(c("JobTitle"), "Engineer"), E(c("Email1Address"), "\"John\" <john" + id + "@example.org>"),
            E(c("MobilePhoneNumber"), "+41 79 555 " + id), E(c("BusinessPhoneNumber"), "+41 44 555 0000"),
            E(c("BusinessCity"), "Z\xc3\xbcrich"), E(c("BusinessStreet"), "Bahnhofstrasse 1"),
            E(c("Birthday"), "1980-01-01T00:00:00.000Z"),
            E(c("Categories"), {}, {E(c("Category"), "Work")}),
            E(base::kBody, {}, {E(base::kType, "1"), E(base::kEstimatedDataSize, "11"),
                                E(base::kData, "Hello world")}),
        })}));
  }
  return E(as::kSync, {}, {E(as::kCollections, {}, {E(as::kCollection, {}, {
      E(as::kSyncKey, "2"), E(as::kCollectionId, "5"), E(as::kStatus, "1"),
      std::move(commands)})})});
}

void AssertDecodesTo(const Element& want, const std::string& wbxml) {
  Result<Element> got = Decode(wbxml);
  CPPUNIT_ASSERT_MESSAGE(got.status().message(), got.ok());
  CPPUNIT_ASSERT_EQUAL(ToXml(want), ToXml(*got));
  CPPUNIT_ASSERT_MESSAGE(ToXml(want), SameTree(want, *got));
}

void AssertInvalid(const std::string& wbxml, const DecodeLimits& limits = {}) {
  Result<Element> got = Decode(wbxml, limits);
  CPPUNIT_ASSERT_MESSAGE(got.ok() ? ToXml(*got) : "", !got.ok());
  CPPUNIT_ASSERT(got.status().code() == Code::kInvalidArgument);
  CPPUNIT_ASSERT_EQUAL(0u, unsigned(got.status().message().rfind("wbxml: ", 0)));
  CPPUNIT_ASSERT(got.status().message().find(" at offset ") != std::string::npos);
}

}  // namespace

class WbxmlTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WbxmlTest);
  CPPUNIT_TEST(TagTable);
  CPPUNIT_TEST(TagNamedThrowsForUnknownName);
  CPPUNIT_TEST(FindPageFromSupplement);
  CPPUNIT_TEST(SupplementTokensLibwbxmlLacks);
  CPPUNIT_TEST(ElementAccessors);
  CPPUNIT_TEST(WriterBytesEqualLibwbxmls);
  CPPUNIT_TEST(WriterOutputDecodesWithLibwbxml);
  CPPUNIT_TEST(LargeDocumentAgreesWithLibwbxml);
  CPPUNIT_TEST(WriterMisuseThrows);
  CPPUNIT_TEST(DecodesLibwbxmlDocuments);
  CPPUNIT_TEST(DecodesStringTableReferences);
  CPPUNIT_TEST(RejectsTruncationAtEveryOffset);
  CPPUNIT_TEST(RejectsMalformedTokens);
  CPPUNIT_TEST(RejectsMalformedHeaders);
  CPPUNIT_TEST(EnforcesLimits);
  CPPUNIT_TEST(XmlDumpShowsOpaqueAndUnknown);
  CPPUNIT_TEST_SUITE_END();

 public:
  void TagTable() {
    CPPUNIT_ASSERT(fh::kFolderSync == (Tag{7, 0x16}));
    CPPUNIT_ASSERT(tags::settings::kDeviceInformation == (Tag{18, 0x16}));
    CPPUNIT_ASSERT(base::kData == (Tag{17, 0x0b}));
    CPPUNIT_ASSERT(tags::ping::kHeartbeatInterval == (Tag{13, 0x08}));
    CPPUNIT_ASSERT(tags::provision::kRequireStorageCardEncryption ==
                   tags::provision::kDeviceEncryptionEnabled);
    CPPUNIT_ASSERT_EQUAL(std::string("DeviceEncryptionEnabled"),
                         std::string(TagName(tags::provision::kRequireStorageCardEncryption)));
    CPPUNIT_ASSERT_EQUAL(std::string("MoveAlways"), std::string(TagName(tags::itemops::kMoveAlways)));
    CPPUNIT_ASSERT_EQUAL(std::string("Estimate"), std::string(TagName(tags::gie::kEstimate)));
    CPPUNIT_ASSERT(tags::move::kMoveItems == (Tag{5, 0x05}));
    CPPUNIT_ASSERT(tags::move::kDstMsgId == (Tag{5, 0x0c}));
    CPPUNIT_ASSERT_EQUAL(std::string("SrcFldId"), std::string(TagName(tags::move::kSrcFldId)));
    CPPUNIT_ASSERT_EQUAL(std::string("Move:"), std::string(PageNamespace(5)));
    CPPUNIT_ASSERT_EQUAL(std::string("Settings:"), std::string(PageNamespace(18)));
    CPPUNIT_ASSERT_EQUAL(std::string("Find:"), std::string(PageNamespace(25)));  // our supplement
    CPPUNIT_ASSERT(PageNamespace(26) == nullptr);
    CPPUNIT_ASSERT(PageNamespace(200) == nullptr);
    CPPUNIT_ASSERT(!IsKnown(Tag{0, 0x04}));   // a global token, not a tag
    CPPUNIT_ASSERT(!IsKnown(Tag{17, 0x09}));  // a hole in AirSyncBase
    CPPUNIT_ASSERT(!IsKnown(Tag{0, 0x3f}));
    CPPUNIT_ASSERT(!IsKnown(Tag{99, 0x05}));
    CPPUNIT_ASSERT(TagName(Tag{0, 0x40}) == nullptr);
  }

  // Code page 25 (Find, 16.1) is missing from libwbxml 0.11: the supplement
  // has the whole page (MS-ASWBXML 2.1.2.1.26), written and read back.
  void FindPageFromSupplement() {
    namespace fi = tags::find;
    CPPUNIT_ASSERT(fi::kFind == (Tag{25, 0x05}));
    CPPUNIT_ASSERT(fi::kMailBoxSearchCriterion == (Tag{25, 0x08}));
    CPPUNIT_ASSERT(fi::kTotal == (Tag{25, 0x16}));
    CPPUNIT_ASSERT(!IsKnown(Tag{25, 0x0F}));  // a hole in the page
    // <Find><Status>1</Status><Response><itemoperations:Store>Mailbox</…></Response></Find>
    Writer w;
    w.Start(fi::kFind);
    w.Element(fi::kStatus, "1");
    w.Start(fi::kResponse);
    w.Element(tags::itemops::kStore, "Mailbox");
    w.End();
    w.End();
    const std::string bytes = w.Take();
    const std::string want = kHeader + Bytes({0x00, 0x19, 0x45, 0x4A, 0x03, '1', 0x00, 0x01, 0x51,
                                              0x00, 0x14, 0x47, 0x03, 'M', 'a', 'i', 'l', 'b', 'o',
                                              'x', 0x00, 0x01, 0x01, 0x01});
    CPPUNIT_ASSERT(bytes == want);
    Element root;
    CPPUNIT_ASSERT(Decode(bytes, &root).ok());
    CPPUNIT_ASSERT(root.tag == fi::kFind);
    CPPUNIT_ASSERT_EQUAL(std::string("1"), std::string(root.ChildText(fi::kStatus)));
    CPPUNIT_ASSERT(root.Child(fi::kResponse) != nullptr);
  }

  void TagNamedThrowsForUnknownName() {
    CPPUNIT_ASSERT_THROW(TagNamed(Page::kFolderHierarchy, "FolderSynk"), std::logic_error);
    CPPUNIT_ASSERT_THROW(TagNamed(Page::kPing, "FolderSync"), std::logic_error);  // other page
    CPPUNIT_ASSERT_THROW(TagNamed(Page::kAirSync, ""), std::logic_error);
    CPPUNIT_ASSERT(TagNamed(Page::kPing, "Ping") == (Tag{13, 0x05}));
  }

  // Provision 0x3B (AccountOnlyRemoteWipe, MS-ASWBXML, 16.1) is missing from
  // libwbxml 0.11: our supplement names it, writes it and reads it back.
  void SupplementTokensLibwbxmlLacks() {
    namespace pv = tags::provision;
    CPPUNIT_ASSERT(pv::kAccountOnlyRemoteWipe == (Tag{14, 0x3B}));
    CPPUNIT_ASSERT(IsKnown(Tag{14, 0x3B}));
    CPPUNIT_ASSERT_EQUAL(std::string("AccountOnlyRemoteWipe"), std::string(TagName(Tag{14, 0x3B})));
    CPPUNIT_ASSERT(TagNamed(Page::kProvision, "AccountOnlyRemoteWipe") == (Tag{14, 0x3B}));
    CPPUNIT_ASSERT_THROW(TagNamed(Page::kPing, "AccountOnlyRemoteWipe"), std::logic_error);
    CPPUNIT_ASSERT(!IsKnown(Tag{14, 0x3C}));  // the supplement adds nothing else there

    // <Provision><Status>1</Status><AccountOnlyRemoteWipe/></Provision>
    Writer w;
    w.Start(pv::kProvision);
    w.Element(pv::kStatus, "1");
    w.Empty(pv::kAccountOnlyRemoteWipe);
    w.End();
    const std::string want = kHeader + Bytes({0x00, 0x0E, 0x45, 0x4B, 0x03, '1', 0x00, 0x01, 0x3B, 0x01});
    CPPUNIT_ASSERT(w.Take() == want);

    // The acknowledgement: <Provision><AccountOnlyRemoteWipe><Status>1</Status>...
    const std::string ack =
        kHeader + Bytes({0x00, 0x0E, 0x45, 0x7B, 0x4B, 0x03, '1', 0x00, 0x01, 0x01, 0x01});
    AssertDecodesTo(E(pv::kProvision, {}, {E(pv::kAccountOnlyRemoteWipe, {}, {E(pv::kStatus, "1")})}),
                    ack);
  }

  void ElementAccessors() {
    Element e = E(fh::kFolders, {}, {E(fh::kFolder, "a"), E(fh::kStatus, "1"), E(fh::kFolder, "b")});
    CPPUNIT_ASSERT(e.Has(fh::kStatus));
    CPPUNIT_ASSERT(!e.Has(fh::kSyncKey));
    CPPUNIT_ASSERT_EQUAL(std::string("a"), std::string(e.ChildText(fh::kFolder)));
    CPPUNIT_ASSERT(e.ChildText(fh::kSyncKey).empty());
    CPPUNIT_ASSERT_EQUAL(size_t{2}, e.Children(fh::kFolder).size());
    CPPUNIT_ASSERT_EQUAL(std::string("b"), e.Children(fh::kFolder)[1]->text);
    CPPUNIT_ASSERT(e.Child(fh::kSyncKey) == nullptr);
  }

  // The bytes libwbxml's xml2wbxml produces for the same document.
  void WriterBytesEqualLibwbxmls() {
    Writer w;
    w.Start(as::kSync);
    w.Start(as::kCollections);
    w.Start(as::kCollection);
    w.Element(as::kSyncKey, "1");
    w.Element(as::kCollectionId, "5");
    w.Start(as::kOptions);
    w.Start(base::kBodyPreference);
    w.Element(base::kType, "1");
    w.End();
    w.End();
    w.Element(as::kGetChanges, "");
    w.End();
    w.End();
    w.End();
    const std::string want = LibwbxmlFromXml(
        "<Sync xmlns=\"AirSync:\" xmlns:B=\"AirSyncBase:\"><Collections><Collection><SyncKey>1"
        "</SyncKey><CollectionId>5</CollectionId><Options><B:BodyPreference><B:Type>1</B:Type>"
        "</B:BodyPreference></Options><GetChanges/></Collection></Collections></Sync>",
        false, true);
    CPPUNIT_ASSERT(w.size() == want.size());
    CPPUNIT_ASSERT(w.Take() == want);
  }

  void WriterOutputDecodesWithLibwbxml() {
    Writer w;
    w.Start(fh::kFolderSync);
    w.Element(fh::kStatus, "1");
    w.Element(fh::kSyncKey, "a&b<c>\"d'e");
    w.Start(fh::kChanges);
    w.Element(fh::kCount, "1");
    w.Start(fh::kAdd);
    w.Element(fh::kServerId, std::string("7\0ignored", 9));  // stops at NUL
    w.Element(fh::kParentId, "0");
    w.Element(fh::kDisplayName, "Posteingang \xc3\xa4");
    w.Element(fh::kType, "2");
    w.End();
    w.End();
    w.End();
    CPPUNIT_ASSERT_EQUAL(
        std::string("<FolderSync xmlns=\"FolderHierarchy:\"><Status>1</Status><SyncKey>"
                    "a&amp;b&lt;c&gt;&quot;d&apos;e</SyncKey><Changes><Count>1</Count><Add>"
                    "<ServerId>7</ServerId><ParentId>0</ParentId><DisplayName>Posteingang "
                    "\xc3\xa4</DisplayName><Type>2</Type></Add></Changes></FolderSync>"),
        LibwbxmlToXml(w.Take()));

    // Page switches both ways, OPAQUE, Start/End without content.
    Writer s;
    s.Start(as::kSync);
    s.Start(as::kCollections);
    s.End();
    s.Start(as::kApplicationData);
    s.Start(base::kBody);
    s.Element(base::kType, "4");
    s.Start(base::kData);
    s.Opaque("MIME-Version: 1.0");
    s.End();
    s.End();
    s.Element(tags::ping::kStatus, "2");
    s.Element(as::kStatus, " 1 ");
    s.End();
    s.End();
    CPPUNIT_ASSERT_EQUAL(
        std::string("<Sync xmlns=\"AirSync:\"><Collections/><ApplicationData><Body "
                    "xmlns=\"AirSyncBase:\"><Type>4</Type><Data>MIME-Version: 1.0</Data></Body>"
                    "<Status xmlns=\"Ping:\">2</Status><Status> 1 </Status></ApplicationData></Sync>"),
        LibwbxmlToXml(s.Take()));
  }

  void LargeDocumentAgreesWithLibwbxml() {
    const Element doc = ContactsSync(512);
    const std::string wbxml = Encode(doc);
    CPPUNIT_ASSERT_EQUAL(ToXml(doc), LibwbxmlToXml(wbxml));  // (1) libwbxml reads it
    AssertDecodesTo(doc, wbxml);                              // (4) round trip
  }

  void WriterMisuseThrows() {
    Writer w;
    CPPUNIT_ASSERT_THROW(w.End(), std::logic_error);
    CPPUNIT_ASSERT_THROW(w.Text("x"), std::logic_error);
    CPPUNIT_ASSERT_THROW(w.Opaque("x"), std::logic_error);
    CPPUNIT_ASSERT_THROW(w.Take(), std::logic_error);  // no root
    CPPUNIT_ASSERT_THROW(w.Start(Tag{0, 0x3f}), std::logic_error);
    CPPUNIT_ASSERT_THROW(w.Empty(Tag{17, 0x09}), std::logic_error);
    CPPUNIT_ASSERT_THROW(w.Element(Tag{30, 0x05}, "x"), std::logic_error);
    w.Start(tags::ping::kPing);
    CPPUNIT_ASSERT_THROW(w.Take(), std::logic_error);
    w.End();
    CPPUNIT_ASSERT_THROW(w.Empty(tags::ping::kPing), std::logic_error);  // second root
    CPPUNIT_ASSERT(w.Take() == kHeader + Bytes({0x00, 0x0d, 0x45, 0x01}));
    w.Empty(tags::ping::kPing);  // a Writer is reusable after Take()
    CPPUNIT_ASSERT(w.Take() == kHeader + Bytes({0x00, 0x0d, 0x05}));
  }

  // (2) libwbxml-encoded requests decode to the expected trees, and our
  // ToXml of them equals libwbxml's own XML.
  void DecodesLibwbxmlDocuments() {
    namespace st = tags::settings;
    namespace pv = tags::provision;
    const std::string mime = "MIME-Version: 1.0\nSubject: a & b <\xc3\xa4>\n\nbody";  // XML has no \r
    const std::vector<std::pair<std::string, Element>> cases = {
        {"<FolderSync xmlns=\"FolderHierarchy:\"><SyncKey>0</SyncKey></FolderSync>",
         E(fh::kFolderSync, {}, {E(fh::kSyncKey, "0")})},
        {"<Settings xmlns=\"Settings:\"><DeviceInformation><Set><Model>Pixel 8</Model>"
         "<IMEI>3534</IMEI><FriendlyName>My &amp; phone</FriendlyName><OS>Android 14</OS>"
         "<OSLanguage>de</OSLanguage><UserAgent>Android-EAS/1.0</UserAgent>"
         "<EnableOutboundSMS>0</EnableOutboundSMS></Set></DeviceInformation></Settings>",
         E(st::kSettings, {}, {E(st::kDeviceInformation, {}, {E(st::kSet, {}, {
             E(st::kModel, "Pixel 8"), E(st::kIMEI, "3534"), E(st::kFriendlyName, "My & phone"),
             E(st::kOS, "Android 14"), E(st::kOSLanguage, "de"),
             E(st::kUserAgent, "Android-EAS/1.0"), E(st::kEnableOutboundSMS, "0")})})})},
        {"<Provision xmlns=\"Provision:\" xmlns:S=\"Settings:\"><S:DeviceInformation><S:Set>"
         "<S:Model>X</S:Model></S:Set></S:DeviceInformation><Policies><Policy><PolicyType>"
         "MS-EAS-Provisioning-WBXML</PolicyType><PolicyKey>123</PolicyKey><Status>1</Status>"
         "</Policy></Policies></Provision>",
         E(pv::kProvision, {}, {
             E(st::kDeviceInformation, {}, {E(st::kSet, {}, {E(st::kModel, "X")})}),
             E(pv::kPolicies, {}, {E(pv::kPolicy, {}, {
                 E(pv::kPolicyType, "MS-EAS-Provisioning-WBXML"), E(pv::kPolicyKey, "123"),
                 E(pv::kStatus, "1")})})})},
        {"<Sync xmlns=\"AirSync:\" xmlns:B=\"AirSyncBase:\"><Collections><Collection><SyncKey>1"
         "</SyncKey><CollectionId>5</CollectionId><Commands><Add><ClientId>c1</ClientId>"
         "<ApplicationData><B:Body><B:Type>4</B:Type><B:Data><![CDATA[" + mime +
         "]]></B:Data></B:Body></ApplicationData></Add></Commands></Collection></Collections>"
         "</Sync>",
         E(as::kSync, {}, {E(as::kCollections, {}, {E(as::kCollection, {}, {
             E(as::kSyncKey, "1"), E(as::kCollectionId, "5"),
             E(as::kCommands, {}, {E(as::kAdd, {}, {E(as::kClientId, "c1"),
                 E(as::kApplicationData, {}, {E(base::kBody, {}, {
                     E(base::kType, "4"), O(base::kData, mime)})})})})})})})},
    };
    for (const auto& [xml, want] : cases) {
      for (int variant = 0; variant < 4; ++variant) {
        const std::string wbxml = LibwbxmlFromXml(xml, variant & 1, variant & 2);
        AssertDecodesTo(want, wbxml);
        if (xml.find("CDATA") == std::string::npos) {  // libwbxml prints opaque raw
          CPPUNIT_ASSERT_EQUAL(LibwbxmlToXml(wbxml), ToXml(want));
        }
      }
    }
  }

  void DecodesStringTableReferences() {
    const std::string xml =
        "<FolderSync xmlns=\"FolderHierarchy:\"><SyncKey>abcdefgh</SyncKey><Changes><Add>"
        "<ServerId>abcdefgh</ServerId><DisplayName>Inbox folder</DisplayName></Add><Add>"
        "<DisplayName>Inbox folder</DisplayName></Add></Changes></FolderSync>";
    const std::string wbxml = LibwbxmlFromXml(xml, true, false);
    CPPUNIT_ASSERT(wbxml.find('\x83') != std::string::npos);  // libwbxml used STR_T
    CPPUNIT_ASSERT_EQUAL(LibwbxmlToXml(wbxml), ToXml(*Decode(wbxml)));
    // Hand-made: STR_T into the middle of an entry, mixed with STR_I.
    const std::string doc = Bytes({0x03, 0x01, 0x6a, 0x03, 'a', 'b', 0x00, 0x00, 0x07, 0x52,
                                   0x83, 0x01, 0x03, 'c', 0x00, 0x83, 0x00, 0x01});
    AssertDecodesTo(E(fh::kSyncKey, "bcab"), doc);
  }

  // (3) Every proper prefix of a valid document is refused.
  void RejectsTruncationAtEveryOffset() {
    const Element binary = E(as::kSync, {}, {
        E(as::kStatus, "1"), E(base::kBody, {}, {O(base::kData, std::string("x\0\xffz", 4))}),
        E(as::kSyncKey)});
    AssertDecodesTo(binary, Encode(binary));
    const std::vector<std::string> docs = {
        Encode(binary),
        LibwbxmlFromXml("<FolderSync xmlns=\"FolderHierarchy:\"><SyncKey>abcdefgh</SyncKey>"
                        "<ServerId>abcdefgh</ServerId></FolderSync>", true, false),
    };
    for (const std::string& doc : docs) {
      CPPUNIT_ASSERT(Decode(doc).ok());
      for (size_t n = 0; n < doc.size(); ++n) AssertInvalid(doc.substr(0, n));
    }
  }

  void RejectsMalformedTokens() {
    auto body = [](std::initializer_list<int> b) { return kHeader + Bytes(b); };
    AssertInvalid(body({0x7f, 0x01}));                    // unknown token on AirSync
    AssertInvalid(body({0x00, 0x11, 0x09}));              // hole in AirSyncBase
    AssertInvalid(body({0x00, 0x63, 0x45, 0x01}));        // unknown code page
    AssertInvalid(body({0xc5, 0x01, 0x01}));              // attribute bit
    AssertInvalid(body({0x85, 0x01}));
    AssertInvalid(body({0x45, 0x04, 0x00, 0x01}));        // LITERAL
    AssertInvalid(body({0x45, 0x44, 0x00, 0x01, 0x01}));  // LITERAL_C
    AssertInvalid(body({0x45, 0x84, 0x00, 0x01}));
    AssertInvalid(body({0x45, 0xc4, 0x00, 0x01, 0x01}));
    AssertInvalid(body({0x45, 0x02, 0x41, 0x01}));        // ENTITY
    AssertInvalid(body({0x43, 0x01}));                    // PI
    AssertInvalid(body({0x45, 0x40, 'x', 0x00, 0x01}));   // EXT_I_0
    AssertInvalid(body({0x45, 0x80, 0x00, 0x01}));        // EXT_T_0
    AssertInvalid(body({0x45, 0xc0, 0x01}));              // EXT_0
    AssertInvalid(body({0x45, 0x01, 0x45, 0x01}));        // two roots
    AssertInvalid(body({0x05, 0x05}));
    AssertInvalid(body({0x45, 0x01, 0x00}));              // trailing bytes
    AssertInvalid(body({0x45, 0x01, 0x00, 0x00}));
    AssertInvalid(body({0x01}));                          // END without element
    AssertInvalid(body({0x03, 'a', 0x00, 0x45, 0x01}));   // text outside root
    AssertInvalid(body({0x45, 0x03, 'a', 'b'}));          // unterminated STR_I
    AssertInvalid(body({0x45, 0xc3, 0x8f, 0xff, 0xff, 0xff, 0x7f, 0x01}));  // opaque 4 GiB
    AssertInvalid(body({0x45, 0xc3, 0x0a, 'a', 'b', 'c', 0x01}));
    AssertInvalid(body({0x45, 0xc3, 0x90, 0x80, 0x80, 0x80, 0x00, 0x01}));  // 2^32
    AssertInvalid(body({0x45, 0xc3, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01}));  // 6 bytes
    AssertInvalid(body({0x45, 0x83, 0x00, 0x01}));        // STR_T without string table
    AssertInvalid(body({}));                              // no root
    const std::string strtbl = Bytes({0x03, 0x01, 0x6a, 0x03, 'a', 'b', 0x00});
    AssertInvalid(strtbl + Bytes({0x45, 0x83, 0x03, 0x01}));  // STR_T past the table
    AssertInvalid(strtbl + Bytes({0x45, 0x83, 0x8f, 0xff, 0xff, 0xff, 0x7f, 0x01}));
    AssertInvalid(Bytes({0x03, 0x01, 0x6a, 0x02, 'a', 'b', 0x45, 0x83, 0x00, 0x01}));  // no NUL
    CPPUNIT_ASSERT(Decode(strtbl + Bytes({0x45, 0x83, 0x01, 0x01})).ok());
    Result<Element> r = Decode(body({0x45, 0x7f, 0x01}));
    CPPUNIT_ASSERT_EQUAL(std::string("wbxml: unknown tag at offset 5"), r.status().message());
  }

  void RejectsMalformedHeaders() {
    const std::string root = Bytes({0x45, 0x01});
    CPPUNIT_ASSERT(Decode(Bytes({0x01, 0x01, 0x6a, 0x00}) + root).ok());  // WBXML 1.1
    CPPUNIT_ASSERT(Decode(Bytes({0x03, 0x00, 0x00, 0x6a, 0x02, 'x', 0x00}) + root).ok());
    AssertInvalid("");
    AssertInvalid(Bytes({0x00, 0x01, 0x6a, 0x00}) + root);  // version 1.0 layout
    AssertInvalid(Bytes({0x04, 0x01, 0x6a, 0x00}) + root);
    AssertInvalid(Bytes({0x03, 0x02, 0x6a, 0x00}) + root);  // WML public id
    AssertInvalid(Bytes({0x03, 0x01, 0x04, 0x00}) + root);  // ISO-8859-1
    AssertInvalid(Bytes({0x03, 0x01, 0x00, 0x00}) + root);  // charset unknown
    AssertInvalid(Bytes({0x03, 0x01, 0x87, 0x77, 0x00}) + root);  // UTF-16 (1015)
    AssertInvalid(Bytes({0x03, 0x01, 0x6a, 0x7f}) + root);  // table longer than input
    AssertInvalid(Bytes({0x03, 0x00, 0x05, 0x6a, 0x02, 'x', 0x00}) + root);  // index > table
    AssertInvalid(Bytes({0x03, 0x01, 0xea, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00}) + root);
  }

  void EnforcesLimits() {
    std::string deep = kHeader;
    for (int i = 0; i < 1000; ++i) deep.push_back(0x4f);  // Collection with content
    for (int i = 0; i < 1000; ++i) deep.push_back(0x01);
    AssertInvalid(deep);
    AssertInvalid(deep.substr(0, kHeader.size() + 1000));
    Result<Element> ok = Decode(deep, DecodeLimits{1000, 1000});  // iterative: fine
    CPPUNIT_ASSERT(ok.ok());
    AssertInvalid(deep, DecodeLimits{999, 1000});
    AssertInvalid(deep, DecodeLimits{1000, 999});

    std::string wide = kHeader + Bytes({0x45});
    for (int i = 0; i < 10; ++i) wide.push_back(0x0f);
    wide.push_back(0x01);
    CPPUNIT_ASSERT(Decode(wide, DecodeLimits{2, 11}).ok());
    AssertInvalid(wide, DecodeLimits{2, 10});
    AssertInvalid(wide, DecodeLimits{1, 11});
  }

  void XmlDumpShowsOpaqueAndUnknown() {
    Element e = E(as::kSync, {}, {O(base::kData, "ab\0c"), O(base::kData, ""), E(Tag{0, 0x3f})});
    e.children[0].text.assign("ab\0c", 4);
    CPPUNIT_ASSERT_EQUAL(
        std::string("<Sync xmlns=\"AirSync:\"><Data xmlns=\"AirSyncBase:\"><!--opaque 4 bytes-->"
                    "YWIAYw==</Data><Data xmlns=\"AirSyncBase:\"><!--opaque 0 bytes--></Data>"
                    "<unknown-0-0x3f/></Sync>"),
        ToXml(e));
    Element big = O(base::kData, std::string(5000, 'x'));
    CPPUNIT_ASSERT(ToXml(big).find("<!--opaque 5000 bytes-->eHh4") != std::string::npos);
    CPPUNIT_ASSERT(ToXml(big).size() < 200);
    CPPUNIT_ASSERT(!SameTree(e, big));
    CPPUNIT_ASSERT(SameTree(e, e));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WbxmlTest);

}  // namespace eas::core::wbxml
