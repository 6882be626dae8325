// MoveItems as core runs it, on a temporary store: the moved item shares
// its blob and keeps its time; the moving device holds the new item and
// owns its Add, another device keeps a tombstone of the old one; every
// refusal has its Status; the same request again is answered from the
// stored answer without a second move; nothing is written (and the thread
// pool is not asked for) when nothing moves.
#include <cppunit/extensions/HelperMacros.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/collection_state.hpp"
#include "core/commands/command.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "core/wbxml/decoder.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::core::commands {
namespace {

namespace ft = folder_type;
namespace mv = wbxml::tags::move;
using storage::FolderId;
using storage::FolderRecord;
using storage::ItemId;
using storage::ItemRecord;
using storage::Must;
using storage::Txn;

struct MoveSpec {
  std::string src_msg_id, src_fld_id, dst_fld_id;
};

struct Answer {
  std::string src_msg_id;
  int status = 0;
  std::string dst_msg_id;  // empty when absent
};

std::string Id(uint64_t id) { return std::to_string(id); }
std::string Sid(FolderId folder, ItemId item) { return Id(folder) + ":" + Id(item); }

class MoveItemsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MoveItemsTest);
  CPPUNIT_TEST(testMoveSharesBlobAndKeepsTime);
  CPPUNIT_TEST(testMovingDeviceHoldsAndOwnsTheNewItem);
  CPPUNIT_TEST(testStatuses);
  CPPUNIT_TEST(testSameRequestAgainIsAnsweredFromTheStore);
  CPPUNIT_TEST(testNothingMovedNeedsNoWrite);
  CPPUNIT_TEST(testMalformed);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char tmpl[] = "/tmp/eas-move-XXXXXX";
    dir_ = mkdtemp(tmpl);
    store_ = storage::MustOpen(dir_);
    alice_ = AddUser("alice");
    bob_ = AddUser("bob");
    for (const auto& f : Folders(alice_.id)) {
      if (f.owner != alice_.id) continue;
      if (f.type == ft::kInbox) inbox_ = f.id;
      if (f.type == ft::kDeletedItems) trash_ = f.id;
      if (f.type == ft::kContacts) contacts_ = f.id;
      if (f.type == ft::kTasks) tasks_ = f.id;
    }
    archive_ = NewFolder(alice_.id, ft::kUserMail, "Archive");
  }
  void tearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void testMoveSharesBlobAndKeepsTime() {
    ItemRecord mail = AddMail(inbox_, "the original message", 1796083200);
    auto answers = Run({{Sid(inbox_, mail.id), Id(inbox_), Id(archive_)}});
    CPPUNIT_ASSERT_EQUAL(size_t{1}, answers.size());
    CPPUNIT_ASSERT_EQUAL(3, answers[0].status);
    CPPUNIT_ASSERT_EQUAL(Sid(inbox_, mail.id), answers[0].src_msg_id);
    const std::string prefix = Id(archive_) + ":";
    CPPUNIT_ASSERT_EQUAL(prefix, answers[0].dst_msg_id.substr(0, prefix.size()));
    const ItemId moved = std::stoull(answers[0].dst_msg_id.substr(prefix.size()));

    ASSERT_OK(store_->Read([&](Txn& txn) {
      CPPUNIT_ASSERT(txn.GetItem(inbox_, mail.id).status().code() == Code::kNotFound);
      ItemRecord copy = Must(txn.GetItem(archive_, moved));
      CPPUNIT_ASSERT_EQUAL(mail.data, copy.data);
      CPPUNIT_ASSERT_EQUAL(mail.blob, copy.blob);  // the same blob, not a copy of its bytes
      CPPUNIT_ASSERT_EQUAL(mail.time, copy.time);
      std::string_view bytes;
      ASSERT_OK(txn.ViewBlob(copy.blob, &bytes));  // outlived the source's delete
      CPPUNIT_ASSERT_EQUAL(std::string("the original message"), std::string(bytes));
      auto by_time = Must(txn.ItemsByTime(archive_, 0, 0, 0, 10));
      CPPUNIT_ASSERT_EQUAL(size_t{1}, by_time.size());
      CPPUNIT_ASSERT(Must(txn.ItemsByTime(inbox_, 0, 0, 0, 10)).empty());
      return Status::Ok();
    }));
    // The moved item holds the only reference: deleting it drops the blob.
    ASSERT_OK(store_->Write([&](Txn& txn) { return txn.DeleteItem(archive_, moved); }));
    ASSERT_OK(store_->Read([&](Txn& txn) {
      std::string_view bytes;
      CPPUNIT_ASSERT(txn.ViewBlob(mail.blob, &bytes).code() == Code::kNotFound);
      return Status::Ok();
    }));
  }

  void testMovingDeviceHoldsAndOwnsTheNewItem() {
    ItemRecord mail = AddMail(inbox_, "bytes", 10);
    ItemRecord second = AddMail(inbox_, "more bytes", 11);
    // PHONE and OTHER both hold the first; PHONE has seen all of the Inbox
    // and the Archive, OTHER does not sync the Archive.
    ASSERT_OK(store_->Write([&](Txn& txn) {
      for (const char* device : {"PHONE", "OTHER"}) {
        Status s = txn.NoteReader(alice_.id, device, inbox_, 1, true);
        if (s.ok()) s = txn.SetHeld(alice_.id, device, inbox_, mail.id, true);
        if (!s.ok()) return s;
      }
      for (FolderId f : {inbox_, archive_}) {
        CollectionState state;
        state.key = 4;
        state.seen_modseq = Must(txn.FolderModseq(f));
        Status s = txn.NoteReader(alice_.id, "PHONE", f, 1, true);
        if (s.ok()) s = txn.PutSyncState(alice_.id, "PHONE", Id(f), EncodeCollectionState(state));
        if (!s.ok()) return s;
      }
      return Status::Ok();
    }));
    auto answers = Run({{Sid(inbox_, mail.id), Id(inbox_), Id(archive_)}});
    CPPUNIT_ASSERT_EQUAL(3, answers[0].status);
    const ItemId moved = std::stoull(answers[0].dst_msg_id.substr(Id(archive_).size() + 1));

    ItemRecord copy;
    ASSERT_OK(store_->Read([&](Txn& txn) {
      CPPUNIT_ASSERT(!Must(txn.IsHeld(alice_.id, "PHONE", inbox_, mail.id)));
      CPPUNIT_ASSERT(Must(txn.IsHeld(alice_.id, "OTHER", inbox_, mail.id)));
      CPPUNIT_ASSERT(Must(txn.IsHeld(alice_.id, "PHONE", archive_, moved)));
      CPPUNIT_ASSERT(!Must(txn.IsHeld(alice_.id, "OTHER", archive_, moved)));
      // OTHER still holds the old item: its Delete is kept for it.
      auto log = Must(txn.ItemChangesSince(inbox_, Must(txn.FolderModseq(inbox_)) - 1, 10));
      CPPUNIT_ASSERT_EQUAL(size_t{1}, log.size());
      CPPUNIT_ASSERT(log[0].kind == storage::ChangeKind::kDelete && log[0].item == mail.id);
      // PHONE had seen everything and still has: its own move wakes no
      // Ping of it. The Add is its own change.
      CollectionState state = State(txn, "PHONE", inbox_);
      CPPUNIT_ASSERT_EQUAL(uint64_t{4}, state.key);
      CPPUNIT_ASSERT_EQUAL(Must(txn.FolderModseq(inbox_)), state.seen_modseq);
      copy = Must(txn.GetItem(archive_, moved));
      state = State(txn, "PHONE", archive_);
      CPPUNIT_ASSERT_EQUAL(uint64_t{4}, state.key);
      CPPUNIT_ASSERT_EQUAL(copy.modseq, state.seen_modseq);
      CPPUNIT_ASSERT(state.own_changes == (std::vector<std::pair<uint64_t, uint64_t>>{
                                              {moved, copy.modseq}}));
      // OTHER has no state of the Archive, and gets none.
      CollectionState none;
      bool found = true;
      ASSERT_OK(LoadCollectionState(txn, alice_.id, "OTHER", Id(archive_), &none, &found));
      CPPUNIT_ASSERT(!found);
      return Status::Ok();
    }));

    // Mail arrives in the Archive: PHONE has not seen everything any more,
    // and its next move there is only its own change.
    AddMail(archive_, "new", 12);
    answers = Run({{Sid(inbox_, second.id), Id(inbox_), Id(archive_)}});
    CPPUNIT_ASSERT_EQUAL(3, answers[0].status);
    const ItemId moved2 = std::stoull(answers[0].dst_msg_id.substr(Id(archive_).size() + 1));
    ASSERT_OK(store_->Read([&](Txn& txn) {
      CollectionState state = State(txn, "PHONE", archive_);
      CPPUNIT_ASSERT_EQUAL(copy.modseq, state.seen_modseq);
      CPPUNIT_ASSERT_EQUAL(size_t{2}, state.own_changes.size());
      CPPUNIT_ASSERT(state.own_changes[1] ==
                     std::make_pair(uint64_t{moved2}, Must(txn.GetItem(archive_, moved2)).modseq));
      CPPUNIT_ASSERT(Must(txn.IsHeld(alice_.id, "PHONE", archive_, moved2)));
      return Status::Ok();
    }));
  }

  void testStatuses() {
    ItemRecord mail = AddMail(inbox_, "bytes", 10);
    ItemRecord contact = AddItem(contacts_);
    const FolderId bobs_inbox = InboxOf(bob_.id);
    const FolderId read_only = NewFolder(bob_.id, ft::kUserContacts, "Board",
                                         {{alice_.id, storage::Rights::kRead}});
    const FolderId read_write = NewFolder(bob_.id, ft::kUserContacts, "Team",
                                          {{alice_.id, storage::Rights::kReadWrite}});
    ItemRecord shared = AddItem(read_only);
    const std::string m = Sid(inbox_, mail.id), c = Sid(contacts_, contact.id);
    auto answers = Run({
        {Sid(inbox_, 999999), Id(inbox_), Id(archive_)},          // no such item
        {Sid(archive_, mail.id), Id(inbox_), Id(archive_)},       // an item of another folder
        {m, "999999", Id(archive_)},                              // no such folder
        {m, Id(bobs_inbox), Id(archive_)},                        // bob's, not shared
        {m, Id(inbox_), "999999"},                                // no such destination
        {m, Id(inbox_), Id(bobs_inbox)},                          // bob's, not shared
        {m, Id(inbox_), "not-a-number"},
        {m, Id(inbox_), Id(inbox_)},                              // the same folder
        {m, Id(inbox_), Id(contacts_)},                           // mail into contacts
        {c, Id(contacts_), Id(tasks_)},                           // a contact into tasks
        {c, Id(contacts_), Id(read_only)},                        // a read-only share
        {Sid(read_only, shared.id), Id(read_only), Id(contacts_)},  // ... either way
        {c, Id(contacts_), Id(read_write)},                       // a read-write share: fine
        {m, Id(inbox_), Id(trash_)},                              // fine
        {m, Id(inbox_), Id(archive_)},                            // moved away just now
    });
    std::vector<int> statuses;
    for (const Answer& a : answers) statuses.push_back(a.status);
    const std::vector<int> want = {1, 1, 1, 1, 2, 2, 2, 4, 5, 5, 7, 7, 3, 3, 1};
    CPPUNIT_ASSERT(statuses == want);
    for (const Answer& a : answers) CPPUNIT_ASSERT_EQUAL(a.status == 3, !a.dst_msg_id.empty());
    CPPUNIT_ASSERT(response_.log.size() == 1);
    CPPUNIT_ASSERT(response_.log[0].text.find("MoveItems: 13 of 15 not moved: ") == 0);
    CPPUNIT_ASSERT(response_.log[0].text.find("Status 7 (folder " + Id(read_only) +
                                              " is read-only for alice)") != std::string::npos);
    ASSERT_OK(store_->Read([&](Txn& txn) {
      CPPUNIT_ASSERT_EQUAL(size_t{1}, Must(txn.ItemsAfter(read_write, 0, 10)).size());
      CPPUNIT_ASSERT_EQUAL(size_t{1}, Must(txn.ItemsAfter(trash_, 0, 10)).size());
      CPPUNIT_ASSERT(Must(txn.ItemsAfter(inbox_, 0, 10)).empty());
      CPPUNIT_ASSERT(Must(txn.ItemsAfter(contacts_, 0, 10)).empty());
      CPPUNIT_ASSERT_EQUAL(size_t{1}, Must(txn.ItemsAfter(read_only, 0, 10)).size());
      return Status::Ok();
    }));
  }

  void testSameRequestAgainIsAnsweredFromTheStore() {
    ItemRecord mail = AddMail(inbox_, "bytes", 10);
    const std::vector<MoveSpec> moves = {{Sid(inbox_, mail.id), Id(inbox_), Id(archive_)},
                                         {Sid(inbox_, 999999), Id(inbox_), Id(archive_)}};
    Run(moves);
    const std::string first = response_.body;
    // Again, on the event loop: answered there, from the store.
    Run(moves, /*may_block=*/false);
    CPPUNIT_ASSERT(!response_.needs_blocking);
    CPPUNIT_ASSERT(first == response_.body);
    CPPUNIT_ASSERT(response_.log.size() == 1 &&
                   response_.log[0].text.find("the same request again") != std::string::npos);
    ASSERT_OK(store_->Read([&](Txn& txn) {
      CPPUNIT_ASSERT_EQUAL(size_t{1}, Must(txn.ItemsAfter(archive_, 0, 10)).size());
      return Status::Ok();
    }));
    // The same request from another device is its own: the item is gone.
    auto answers = Run(moves, true, "OTHER");
    CPPUNIT_ASSERT_EQUAL(1, answers[0].status);
    // A different request in between makes the first one new again.
    ItemRecord more = AddMail(inbox_, "more", 11);
    Run({{Sid(inbox_, 999999), Id(inbox_), Id(archive_)}, {Sid(inbox_, more.id), Id(inbox_), Id(trash_)}});
    answers = Run(moves);
    CPPUNIT_ASSERT_EQUAL(1, answers[0].status);
    CPPUNIT_ASSERT(first != response_.body);
  }

  void testNothingMovedNeedsNoWrite() {
    ItemRecord mail = AddMail(inbox_, "bytes", 10);
    // Only refusals: answered on the event loop, and not remembered.
    auto answers = Run({{Sid(inbox_, mail.id), Id(inbox_), Id(inbox_)}}, false);
    CPPUNIT_ASSERT(!response_.needs_blocking);
    CPPUNIT_ASSERT_EQUAL(4, answers[0].status);
    ASSERT_OK(store_->Read([&](Txn& txn) {
      CPPUNIT_ASSERT(txn.GetSyncState(alice_.id, "PHONE", "moveitems").status().code() ==
                     Code::kNotFound);
      return Status::Ok();
    }));
    // A move goes to the thread pool, untouched until it gets there.
    Run({{Sid(inbox_, mail.id), Id(inbox_), Id(archive_)}}, false);
    CPPUNIT_ASSERT(response_.needs_blocking);
    CPPUNIT_ASSERT(response_.body.empty());
    ASSERT_OK(store_->Read([&](Txn& txn) { return txn.GetItem(inbox_, mail.id).status(); }));
  }

  void testMalformed() {
    wbxml::Writer w;
    w.Start(mv::kMoveItems);
    w.Start(mv::kMove);
    w.Element(mv::kSrcMsgId, "1:1");
    w.Element(mv::kSrcFldId, "1");
    w.End();
    w.End();
    const std::string no_destination = w.Take();
    for (int version : {141, 160}) {
      RunBody(no_destination, version);
      CPPUNIT_ASSERT_EQUAL(200, response_.http_status);
      CPPUNIT_ASSERT(response_.body == StatusAnswer(mv::kMoveItems, mv::kStatus, 103));
    }
    RunBody(no_destination, 121);
    CPPUNIT_ASSERT_EQUAL(400, response_.http_status);
    CPPUNIT_ASSERT(response_.body.empty());
    wbxml::Writer empty;
    empty.Empty(mv::kMoveItems);
    RunBody(empty.Take(), 141);
    CPPUNIT_ASSERT(response_.body == StatusAnswer(mv::kMoveItems, mv::kStatus, 103));
    CPPUNIT_ASSERT(response_.log.size() == 1 && response_.log[0].level == LogLevel::kWarn);
  }

 private:
  storage::UserRecord AddUser(const std::string& name) {
    return storage::WriteValue<storage::UserRecord>(*store_, [&](Txn& txn) {
      return CreateUserWithDefaultFolders(txn, storage::NewUser(name));
    });
  }
  std::vector<FolderRecord> Folders(storage::UserId user) {
    return storage::ReadValue<std::vector<FolderRecord>>(
        *store_, [&](Txn& txn) { return txn.VisibleFolders(user); });
  }
  FolderId InboxOf(storage::UserId user) {
    for (const auto& f : Folders(user)) {
      if (f.owner == user && f.type == ft::kInbox) return f.id;
    }
    return 0;
  }
  FolderId NewFolder(storage::UserId owner, storage::FolderKind type, const std::string& name,
                     std::vector<storage::AclEntry> acl = {}) {
    FolderRecord f;
    f.owner = owner;
    f.type = type;
    f.name = name;
    f.acl = std::move(acl);
    return storage::WriteValue<FolderRecord>(*store_, [&](Txn& txn) {
             return txn.CreateFolder(f);
           }).id;
  }
  ItemRecord AddMail(FolderId folder, const std::string& bytes, uint64_t time) {
    return storage::WriteValue<ItemRecord>(*store_, [&](Txn& txn) -> Result<ItemRecord> {
      auto blob = txn.PutBlob(alice_.id, "", bytes);
      if (!blob.ok()) return blob.status();
      ItemRecord item;
      item.folder = folder;
      item.data = "mail state of " + bytes;
      item.blob = *blob;
      item.time = time;
      return txn.PutItem(item);
    });
  }
  ItemRecord AddItem(FolderId folder) {
    return storage::WriteValue<ItemRecord>(*store_, [&](Txn& txn) {
      ItemRecord item;
      item.folder = folder;
      item.data = "tokens";
      return txn.PutItem(item);
    });
  }

  CollectionState State(Txn& txn, const std::string& device, FolderId folder) {
    CollectionState state;
    bool found = false;
    ASSERT_OK(LoadCollectionState(txn, alice_.id, device, Id(folder), &state, &found));
    CPPUNIT_ASSERT(found);
    return state;
  }

  // Runs the handler for alice's `device` on `body`; the answer is in response_.
  void RunBody(const std::string& body, int version, bool may_block = true,
               const std::string& device = "PHONE") {
    request_ = Request();
    request_.body = body;
    request_.now = 1796083200;
    query_ = Query();
    query_.cmd = "MoveItems";
    response_ = Response();
    CommandContext ctx(request_, query_, *store_, alice_, device, version, may_block, response_);
    wbxml::Element tree;
    ASSERT_OK(wbxml::Decode(body, &tree));
    ctx.body = &tree;
    MoveItems(ctx);
  }

  std::vector<Answer> Run(const std::vector<MoveSpec>& moves, bool may_block = true,
                          const std::string& device = "PHONE") {
    wbxml::Writer w;
    w.Start(mv::kMoveItems);
    for (const MoveSpec& m : moves) {
      w.Start(mv::kMove);
      w.Element(mv::kSrcMsgId, m.src_msg_id);
      w.Element(mv::kSrcFldId, m.src_fld_id);
      w.Element(mv::kDstFldId, m.dst_fld_id);
      w.End();
    }
    w.End();
    body_ = w.Take();
    RunBody(body_, 141, may_block, device);
    std::vector<Answer> answers;
    if (response_.body.empty()) return answers;
    CPPUNIT_ASSERT_EQUAL(200, response_.http_status);
    wbxml::Element tree = Must(wbxml::Decode(response_.body));
    CPPUNIT_ASSERT(tree.tag == mv::kMoveItems);
    for (const wbxml::Element* r : tree.Children(mv::kResponse)) {
      Answer a;
      a.src_msg_id = r->ChildText(mv::kSrcMsgId);
      a.status = std::stoi(std::string(r->ChildText(mv::kStatus)));
      a.dst_msg_id = r->ChildText(mv::kDstMsgId);
      answers.push_back(a);
    }
    CPPUNIT_ASSERT_EQUAL(moves.size(), answers.size());
    return answers;
  }

  std::string dir_;
  std::unique_ptr<storage::Store> store_;
  storage::UserRecord alice_, bob_;
  FolderId inbox_ = 0, trash_ = 0, contacts_ = 0, tasks_ = 0, archive_ = 0;
  Request request_;
  Query query_;
  Response response_;
  std::string body_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MoveItemsTest);

}  // namespace
}  // namespace eas::core::commands
