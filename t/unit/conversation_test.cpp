// Conversation ids and indexes (MS-OXOMSG 2.2.1.2, MS-ASEMAIL): the
// normalized subject, the MD5 of its upper-cased UTF-16LE form (checked
// against digests computed independently), Thread-Index taken when valid,
// and the index made at delivery otherwise.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/mail/conversation.hpp"
#include "core/mail/mime_record.hpp"

namespace eas::core::mail {
namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

class ConversationTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConversationTest);
  CPPUNIT_TEST(testNormalizedSubject);
  CPPUNIT_TEST(testIdIsMd5OfUpperUtf16Topic);
  CPPUNIT_TEST(testThreadIndexKeptWhenValid);
  CPPUNIT_TEST(testIndexMadeAtDelivery);
  CPPUNIT_TEST(testRecordCarriesThem);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testNormalizedSubject() {
    CPPUNIT_ASSERT_EQUAL(std::string_view("Lunch"), NormalizedSubject("Re: AW: Lunch"));
    CPPUNIT_ASSERT_EQUAL(std::string_view("Lunch"), NormalizedSubject("FWD: re:Lunch"));
    CPPUNIT_ASSERT_EQUAL(std::string_view("Note: this"), NormalizedSubject("Note: this"));
    CPPUNIT_ASSERT_EQUAL(std::string_view(""), NormalizedSubject("Re: "));
  }

  void testIdIsMd5OfUpperUtf16Topic() {
    // python3: hashlib.md5('LUNCH'.encode('utf-16-le')).hexdigest()
    CPPUNIT_ASSERT_EQUAL(std::string("ad42fcfaf028636c692f09f7057a461f"),
                         Hex(ConversationIdOf("Lunch")));
    CPPUNIT_ASSERT(ConversationIdOf("Re: lunch") == ConversationIdOf("Fw: LUNCH"));
    CPPUNIT_ASSERT_EQUAL(std::string("90e5af981b0d8848c807cc4089488a6e"),
                         Hex(ConversationIdOf("Re: caf\xc3\xa9 \xc3\xaele")));  // CAFÉ ÎLE
    CPPUNIT_ASSERT(ConversationIdOf("Re:  ").empty());
    CPPUNIT_ASSERT(ConversationIdOf("Lunch") != ConversationIdOf("Dinner"));
  }

  void testThreadIndexKeptWhenValid() {
    // 0x01, 5 time bytes, 16 GUID bytes, one 5-byte child block.
    const std::string index = ConversationIndexOf("AQECAwQFAAECAwQFBgcICQoLDA0ODwkJCQkJ", 0, "");
    CPPUNIT_ASSERT_EQUAL(size_t{27}, index.size());
    CPPUNIT_ASSERT_EQUAL(std::string("010102030405"), Hex(index.substr(0, 6)));
    // Not base64, or not an index: ours instead.
    const std::string id(16, 'x');
    CPPUNIT_ASSERT_EQUAL(size_t{22}, ConversationIndexOf("not base64!", 0, id).size());
    CPPUNIT_ASSERT_EQUAL(size_t{22}, ConversationIndexOf("AgECAwQF", 0, id).size());
  }

  void testIndexMadeAtDelivery() {
    const std::string id(16, '\x07');
    // 1970-01-01 as FILETIME is 0x019DB1DED53E8000: its top five bytes.
    const std::string index = ConversationIndexOf("", 0, id);
    CPPUNIT_ASSERT_EQUAL(std::string("01019db1ded5"), Hex(index.substr(0, 6)));
    CPPUNIT_ASSERT_EQUAL(id, index.substr(6));
    CPPUNIT_ASSERT(ConversationIndexOf("", 0, "").empty());
  }

  void testRecordCarriesThem() {
    auto record = BuildMessageRecord(
        "From: a@example.com\r\nSubject: Re: Lunch\r\nThread-Index: AQECAwQFAAECAwQFBgcICQoLDA0ODw==\r\n"
        "\r\nhi\r\n", 1800000000);
    CPPUNIT_ASSERT(record.ok());
    CPPUNIT_ASSERT_EQUAL(ConversationIdOf("Lunch"), record->conversation_id);
    CPPUNIT_ASSERT_EQUAL(size_t{22}, record->conversation_index.size());
    auto back = DecodeMessageRecord(EncodeMessageRecord(*record));
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT(*back == *record);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConversationTest);

}  // namespace
}  // namespace eas::core::mail
