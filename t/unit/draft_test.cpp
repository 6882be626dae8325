// A 16.x draft (core/mail/draft.hpp): its fields made into a message and
// read back from the record the store keeps, attachments byte for byte in
// their order, the Bcc kept beside the record (the draft's state), and
// old items' stored form still read.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/mail/draft.hpp"
#include "core/mail/mail_item.hpp"
#include "core/mail/mime_record.hpp"

namespace eas::core::mail {
namespace {

class DraftTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DraftTest);
  CPPUNIT_TEST(testMessageFromFields);
  CPPUNIT_TEST(testReadBack);
  CPPUNIT_TEST(testDraftStateRoundTrip);
  CPPUNIT_TEST_SUITE_END();

 public:
  static Draft Sample() {
    Draft d;
    d.to = "Bob <bob@example.org>";
    d.cc = "rita@elsewhere.example";
    d.bcc = "carol@example.org";
    d.subject = "Caf\xc3\xa9 on Friday";
    d.importance = Importance::kHigh;
    d.body = "Noon?\nOr one.";
    d.attachments.push_back({"text/plain", "", "notes.txt", "", false, "first"});
    d.attachments.push_back({"application/octet-stream", "", "x.bin", "", false,
                             std::string("\x00\x01\xff", 3)});
    return d;
  }

  void testMessageFromFields() {
    auto raw = DraftMessage(Sample(), {"Alice Liddell", "alice@example.org"}, 1800000000);
    CPPUNIT_ASSERT(raw.ok());
    // 8-bit header text encoded, Bcc kept, From and Message-ID filled in.
    CPPUNIT_ASSERT(raw->find("Subject: =?") != std::string::npos);
    CPPUNIT_ASSERT(raw->find("Bcc: carol@example.org\r\n") != std::string::npos);
    CPPUNIT_ASSERT(raw->find("From: Alice Liddell <alice@example.org>") != std::string::npos);
    CPPUNIT_ASSERT(raw->find("Message-Id: <") != std::string::npos ||
                   raw->find("Message-ID: <") != std::string::npos);
    CPPUNIT_ASSERT(raw->find("Importance: high") != std::string::npos);
  }

  void testReadBack() {
    const Draft d = Sample();
    auto raw = DraftMessage(d, {"", "alice@example.org"}, 1800000000);
    CPPUNIT_ASSERT(raw.ok());
    auto record = BuildMessageRecord(*raw, 1800000000);
    CPPUNIT_ASSERT(record.ok());
    MailItem item;
    item.message = *record;
    item.state.draft = true;
    item.state.bcc = d.bcc;
    auto back = ReadDraft(item, *raw);
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT_EQUAL(d.subject, back->subject);
    CPPUNIT_ASSERT_EQUAL(d.bcc, back->bcc);
    CPPUNIT_ASSERT(back->importance == Importance::kHigh);
    CPPUNIT_ASSERT(!back->html);
    CPPUNIT_ASSERT(back->body.find("Or one.") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, back->attachments.size());
    CPPUNIT_ASSERT_EQUAL(std::string("notes.txt"), back->attachments[0].file_name);
    CPPUNIT_ASSERT_EQUAL(std::string("first"), back->attachments[0].bytes);
    CPPUNIT_ASSERT_EQUAL(std::string("\x00\x01\xff", 3), back->attachments[1].bytes);
    // The second attachment's part in the record is the one named x.bin.
    const int part = AttachmentPartIndex(*record, 1);
    CPPUNIT_ASSERT(part > 0);
    CPPUNIT_ASSERT_EQUAL(std::string("x.bin"), record->parts[static_cast<size_t>(part)].file_name);
    CPPUNIT_ASSERT_EQUAL(-1, AttachmentPartIndex(*record, 2));
  }

  void testDraftStateRoundTrip() {
    auto record = BuildMessageRecord("Subject: s\r\n\r\nbody\r\n", 1800000000);
    CPPUNIT_ASSERT(record.ok());
    MailItem item;
    item.message = *record;
    item.state.read = true;
    item.state.draft = true;
    item.state.bcc = "carol@example.org, \"D\" <d@example.org>";
    auto back = DecodeMailItem(EncodeMailItem(item));
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT(*back == item);
    auto state = DecodeMailState(EncodeMailItem(item));
    CPPUNIT_ASSERT(state.ok() && state->draft && state->bcc == item.state.bcc);
    // A message that is no draft keeps the form stored before drafts.
    item.state.draft = false;
    item.state.bcc.clear();
    const std::string plain = EncodeMailItem(item);
    CPPUNIT_ASSERT(plain.starts_with("eas-mail-item-1"));
    auto plain_back = DecodeMailItem(plain);
    CPPUNIT_ASSERT(plain_back.ok() && !plain_back->state.draft);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DraftTest);

}  // namespace
}  // namespace eas::core::mail
