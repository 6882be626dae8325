// The multipart ItemOperations body (MS-ASCMD 2.2.1.10.1.1) read back by a
// reader written from the spec here: the part count, an (offset, length)
// pair per part as 32-bit little-endian integers, the WBXML first and then
// every part byte for byte; and a body's Data moving into such a part.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/items/body_preference.hpp"
#include "core/multipart_response.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core {
namespace {

uint32_t Le32(const std::string& b, size_t at) {
  CPPUNIT_ASSERT(at + 4 <= b.size());
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(b[at + i]);
  return v;
}

// The parts of a body, each cut out by its metadata; the metadata must
// lie inside the body.
std::vector<std::string> Split(const std::string& body) {
  const uint32_t count = Le32(body, 0);
  std::vector<std::string> parts;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t offset = Le32(body, 4 + 8 * i), length = Le32(body, 8 + 8 * i);
    CPPUNIT_ASSERT(uint64_t{offset} + length <= body.size());
    parts.push_back(body.substr(offset, length));
  }
  return parts;
}

class MultipartResponseTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MultipartResponseTest);
  CPPUNIT_TEST(testLayout);
  CPPUNIT_TEST(testPartsRoundTrip);
  CPPUNIT_TEST(testWbxmlAlone);
  CPPUNIT_TEST(testPartNumbersStartAfterWbxml);
  CPPUNIT_TEST(testBodyDataBecomesPart);
  CPPUNIT_TEST_SUITE_END();

 public:
  // The bytes the spec's structure prescribes, spelled out for one part.
  void testLayout() {
    auto body = EncodeMultipart("WB", {"xyz"});
    CPPUNIT_ASSERT(body.ok());
    const std::string expected("\x02\x00\x00\x00"   // PartsCount 2
                               "\x14\x00\x00\x00"   // WBXML at 20
                               "\x02\x00\x00\x00"   // 2 bytes
                               "\x16\x00\x00\x00"   // part 1 at 22
                               "\x03\x00\x00\x00"   // 3 bytes
                               "WBxyz", 25);
    CPPUNIT_ASSERT_EQUAL(expected, *body);
  }

  // Binary bytes (NUL, 0xFF, CR LF) and an empty part come back unchanged,
  // in order, back to back after the metadata.
  void testPartsRoundTrip() {
    std::string binary;
    for (int i = 0; i < 300; ++i) binary += static_cast<char>(i % 256);
    const std::string wbxml("\x03\x01\x6a\x00\x45\x01", 6);
    const std::vector<std::string> parts = {binary, "", std::string(70000, 'q') + "\r\n"};
    auto body = EncodeMultipart(wbxml, parts);
    CPPUNIT_ASSERT(body.ok());
    auto got = Split(*body);
    CPPUNIT_ASSERT_EQUAL(size_t{4}, got.size());
    CPPUNIT_ASSERT_EQUAL(wbxml, got[0]);
    for (size_t i = 0; i < parts.size(); ++i) CPPUNIT_ASSERT_EQUAL(parts[i], got[i + 1]);
    CPPUNIT_ASSERT_EQUAL(size_t{4 + 8 * 4} + wbxml.size() + binary.size() + 70002,
                         body->size());
    CPPUNIT_ASSERT_EQUAL(uint32_t{4 + 8 * 4}, Le32(*body, 4));  // the WBXML right after
  }

  void testWbxmlAlone() {
    auto body = EncodeMultipart("abc", {});
    CPPUNIT_ASSERT(body.ok());
    CPPUNIT_ASSERT_EQUAL(uint32_t{1}, Le32(*body, 0));
    auto got = Split(*body);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, got.size());
    CPPUNIT_ASSERT_EQUAL(std::string("abc"), got[0]);
  }

  // The WBXML is part 0: Part elements count from 1.
  void testPartNumbersStartAfterWbxml() {
    MultipartParts parts;
    CPPUNIT_ASSERT_EQUAL(size_t{1}, parts.Add("first"));
    CPPUNIT_ASSERT_EQUAL(size_t{2}, parts.Add("second"));
    auto got = Split(*EncodeMultipart("w", parts.parts()));
    CPPUNIT_ASSERT_EQUAL(std::string("first"), got[1]);
    CPPUNIT_ASSERT_EQUAL(std::string("second"), got[2]);
  }

  // A contact's or event's Body: Data leaves, Part (its number) comes last,
  // the rest stays.
  void testBodyDataBecomesPart() {
    namespace base = wbxml::tags::base;
    wbxml::Element body{base::kBody, "", false, {}};
    body.children.push_back({base::kType, "1", false, {}});
    body.children.push_back({base::kEstimatedDataSize, "5", false, {}});
    body.children.push_back({base::kData, "hello", false, {}});
    wbxml::Element app{wbxml::tags::airsync::kApplicationData, "", false, {body}};
    MultipartParts parts;
    parts.Add("an attachment before");
    items::MoveBodyDataToPart(app, parts);
    const wbxml::Element& out = app.children[0];
    CPPUNIT_ASSERT(!out.Has(base::kData));
    CPPUNIT_ASSERT(out.ChildText(base::kType) == "1");
    CPPUNIT_ASSERT(out.children.back().tag == wbxml::tags::itemops::kPart);
    CPPUNIT_ASSERT_EQUAL(std::string("2"), out.children.back().text);
    CPPUNIT_ASSERT_EQUAL(std::string("hello"), parts.parts()[1]);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MultipartResponseTest);

}  // namespace
}  // namespace eas::core
