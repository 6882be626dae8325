// FolderSync state: the stored form, and the net folder changes a device is
// told about (own changes skipped, add+delete collapsed, shares included).
#include <cppunit/extensions/HelperMacros.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>

#include "core/commands/hierarchy.hpp"
#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "core/hierarchy_state.hpp"
#include "storage/store.hpp"

namespace eas::core {
namespace {

using storage::FolderRecord;
using storage::Txn;

class HierarchyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HierarchyTest);
  CPPUNIT_TEST(testStateRoundTrip);
  CPPUNIT_TEST(testCorruptStateIsNoState);
  CPPUNIT_TEST(testInitialSyncOffersVisibleFolders);
  CPPUNIT_TEST(testNetChanges);
  CPPUNIT_TEST(testOwnChangesAreSkipped);
  CPPUNIT_TEST(testShareAndRevoke);
  CPPUNIT_TEST(testHiddenFolderIsNoNews);
  CPPUNIT_TEST(testTrimKeepsWhatDevicesNeed);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char tmpl[] = "/tmp/eas-hierarchy-XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto store = storage::Store::Open(dir_);
    CPPUNIT_ASSERT(store.ok());
    store_ = std::move(store).value();
    alice_ = AddUser("alice");
    bob_ = AddUser("bob");
  }
  void tearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void testStateRoundTrip() {
    HierarchyState s;
    s.key = 7;
    s.seen_seq = 42;
    s.own_seqs = {43, 44};
    s.last_request_key = "6";
    s.last_response = std::string("\x03\x01\x6a\x00\x00 binary", 12);
    auto back = DecodeHierarchyState(EncodeHierarchyState(s));
    CPPUNIT_ASSERT(back.has_value());
    CPPUNIT_ASSERT_EQUAL(uint64_t{7}, back->key);
    CPPUNIT_ASSERT_EQUAL(uint64_t{42}, back->seen_seq);
    CPPUNIT_ASSERT(back->own_seqs == s.own_seqs);
    CPPUNIT_ASSERT_EQUAL(s.last_request_key, back->last_request_key);
    CPPUNIT_ASSERT_EQUAL(s.last_response, back->last_response);
    CPPUNIT_ASSERT_EQUAL(std::string("7"), back->KeyString());
  }

  void testCorruptStateIsNoState() {
    HierarchyState s;
    s.key = 3;
    s.last_response = "abc";
    std::string bytes = EncodeHierarchyState(s);
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
      CPPUNIT_ASSERT(!DecodeHierarchyState(bytes.substr(0, cut)).has_value());
    }
    CPPUNIT_ASSERT(!DecodeHierarchyState("H1 1 2 99999999999 1").has_value());
    CPPUNIT_ASSERT(!DecodeHierarchyState(bytes + "x").has_value());
  }

  void testInitialSyncOffersVisibleFolders() {
    auto changes = Changes(alice_, nullptr);
    CPPUNIT_ASSERT_EQUAL(size_t{9}, changes.added.size());
    CPPUNIT_ASSERT(changes.updated.empty() && changes.deleted.empty());
    // a hidden folder (collected addresses) is never offered
    MakeFolder(alice_, "Collected", folder_type::kUserContacts, true);
    CPPUNIT_ASSERT_EQUAL(size_t{9}, Changes(alice_, nullptr).added.size());
  }

  void testNetChanges() {
    HierarchyState seen = Seen(alice_);
    auto kept = MakeFolder(alice_, "Kept", folder_type::kUserContacts);
    auto gone = MakeFolder(alice_, "Gone", folder_type::kUserCalendar);
    Write([&](Txn& txn) { return txn.DeleteFolder(gone.id); });
    auto changes = Changes(alice_, &seen);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, changes.added.size());
    CPPUNIT_ASSERT_EQUAL(kept.id, changes.added[0].id);
    CPPUNIT_ASSERT(changes.deleted.empty());  // added and gone: never known

    seen = Seen(alice_);
    kept.name = "Renamed";
    Write([&](Txn& txn) { return txn.UpdateFolder(kept); });
    changes = Changes(alice_, &seen);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, changes.updated.size());
    CPPUNIT_ASSERT_EQUAL(std::string("Renamed"), changes.updated[0].name);

    seen = Seen(alice_);
    Write([&](Txn& txn) { return txn.DeleteFolder(kept.id); });
    changes = Changes(alice_, &seen);
    CPPUNIT_ASSERT(changes.deleted == std::vector<storage::FolderId>{kept.id});
    CPPUNIT_ASSERT(changes.added.empty() && changes.updated.empty());
  }

  void testOwnChangesAreSkipped() {
    HierarchyState seen = Seen(alice_);
    MakeFolder(alice_, "Mine", folder_type::kUserContacts);
    seen.own_seqs.push_back(Seq(alice_));
    CPPUNIT_ASSERT(Changes(alice_, &seen).empty());
    auto other = MakeFolder(alice_, "From another device", folder_type::kUserContacts);
    auto changes = Changes(alice_, &seen);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, changes.added.size());
    CPPUNIT_ASSERT_EQUAL(other.id, changes.added[0].id);
  }

  void testShareAndRevoke() {
    HierarchyState bob_seen = Seen(bob_);
    auto shared = MakeFolder(alice_, "Team", folder_type::kUserCalendar);
    shared.acl.push_back({bob_, storage::Rights::kRead});
    Write([&](Txn& txn) { return txn.UpdateFolder(shared); });
    auto changes = Changes(bob_, &bob_seen);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, changes.added.size());
    CPPUNIT_ASSERT_EQUAL(shared.id, changes.added[0].id);
    // named so bob sees whose it is, a user-created calendar at the top
    CPPUNIT_ASSERT_EQUAL(std::string("Team (alice)"), changes.added[0].name);
    CPPUNIT_ASSERT(changes.added[0].type == folder_type::kUserCalendar);

    // alice's default Contacts shared: a user-created contacts folder for bob
    FolderRecord contacts;
    for (const auto& f : Changes(alice_, nullptr).added) {
      if (f.type == folder_type::kContacts) contacts = f;
    }
    bob_seen = Seen(bob_);
    contacts.acl.push_back({bob_, storage::Rights::kReadWrite});
    Write([&](Txn& txn) { return txn.UpdateFolder(contacts); });
    changes = Changes(bob_, &bob_seen);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, changes.added.size());
    CPPUNIT_ASSERT_EQUAL(std::string("Contacts (alice)"), changes.added[0].name);
    CPPUNIT_ASSERT(changes.added[0].type == folder_type::kUserContacts);
    contacts.acl.clear();
    Write([&](Txn& txn) { return txn.UpdateFolder(contacts); });

    bob_seen = Seen(bob_);
    shared.acl.clear();
    Write([&](Txn& txn) { return txn.UpdateFolder(shared); });
    changes = Changes(bob_, &bob_seen);
    CPPUNIT_ASSERT(changes.deleted == std::vector<storage::FolderId>{shared.id});
  }

  // A folder never offered to devices: its rename and deletion are no
  // Update or Delete for them; showing it is an Add, hiding it a Delete.
  void testHiddenFolderIsNoNews() {
    HierarchyState seen = Seen(alice_);
    auto hidden = MakeFolder(alice_, "Private", folder_type::kUserContacts, true);
    hidden.name = "Still private";
    Write([&](Txn& txn) { return txn.UpdateFolder(hidden); });
    CPPUNIT_ASSERT(Changes(alice_, &seen).empty());

    hidden.hidden = false;
    Write([&](Txn& txn) { return txn.UpdateFolder(hidden); });
    auto changes = Changes(alice_, &seen);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, changes.added.size());
    CPPUNIT_ASSERT_EQUAL(hidden.id, changes.added[0].id);

    seen = Seen(alice_);
    hidden.hidden = true;
    Write([&](Txn& txn) { return txn.UpdateFolder(hidden); });
    changes = Changes(alice_, &seen);
    CPPUNIT_ASSERT(changes.deleted == std::vector<storage::FolderId>{hidden.id});

    seen = Seen(alice_);
    Write([&](Txn& txn) { return txn.DeleteFolder(hidden.id); });
    CPPUNIT_ASSERT(Changes(alice_, &seen).empty());
  }

  // The log keeps what the least advanced current device has not seen; a
  // device not seen past the expiry loses its state (FolderSync Status 9)
  // and holds nothing back.
  void testTrimKeepsWhatDevicesNeed() {
    auto device = [&](const char* id, uint64_t last_seen, uint64_t seen_seq) {
      Write([&](Txn& txn) {
        storage::DeviceRecord d;
        d.user = alice_;
        d.device_id = id;
        d.last_seen = last_seen;
        HierarchyState s;
        s.key = 1;
        s.seen_seq = seen_seq;
        Status put = txn.PutDevice(d);
        return put.ok() ? txn.PutSyncState(alice_, id, "", EncodeHierarchyState(s)) : put;
      });
    };
    auto first_seq = [&] {
      uint64_t first = 0;
      CPPUNIT_ASSERT(store_->Read([&](Txn& txn) {
        auto log = txn.HierarchyChangesSince(alice_, 0);
        if (log.ok() && !log->empty()) first = log->front().seq;
        return log.status();
      }).ok());
      return first;
    };
    auto trim = [&](uint64_t now) {
      Write([&](Txn& txn) { return commands::TrimHierarchy(txn, alice_, now, 1000); });
    };
    for (int i = 0; i < 5; ++i) MakeFolder(alice_, "F" + std::to_string(i), folder_type::kUserMail);
    const uint64_t top = Seq(alice_);  // 9 default folders + 5
    device("OLD", 100, 3);
    device("NEW", 5000, top);
    trim(1000);  // both current: keep what OLD has not seen
    CPPUNIT_ASSERT_EQUAL(uint64_t{4}, first_seq());

    trim(5000);  // OLD not seen for 4900 s: forgotten, nothing held back
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, first_seq());
    CPPUNIT_ASSERT(store_->Read([&](Txn& txn) {
      return txn.GetSyncState(alice_, "OLD", "").status().code() == Code::kNotFound
                 ? Status::Ok() : Status::Internal("OLD kept its state");
    }).ok());
    // The seq goes on: NEW sees only what comes after.
    HierarchyState seen = Seen(alice_);
    CPPUNIT_ASSERT_EQUAL(top, seen.seen_seq);
    MakeFolder(alice_, "After", folder_type::kUserMail);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Changes(alice_, &seen).added.size());
  }

 private:
  template <class F>
  void Write(F fn) {
    Status s = store_->Write(fn);
    CPPUNIT_ASSERT_MESSAGE(s.message(), s.ok());
  }

  storage::UserId AddUser(const std::string& name) {
    storage::UserId id = 0;
    Write([&](Txn& txn) {
      storage::UserRecord u;
      u.name = name;
      auto made = CreateUserWithDefaultFolders(txn, u);
      if (made.ok()) id = made->id;
      return made.status();
    });
    return id;
  }

  FolderRecord MakeFolder(storage::UserId owner, const std::string& name, storage::FolderKind type,
                          bool hidden = false) {
    FolderRecord made;
    Write([&](Txn& txn) {
      FolderRecord f;
      f.owner = owner;
      f.name = name;
      f.type = type;
      f.hidden = hidden;
      auto r = txn.CreateFolder(f);
      if (r.ok()) made = *r;
      return r.status();
    });
    return made;
  }

  uint64_t Seq(storage::UserId user) {
    uint64_t seq = 0;
    CPPUNIT_ASSERT(store_->Read([&](Txn& txn) {
      auto s = txn.HierarchySeq(user);
      if (s.ok()) seq = *s;
      return s.status();
    }).ok());
    return seq;
  }

  HierarchyState Seen(storage::UserId user) {
    HierarchyState s;
    s.key = 1;
    s.seen_seq = Seq(user);
    return s;
  }

  commands::FolderChanges Changes(storage::UserId user, const HierarchyState* state) {
    commands::FolderChanges out;
    Status s = store_->Read([&](Txn& txn) {
      auto c = commands::HierarchyChanges(txn, user, state);
      if (c.ok()) out = std::move(c).value();
      return c.status();
    });
    CPPUNIT_ASSERT_MESSAGE(s.message(), s.ok());
    return out;
  }

  std::string dir_;
  std::unique_ptr<storage::Store> store_;
  storage::UserId alice_ = 0, bob_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HierarchyTest);

}  // namespace
}  // namespace eas::core
