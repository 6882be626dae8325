// A message as a mail-folder item: its stored form (a flag change keeps the
// record byte for byte), attachment references, which body a client gets,
// how addresses and subjects are shown, and delivery into a real store
// (recipients resolved, a second hand-over stored once, copies share the
// original bytes).
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>
#include <string>

#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "core/items/email_body.hpp"
#include "core/items/email_render.hpp"
#include "core/items/item_class.hpp"
#include "core/items/item_data.hpp"
#include "core/mail/delivery.hpp"
#include "core/mail/file_reference.hpp"
#include "core/mail/mail_item.hpp"
#include "core/mail/part_content.hpp"
#include "core/util/html_escape.hpp"
#include "core/wbxml/decoder.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {
namespace {

const std::string kMessage =
    "From: Alice Example <alice@example.com>\r\n"
    "To: Bob <bob@example.org>\r\n"
    "Subject: Re: AW: Lunch\r\n"
    "Message-ID: <lunch-1@example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative; boundary=b\r\n"
    "\r\n"
    "--b\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Noon at the caf\xc3\xa9?\r\n"
    "--b\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>Noon at the <b>caf\xc3\xa9</b>?</p>\r\n"
    "--b--\r\n";

class MailItemTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MailItemTest);
  CPPUNIT_TEST(testItemRoundTrip);
  CPPUNIT_TEST(testStateChangeKeepsRecordBytes);
  CPPUNIT_TEST(testNotAMailItem);
  CPPUNIT_TEST(testFileReference);
  CPPUNIT_TEST(testDecodedPart);
  CPPUNIT_TEST(testBodyChoice);
  CPPUNIT_TEST(testAddressesAndTopic);
  CPPUNIT_TEST(testClientChangeTouchesOnlyState);
  CPPUNIT_TEST(testDeliveryResolvesAndStoresOnce);
  CPPUNIT_TEST(testDeletedCopySharesBytes);
  CPPUNIT_TEST(testTextAsHtmlCut);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char tmpl[] = "/tmp/eas-mail-item-XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto store = storage::Store::Open(dir_);
    CPPUNIT_ASSERT(store.ok());
    store_ = std::move(store).value();
    CPPUNIT_ASSERT(store_->Write([&](storage::Txn& txn) {
      storage::UserRecord bob;
      bob.name = "bob";
      bob.addresses = {"Bob@Example.org", "robert@example.net"};
      return CreateUserWithDefaultFolders(txn, bob).status();
    }).ok());
  }
  void tearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static MailItem Item() {
    auto record = BuildMessageRecord(kMessage, 1800000000);
    CPPUNIT_ASSERT(record.ok());
    MailItem item;
    item.message = std::move(*record);
    item.state.read = true;
    item.state.categories = {"Work", "Lunch"};
    item.state.last_verb = LastVerb::kReplyToAll;
    item.state.last_verb_time = 1800000100;
    return item;
  }

  void testItemRoundTrip() {
    MailItem item = Item();
    auto back = DecodeMailItem(EncodeMailItem(item));
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT(*back == item);
  }

  void testStateChangeKeepsRecordBytes() {
    MailItem item = Item();
    const std::string stored = EncodeMailItem(item);
    MailState state = item.state;
    state.read = false;
    state.categories.clear();
    auto changed = ReplaceMailState(stored, state);
    CPPUNIT_ASSERT(changed.ok());
    auto back = DecodeMailItem(*changed);
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT(back->state == state);
    CPPUNIT_ASSERT(back->message == item.message);
    // The record's bytes are carried over, not re-encoded.
    const std::string record = EncodeMessageRecord(item.message);
    CPPUNIT_ASSERT(changed->ends_with(record));
  }

  void testNotAMailItem() {
    CPPUNIT_ASSERT(!DecodeMailItem("").ok());
    CPPUNIT_ASSERT(!DecodeMailItem("eas-mail-item-1 9").ok());
    CPPUNIT_ASSERT(!DecodeMailState("\x03\x01\x6a\x00").ok());
    std::string stored = EncodeMailItem(Item());
    CPPUNIT_ASSERT(!DecodeMailItem(stored.substr(0, stored.size() - 3)).ok());
  }

  void testFileReference() {
    FileReference ref{12, 345, 2};
    CPPUNIT_ASSERT_EQUAL(std::string("12:345:2"), FormatFileReference(ref));
    CPPUNIT_ASSERT(ParseFileReference("12:345:2") == ref);
    for (const char* bad : {"", "12:345", "12:345:", "12::2", "a:1:2", "12:345:2:1", "012:345:2",
                            "12:345:-1", "12:345:99999999999", " 12:345:2"}) {
      CPPUNIT_ASSERT_MESSAGE(bad, !ParseFileReference(bad).has_value());
    }
  }

  void testDecodedPart() {
    const std::string raw = "head\r\n\r\naGVsbG8gd29y\r\nbGQ=\r\nCaf=C3=A9 =3D=\r\n ok\r\nplain";
    Part b64{8, 18, "application/octet-stream", "base64", "", 11, "", "", Disposition::kAttachment};
    auto bytes = DecodedPart(raw, b64);
    CPPUNIT_ASSERT(bytes.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("hello world"), *bytes);
    Part qp{28, 19, "text/plain", "Quoted-Printable", "utf-8", 0, "", "", Disposition::kNone};
    bytes = DecodedPart(raw, qp);
    CPPUNIT_ASSERT(bytes.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("Caf\xc3\xa9 = ok"), *bytes);
    Part plain{49, 5, "text/plain", "7bit", "", 5, "", "", Disposition::kNone};
    CPPUNIT_ASSERT_EQUAL(std::string("plain"), *DecodedPart(raw, plain));
    Part outside{50, 100, "text/plain", "", "", 0, "", "", Disposition::kNone};
    CPPUNIT_ASSERT(!DecodedPart(raw, outside).ok());
  }

  void testBodyChoice() {
    MailItem item = Item();
    items::RenderOptions o;
    items::EmailBody b;
    // No preference: plain text.
    items::ChooseEmailBody(item.message, "raw", o, b);
    CPPUNIT_ASSERT_EQUAL(1, b.type);
    CPPUNIT_ASSERT_EQUAL(std::string_view(item.message.text_body), b.full);
    // HTML asked and there: HTML; asked with plain too: still HTML.
    o.body_preferences = {{1, 0, false, 0}, {2, 512, false, 0}};
    items::EmailBody h;
    items::ChooseEmailBody(item.message, "raw", o, h);
    CPPUNIT_ASSERT_EQUAL(2, h.type);
    CPPUNIT_ASSERT_EQUAL(uint64_t{512}, h.preference->truncation_size);
    // MIME asked without MIMESupport: not MIME.
    o.body_preferences = {{4, 0, false, 0}, {1, 0, false, 0}};
    items::EmailBody m;
    items::ChooseEmailBody(item.message, "raw", o, m);
    CPPUNIT_ASSERT_EQUAL(1, m.type);
    o.mime_support = 2;
    items::EmailBody m2;
    items::ChooseEmailBody(item.message, "raw", o, m2);
    CPPUNIT_ASSERT_EQUAL(4, m2.type);
    CPPUNIT_ASSERT_EQUAL(std::string_view("raw"), m2.full);
    // Plain-only mail asked for HTML only gets its text as HTML.
    MailItem plain = item;
    plain.message.html_body.clear();
    plain.message.text_body = "a < b\nc";
    o = {};
    o.body_preferences = {{2, 0, false, 0}};
    items::EmailBody p;
    items::ChooseEmailBody(plain.message, "", o, p);
    CPPUNIT_ASSERT_EQUAL(2, p.type);
    CPPUNIT_ASSERT(p.full.find("a &lt; b<br>") != std::string_view::npos);
    // S/MIME goes only as MIME, whatever was asked.
    MailItem smime = item;
    smime.message.message_class = "IPM.Note.SMIME";
    items::EmailBody s;
    items::ChooseEmailBody(smime.message, "raw", o, s);
    CPPUNIT_ASSERT_EQUAL(4, s.type);
  }

  void testAddressesAndTopic() {
    std::vector<Address> list = {{"Carol, C.", "carol@example.org"},
                                 {"", "dave@example.org"},
                                 {"Say \"hi\"", "e@example.org"}};
    CPPUNIT_ASSERT_EQUAL(std::string("\"Carol, C.\" <carol@example.org>, dave@example.org, "
                                     "\"Say \\\"hi\\\"\" <e@example.org>"),
                         items::FormatAddresses(list));
    CPPUNIT_ASSERT_EQUAL(std::string("Carol, C.; dave@example.org; Say \"hi\""),
                         items::DisplayNames(list));
    CPPUNIT_ASSERT_EQUAL(std::string_view("Lunch"), items::ThreadTopic("Re: AW: Lunch"));
    CPPUNIT_ASSERT_EQUAL(std::string_view("Lunch"), items::ThreadTopic("FWD: re:Lunch"));
    CPPUNIT_ASSERT_EQUAL(std::string_view("Note: this"), items::ThreadTopic("Note: this"));
    CPPUNIT_ASSERT_EQUAL(std::string_view("Plain"), items::ThreadTopic("Plain"));
  }

  void testClientChangeTouchesOnlyState() {
    const items::ItemClass& email = items::EmailClass();
    CPPUNIT_ASSERT(!email.ClientMayAdd());
    const std::string stored = EncodeMailItem(Item());
    // <ApplicationData><Read>0</Read><Flag><FlagStatus>2</FlagStatus></Flag>
    // <Categories/></ApplicationData>, built as a client would send it.
    namespace e = wbxml::tags::email;
    wbxml::Writer w;
    w.Start(wbxml::tags::airsync::kApplicationData);
    w.Element(e::kRead, "0");
    w.Start(e::kFlag);
    w.Element(e::kFlagStatus, "2");
    w.Element(e::kFlagType, "Flag for follow up");
    w.End();
    w.Empty(e::kCategories);
    w.End();
    auto doc = wbxml::Decode(w.Take());
    CPPUNIT_ASSERT(doc.ok());
    auto changed = email.ApplyChange(stored, *doc, "", items::ChangeRules{});
    CPPUNIT_ASSERT(changed.ok());
    auto back = DecodeMailItem(*changed);
    CPPUNIT_ASSERT(back.ok());
    CPPUNIT_ASSERT(!back->state.read);
    CPPUNIT_ASSERT(back->state.categories.empty());
    CPPUNIT_ASSERT(!back->state.flag.empty());
    CPPUNIT_ASSERT(back->message == Item().message);
    auto flag = items::DecodeItemData(back->state.flag);
    CPPUNIT_ASSERT(flag.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("2"), std::string(flag->ChildText(e::kFlagStatus)));
  }

  void testDeliveryResolvesAndStoresOnce() {
    auto prepared = PrepareMessage(kMessage, 1800000000);
    CPPUNIT_ASSERT(prepared.ok());
    for (const char* who : {"bob", "BOB@example.org", "robert@EXAMPLE.net", "<bob@example.org>",
                            "bob@example.net"}) {
      std::string name;
      CPPUNIT_ASSERT(store_->Read([&](storage::Txn& txn) {
        auto u = ResolveRecipient(txn, who);
        if (u.ok()) name = u->name;
        return u.status();
      }).ok());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(who, std::string("bob"), name);
    }
    for (const char* who : {"alice", "bob@elsewhere.com", "robert"}) {
      Status s = store_->Read([&](storage::Txn& txn) { return ResolveRecipient(txn, who).status(); });
      CPPUNIT_ASSERT_MESSAGE(who, s.code() == Code::kNotFound);
    }
    std::vector<Stored> outcomes;
    for (int i = 0; i < 2; ++i) {
      CPPUNIT_ASSERT(store_->Write([&](storage::Txn& txn) -> Status {
        auto user = ResolveRecipient(txn, "bob");
        auto inbox = DeliveryFolder(txn, *user, "INBOX");
        if (!inbox.ok()) return inbox.status();
        auto stored = StoreMessage(txn, *user, *inbox, *prepared);
        if (stored.ok()) outcomes.push_back(*stored);
        return stored.status();
      }).ok());
    }
    CPPUNIT_ASSERT(outcomes == std::vector<Stored>({Stored::kNew, Stored::kDuplicate}));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, InboxItems().size());
    const storage::ItemRecord item = InboxItems().front();
    CPPUNIT_ASSERT_EQUAL(uint64_t{1800000000}, item.time);
    std::string raw;
    CPPUNIT_ASSERT(store_->Read([&](storage::Txn& txn) {
      std::string_view view;
      Status s = txn.ViewBlob(item.blob, &view);
      raw = view;
      return s;
    }).ok());
    CPPUNIT_ASSERT_EQUAL(kMessage, raw);
    // Unknown folders are no folder; the Inbox has any spelling.
    Status s = store_->Read([&](storage::Txn& txn) -> Status {
      auto user = ResolveRecipient(txn, "bob");
      if (auto f = DeliveryFolder(txn, *user, "inbox"); !f.ok()) return f.status();
      return DeliveryFolder(txn, *user, "Nonesuch").status();
    });
    CPPUNIT_ASSERT(s.code() == Code::kNotFound);
  }

  void testDeletedCopySharesBytes() {
    auto prepared = PrepareMessage(kMessage, 1800000000);
    CPPUNIT_ASSERT(prepared.ok());
    CPPUNIT_ASSERT(store_->Write([&](storage::Txn& txn) -> Status {
      auto user = ResolveRecipient(txn, "bob");
      auto inbox = DeliveryFolder(txn, *user, "");
      return StoreMessage(txn, *user, *inbox, *prepared).status();
    }).ok());
    const storage::ItemRecord item = InboxItems().front();
    // A client's Delete (DeletesAsMoves): the copy in Deleted Items keeps
    // the bytes after the Inbox's item is gone; the last one takes them.
    storage::FolderId deleted_items = 0;
    CPPUNIT_ASSERT(store_->Write([&](storage::Txn& txn) -> Status {
      auto inbox = txn.GetFolder(item.folder);
      Status s = items::EmailClass().BeforeDelete(txn, *inbox, item, true);
      if (s.ok()) s = txn.DeleteItem(item.folder, item.id);
      auto user = ResolveRecipient(txn, "bob");
      auto trash = DeliveryFolder(txn, *user, "Deleted Items");
      if (trash.ok()) deleted_items = trash->id;
      return s.ok() ? trash.status() : s;
    }).ok());
    std::vector<storage::ItemRecord> copies;
    CPPUNIT_ASSERT(store_->Read([&](storage::Txn& txn) -> Status {
      auto items = txn.ItemsAfter(deleted_items, 0, 10);
      if (items.ok()) copies = *items;
      return items.status();
    }).ok());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, copies.size());
    CPPUNIT_ASSERT_EQUAL(item.blob, copies[0].blob);
    CPPUNIT_ASSERT_EQUAL(item.time, copies[0].time);
    CPPUNIT_ASSERT(store_->Write([&](storage::Txn& txn) {
      return txn.DeleteItem(deleted_items, copies[0].id);
    }).ok());
    Status gone = store_->Read([&](storage::Txn& txn) {
      std::string_view view;
      return txn.ViewBlob(item.blob, &view);
    });
    CPPUNIT_ASSERT(gone.code() == Code::kNotFound);
  }

 private:
  std::vector<storage::ItemRecord> InboxItems() {
    std::vector<storage::ItemRecord> out;
    CPPUNIT_ASSERT(store_->Read([&](storage::Txn& txn) -> Status {
      auto user = ResolveRecipient(txn, "bob");
      auto inbox = DeliveryFolder(txn, *user, "");
      if (!inbox.ok()) return inbox.status();
      auto items = txn.ItemsAfter(inbox->id, 0, 100);
      if (items.ok()) out = *items;
      return items.status();
    }).ok());
    return out;
  }

  std::string dir_;
  std::unique_ptr<storage::Store> store_;

  // HTML made from plain text, cut at every length: the bytes of the
  // character-at-a-time form (each character whole, the tail only after
  // the last), with runs between the special characters copied at once.
  void testTextAsHtmlCut() {
    using items::TextAsHtml;
    using items::TextAsHtmlSize;
    const std::string text = "Tom & \"Jerry\" <b>\r\nline two\r\n\r\n&&<<>>end";
    const std::string head = "<html><body><div>", tail = "</div></body></html>";
    const std::string full = head + "Tom &amp; &quot;Jerry&quot; &lt;b&gt;<br>\nline two<br>\n<br>\n"
                             "&amp;&amp;&lt;&lt;&gt;&gt;end" + tail;
    CPPUNIT_ASSERT_EQUAL(full, TextAsHtml(text));
    CPPUNIT_ASSERT_EQUAL(full.size(), TextAsHtmlSize(text));
    for (size_t max = 0; max <= full.size() + 2; ++max) {
      std::string want = head;
      size_t i = 0;
      for (; i < text.size() && want.size() < max; ++i) {
        const std::string_view as = util::HtmlFor(text[i]);
        if (as.data() == nullptr) {
          want += text[i];
        } else {
          want += as;
        }
      }
      if (i == text.size()) want += tail;
      CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(max), want, TextAsHtml(text, max));
    }
    CPPUNIT_ASSERT_EQUAL(head + tail, TextAsHtml(""));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MailItemTest);

}  // namespace
}  // namespace eas::core::mail
