// MS-ASHTTP request-line parsing: both query forms, the spec's own example,
// and the malformed inputs a hostile or broken client can send.
#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>
#include <string>

#include "core/http_exchange.hpp"
#include "core/query.hpp"
#include "core/util/base64.hpp"

using eas::Code;
using eas::core::EncodeBase64Query;
using eas::core::LabelRequest;
using eas::core::ParseQuery;
using eas::core::Query;
using eas::core::RequestLabels;
using eas::core::util::Base64Decode;
using eas::core::util::Base64Encode;

namespace {

// Fixed part of the binary form: version, command, locale en-US, device id,
// no policy key, device type.
std::string Prefix(uint8_t version, uint8_t command) {
  std::string b;
  b += static_cast<char>(version);
  b += static_cast<char>(command);
  b += "\x09\x04";
  b += "\x08" "ApplDNPX";
  b += '\0';
  b += "\x06" "iPhone";
  return b;
}

bool Rejected(std::string_view query) {
  auto r = ParseQuery(query);
  return !r.ok() && r.status().code() == Code::kInvalidArgument && !r.status().message().empty();
}

}  // namespace

class QueryTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(QueryTest);
  CPPUNIT_TEST(Base64Vectors);
  CPPUNIT_TEST(Base64RejectsMalformed);
  CPPUNIT_TEST(PlainSpecExample);
  CPPUNIT_TEST(PlainAllFieldsAndEscapes);
  CPPUNIT_TEST(PlainRejectsMalformed);
  CPPUNIT_TEST(Base64SpecExample);
  CPPUNIT_TEST(Base64HandBuilt);
  CPPUNIT_TEST(Base64PercentEscapedAndUnpadded);
  CPPUNIT_TEST(Base64BinaryDeviceIdBecomesHex);
  CPPUNIT_TEST(Base64RoundTrip);
  CPPUNIT_TEST(Base64RejectsMalformedQueries);
  CPPUNIT_TEST(EncodeRefusesWhatItCannotCarry);
  CPPUNIT_TEST(LabelsForVariables);
  CPPUNIT_TEST_SUITE_END();

 public:
  void Base64Vectors() {
    // RFC 4648 section 10.
    const char* vectors[][2] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                {"foo", "Zm9v"},  {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                {"foobar", "Zm9vYmFy"}};
    for (auto& v : vectors) {
      CPPUNIT_ASSERT_EQUAL(std::string(v[1]), Base64Encode(v[0]));
      CPPUNIT_ASSERT_EQUAL(std::string(v[0]), Base64Decode(v[1]).value());
      std::string unpadded = v[1];
      while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
      CPPUNIT_ASSERT_EQUAL(std::string(v[0]), Base64Decode(unpadded).value());
    }
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    CPPUNIT_ASSERT(Base64Decode(Base64Encode(all)).value() == all);
  }

  void Base64RejectsMalformed() {
    for (const char* bad : {"Z", "Zg=", "Zg===", "Zh==", "Zm9v=", "Zm 9v", "Zm9v-_", "Zm=v",
                            "=", "Zm9vY", "Zm9\n"})
      CPPUNIT_ASSERT_MESSAGE(bad, !Base64Decode(bad).has_value());
  }

  // MS-ASHTTP 2.2.1.1.1: the plain twin of the base64 example below.
  void PlainSpecExample() {
    auto q = ParseQuery("Cmd=Sync&User=rmjones&DeviceId=v140Device&DeviceType=SmartPhone");
    CPPUNIT_ASSERT(q.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("Sync"), q->cmd);
    CPPUNIT_ASSERT_EQUAL(std::string("rmjones"), q->user);
    CPPUNIT_ASSERT_EQUAL(std::string("v140Device"), q->device_id);
    CPPUNIT_ASSERT_EQUAL(std::string("SmartPhone"), q->device_type);
    CPPUNIT_ASSERT(q->protocol_version.empty());
    CPPUNIT_ASSERT(q->policy_key.empty());
    CPPUNIT_ASSERT(!q->base64_form);
  }

  void PlainAllFieldsAndEscapes() {
    auto q = ParseQuery(
        "Cmd=SmartReply&User=CORP%5Calice&DeviceId=ApplDNPX&DeviceType=iPhone"
        "&AttachmentName=a%2Fb+c%20d.txt&CollectionId=5&ItemId=5%3A12&LongId=RgAA%2B%3D"
        "&ParentId=0&Occurrence=2024-01-01T00%3a00%3a00.000Z&SaveInSent=T"
        "&AcceptMultiPart=T&Unknown=x&&");
    CPPUNIT_ASSERT_MESSAGE(q.status().message(), q.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("SmartReply"), q->cmd);
    CPPUNIT_ASSERT_EQUAL(std::string("CORP\\alice"), q->user);
    CPPUNIT_ASSERT_EQUAL(std::string("a/b c d.txt"), q->attachment_name);
    CPPUNIT_ASSERT_EQUAL(std::string("5"), q->collection_id);
    CPPUNIT_ASSERT_EQUAL(std::string("5:12"), q->item_id);
    CPPUNIT_ASSERT_EQUAL(std::string("RgAA+="), q->long_id);
    CPPUNIT_ASSERT_EQUAL(std::string("0"), q->parent_id);
    CPPUNIT_ASSERT_EQUAL(std::string("2024-01-01T00:00:00.000Z"), q->occurrence);
    CPPUNIT_ASSERT(q->save_in_sent);
    CPPUNIT_ASSERT(q->accept_multipart);

    q = ParseQuery("Cmd=SendMail&DeviceId=d&DeviceType=t&SaveInSent=F");
    CPPUNIT_ASSERT(q.ok());
    CPPUNIT_ASSERT(!q->save_in_sent);
    CPPUNIT_ASSERT(q->user.empty());  // Authorization carries the user
  }

  void PlainRejectsMalformed() {
    const std::string ok = "Cmd=Sync&DeviceId=d&DeviceType=t";
    CPPUNIT_ASSERT(ParseQuery(ok).ok());
    CPPUNIT_ASSERT(Rejected(ok + "&User=a%2"));
    CPPUNIT_ASSERT(Rejected(ok + "&User=a%"));
    CPPUNIT_ASSERT(Rejected(ok + "&User=%G1"));
    CPPUNIT_ASSERT(Rejected(ok + "&Unknown=%ZZ"));  // escapes are checked everywhere
    CPPUNIT_ASSERT(Rejected(ok + "&User=a%00b"));  // control byte
    CPPUNIT_ASSERT(Rejected(ok + "&Cmd=Ping"));    // repeated
    CPPUNIT_ASSERT(Rejected(ok + "&SaveInSent=yes"));
    CPPUNIT_ASSERT(Rejected("Cmd=Sync&DeviceType=t"));
    CPPUNIT_ASSERT(Rejected("Cmd=Sync&DeviceId=d"));
    CPPUNIT_ASSERT(Rejected("DeviceId=d&DeviceType=t"));
    CPPUNIT_ASSERT(Rejected("Cmd=Sync&DeviceId=a,b&DeviceType=t"));
    CPPUNIT_ASSERT(Rejected("Cmd=Sync&DeviceId=a+b&DeviceType=t"));
    CPPUNIT_ASSERT(Rejected("cmd=Sync&deviceid=d&devicetype=t"));  // names are case-sensitive
    CPPUNIT_ASSERT(ParseQuery("Cmd=Sync&DeviceId=" + std::string(64, 'a') + "&DeviceType=t").ok());
    CPPUNIT_ASSERT(Rejected("Cmd=Sync&DeviceId=" + std::string(65, 'a') + "&DeviceType=t"));
    CPPUNIT_ASSERT(Rejected(ok + "&User=" + std::string(257, 'u')));
    CPPUNIT_ASSERT(Rejected(ok + "&ItemId=" + std::string(1025, 'i')));
    CPPUNIT_ASSERT(Rejected(ok + "&Unknown=" + std::string(4096, 'x')));  // whole query too long
    CPPUNIT_ASSERT(Rejected(""));
  }

  // MS-ASHTTP 2.2.1.1.1.1: the spec's own example request line.
  void Base64SpecExample() {
    auto q = ParseQuery("jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l");
    CPPUNIT_ASSERT_MESSAGE(q.status().message(), q.ok());
    CPPUNIT_ASSERT(q->base64_form);
    CPPUNIT_ASSERT_EQUAL(std::string("14.0"), q->protocol_version);
    CPPUNIT_ASSERT_EQUAL(std::string("Sync"), q->cmd);
    CPPUNIT_ASSERT_EQUAL(std::string("v140Device"), q->device_id);
    CPPUNIT_ASSERT_EQUAL(std::string("SmartPhone"), q->device_type);
    CPPUNIT_ASSERT(q->policy_key.empty());
    CPPUNIT_ASSERT(q->user.empty());
  }

  void Base64HandBuilt() {
    std::string b;
    b += static_cast<char>(141);           // 14.1
    b += static_cast<char>(3);             // SmartReply
    b += "\x09\x04";                       // locale 0x0409
    b += "\x08" "ApplDNPX";                // device id
    b += "\x04\x04\x03\x02\x01";           // policy key 0x01020304
    b += "\x06" "iPhone";                  // device type
    b += std::string("\x01\x01" "5", 3);   // CollectionId
    b += std::string("\x03\x04" "5:12", 6);  // ItemId
    b += std::string("\x07\x01\x03", 3);   // Options: SaveInSent | AcceptMultiPart
    b += std::string("\x08\x05" "alice", 7);  // User
    b += std::string("\x00\x05" "a.txt", 7);  // AttachmentName
    b += std::string("\x04\x02" "L1", 4);  // LongId
    b += std::string("\x06\x01" "7", 3);   // Occurrence
    b += std::string("\x63\x02" "zz", 4);  // unknown tag: skipped
    auto q = ParseQuery(Base64Encode(b));
    CPPUNIT_ASSERT_MESSAGE(q.status().message(), q.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("14.1"), q->protocol_version);
    CPPUNIT_ASSERT_EQUAL(std::string("SmartReply"), q->cmd);
    CPPUNIT_ASSERT_EQUAL(std::string("ApplDNPX"), q->device_id);
    CPPUNIT_ASSERT_EQUAL(std::string("16909060"), q->policy_key);
    CPPUNIT_ASSERT_EQUAL(std::string("iPhone"), q->device_type);
    CPPUNIT_ASSERT_EQUAL(std::string("5"), q->collection_id);
    CPPUNIT_ASSERT_EQUAL(std::string("5:12"), q->item_id);
    CPPUNIT_ASSERT_EQUAL(std::string("alice"), q->user);
    CPPUNIT_ASSERT_EQUAL(std::string("a.txt"), q->attachment_name);
    CPPUNIT_ASSERT_EQUAL(std::string("L1"), q->long_id);
    CPPUNIT_ASSERT_EQUAL(std::string("7"), q->occurrence);
    CPPUNIT_ASSERT(q->save_in_sent);
    CPPUNIT_ASSERT(q->accept_multipart);

    // Every command code of 2.2.1.1.1.1.2.
    const char* names[24] = {"Sync", "SendMail", "SmartForward", "SmartReply", "GetAttachment",
                             nullptr, nullptr, nullptr, nullptr, "FolderSync", "FolderCreate",
                             "FolderDelete", "FolderUpdate", "MoveItems", "GetItemEstimate",
                             "MeetingResponse", "Search", "Settings", "Ping", "ItemOperations",
                             "Provision", "ResolveRecipients", "ValidateCert", "Find"};
    for (uint8_t code = 0; code < 24; ++code) {
      auto r = ParseQuery(Base64Encode(Prefix(161, code)));
      if (!names[code]) {
        CPPUNIT_ASSERT(!r.ok());
        continue;
      }
      CPPUNIT_ASSERT_MESSAGE(names[code], r.ok());
      CPPUNIT_ASSERT_EQUAL(std::string(names[code]), r->cmd);
      CPPUNIT_ASSERT_EQUAL(std::string("16.1"), r->protocol_version);
    }
  }

  // Clients may leave out the padding or %-escape '+', '/' and '='.
  void Base64PercentEscapedAndUnpadded() {
    std::string b = Prefix(121, 9);
    // Aligned on a 3-byte boundary so it encodes as "++++////", and one
    // byte longer than a multiple of three so the padding is "==".
    const std::string user = "x\xfb\xef\xbe\xff\xff\xff" "z";
    b += '\x08';
    b += static_cast<char>(user.size());
    b += user;
    std::string encoded = Base64Encode(b);
    CPPUNIT_ASSERT(encoded.find("++++////") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("=="), encoded.substr(encoded.size() - 2));
    std::string escaped, unpadded = encoded;
    while (unpadded.back() == '=') unpadded.pop_back();
    for (char c : encoded) {
      if (c == '+') escaped += "%2B";
      else if (c == '/') escaped += "%2f";
      else if (c == '=') escaped += "%3D";
      else escaped += c;
    }
    for (const std::string& form : {encoded, unpadded, escaped}) {
      auto q = ParseQuery(form);
      CPPUNIT_ASSERT_MESSAGE(form, q.ok());
      CPPUNIT_ASSERT_EQUAL(std::string("FolderSync"), q->cmd);
      CPPUNIT_ASSERT_EQUAL(std::string("12.1"), q->protocol_version);
      CPPUNIT_ASSERT(user == q->user);
    }
  }

  // "A string or a GUID": a raw 16-byte GUID is named by its hex spelling.
  void Base64BinaryDeviceIdBecomesHex() {
    std::string b;
    b += static_cast<char>(140);
    b += static_cast<char>(9);
    b += "\x09\x04";
    b += '\x10';
    for (int i = 0; i < 16; ++i) b += static_cast<char>(0xf0 + i);
    b += '\0';
    b += "\x02" "WM";
    auto q = ParseQuery(Base64Encode(b));
    CPPUNIT_ASSERT_MESSAGE(q.status().message(), q.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF"), q->device_id);
  }

  void Base64RoundTrip() {
    Query q;
    q.cmd = "SmartForward";
    q.user = "CORP\\alice";
    q.device_id = "androidc1234";
    q.device_type = "Android";
    q.policy_key = "4294967295";
    q.attachment_name = "x";
    q.collection_id = "7";
    q.item_id = "7:9";
    q.long_id = "L";
    q.parent_id = "0";
    q.occurrence = "o";
    q.save_in_sent = true;
    for (const char* version : {"12.1", "14.0", "14.1", "16.0", "16.1"}) {
      auto r = ParseQuery(EncodeBase64Query(q, version));
      CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.ok());
      CPPUNIT_ASSERT_EQUAL(std::string(version), r->protocol_version);
      CPPUNIT_ASSERT_EQUAL(q.cmd, r->cmd);
      CPPUNIT_ASSERT_EQUAL(q.user, r->user);
      CPPUNIT_ASSERT_EQUAL(q.device_id, r->device_id);
      CPPUNIT_ASSERT_EQUAL(q.device_type, r->device_type);
      CPPUNIT_ASSERT_EQUAL(q.policy_key, r->policy_key);
      CPPUNIT_ASSERT_EQUAL(q.attachment_name, r->attachment_name);
      CPPUNIT_ASSERT_EQUAL(q.collection_id, r->collection_id);
      CPPUNIT_ASSERT_EQUAL(q.item_id, r->item_id);
      CPPUNIT_ASSERT_EQUAL(q.long_id, r->long_id);
      CPPUNIT_ASSERT_EQUAL(q.parent_id, r->parent_id);
      CPPUNIT_ASSERT_EQUAL(q.occurrence, r->occurrence);
      CPPUNIT_ASSERT(r->save_in_sent);
      CPPUNIT_ASSERT(!r->accept_multipart);
      CPPUNIT_ASSERT(r->base64_form);
    }
    // The spec example comes back byte for byte (modulo padding).
    Query s;
    s.cmd = "Sync";
    s.device_id = "v140Device";
    s.device_type = "SmartPhone";
    CPPUNIT_ASSERT_EQUAL(std::string("jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l"),
                         EncodeBase64Query(s, "14.0"));
  }

  void Base64RejectsMalformedQueries() {
    std::string good = Prefix(141, 0);
    CPPUNIT_ASSERT(ParseQuery(Base64Encode(good)).ok());
    // Truncated anywhere inside the fixed part.
    for (size_t n = 1; n < good.size(); ++n)
      CPPUNIT_ASSERT_MESSAGE(std::to_string(n), Rejected(Base64Encode(good.substr(0, n))));
    // Length fields that run past the end.
    std::string b = good;
    b[4] = static_cast<char>(200);  // device id length
    CPPUNIT_ASSERT(Rejected(Base64Encode(b)));
    b = good;
    b[13] = '\x03';  // policy key length 3
    b.insert(14, "abc");
    CPPUNIT_ASSERT(Rejected(Base64Encode(b)));
    CPPUNIT_ASSERT(Rejected(Base64Encode(good + std::string("\x08\x09" "alice", 7))));
    CPPUNIT_ASSERT(Rejected(Base64Encode(good + std::string("\x08", 1))));
    CPPUNIT_ASSERT(Rejected(Base64Encode(good + std::string("\x07\x02\x01\x00", 4))));
    CPPUNIT_ASSERT(Rejected(Base64Encode(good + std::string("\x08\x01" "a" "\x08\x01" "b", 6))));
    // Unknown command codes and a missing version.
    CPPUNIT_ASSERT(Rejected(Base64Encode(Prefix(141, 5))));
    CPPUNIT_ASSERT(Rejected(Base64Encode(Prefix(141, 24))));
    CPPUNIT_ASSERT(Rejected(Base64Encode(Prefix(141, 255))));
    CPPUNIT_ASSERT(Rejected(Base64Encode(Prefix(0, 0))));
    // Empty device id or type, bad bytes in the device type.
    b = Prefix(141, 0);
    b[4] = '\0';
    b.erase(5, 8);
    CPPUNIT_ASSERT(Rejected(Base64Encode(b)));
    b = good;
    b[b.size() - 1] = ',';
    CPPUNIT_ASSERT(Rejected(Base64Encode(b)));
    // Not base64 at all, or broken escapes.
    CPPUNIT_ASSERT(Rejected("jAAJ*Ap2MTQw"));
    CPPUNIT_ASSERT(Rejected("jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25"));  // 4n+1 characters
    CPPUNIT_ASSERT(Rejected("jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l%2"));
    CPPUNIT_ASSERT(Rejected(std::string(5000, 'A')));
  }

  void EncodeRefusesWhatItCannotCarry() {
    Query q;
    q.cmd = "Sync";
    q.device_id = "d";
    q.device_type = "t";
    CPPUNIT_ASSERT_THROW(EncodeBase64Query(q, "14"), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(EncodeBase64Query(q, "x.1"), std::invalid_argument);
    q.policy_key = "4294967296";
    CPPUNIT_ASSERT_THROW(EncodeBase64Query(q, "14.1"), std::invalid_argument);
    q.policy_key.clear();
    q.device_id = std::string(256, 'd');
    CPPUNIT_ASSERT_THROW(EncodeBase64Query(q, "14.1"), std::invalid_argument);
    q.device_id = "d";
    q.cmd = "Autodiscover";
    CPPUNIT_ASSERT_THROW(EncodeBase64Query(q, "14.1"), std::invalid_argument);
  }

  // What the $eas_* variables show before the module answered.
  void LabelsForVariables() {
    const std::string line = "Cmd=Sync&User=CORP%5CAlice&DeviceId=D1&DeviceType=iPhone";
    RequestLabels l;
    CPPUNIT_ASSERT(LabelRequest(line, std::nullopt, &l));
    CPPUNIT_ASSERT_EQUAL(std::string("Sync"), l.cmd);
    CPPUNIT_ASSERT_EQUAL(std::string("alice"), l.user);
    CPPUNIT_ASSERT_EQUAL(std::string("D1"), l.device_id);
    CPPUNIT_ASSERT_EQUAL(std::string("iPhone"), l.device_type);
    CPPUNIT_ASSERT(l.protocol_version.empty());
    // The Basic user wins over User=, even an empty one.
    RequestLabels b;
    CPPUNIT_ASSERT(LabelRequest(line, std::string_view("Bob@example.org"), &b));
    CPPUNIT_ASSERT_EQUAL(std::string("bob"), b.user);
    CPPUNIT_ASSERT(LabelRequest(line, std::string_view(), &b));
    CPPUNIT_ASSERT(b.user.empty());
    // A malformed line labels nothing.
    RequestLabels none;
    CPPUNIT_ASSERT(!LabelRequest("Cmd=Sync&DeviceId=d", std::string_view("bob"), &none));
    CPPUNIT_ASSERT(none.cmd.empty() && none.user.empty());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(QueryTest);
