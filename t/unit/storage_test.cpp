// Tests of storage/: each opens a fresh environment under mkdtemp and
// removes it afterwards.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <lmdb.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "storage/changed_users.hpp"
#include "storage/codec.hpp"
#include "storage/store.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::storage {
namespace {

namespace folder_type = core::folder_type;

std::vector<HierarchyChange> Log(Store& store, UserId user, uint64_t after) {
  return ReadValue<std::vector<HierarchyChange>>(
      store, [&](Txn& t) { return t.HierarchyChangesSince(user, after); });
}

uint64_t Seq(Store& store, UserId user) {
  return ReadValue<uint64_t>(store, [&](Txn& t) { return t.HierarchySeq(user); });
}

void AssertChange(const HierarchyChange& c, FolderId folder, ChangeKind kind) {
  CPPUNIT_ASSERT_EQUAL(folder, c.folder);
  CPPUNIT_ASSERT(c.kind == kind);
}

std::vector<FolderId> Ids(const std::vector<FolderRecord>& folders) {
  std::vector<FolderId> ids;
  for (const auto& f : folders) ids.push_back(f.id);
  return ids;
}

bool Contains(const std::vector<FolderId>& ids, FolderId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  CPPUNIT_ASSERT_EQUAL(0, stat(path.c_str(), &st));
  return st.st_mode & 07777;
}

}  // namespace

class StorageTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(StorageTest);
  CPPUNIT_TEST(testCreatesGroupWritableStore);
  CPPUNIT_TEST(testOpenErrors);
  CPPUNIT_TEST(testUserLifecycle);
  CPPUNIT_TEST(testFolderHierarchyLog);
  CPPUNIT_TEST(testFolderRules);
  CPPUNIT_TEST(testVisibleFoldersWithShare);
  CPPUNIT_TEST(testItemsAndChangeLog);
  CPPUNIT_TEST(testTombstonesFollowWhatDevicesHold);
  CPPUNIT_TEST(testItemsAfter);
  CPPUNIT_TEST(testChangeFeed);
  CPPUNIT_TEST(testChangeFeedPruned);
  CPPUNIT_TEST(testDevicesAndSyncStates);
  CPPUNIT_TEST(testDeleteUserRemovesEverything);
  CPPUNIT_TEST(testReadTxnDeniesWrites);
  CPPUNIT_TEST(testWriteAbortsOnErrorAndException);
  CPPUNIT_TEST(testCodecRejectsCorruptValues);
  CPPUNIT_TEST(testCorruptRecordInStore);
  CPPUNIT_TEST(testMapGrowth);
  CPPUNIT_TEST(testRetryOnFullRunsFnAgainCleanly);
  CPPUNIT_TEST(testStoreFullLeavesNoPartialData);
  CPPUNIT_TEST(testTwoStoresSeeEachOther);
  CPPUNIT_TEST(testParkedSnapshotFollowsWrites);
  CPPUNIT_TEST(testReadHoldSharesOneSnapshot);
  CPPUNIT_TEST(testForkedWriterGrowsMap);
  CPPUNIT_TEST(testReadsWhileAnotherThreadGrowsMap);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-storage-test-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
    path_ = tmp_ + "/store";  // Open creates it
  }

  void tearDown() override {
    std::error_code ec;
    std::filesystem::permissions(tmp_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(tmp_, ec);
  }

  void testCreatesGroupWritableStore() {
    mode_t old = umask(022);
    auto store = Store::Open(path_);
    umask(old);
    CPPUNIT_ASSERT_MESSAGE(store.status().message(), store.ok());
    CPPUNIT_ASSERT_EQUAL(path_, (*store)->path());
    CPPUNIT_ASSERT_EQUAL(mode_t{0770}, ModeOf(path_));
    CPPUNIT_ASSERT_EQUAL(mode_t{0660}, ModeOf(path_ + "/data.mdb"));
    CPPUNIT_ASSERT_EQUAL(mode_t{0660}, ModeOf(path_ + "/lock.mdb"));
  }

  void testOpenErrors() {
    OpenOptions no_create;
    no_create.create = false;
    auto missing = Store::Open(path_, no_create);
    ASSERT_CODE(Code::kNotFound, missing.status());
    CPPUNIT_ASSERT(missing.status().message().find(path_) != std::string::npos);

    CPPUNIT_ASSERT_EQUAL(0, mkdir(path_.c_str(), 0700));
    ASSERT_CODE(Code::kNotFound, Store::Open(path_, no_create).status());

    std::ofstream(path_ + "/data.mdb") << std::string(10000, 'x');
    auto garbage = Store::Open(path_);
    ASSERT_CODE(Code::kIoError, garbage.status());
    CPPUNIT_ASSERT(garbage.status().message().find(path_) != std::string::npos);
    CPPUNIT_ASSERT(garbage.status().message().find("not an LMDB") != std::string::npos);

    std::ofstream(tmp_ + "/file") << "x";
    ASSERT_CODE(Code::kInvalidArgument, Store::Open(tmp_ + "/file").status());

    // Permission denied, names the path. Root ignores modes, so as root the
    // check runs in a child that has become nobody.
    std::string locked = tmp_ + "/locked";
    MustOpen(locked).reset();
    auto denied = [&] {
      auto r = Store::Open(locked);
      return r.status().code() == Code::kPermissionDenied &&
             r.status().message().find(locked) != std::string::npos;
    };
    if (geteuid() == 0) {
      CPPUNIT_ASSERT_EQUAL(0, chmod(tmp_.c_str(), 0711));
      CPPUNIT_ASSERT_EQUAL(0, chmod(locked.c_str(), 0700));
      pid_t pid = fork();
      CPPUNIT_ASSERT(pid >= 0);
      if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
        _exit(denied() ? 0 : 1);
      }
      int status = 0;
      CPPUNIT_ASSERT_EQUAL(pid, waitpid(pid, &status, 0));
      CPPUNIT_ASSERT(WIFEXITED(status));
      CPPUNIT_ASSERT_EQUAL(0, WEXITSTATUS(status));
    } else {
      CPPUNIT_ASSERT_EQUAL(0, chmod(locked.c_str(), 0));
      bool ok = denied();
      chmod(locked.c_str(), 0700);
      CPPUNIT_ASSERT(ok);
    }
  }

  void testUserLifecycle() {
    auto store = MustOpen(path_);
    UserRecord alice = WriteValue<UserRecord>(*store, [](Txn& t) {
      return core::CreateUserWithDefaultFolders(t, NewUser("alice"));
    });
    UserRecord bob = WriteValue<UserRecord>(*store, [](Txn& t) {
      return core::CreateUserWithDefaultFolders(t, NewUser("bob"));
    });
    CPPUNIT_ASSERT(alice.id != 0);
    CPPUNIT_ASSERT(bob.id != alice.id);
    CPPUNIT_ASSERT(alice.created != 0);
    ASSERT_CODE(Code::kAlreadyExists, store->Write([](Txn& t) {
      return core::CreateUserWithDefaultFolders(t, NewUser("alice")).status();
    }));

    UserRecord got = ReadValue<UserRecord>(*store, [](Txn& t) { return t.GetUser("alice"); });
    CPPUNIT_ASSERT_EQUAL(alice.id, got.id);
    CPPUNIT_ASSERT_EQUAL(std::string("alice display"), got.display_name);
    CPPUNIT_ASSERT(got.addresses == NewUser("alice").addresses);
    CPPUNIT_ASSERT_EQUAL(std::string("$hash$alice"), got.password_hash);
    got = ReadValue<UserRecord>(*store, [&](Txn& t) { return t.GetUserById(bob.id); });
    CPPUNIT_ASSERT_EQUAL(std::string("bob"), got.name);
    ASSERT_CODE(Code::kNotFound, store->Read([](Txn& t) { return t.GetUser("carol").status(); }));
    // Read into place (every request does): nothing of the record's earlier
    // contents survives, here bob's.
    UserRecord reused = got;
    ASSERT_OK(store->Read([&](Txn& t) { return t.ReadUser("alice", &reused); }));
    CPPUNIT_ASSERT_EQUAL(alice.id, reused.id);
    CPPUNIT_ASSERT_EQUAL(std::string("alice"), reused.name);
    CPPUNIT_ASSERT(reused.addresses == NewUser("alice").addresses);
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) { return t.ReadUser("carol", &reused); }));

    auto users = ReadValue<std::vector<UserRecord>>(*store, [](Txn& t) { return t.ListUsers(); });
    CPPUNIT_ASSERT_EQUAL(size_t{2}, users.size());

    // Default folders: exactly these names and types, top level.
    auto folders = ReadValue<std::vector<FolderRecord>>(
        *store, [&](Txn& t) { return t.VisibleFolders(alice.id); });
    const std::vector<std::pair<storage::FolderKind, std::string>> expected = {
        {folder_type::kInbox, "Inbox"},         {folder_type::kDrafts, "Drafts"},
        {folder_type::kDeletedItems, "Deleted Items"}, {folder_type::kSentItems, "Sent Items"},
        {folder_type::kOutbox, "Outbox"},       {folder_type::kContacts, "Contacts"},
        {folder_type::kCalendar, "Calendar"},   {folder_type::kTasks, "Tasks"},
        {folder_type::kNotes, "Notes"},
        {folder_type::kUserContacts, "Collected Addresses"}};
    CPPUNIT_ASSERT_EQUAL(expected.size(), folders.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      CPPUNIT_ASSERT(folders[i].type == expected[i].first);
      CPPUNIT_ASSERT_EQUAL(expected[i].second, folders[i].name);
      CPPUNIT_ASSERT_EQUAL(FolderId{0}, folders[i].parent);
      CPPUNIT_ASSERT_EQUAL(alice.id, folders[i].owner);
      // Only the collected addresses are hidden from devices.
      CPPUNIT_ASSERT_EQUAL(i + 1 == expected.size(), folders[i].hidden);
    }
    // The hidden folder is news to no device: nine entries, not ten.
    CPPUNIT_ASSERT_EQUAL(uint64_t{9}, Seq(*store, alice.id));
    auto log = Log(*store, alice.id, 0);
    CPPUNIT_ASSERT_EQUAL(size_t{9}, log.size());
    for (size_t i = 0; i < log.size(); ++i) {
      CPPUNIT_ASSERT_EQUAL(uint64_t{i + 1}, log[i].seq);
      AssertChange(log[i], folders[i].id, ChangeKind::kAdd);
    }

    UserRecord renamed = alice;
    renamed.display_name = "Alice A.";
    ASSERT_OK(store->Write([&](Txn& t) { return t.UpdateUser(renamed); }));
    got = ReadValue<UserRecord>(*store, [](Txn& t) { return t.GetUser("alice"); });
    CPPUNIT_ASSERT_EQUAL(std::string("Alice A."), got.display_name);
    renamed.name = "alicia";
    ASSERT_CODE(Code::kInvalidArgument, store->Write([&](Txn& t) { return t.UpdateUser(renamed); }));

    ASSERT_OK(store->Write([](Txn& t) { return t.DeleteUser("alice"); }));
    ASSERT_CODE(Code::kNotFound, store->Read([](Txn& t) { return t.GetUser("alice").status(); }));
    ASSERT_CODE(Code::kNotFound,
                store->Read([&](Txn& t) { return t.GetUserById(alice.id).status(); }));
    ASSERT_CODE(Code::kNotFound,
                store->Read([&](Txn& t) { return t.GetFolder(folders[0].id).status(); }));
    CPPUNIT_ASSERT(ReadValue<std::vector<FolderRecord>>(*store, [&](Txn& t) {
                     return t.VisibleFolders(alice.id);
                   }).empty());
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, Seq(*store, alice.id));
    users = ReadValue<std::vector<UserRecord>>(*store, [](Txn& t) { return t.ListUsers(); });
    CPPUNIT_ASSERT_EQUAL(size_t{1}, users.size());
    ASSERT_CODE(Code::kNotFound, store->Write([](Txn& t) { return t.DeleteUser("alice"); }));

    // Ids are never reused.
    UserRecord again = WriteValue<UserRecord>(*store, [](Txn& t) {
      return core::CreateUserWithDefaultFolders(t, NewUser("alice"));
    });
    CPPUNIT_ASSERT(again.id > bob.id);
  }

  void testFolderHierarchyLog() {
    auto store = MustOpen(path_);
    UserId alice = CreateUser(*store, "alice"), bob = CreateUser(*store, "bob"),
           carol = CreateUser(*store, "carol");
    uint64_t a0 = Seq(*store, alice), b0 = Seq(*store, bob), c0 = Seq(*store, carol);

    FolderRecord shared;
    shared.owner = alice;
    shared.type = folder_type::kUserContacts;
    shared.name = "Team contacts";
    shared.acl = {{bob, Rights::kRead}};
    shared = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(shared); });
    CPPUNIT_ASSERT(shared.id != 0);

    auto la = Log(*store, alice, a0), lb = Log(*store, bob, b0);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, la.size());
    AssertChange(la[0], shared.id, ChangeKind::kAdd);
    CPPUNIT_ASSERT_EQUAL(a0 + 1, la[0].seq);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, lb.size());
    AssertChange(lb[0], shared.id, ChangeKind::kAdd);
    CPPUNIT_ASSERT_EQUAL(b0 + 1, lb[0].seq);
    CPPUNIT_ASSERT(Log(*store, carol, c0).empty());

    // Share moves from bob to carol and the folder is renamed.
    a0 = Seq(*store, alice), b0 = Seq(*store, bob);
    FolderRecord changed = shared;
    changed.name = "Team";
    changed.acl = {{carol, Rights::kReadWrite}};
    ASSERT_OK(store->Write([&](Txn& t) { return t.UpdateFolder(changed); }));
    la = Log(*store, alice, a0), lb = Log(*store, bob, b0);
    auto lc = Log(*store, carol, c0);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, la.size());
    AssertChange(la[0], shared.id, ChangeKind::kUpdate);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, lb.size());
    AssertChange(lb[0], shared.id, ChangeKind::kDelete);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, lc.size());
    AssertChange(lc[0], shared.id, ChangeKind::kAdd);
    FolderRecord got = ReadValue<FolderRecord>(*store, [&](Txn& t) { return t.GetFolder(shared.id); });
    CPPUNIT_ASSERT_EQUAL(std::string("Team"), got.name);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, got.acl.size());
    CPPUNIT_ASSERT_EQUAL(carol, got.acl[0].user);
    CPPUNIT_ASSERT(got.acl[0].rights == Rights::kReadWrite);
    // Read into place (every Sync does): nothing of the record it held stays.
    FolderRecord reused = got;
    reused.acl.push_back({alice, Rights::kRead});
    reused.name = "left over";
    reused.hidden = true;
    ASSERT_OK(store->Read([&](Txn& t) { return t.ReadFolder(shared.id, &reused); }));
    CPPUNIT_ASSERT_EQUAL(got.name, reused.name);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, reused.acl.size());
    CPPUNIT_ASSERT_EQUAL(carol, reused.acl[0].user);
    CPPUNIT_ASSERT(!reused.hidden);
    CPPUNIT_ASSERT_EQUAL(got.modseq, reused.modseq);
    ASSERT_CODE(Code::kNotFound,
                store->Read([&](Txn& t) { return t.ReadFolder(shared.id + 1000, &reused); }));

    // Both keep it: an update for each.
    c0 = Seq(*store, carol);
    changed.acl.push_back({bob, Rights::kRead});
    b0 = Seq(*store, bob);
    ASSERT_OK(store->Write([&](Txn& t) { return t.UpdateFolder(changed); }));
    changed.name = "Team 2";
    uint64_t c1 = Seq(*store, carol);
    ASSERT_OK(store->Write([&](Txn& t) { return t.UpdateFolder(changed); }));
    lc = Log(*store, carol, c0);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, lc.size());  // update (bob added), update (rename)
    AssertChange(lc[1], shared.id, ChangeKind::kUpdate);
    CPPUNIT_ASSERT(lc[1].seq > c1);
    lb = Log(*store, bob, b0);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, lb.size());
    AssertChange(lb[0], shared.id, ChangeKind::kAdd);
    AssertChange(lb[1], shared.id, ChangeKind::kUpdate);

    // A subfolder with items; deleting the parent removes both, logged.
    FolderRecord sub;
    sub.owner = alice;
    sub.parent = shared.id;
    sub.type = folder_type::kUserContacts;
    sub.name = "Sub";
    sub = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(sub); });
    FolderRecord subsub = sub;
    subsub.parent = sub.id;
    subsub.name = "SubSub";
    subsub = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(subsub); });
    ItemRecord item;
    item.folder = subsub.id;
    item.data = "vcard";
    item = WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(item); });

    a0 = Seq(*store, alice), b0 = Seq(*store, bob), c0 = Seq(*store, carol);
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteFolder(shared.id); }));
    la = Log(*store, alice, a0);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, la.size());
    AssertChange(la[0], subsub.id, ChangeKind::kDelete);  // children first
    AssertChange(la[1], sub.id, ChangeKind::kDelete);
    AssertChange(la[2], shared.id, ChangeKind::kDelete);
    lb = Log(*store, bob, b0);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, lb.size());
    AssertChange(lb[0], shared.id, ChangeKind::kDelete);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Log(*store, carol, c0).size());
    for (FolderId id : {shared.id, sub.id, subsub.id}) {
      ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) { return t.GetFolder(id).status(); }));
    }
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) {
      return t.GetItem(subsub.id, item.id).status();
    }));
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) {
      return t.ItemChangesSince(subsub.id, 0, 10).status();
    }));
    CPPUNIT_ASSERT(!Contains(Ids(ReadValue<std::vector<FolderRecord>>(
                                 *store, [&](Txn& t) { return t.VisibleFolders(carol); })),
                             shared.id));

    // Folder ids are global and never reused.
    FolderRecord next;
    next.owner = bob;
    next.name = "New";
    next = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(next); });
    CPPUNIT_ASSERT(next.id > subsub.id);
  }

  void testFolderRules() {
    auto store = MustOpen(path_);
    UserId alice = CreateUser(*store, "alice"), bob = CreateUser(*store, "bob");
    FolderRecord a;
    a.owner = alice;
    a.name = "A";
    a = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(a); });
    FolderRecord b = a;
    b.name = "B";
    b.parent = a.id;
    b = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(b); });

    auto create = [&](FolderRecord f) {
      return store->Write([&](Txn& t) { return t.CreateFolder(f).status(); });
    };
    FolderRecord bad = a;
    bad.owner = bob;  // parent of another user
    bad.parent = a.id;
    ASSERT_CODE(Code::kInvalidArgument, create(bad));
    bad = a;
    bad.acl = {{alice, Rights::kRead}};  // the owner in the ACL
    ASSERT_CODE(Code::kInvalidArgument, create(bad));
    bad.acl = {{bob, Rights::kRead}, {bob, Rights::kReadWrite}};
    ASSERT_CODE(Code::kInvalidArgument, create(bad));
    bad.acl = {{999, Rights::kRead}};
    ASSERT_CODE(Code::kNotFound, create(bad));
    bad = a;
    bad.parent = 12345;
    ASSERT_CODE(Code::kNotFound, create(bad));
    bad = a;
    bad.owner = 4242;
    ASSERT_CODE(Code::kNotFound, create(bad));
    bad = a;
    bad.name.clear();
    ASSERT_CODE(Code::kInvalidArgument, create(bad));

    auto update = [&](FolderRecord f) {
      return store->Write([&](Txn& t) { return t.UpdateFolder(f); });
    };
    FolderRecord cycle = a;
    cycle.parent = b.id;  // below its own child
    ASSERT_CODE(Code::kInvalidArgument, update(cycle));
    cycle.parent = a.id;
    ASSERT_CODE(Code::kInvalidArgument, update(cycle));
    FolderRecord owner = a;
    owner.owner = bob;
    ASSERT_CODE(Code::kInvalidArgument, update(owner));
    FolderRecord ghost = a;
    ghost.id = 9999;
    ASSERT_CODE(Code::kNotFound, update(ghost));
    ASSERT_CODE(Code::kNotFound, store->Write([](Txn& t) { return t.DeleteFolder(9999); }));

    // Moving b to the top level, then deleting a leaves b alone.
    FolderRecord moved = b;
    moved.parent = 0;
    ASSERT_OK(update(moved));
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteFolder(a.id); }));
    FolderRecord got = ReadValue<FolderRecord>(*store, [&](Txn& t) { return t.GetFolder(b.id); });
    CPPUNIT_ASSERT_EQUAL(FolderId{0}, got.parent);
  }

  void testVisibleFoldersWithShare() {
    auto store = MustOpen(path_);
    UserId alice = CreateUser(*store, "alice"), bob = CreateUser(*store, "bob");
    FolderRecord cal;
    cal.owner = alice;
    cal.type = folder_type::kUserCalendar;
    cal.name = "Holidays";
    cal.acl = {{bob, Rights::kRead}};
    cal = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(cal); });
    FolderRecord hidden;
    hidden.owner = bob;
    hidden.type = folder_type::kUserContacts;
    hidden.name = "Collected addresses";
    hidden.hidden = true;
    hidden = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(hidden); });

    auto visible = [&](UserId u) {
      return ReadValue<std::vector<FolderRecord>>(*store, [&](Txn& t) {
        return t.VisibleFolders(u);
      });
    };
    auto bobs = visible(bob);
    CPPUNIT_ASSERT_EQUAL(size_t{12}, bobs.size());  // 10 defaults + shared + hidden
    CPPUNIT_ASSERT(Contains(Ids(bobs), cal.id));
    CPPUNIT_ASSERT(Contains(Ids(bobs), hidden.id));
    auto ids = Ids(bobs);
    CPPUNIT_ASSERT(std::is_sorted(ids.begin(), ids.end()));
    for (const auto& f : bobs) {
      if (f.id == hidden.id) CPPUNIT_ASSERT(f.hidden);
      if (f.id == cal.id) CPPUNIT_ASSERT_EQUAL(alice, f.owner);
    }
    auto alices = visible(alice);
    CPPUNIT_ASSERT_EQUAL(size_t{11}, alices.size());
    CPPUNIT_ASSERT(!Contains(Ids(alices), hidden.id));

    // Unshare: gone from bob's view, still alice's.
    cal.acl.clear();
    ASSERT_OK(store->Write([&](Txn& t) { return t.UpdateFolder(cal); }));
    CPPUNIT_ASSERT(!Contains(Ids(visible(bob)), cal.id));
    CPPUNIT_ASSERT(Contains(Ids(visible(alice)), cal.id));
  }

  // Tombstones exist only while a device that reads the folder holds the
  // item; the sweep forgets readers gone past the expiry and what only
  // they held back.
  void testTombstonesFollowWhatDevicesHold() {
    auto store = MustOpen(path_);
    UserId alice = CreateUser(*store, "alice");
    FolderId folder = ReadValue<std::vector<FolderRecord>>(
                          *store, [&](Txn& t) { return t.VisibleFolders(alice); })[0].id;
    auto add = [&] {
      ItemRecord item;
      item.folder = folder;
      item.data = "x";
      return WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(item); }).id;
    };
    auto del = [&](ItemId id) {
      ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteItem(folder, id); }));
    };
    auto tombstones = [&] {
      auto log = ReadValue<std::vector<ItemChange>>(
          *store, [&](Txn& t) { return t.ItemChangesSince(folder, 0, 1000); });
      std::vector<ItemId> out;
      for (const auto& c : log) {
        if (c.kind == ChangeKind::kDelete) out.push_back(c.item);
      }
      return out;
    };
    auto held = [&](const char* device, ItemId id) {
      return ReadValue<bool>(*store, [&](Txn& t) { return t.IsHeld(alice, device, folder, id); });
    };
    auto hold = [&](const char* device, ItemId id, bool yes) {
      ASSERT_OK(store->Write([&](Txn& t) { return t.SetHeld(alice, device, folder, id, yes); }));
    };

    // Nobody reads the folder: deletes leave nothing behind.
    for (int i = 0; i < 50; ++i) del(add());
    CPPUNIT_ASSERT(tombstones().empty());

    ASSERT_OK(store->Write([&](Txn& t) { return t.NoteReader(alice, "A", folder, 1000, true); }));
    ASSERT_OK(store->Write([&](Txn& t) { return t.NoteReader(alice, "B", folder, 1000, true); }));
    ItemId x = add(), y = add(), z = add();
    hold("A", x, true);
    hold("B", x, true);
    hold("A", y, true);
    CPPUNIT_ASSERT(held("A", x) && held("B", x) && !held("B", y));
    del(x);
    del(y);
    del(z);  // held by nobody
    CPPUNIT_ASSERT((tombstones() == std::vector<ItemId>{x, y}));

    // A is told of x; B still needs the tombstone. Once B is told, it goes.
    auto modseq_of = [&](ItemId id) {
      for (const auto& c : ReadValue<std::vector<ItemChange>>(
               *store, [&](Txn& t) { return t.ItemChangesSince(folder, 0, 1000); })) {
        if (c.item == id) return c.modseq;
      }
      return uint64_t{0};
    };
    const uint64_t x_at = modseq_of(x);
    hold("A", x, false);
    ASSERT_OK(store->Write([&](Txn& t) { return t.TrimTombstone(folder, x_at, x); }));
    CPPUNIT_ASSERT((tombstones() == std::vector<ItemId>{x, y}));
    hold("B", x, false);
    ASSERT_OK(store->Write([&](Txn& t) { return t.TrimTombstone(folder, x_at, x); }));
    CPPUNIT_ASSERT((tombstones() == std::vector<ItemId>{y}));

    // Starting afresh (SyncKey 0) drops what A held.
    ASSERT_OK(store->Write([&](Txn& t) { return t.NoteReader(alice, "A", folder, 1000, true); }));
    CPPUNIT_ASSERT(!held("A", y));

    // The sweep: B synced at 1000, A at 5000; with a 3000 s expiry at 6000
    // B is forgotten (it was never seen either) and A stays. The orphaned
    // tombstone of y goes. A second sweep within the interval does nothing.
    ItemId w = add();
    hold("B", w, true);
    del(w);
    ASSERT_OK(store->Write([&](Txn& t) { return t.NoteReader(alice, "A", folder, 5000, false); }));
    auto sweep = WriteValue<FolderSweep>(
        *store, [&](Txn& t) { return t.SweepFolder(folder, 6000, 3000, 100); });
    CPPUNIT_ASSERT(sweep.ran);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, sweep.forgotten.size());
    CPPUNIT_ASSERT_EQUAL(alice, sweep.forgotten[0].first);
    CPPUNIT_ASSERT_EQUAL(std::string("B"), sweep.forgotten[0].second);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, sweep.tombstones_dropped);
    CPPUNIT_ASSERT(tombstones().empty());
    CPPUNIT_ASSERT(!held("B", w));
    CPPUNIT_ASSERT(!WriteValue<FolderSweep>(
                        *store, [&](Txn& t) { return t.SweepFolder(folder, 6050, 3000, 100); })
                        .ran);

    // A device seen recently (DeviceRecord::last_seen; it Pings) is kept
    // even when it has not synced the folder for longer.
    DeviceRecord device;
    device.user = alice;
    device.device_id = "A";
    device.last_seen = 9000;
    ASSERT_OK(store->Write([&](Txn& t) { return t.PutDevice(device); }));
    sweep = WriteValue<FolderSweep>(
        *store, [&](Txn& t) { return t.SweepFolder(folder, 9500, 3000, 100); });
    CPPUNIT_ASSERT(sweep.ran && sweep.forgotten.empty());

    // Deleting the device drops what it holds.
    ItemId v = add();
    hold("A", v, true);
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteDevice(alice, "A"); }));
    CPPUNIT_ASSERT(!held("A", v));
  }

  // Live items by id after a cursor, for the initial sync's walk.
  void testItemsAfter() {
    auto store = MustOpen(path_);
    UserId alice = CreateUser(*store, "alice");
    FolderId folder = ReadValue<std::vector<FolderRecord>>(
                          *store, [&](Txn& t) { return t.VisibleFolders(alice); })[0].id;
    std::vector<ItemId> ids;
    for (int i = 0; i < 5; ++i) {
      ItemRecord item;
      item.folder = folder;
      item.data = "item " + std::to_string(i);
      ids.push_back(WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(item); }).id);
    }
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteItem(folder, ids[1]); }));
    auto after = [&](ItemId cursor, size_t limit) {
      std::vector<ItemId> out;
      for (const auto& item : ReadValue<std::vector<ItemRecord>>(
               *store, [&](Txn& t) { return t.ItemsAfter(folder, cursor, limit); })) {
        out.push_back(item.id);
      }
      return out;
    };
    CPPUNIT_ASSERT((after(0, 10) == std::vector<ItemId>{ids[0], ids[2], ids[3], ids[4]}));
    CPPUNIT_ASSERT((after(ids[0], 2) == std::vector<ItemId>{ids[2], ids[3]}));
    CPPUNIT_ASSERT(after(ids[4], 10).empty());
    ASSERT_CODE(Code::kNotFound,
                store->Read([&](Txn& t) { return t.ItemsAfter(999999, 0, 10).status(); }));
  }

  void testItemsAndChangeLog() {
    auto store = MustOpen(path_);
    UserId alice = CreateUser(*store, "alice");
    FolderId inbox = ReadValue<std::vector<FolderRecord>>(
                         *store, [&](Txn& t) { return t.VisibleFolders(alice); })[0].id;
    auto put = [&](ItemId id, std::string data) {
      ItemRecord item;
      item.folder = inbox;
      item.id = id;
      item.data = std::move(data);
      return WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(item); });
    };
    auto changes = [&](uint64_t after, size_t limit) {
      return ReadValue<std::vector<ItemChange>>(*store, [&](Txn& t) {
        return t.ItemChangesSince(inbox, after, limit);
      });
    };
    auto modseq = [&] {
      return ReadValue<uint64_t>(*store, [&](Txn& t) { return t.FolderModseq(inbox); });
    };

    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, modseq());
    ItemRecord one = put(0, "one"), two = put(0, "two"), three = put(0, "three");
    CPPUNIT_ASSERT_EQUAL(ItemId{1}, one.id);
    CPPUNIT_ASSERT_EQUAL(ItemId{2}, two.id);
    CPPUNIT_ASSERT_EQUAL(ItemId{3}, three.id);
    CPPUNIT_ASSERT_EQUAL(uint64_t{3}, three.modseq);
    CPPUNIT_ASSERT_EQUAL(uint64_t{3}, modseq());

    ItemRecord two2 = put(two.id, "two, edited");
    CPPUNIT_ASSERT_EQUAL(uint64_t{4}, two2.modseq);
    // A device holds `one`, so its delete leaves a tombstone.
    ASSERT_OK(store->Write([&](Txn& t) {
      Status s = t.NoteReader(alice, "PHONE", inbox, 1000, true);
      return s.ok() ? t.SetHeld(alice, "PHONE", inbox, one.id, true) : s;
    }));
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteItem(inbox, one.id); }));
    CPPUNIT_ASSERT_EQUAL(uint64_t{5}, modseq());

    // Latest entry per item only, oldest first; the delete is a tombstone.
    auto log = changes(0, 100);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, log.size());
    CPPUNIT_ASSERT_EQUAL(uint64_t{3}, log[0].modseq);
    CPPUNIT_ASSERT_EQUAL(three.id, log[0].item);
    CPPUNIT_ASSERT(log[0].kind == ChangeKind::kAdd);
    CPPUNIT_ASSERT_EQUAL(uint64_t{4}, log[1].modseq);
    CPPUNIT_ASSERT_EQUAL(two.id, log[1].item);
    CPPUNIT_ASSERT(log[1].kind == ChangeKind::kUpdate);
    CPPUNIT_ASSERT_EQUAL(uint64_t{5}, log[2].modseq);
    CPPUNIT_ASSERT_EQUAL(one.id, log[2].item);
    CPPUNIT_ASSERT(log[2].kind == ChangeKind::kDelete);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, changes(3, 100).size());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, changes(0, 1).size());
    CPPUNIT_ASSERT(changes(5, 100).empty());
    CPPUNIT_ASSERT(changes(0, 0).empty());

    ItemRecord got = ReadValue<ItemRecord>(*store, [&](Txn& t) { return t.GetItem(inbox, two.id); });
    CPPUNIT_ASSERT_EQUAL(std::string("two, edited"), got.data);
    CPPUNIT_ASSERT_EQUAL(uint64_t{4}, got.modseq);
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) { return t.GetItem(inbox, one.id).status(); }));
    ASSERT_CODE(Code::kNotFound, store->Write([&](Txn& t) { return t.DeleteItem(inbox, one.id); }));
    ItemRecord ghost;
    ghost.folder = inbox;
    ghost.id = 99;
    ASSERT_CODE(Code::kNotFound, store->Write([&](Txn& t) { return t.PutItem(ghost).status(); }));
    ghost.id = 0;
    ghost.folder = 123456;
    ASSERT_CODE(Code::kNotFound, store->Write([&](Txn& t) { return t.PutItem(ghost).status(); }));

    // A folder update with a stale modseq does not rewind it.
    FolderRecord folder = ReadValue<FolderRecord>(*store, [&](Txn& t) { return t.GetFolder(inbox); });
    folder.modseq = 0;
    folder.name = "Inbox";
    ASSERT_OK(store->Write([&](Txn& t) { return t.UpdateFolder(folder); }));
    CPPUNIT_ASSERT_EQUAL(uint64_t{5}, modseq());
    // Item ids are never reused, even after a delete.
    CPPUNIT_ASSERT_EQUAL(ItemId{4}, put(0, "four").id);
    CPPUNIT_ASSERT_EQUAL(uint64_t{6}, modseq());
  }

  // Push watchers learn from the change feed which users a committed write
  // touched: one seq per transaction, owner and ACL users, nothing for
  // device or sync-state writes or aborted transactions.
  void testChangeFeed() {
    auto store = MustOpen(path_);
    auto seq = [&] { return ReadValue<uint64_t>(*store, [](Txn& t) { return t.ChangeSeq(); }); };
    auto since = [&](uint64_t after) {
      return ReadValue<std::vector<UserId>>(*store, [&](Txn& t) {
        return t.UsersChangedSince(after);
      });
    };
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, seq());
    CPPUNIT_ASSERT(since(0).empty());

    UserId alice = CreateUser(*store, "alice");  // user and nine folders: one seq
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, seq());
    CPPUNIT_ASSERT(since(0) == std::vector<UserId>{alice});
    UserId bob = CreateUser(*store, "bob");
    UserId carol = CreateUser(*store, "carol");
    CPPUNIT_ASSERT_EQUAL(uint64_t{3}, seq());
    CPPUNIT_ASSERT((since(1) == std::vector<UserId>{bob, carol}));
    CPPUNIT_ASSERT(since(3).empty());

    // Devices and sync states are no news.
    ASSERT_OK(store->Write([&](Txn& t) {
      DeviceRecord d;
      d.user = alice;
      d.device_id = "PHONE";
      Status s = t.PutDevice(d);
      return s.ok() ? t.PutSyncState(alice, "PHONE", "7", "state") : s;
    }));
    CPPUNIT_ASSERT_EQUAL(uint64_t{3}, seq());

    // A folder alice shares with bob: both hear of its items.
    FolderRecord shared;
    shared.owner = alice;
    shared.type = folder_type::kUserContacts;
    shared.name = "Family";
    shared.acl = {AclEntry{bob, Rights::kRead}};
    shared = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(shared); });
    CPPUNIT_ASSERT_EQUAL(uint64_t{4}, seq());
    CPPUNIT_ASSERT((since(3) == std::vector<UserId>{alice, bob}));
    ItemRecord item;
    item.folder = shared.id;
    item.data = "x";
    item = WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(item); });
    CPPUNIT_ASSERT_EQUAL(uint64_t{5}, seq());
    CPPUNIT_ASSERT((since(4) == std::vector<UserId>{alice, bob}));

    // Several writes in one transaction: one seq; an aborted one: none.
    FolderId carol_inbox = InboxOf(*store, carol), alice_inbox = InboxOf(*store, alice);
    ASSERT_OK(store->Write([&](Txn& t) {
      ItemRecord a, c;
      a.folder = alice_inbox;
      c.folder = carol_inbox;
      Status s = t.PutItem(a).status();
      if (s.ok()) s = t.PutItem(c).status();
      return s.ok() ? t.DeleteItem(shared.id, item.id) : s;
    }));
    CPPUNIT_ASSERT_EQUAL(uint64_t{6}, seq());
    CPPUNIT_ASSERT((since(5) == std::vector<UserId>{alice, bob, carol}));
    ASSERT_CODE(Code::kInvalidArgument, store->Write([&](Txn& t) {
      ItemRecord c;
      c.folder = carol_inbox;
      Status s = t.PutItem(c).status();
      return s.ok() ? Status::Invalid("changed my mind") : s;
    }));
    CPPUNIT_ASSERT_EQUAL(uint64_t{6}, seq());

    // Deleting a user is news for that user and for those sharing with them.
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteUser("bob"); }));
    CPPUNIT_ASSERT_EQUAL(uint64_t{7}, seq());
    CPPUNIT_ASSERT(since(6) == std::vector<UserId>{bob});

    // A cursor from the future (another store): the caller must re-check all.
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) {
      return t.UsersChangedSince(99).status();
    }));
  }

  void testChangeFeedPruned() {
    OpenOptions options;
    options.change_feed_keep = 3;
    auto store = MustOpen(path_, options);
    UserId alice = CreateUser(*store, "alice");
    FolderId inbox = InboxOf(*store, alice);
    for (int i = 0; i < 5; ++i) {
      ItemRecord item;
      item.folder = inbox;
      WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(item); });
    }
    // seq 6; entries 4, 5, 6 remain.
    CPPUNIT_ASSERT_EQUAL(uint64_t{6}, ReadValue<uint64_t>(*store, [](Txn& t) {
                                        return t.ChangeSeq();
                                      }));
    auto since = [&](uint64_t after) {
      return store->Read([&](Txn& t) { return t.UsersChangedSince(after).status(); });
    };
    ASSERT_OK(since(3));
    ASSERT_OK(since(6));
    ASSERT_CODE(Code::kNotFound, since(2));
    ASSERT_CODE(Code::kNotFound, since(0));

    // What the feed's readers get: the users since a position it still
    // holds, else every user; nothing when nothing changed.
    UserId bob = CreateUser(*store, "bob");  // seq 7
    auto changed = [&](std::optional<uint64_t> after) {
      auto got = ReadChangedUsers(*store, after);
      ASSERT_OK(got.status());
      CPPUNIT_ASSERT_EQUAL(uint64_t{7}, got->seq);
      std::sort(got->users.begin(), got->users.end());
      return std::move(got).value();
    };
    CPPUNIT_ASSERT(!changed(6).everyone && changed(6).users == std::vector<UserId>{bob});
    CPPUNIT_ASSERT(!changed(7).everyone && changed(7).users.empty());
    for (std::optional<uint64_t> unknown : {std::optional<uint64_t>(2), std::optional<uint64_t>(),
                                            std::optional<uint64_t>(99)}) {
      ChangedUsers all = changed(unknown);
      CPPUNIT_ASSERT(all.everyone);
      CPPUNIT_ASSERT((all.users == std::vector<UserId>{alice, bob}));
    }
  }

  void testDevicesAndSyncStates() {
    auto store = MustOpen(path_);
    UserId alice = CreateUser(*store, "alice"), bob = CreateUser(*store, "bob");
    auto device = [](UserId u, std::string id) {
      DeviceRecord d;
      d.user = u;
      d.device_id = std::move(id);
      d.device_type = "iPhone";
      d.user_agent = "Apple-iPhone/1";
      d.model = "iPhone12,1";
      d.protocol_version = "16.1";
      d.first_seen = 100;
      d.last_seen = 200;
      return d;
    };
    ASSERT_OK(store->Write([&](Txn& t) {
      for (auto d : {device(alice, "dev1"), device(alice, "dev10"), device(bob, "dev1")}) {
        Status s = t.PutDevice(d);
        if (!s.ok()) return s;
      }
      for (std::string coll : {"", "5", "12"}) {
        Status s = t.PutSyncState(alice, "dev1", coll, "state-a1-" + coll);
        if (s.ok()) s = t.PutSyncState(alice, "dev10", coll, "state-a10-" + coll);
        if (s.ok()) s = t.PutSyncState(bob, "dev1", coll, "state-b1-" + coll);
        if (!s.ok()) return s;
      }
      return Status::Ok();
    }));
    ASSERT_CODE(Code::kNotFound, store->Write([&](Txn& t) { return t.PutDevice(device(77, "x")); }));
    ASSERT_CODE(Code::kInvalidArgument,
                store->Write([&](Txn& t) { return t.PutDevice(device(alice, "")); }));

    DeviceRecord got = ReadValue<DeviceRecord>(*store, [&](Txn& t) {
      return t.GetDevice(alice, "dev1");
    });
    CPPUNIT_ASSERT_EQUAL(std::string("iPhone12,1"), got.model);
    CPPUNIT_ASSERT_EQUAL(uint64_t{200}, got.last_seen);
    got.last_seen = 300;
    ASSERT_OK(store->Write([&](Txn& t) { return t.PutDevice(got); }));  // upsert
    CPPUNIT_ASSERT_EQUAL(uint64_t{300}, ReadValue<DeviceRecord>(*store, [&](Txn& t) {
                                          return t.GetDevice(alice, "dev1");
                                        }).last_seen);
    ASSERT_CODE(Code::kNotFound,
                store->Read([&](Txn& t) { return t.GetDevice(alice, "dev2").status(); }));

    // The administrator's decision, a wipe and the last access decision
    // survive the round trip; an out-of-range decision is refused.
    got.access = DeviceRecord::Access::kBlocked;
    got.wipe = DeviceRecord::Wipe::kAccountOnly;
    got.last_decision = DeviceRecord::Decision::kQuarantined;
    got.decision_reason = "rule 2 (quarantine type=~^Android)";
    ASSERT_OK(store->Write([&](Txn& t) { return t.PutDevice(got); }));
    DeviceRecord again = ReadValue<DeviceRecord>(*store, [&](Txn& t) {
      return t.GetDevice(alice, "dev1");
    });
    CPPUNIT_ASSERT(again.access == DeviceRecord::Access::kBlocked);
    CPPUNIT_ASSERT(again.wipe == DeviceRecord::Wipe::kAccountOnly);
    CPPUNIT_ASSERT(again.last_decision == DeviceRecord::Decision::kQuarantined);
    CPPUNIT_ASSERT_EQUAL(got.decision_reason, again.decision_reason);
    // Read into place (the device gate does, on every request): every field
    // is the stored device's, nothing is left of what the record held.
    DeviceRecord reused = device(bob, "dev1");
    reused.imei = "left over";
    ASSERT_OK(store->Read([&](Txn& t) { return t.ReadDevice(alice, "dev1", &reused); }));
    CPPUNIT_ASSERT_EQUAL(alice, reused.user);
    CPPUNIT_ASSERT(reused.imei.empty());
    CPPUNIT_ASSERT(reused.wipe == DeviceRecord::Wipe::kAccountOnly);
    CPPUNIT_ASSERT_EQUAL(got.decision_reason, reused.decision_reason);
    ASSERT_CODE(Code::kNotFound,
                store->Read([&](Txn& t) { return t.ReadDevice(alice, "dev2", &reused); }));
    DeviceRecord decoded;
    again.last_decision = static_cast<DeviceRecord::Decision>(9);
    CPPUNIT_ASSERT(DecodeDevice(EncodeDevice(again), &decoded) != nullptr);
    got.access = DeviceRecord::Access::kUndecided;
    got.wipe = DeviceRecord::Wipe::kNone;
    got.last_decision = DeviceRecord::Decision::kNone;
    got.decision_reason.clear();
    ASSERT_OK(store->Write([&](Txn& t) { return t.PutDevice(got); }));

    auto list = [&](std::optional<UserId> u) {
      return ReadValue<std::vector<DeviceRecord>>(*store, [&](Txn& t) { return t.ListDevices(u); });
    };
    CPPUNIT_ASSERT_EQUAL(size_t{2}, list(alice).size());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, list(bob).size());
    CPPUNIT_ASSERT_EQUAL(size_t{3}, list(std::nullopt).size());

    auto state = [&](UserId u, std::string dev, std::string coll) {
      return ReadValue<std::string>(*store, [&](Txn& t) { return t.GetSyncState(u, dev, coll); });
    };
    CPPUNIT_ASSERT_EQUAL(std::string("state-a1-"), state(alice, "dev1", ""));
    CPPUNIT_ASSERT_EQUAL(std::string("state-a10-5"), state(alice, "dev10", "5"));
    // The same as a view into the store, for the length of the transaction.
    ASSERT_OK(store->Read([&](Txn& t) {
      std::string_view v;
      Status s = t.ViewSyncState(alice, "dev10", "5", &v);
      CPPUNIT_ASSERT_EQUAL(std::string("state-a10-5"), std::string(v));
      return s;
    }));
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) {
      std::string_view v;
      return t.ViewSyncState(alice, "dev10", "no such collection", &v);
    }));
    ASSERT_OK(store->Write([&](Txn& t) { return t.PutSyncState(alice, "dev1", "5", ""); }));
    CPPUNIT_ASSERT_EQUAL(std::string(), state(alice, "dev1", "5"));
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteSyncState(alice, "dev1", "12"); }));
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) {
      return t.GetSyncState(alice, "dev1", "12").status();
    }));
    ASSERT_CODE(Code::kNotFound,
                store->Write([&](Txn& t) { return t.DeleteSyncState(alice, "dev1", "12"); }));

    // Deleting dev1 takes its states, not those of dev10 or of bob's dev1.
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteDevice(alice, "dev1"); }));
    ASSERT_CODE(Code::kNotFound,
                store->Read([&](Txn& t) { return t.GetDevice(alice, "dev1").status(); }));
    for (std::string coll : {"", "5"}) {
      ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) {
        return t.GetSyncState(alice, "dev1", coll).status();
      }));
      CPPUNIT_ASSERT_EQUAL("state-a10-" + coll, state(alice, "dev10", coll));
      CPPUNIT_ASSERT_EQUAL("state-b1-" + coll, state(bob, "dev1", coll));
    }
    ASSERT_CODE(Code::kNotFound,
                store->Write([&](Txn& t) { return t.DeleteDevice(alice, "dev1"); }));
  }

  void testDeleteUserRemovesEverything() {
    auto store = MustOpen(path_);
    UserId alice = CreateUser(*store, "alice"), bob = CreateUser(*store, "bob");
    // alice shares a folder with bob; bob shares one with alice.
    FolderRecord mine;
    mine.owner = alice;
    mine.name = "Alice's";
    mine.acl = {{bob, Rights::kRead}};
    mine = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(mine); });
    FolderRecord theirs;
    theirs.owner = bob;
    theirs.name = "Bob's";
    theirs.acl = {{alice, Rights::kReadWrite}};
    theirs = WriteValue<FolderRecord>(*store, [&](Txn& t) { return t.CreateFolder(theirs); });
    ItemRecord item;
    item.folder = mine.id;
    item.data = "x";
    item = WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(item); });
    ASSERT_OK(store->Write([&](Txn& t) {
      DeviceRecord d;
      d.user = alice;
      d.device_id = "phone";
      Status s = t.PutDevice(d);
      if (s.ok()) s = t.PutSyncState(alice, "phone", "", "state");
      return s;
    }));

    uint64_t b0 = Seq(*store, bob);
    ASSERT_OK(store->Write([](Txn& t) { return t.DeleteUser("alice"); }));
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) { return t.GetFolder(mine.id).status(); }));
    ASSERT_CODE(Code::kNotFound,
                store->Read([&](Txn& t) { return t.GetItem(mine.id, item.id).status(); }));
    ASSERT_CODE(Code::kNotFound,
                store->Read([&](Txn& t) { return t.GetDevice(alice, "phone").status(); }));
    ASSERT_CODE(Code::kNotFound,
                store->Read([&](Txn& t) { return t.GetSyncState(alice, "phone", "").status(); }));
    CPPUNIT_ASSERT(ReadValue<std::vector<DeviceRecord>>(*store, [&](Txn& t) {
                     return t.ListDevices(alice);
                   }).empty());
    CPPUNIT_ASSERT(Log(*store, alice, 0).empty());
    // bob was told that alice's folder went away, and his own lost alice.
    auto lb = Log(*store, bob, b0);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, lb.size());
    AssertChange(lb[0], mine.id, ChangeKind::kDelete);
    FolderRecord got = ReadValue<FolderRecord>(*store, [&](Txn& t) { return t.GetFolder(theirs.id); });
    CPPUNIT_ASSERT(got.acl.empty());
    auto bobs = Ids(ReadValue<std::vector<FolderRecord>>(*store, [&](Txn& t) {
      return t.VisibleFolders(bob);
    }));
    CPPUNIT_ASSERT_EQUAL(size_t{11}, bobs.size());
    CPPUNIT_ASSERT(!Contains(bobs, mine.id));
    CPPUNIT_ASSERT(ReadValue<std::vector<FolderRecord>>(*store, [&](Txn& t) {
                     return t.VisibleFolders(alice);
                   }).empty());
  }

  void testReadTxnDeniesWrites() {
    auto store = MustOpen(path_);
    UserId alice = CreateUser(*store, "alice");
    ASSERT_OK(store->Read([&](Txn& t) {
      ASSERT_CODE(Code::kPermissionDenied, core::CreateUserWithDefaultFolders(t, NewUser("bob")).status());
      ASSERT_CODE(Code::kPermissionDenied, t.DeleteUser("alice"));
      FolderRecord f;
      f.owner = alice;
      f.name = "x";
      ASSERT_CODE(Code::kPermissionDenied, t.CreateFolder(f).status());
      ItemRecord item;
      item.folder = 1;
      ASSERT_CODE(Code::kPermissionDenied, t.PutItem(item).status());
      ASSERT_CODE(Code::kPermissionDenied, t.PutSyncState(alice, "d", "", "s"));
      DeviceRecord d;
      d.user = alice;
      d.device_id = "d";
      ASSERT_CODE(Code::kPermissionDenied, t.PutDevice(d));
      return Status::Ok();
    }));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, ReadValue<std::vector<UserRecord>>(*store, [](Txn& t) {
                                      return t.ListUsers();
                                    }).size());
  }

  void testWriteAbortsOnErrorAndException() {
    auto store = MustOpen(path_);
    ASSERT_CODE(Code::kInvalidArgument, store->Write([](Txn& t) {
      Status s = core::CreateUserWithDefaultFolders(t, NewUser("alice")).status();
      if (!s.ok()) return s;
      return Status::Invalid("changed my mind");
    }));
    ASSERT_CODE(Code::kInternal, store->Write([](Txn& t) -> Status {
      core::CreateUserWithDefaultFolders(t, NewUser("bob"));
      throw std::runtime_error("boom");
    }));
    ASSERT_CODE(Code::kInternal, store->Read([](Txn&) -> Status { throw std::bad_alloc(); }));
    CPPUNIT_ASSERT(ReadValue<std::vector<UserRecord>>(*store, [](Txn& t) {
                     return t.ListUsers();
                   }).empty());
    // The first user to be created still gets the first id.
    CPPUNIT_ASSERT_EQUAL(UserId{1}, CreateUserRecord(*store, "carol").id);
  }

  void testCodecRejectsCorruptValues() {
    FolderRecord f;
    f.id = 7;
    f.owner = 3;
    f.parent = 2;
    f.type = folder_type::kUserCalendar;
    f.name = "Calendar ünïcode";
    f.acl = {{4, Rights::kRead}, {5, Rights::kReadWrite}};
    f.hidden = true;
    f.modseq = 1ull << 40;
    std::string bytes = EncodeFolder(f);
    FolderRecord back;
    CPPUNIT_ASSERT(DecodeFolder(bytes, &back) == nullptr);
    CPPUNIT_ASSERT_EQUAL(f.name, back.name);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, back.acl.size());
    CPPUNIT_ASSERT(back.acl[1].rights == Rights::kReadWrite);
    CPPUNIT_ASSERT(back.hidden);
    CPPUNIT_ASSERT_EQUAL(f.modseq, back.modseq);

    // Every truncation is detected.
    for (size_t n = 0; n < bytes.size(); ++n) {
      CPPUNIT_ASSERT(DecodeFolder(bytes.substr(0, n), &back) != nullptr);
    }
    // A field longer than 127 bytes has a two-byte length (read outside the
    // one-byte fast path); it decodes, and its truncations are caught too.
    FolderRecord long_name = f;
    long_name.name = std::string(200, 'n');
    const std::string long_bytes = EncodeFolder(long_name);
    CPPUNIT_ASSERT(DecodeFolder(long_bytes, &back) == nullptr);
    CPPUNIT_ASSERT_EQUAL(long_name.name, back.name);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, back.acl.size());
    for (size_t n = 0; n < long_bytes.size(); ++n) {
      CPPUNIT_ASSERT(DecodeFolder(long_bytes.substr(0, n), &back) != nullptr);
    }
    // Unknown fields from a newer writer are skipped.
    std::string newer = bytes.substr(0, bytes.size() - 1) + std::string("\xc8\x03xyz\0", 6);
    CPPUNIT_ASSERT(DecodeFolder(newer, &back) == nullptr);
    CPPUNIT_ASSERT_EQUAL(f.name, back.name);
    // Another version, bad kinds, garbage: errors, never a crash.
    std::string other = bytes;
    other[0] = 2;
    CPPUNIT_ASSERT(DecodeFolder(other, &back) != nullptr);
    HierarchyChange hc;
    std::string change = EncodeHierarchyChange({1, 2, ChangeKind::kDelete});
    CPPUNIT_ASSERT(DecodeHierarchyChange(change, &hc) == nullptr);
    change[change.size() - 2] = 9;  // kind 9
    CPPUNIT_ASSERT(DecodeHierarchyChange(change, &hc) != nullptr);
    std::srand(42);
    for (int i = 0; i < 2000; ++i) {
      std::string junk(static_cast<size_t>(std::rand() % 64), '\0');
      for (char& c : junk) c = static_cast<char>(std::rand());
      if (!junk.empty() && i % 2 == 0) junk[0] = 1;  // past the version check
      UserRecord u;
      DeviceRecord d;
      ItemRecord it;
      (void)DecodeFolder(junk, &back);
      (void)DecodeUser(junk, &u);
      (void)DecodeDevice(junk, &d);
      (void)DecodeItem(junk, &it);
    }
  }

  void testCorruptRecordInStore() {
    auto store = MustOpen(path_);
    UserId alice = CreateUser(*store, "alice");
    store.reset();

    // Damage alice's record underneath the store (no Store is open, as
    // LMDB wants one environment per file per process).
    RawWrite(path_, "users", [&](MDB_txn* txn, MDB_dbi users) {
      char key[4] = {0, 0, 0, static_cast<char>(alice)};
      char junk[] = "\x01\x02\xff\xff\xff";
      MDB_val k{sizeof key, key}, v{sizeof junk - 1, junk};
      CPPUNIT_ASSERT_EQUAL(0, mdb_put(txn, users, &k, &v, 0));
    });

    store = MustOpen(path_);
    Status s = store->Read([&](Txn& t) { return t.GetUserById(alice).status(); });
    ASSERT_CODE(Code::kIoError, s);
    CPPUNIT_ASSERT(s.message().find("corrupt record") != std::string::npos);
    ASSERT_CODE(Code::kIoError, store->Read([](Txn& t) { return t.GetUser("alice").status(); }));
    ASSERT_CODE(Code::kIoError, store->Read([](Txn& t) { return t.ListUsers().status(); }));
    // The rest of the store still works.
    CreateUser(*store, "bob");
  }

  void testMapGrowth() {
    OpenOptions small;
    small.initial_map_size = 1 << 20;
    auto store = MustOpen(path_, small);
    UserId alice = CreateUser(*store, "alice");
    FolderId inbox = InboxOf(*store, alice);
    const std::string blob(100 * 1024, 'm');
    for (int batch = 0; batch < 20; ++batch) {
      ASSERT_OK(store->Write([&](Txn& t) {
        for (int i = 0; i < 10; ++i) {
          ItemRecord item;
          item.folder = inbox;
          item.data = blob + std::to_string(batch * 10 + i);
          Status s = t.PutItem(std::move(item)).status();
          if (!s.ok()) return s;
        }
        return Status::Ok();
      }));
    }
    CPPUNIT_ASSERT_EQUAL(uint64_t{200}, ReadValue<uint64_t>(*store, [&](Txn& t) {
                                          return t.FolderModseq(inbox);
                                        }));
    ItemRecord last = ReadValue<ItemRecord>(*store, [&](Txn& t) { return t.GetItem(inbox, 200); });
    CPPUNIT_ASSERT_EQUAL(blob + "199", last.data);
    CPPUNIT_ASSERT(std::filesystem::file_size(path_ + "/data.mdb") >= (20u << 20));
    // Reopening with the small initial size keeps the grown map.
    store.reset();
    store = MustOpen(path_, small);
    CPPUNIT_ASSERT_EQUAL(size_t{200}, ReadValue<std::vector<ItemChange>>(*store, [&](Txn& t) {
                                        return t.ItemChangesSince(inbox, 0, 1000);
                                      }).size());
    ItemRecord more;
    more.folder = inbox;
    more.data = blob;
    CPPUNIT_ASSERT_EQUAL(ItemId{201}, WriteValue<ItemRecord>(*store, [&](Txn& t) {
                                        return t.PutItem(more);
                                      }).id);
  }

  void testRetryOnFullRunsFnAgainCleanly() {
    OpenOptions small;
    small.initial_map_size = 1 << 20;
    auto store = MustOpen(path_, small);
    UserId alice = CreateUser(*store, "alice");
    FolderId inbox = InboxOf(*store, alice);
    int runs = 0;
    const std::string blob(64 * 1024, 'r');
    ASSERT_OK(store->Write([&](Txn& t) {
      ++runs;
      for (int i = 0; i < 24; ++i) {  // 1.5 MB: more than the first map
        ItemRecord item;
        item.folder = inbox;
        item.data = blob;
        Status s = t.PutItem(std::move(item)).status();
        if (!s.ok()) return s;
      }
      return Status::Ok();
    }));
    CPPUNIT_ASSERT_EQUAL(2, runs);
    // Only the second run's items: ids 1..24, modseq 24.
    CPPUNIT_ASSERT_EQUAL(uint64_t{24}, ReadValue<uint64_t>(*store, [&](Txn& t) {
                                         return t.FolderModseq(inbox);
                                       }));
    auto log = ReadValue<std::vector<ItemChange>>(*store, [&](Txn& t) {
      return t.ItemChangesSince(inbox, 0, 1000);
    });
    CPPUNIT_ASSERT_EQUAL(size_t{24}, log.size());
    CPPUNIT_ASSERT_EQUAL(ItemId{24}, log.back().item);
  }

  void testStoreFullLeavesNoPartialData() {
    OpenOptions capped;
    capped.initial_map_size = 1 << 20;
    capped.max_map_size = 2 << 20;
    auto store = MustOpen(path_, capped);
    UserId alice = CreateUser(*store, "alice");
    FolderId inbox = InboxOf(*store, alice);
    int runs = 0;
    const std::string blob(64 * 1024, 'f');
    Status s = store->Write([&](Txn& t) {
      ++runs;
      FolderRecord extra;
      extra.owner = alice;
      extra.name = "Extra";
      Status st = t.CreateFolder(extra).status();
      for (int i = 0; st.ok() && i < 48; ++i) {  // 3 MB: more than the cap
        ItemRecord item;
        item.folder = inbox;
        item.data = blob;
        st = t.PutItem(std::move(item)).status();
      }
      return st;
    });
    ASSERT_CODE(Code::kStoreFull, s);
    CPPUNIT_ASSERT_EQUAL(2, runs);
    // At the cap: full at once, without another run.
    runs = 0;
    ASSERT_CODE(Code::kStoreFull, store->Write([&](Txn& t) {
      ++runs;
      for (int i = 0; i < 48; ++i) {
        ItemRecord item;
        item.folder = inbox;
        item.data = blob;
        Status st = t.PutItem(std::move(item)).status();
        if (!st.ok()) return Status::Internal("swallowed: " + st.message());
      }
      return Status::Ok();
    }));
    CPPUNIT_ASSERT_EQUAL(1, runs);

    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, ReadValue<uint64_t>(*store, [&](Txn& t) {
                                        return t.FolderModseq(inbox);
                                      }));
    CPPUNIT_ASSERT(ReadValue<std::vector<ItemChange>>(*store, [&](Txn& t) {
                     return t.ItemChangesSince(inbox, 0, 1000);
                   }).empty());
    CPPUNIT_ASSERT_EQUAL(size_t{10}, ReadValue<std::vector<FolderRecord>>(*store, [&](Txn& t) {
                                      return t.VisibleFolders(alice);
                                    }).size());
    CPPUNIT_ASSERT_EQUAL(uint64_t{9}, Seq(*store, alice));
    // The store still takes small writes, and counters did not move.
    ItemRecord item;
    item.folder = inbox;
    item.data = "small";
    CPPUNIT_ASSERT_EQUAL(ItemId{1}, WriteValue<ItemRecord>(*store, [&](Txn& t) {
                                      return t.PutItem(item);
                                    }).id);
  }

  // A request's reads share one snapshot: a write elsewhere (another
  // worker, easctl) is not half-seen by it; its own write ends the
  // snapshot, so what it reads next includes that write; and a write from
  // inside one of its reads is refused instead of waiting on itself.
  void testReadHoldSharesOneSnapshot() {
    auto a = MustOpen(path_);
    auto other = MustOpen(path_);
    CreateUser(*a, "alice");
    auto users = [&] {
      return ReadValue<std::vector<UserRecord>>(*a, [](Txn& t) { return t.ListUsers(); }).size();
    };
    {
      Store::ReadHold hold = a->HoldReads();
      CPPUNIT_ASSERT_EQUAL(size_t{1}, users());
      CreateUser(*other, "bob");
      CPPUNIT_ASSERT_EQUAL(size_t{1}, users());  // still the snapshot of the first read
      Store::ReadHold inner = a->HoldReads();    // nested: the outer one stays in charge
      CPPUNIT_ASSERT_EQUAL(size_t{1}, users());
      CreateUser(*a, "carol");                   // own write: snapshot ends
      CPPUNIT_ASSERT_EQUAL(size_t{3}, users());
      Status nested = a->Read([&](Txn&) {
        return a->Write([](Txn& t) { return core::CreateUserWithDefaultFolders(t, NewUser("dave")).status(); });
      });
      ASSERT_CODE(Code::kInternal, nested);
      CPPUNIT_ASSERT_EQUAL(size_t{3}, users());
    }
    CreateUser(*other, "erin");
    CPPUNIT_ASSERT_EQUAL(size_t{4}, users());  // no hold: every read is fresh
  }

  // A read parks its transaction for the next one, which takes it only
  // while no write has committed since: a write of another process, or our
  // own, is seen by the very next read. Idle, the snapshot is let go.
  void testParkedSnapshotFollowsWrites() {
    auto a = MustOpen(path_);
    auto b = MustOpen(path_);  // another process, as far as LMDB is concerned
    UserId alice = CreateUser(*a, "alice");
    FolderId inbox = InboxOf(*a, alice);
    auto modseq = [&](Store& s) {
      return ReadValue<uint64_t>(s, [&](Txn& t) { return t.FolderModseq(inbox); });
    };
    auto put = [&](Store& s) {
      ItemRecord item;
      item.folder = inbox;
      item.data = "x";
      WriteValue<ItemRecord>(s, [&](Txn& t) { return t.PutItem(item); });
    };
    const uint64_t m0 = modseq(*a);
    CPPUNIT_ASSERT_EQUAL(m0, modseq(*a));  // the parked snapshot, reused
    CPPUNIT_ASSERT_EQUAL(size_t{1}, a->IdleSnapshots());
    put(*b);
    CPPUNIT_ASSERT_EQUAL(m0 + 1, modseq(*a));
    put(*a);
    CPPUNIT_ASSERT_EQUAL(m0 + 2, modseq(*a));
    CPPUNIT_ASSERT_EQUAL(m0 + 2, modseq(*b));
    a->ReleaseIdleSnapshots();
    CPPUNIT_ASSERT_EQUAL(size_t{0}, a->IdleSnapshots());
    put(*b);
    CPPUNIT_ASSERT_EQUAL(m0 + 3, modseq(*a));  // a reset transaction renews
    CPPUNIT_ASSERT_EQUAL(size_t{1}, a->IdleSnapshots());
  }

  void testTwoStoresSeeEachOther() {
    OpenOptions small;
    small.initial_map_size = 1 << 20;
    auto a = MustOpen(path_, small);
    auto b = MustOpen(path_, small);
    UserId alice = CreateUser(*a, "alice");
    CPPUNIT_ASSERT_EQUAL(alice, ReadValue<UserRecord>(*b, [](Txn& t) {
                                  return t.GetUser("alice");
                                }).id);
    FolderId inbox = InboxOf(*b, alice);
    // b grows the map far beyond a's; a must adopt it (MDB_MAP_RESIZED).
    const std::string blob(256 * 1024, 'b');
    for (int i = 0; i < 16; ++i) {
      ItemRecord item;
      item.folder = inbox;
      item.data = blob;
      WriteValue<ItemRecord>(*b, [&](Txn& t) { return t.PutItem(item); });
    }
    CPPUNIT_ASSERT_EQUAL(uint64_t{16}, ReadValue<uint64_t>(*a, [&](Txn& t) {
                                         return t.FolderModseq(inbox);
                                       }));
    CPPUNIT_ASSERT_EQUAL(blob, ReadValue<ItemRecord>(*a, [&](Txn& t) {
                                 return t.GetItem(inbox, 16);
                               }).data);
    ItemRecord from_a;
    from_a.folder = inbox;
    from_a.data = "from a";
    CPPUNIT_ASSERT_EQUAL(ItemId{17}, WriteValue<ItemRecord>(*a, [&](Txn& t) {
                                       return t.PutItem(from_a);
                                     }).id);
    CPPUNIT_ASSERT_EQUAL(std::string("from a"), ReadValue<ItemRecord>(*b, [&](Txn& t) {
                                                  return t.GetItem(inbox, 17);
                                                }).data);
  }

  void testForkedWriterGrowsMap() {
    OpenOptions small;
    small.initial_map_size = 1 << 20;
    auto store = MustOpen(path_, small);
    UserId alice = CreateUser(*store, "alice");
    FolderId inbox = InboxOf(*store, alice);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, ReadValue<uint64_t>(*store, [&](Txn& t) {
                                        return t.FolderModseq(inbox);
                                      }));
    pid_t pid = fork();
    CPPUNIT_ASSERT(pid >= 0);
    if (pid == 0) {  // as easctl would: its own process, its own environment
      auto child = Store::Open(path_, small);
      if (!child.ok()) _exit(2);
      const std::string blob(512 * 1024, 'c');
      for (int i = 0; i < 12; ++i) {
        Status s = (*child)->Write([&](Txn& t) {
          ItemRecord item;
          item.folder = inbox;
          item.data = blob;
          return t.PutItem(std::move(item)).status();
        });
        if (!s.ok()) _exit(3);
      }
      _exit(0);
    }
    int status = 0;
    CPPUNIT_ASSERT_EQUAL(pid, waitpid(pid, &status, 0));
    CPPUNIT_ASSERT(WIFEXITED(status));
    CPPUNIT_ASSERT_EQUAL(0, WEXITSTATUS(status));
    CPPUNIT_ASSERT_EQUAL(uint64_t{12}, ReadValue<uint64_t>(*store, [&](Txn& t) {
                                         return t.FolderModseq(inbox);
                                       }));
    CPPUNIT_ASSERT_EQUAL(size_t{512 * 1024}, ReadValue<ItemRecord>(*store, [&](Txn& t) {
                                               return t.GetItem(inbox, 12);
                                             }).data.size());
  }

  // nginx reads on the event loop while the thread pool writes: reads
  // must go on (and see monotonic modseqs) while the map is resized.
  void testReadsWhileAnotherThreadGrowsMap() {
    OpenOptions small;
    small.initial_map_size = 1 << 20;
    auto store = MustOpen(path_, small);
    UserId alice = CreateUser(*store, "alice");
    FolderId inbox = InboxOf(*store, alice);
    std::atomic<bool> done{false};
    std::atomic<int> failures{0};
    std::thread writer([&] {
      const std::string blob(200 * 1024, 'w');
      for (int i = 0; i < 60; ++i) {
        Status s = store->Write([&](Txn& t) {
          ItemRecord item;
          item.folder = inbox;
          item.data = blob;
          return t.PutItem(std::move(item)).status();
        });
        if (!s.ok()) ++failures;
      }
      done = true;
    });
    auto read_loop = [&] {
      uint64_t last = 0;
      while (!done) {
        Status s = store->Read([&](Txn& t) {
          Result<uint64_t> m = t.FolderModseq(inbox);
          if (!m.ok()) return m.status();
          if (*m < last) return Status::Internal("modseq went backwards");
          last = *m;
          if (last == 0) return Status::Ok();
          return t.GetItem(inbox, last).status();
        });
        if (!s.ok()) ++failures;
      }
    };
    std::thread reader(read_loop);
    read_loop();
    writer.join();
    reader.join();
    CPPUNIT_ASSERT_EQUAL(0, failures.load());
    CPPUNIT_ASSERT_EQUAL(uint64_t{60}, ReadValue<uint64_t>(*store, [&](Txn& t) {
                                         return t.FolderModseq(inbox);
                                       }));
  }

 private:
  static UserRecord CreateUserRecord(Store& store, const std::string& name) {
    return WriteValue<UserRecord>(store, [&](Txn& t) { return core::CreateUserWithDefaultFolders(t, NewUser(name)); });
  }
  static UserId CreateUser(Store& store, const std::string& name) {
    return CreateUserRecord(store, name).id;
  }
  static FolderId InboxOf(Store& store, UserId user) {
    auto folders = ReadValue<std::vector<FolderRecord>>(store, [&](Txn& t) {
      return t.VisibleFolders(user);
    });
    for (const auto& f : folders) {
      if (f.type == folder_type::kInbox) return f.id;
    }
    CPPUNIT_FAIL("no inbox");
    return 0;
  }

  std::string tmp_;
  std::string path_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StorageTest);

}  // namespace eas::storage
