// Tests of the store check (Store::Check with core's SyncStateReader): a
// store made through the ordinary API is clean; each test then damages it
// the way a lost write would (an index entry, an item, a blob, a log entry
// deleted with LMDB directly, a state written ahead) and expects exactly
// the problem lines that damage must cause.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <lmdb.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/collection_state.hpp"
#include "core/default_folders.hpp"
#include "core/hierarchy_state.hpp"
#include "core/sync_state_reader.hpp"
#include "storage/keys.hpp"
#include "storage/store.hpp"
#include "storage/store_check.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::storage {
namespace {

constexpr const char* kDevice = "PHONE1";
constexpr uint64_t kTime = 1700000000;

// What the fixture made, for the tests to aim at.
struct Made {
  UserId user = 0;
  FolderId inbox = 0;
  ItemId kept = 0;      // live, held by the device, with a blob and a time
  ItemId deleted = 0;   // deleted while held: a tombstone
  uint64_t blob = 0;
  uint64_t modseq = 0;  // the Inbox's modseq
};

// The problems as easctl prints them, without "problem: ".
std::vector<std::string> Lines(const CheckReport& report) {
  std::vector<std::string> lines;
  for (const CheckProblem& p : report.problems) lines.push_back(p.db + " " + p.key + ": " + p.what);
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

class StoreCheckTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(StoreCheckTest);
  CPPUNIT_TEST(testCleanStoreHasNoProblems);
  CPPUNIT_TEST(testMissingTimeIndexEntry);
  CPPUNIT_TEST(testMissingItem);
  CPPUNIT_TEST(testMissingBlobBytes);
  CPPUNIT_TEST(testMissingLogEntry);
  CPPUNIT_TEST(testMissingFolderIndexEntry);
  CPPUNIT_TEST(testMissingTombstoneOfAHeldItem);
  CPPUNIT_TEST(testSyncStateAheadOfTheLog);
  CPPUNIT_TEST(testStatesOfAMissingDevice);
  CPPUNIT_TEST(testDeletedFolderLeavesOnlyStaleStates);
  CPPUNIT_TEST(testMalformedOutgoingMessage);
  CPPUNIT_TEST(testUndecodableRecord);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-check-test-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
    path_ = tmp_ + "/store";
    Make();
  }

  void tearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(tmp_, ec);
  }

  void testCleanStoreHasNoProblems() {
    CheckReport report = Check();
    CPPUNIT_ASSERT_EQUAL(std::string(), Joined(Lines(report)));
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, report.users);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, report.devices);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, report.blobs);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, report.outgoing);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, report.stale_sync_states);
    CPPUNIT_ASSERT(report.items >= 1 && report.sync_states == 4);
  }

  void testMissingTimeIndexEntry() {
    Delete("items_by_time", keys::ItemTime(m_.inbox, kTime, m_.kept));
    Expect({"items " + Item(m_.kept) + ": no items_by_time entry at time " + std::to_string(kTime)});
  }

  // The item went, its index entries and its blob's count stayed.
  void testMissingItem() {
    Delete("items", keys::FolderAnd(m_.inbox, m_.kept));
    const std::string log = std::to_string(m_.inbox) + "/" + std::to_string(m_.modseq - 1);
    Expect({"blob_refs " + std::to_string(m_.blob) + ": count 1, but 0 items refer to it",
            "held_items 1/PHONE1/" + Item(m_.kept) + ": item is gone without a tombstone",
            "item_log " + log + ": add or change of item " + std::to_string(m_.kept) +
                ", which is missing",
            "items_by_time " + std::to_string(m_.inbox) + "/" + std::to_string(kTime) + "/" +
                std::to_string(m_.kept) + ": item is missing"});
  }

  void testMissingBlobBytes() {
    Delete("blobs", keys::Blob(m_.blob));
    Expect({"blob_refs " + std::to_string(m_.blob) + ": the blob's bytes are missing",
            "items " + Item(m_.kept) + ": blob " + std::to_string(m_.blob) + " is missing"});
  }

  void testMissingLogEntry() {
    Delete("item_log", keys::FolderAnd(m_.inbox, m_.modseq - 1));
    Expect({"items " + Item(m_.kept) + ": no item_log entry at its modseq " +
            std::to_string(m_.modseq - 1)});
  }

  void testMissingFolderIndexEntry() {
    Delete("user_folders", keys::UserAnd(m_.user, m_.inbox));
    Expect({"folders " + std::to_string(m_.inbox) + ": no user_folders entry for user " +
            std::to_string(m_.user)});
  }

  // The device still holds the deleted item, but the delete's tombstone
  // is gone: the device would keep the message for ever.
  void testMissingTombstoneOfAHeldItem() {
    Delete("item_log", keys::FolderAnd(m_.inbox, m_.modseq));
    Expect({"held_items 1/PHONE1/" + Item(m_.deleted) + ": item is gone without a tombstone"});
  }

  void testSyncStateAheadOfTheLog() {
    auto store = MustOpen(path_);
    core::CollectionState state;
    state.key = 3;
    state.seen_modseq = m_.modseq + 5;
    ASSERT_OK(store->Write([&](Txn& txn) {
      return txn.PutSyncState(m_.user, kDevice, std::to_string(m_.inbox),
                              core::EncodeCollectionState(state));
    }));
    store.reset();
    Expect({"sync_states 1/PHONE1/" + std::to_string(m_.inbox) +
            ": key ahead of the change log: names modseq " + std::to_string(m_.modseq + 5) +
            ", the folder is at " + std::to_string(m_.modseq)});
  }

  // The device record went, what it kept stayed.
  void testStatesOfAMissingDevice() {
    Delete("devices", keys::Device(m_.user, kDevice));
    const std::string inbox = std::to_string(m_.inbox);
    Expect({"held_items 1/PHONE1/" + Item(m_.deleted) + ": device is missing",
            "held_items 1/PHONE1/" + Item(m_.kept) + ": device is missing",
            "sync_states 1/PHONE1/: device is missing",
            "sync_states 1/PHONE1/" + inbox + ": device is missing",
            "sync_states 1/PHONE1/" + inbox + "#answer: device is missing",
            "sync_states 1/PHONE1/ping: device is missing"});
  }

  // Deleting a folder the device synced leaves its sync states (folder
  // ids are never reused): counted, not problems.
  void testDeletedFolderLeavesOnlyStaleStates() {
    auto store = MustOpen(path_);
    ASSERT_OK(store->Write([&](Txn& txn) { return txn.DeleteFolder(m_.inbox); }));
    store.reset();
    CheckReport report = Check();
    CPPUNIT_ASSERT_EQUAL(std::string(), Joined(Lines(report)));
    CPPUNIT_ASSERT_EQUAL(uint64_t{2}, report.stale_sync_states);
  }

  void testMalformedOutgoingMessage() {
    auto store = MustOpen(path_);
    OutgoingRecord bad;
    bad.user = m_.user;
    bad.sender = "alice@example.org";
    bad.recipients = {"nobody"};
    bad.message = "no headers at all";
    uint64_t id = WriteValue<uint64_t>(*store, [&](Txn& txn) { return txn.QueueOutgoing(bad); });
    store.reset();
    Expect({"outgoing " + std::to_string(id) + ": recipient without a domain: nobody",
            "outgoing " + std::to_string(id) + ": the message has no header/body boundary (17 bytes)"});
  }

  void testUndecodableRecord() {
    RawWrite(path_, "items", [&](MDB_txn* txn, MDB_dbi dbi) {
      std::string key = keys::FolderAnd(m_.inbox, m_.kept);
      MDB_val k{key.size(), key.data()};
      MDB_val v{3, const_cast<char*>("\x07xx")};
      CPPUNIT_ASSERT_EQUAL(0, mdb_put(txn, dbi, &k, &v, 0));
    });
    // The record itself, and everything that pointed at the item it was.
    const std::string log = std::to_string(m_.inbox) + "/" + std::to_string(m_.modseq - 1);
    Expect({"blob_refs " + std::to_string(m_.blob) + ": count 1, but 0 items refer to it",
            "held_items 1/PHONE1/" + Item(m_.kept) + ": item is gone without a tombstone",
            "item_log " + log + ": add or change of item " + std::to_string(m_.kept) +
                ", which is missing",
            "items " + Item(m_.kept) + ": unsupported format version",
            "items_by_time " + std::to_string(m_.inbox) + "/" + std::to_string(kTime) + "/" +
                std::to_string(m_.kept) + ": item is missing"});
  }

 private:
  // A user with the default folders; in the Inbox one live item (blob,
  // time) and one deleted item, both synced to a device (so the delete
  // left a tombstone); the device's hierarchy, collection, answer and
  // Ping states; one message in the outgoing queue.
  void Make() {
    auto store = MustOpen(path_);
    ASSERT_OK(store->Write([&](Txn& txn) -> Status {
      auto user = core::CreateUserWithDefaultFolders(txn, NewUser("alice"));
      if (!user.ok()) return user.status();
      m_.user = user->id;
      auto folders = txn.VisibleFolders(m_.user);
      if (!folders.ok()) return folders.status();
      m_.inbox = folders->front().id;
      DeviceRecord device;
      device.user = m_.user;
      device.device_id = kDevice;
      if (Status s = txn.PutDevice(device); !s.ok()) return s;
      if (Status s = txn.NoteReader(m_.user, kDevice, m_.inbox, kTime, true); !s.ok()) return s;

      auto blob = txn.PutBlob(m_.user, "key", "From: a\r\n\r\nbody\r\n");
      if (!blob.ok()) return blob.status();
      m_.blob = *blob;
      ItemRecord doomed{m_.inbox, 0, 0, 0, "doomed", 0, 0};
      auto put = txn.PutItem(doomed);
      if (!put.ok()) return put.status();
      m_.deleted = put->id;
      ItemRecord kept{m_.inbox, 0, 0, 0, "kept", m_.blob, kTime};
      put = txn.PutItem(kept);
      if (!put.ok()) return put.status();
      m_.kept = put->id;
      for (ItemId id : {m_.kept, m_.deleted}) {
        if (Status s = txn.SetHeld(m_.user, kDevice, m_.inbox, id, true); !s.ok()) return s;
      }
      if (Status s = txn.DeleteItem(m_.inbox, m_.deleted); !s.ok()) return s;
      auto modseq = txn.FolderModseq(m_.inbox);
      if (!modseq.ok()) return modseq.status();
      m_.modseq = *modseq;

      core::CollectionState state;
      state.key = 2;
      state.seen_modseq = m_.modseq;
      const std::string inbox = std::to_string(m_.inbox);
      Status s = txn.PutSyncState(m_.user, kDevice, inbox, core::EncodeCollectionState(state));
      if (s.ok()) s = txn.PutSyncState(m_.user, kDevice, inbox + "#answer", "answer");
      if (s.ok()) s = txn.PutSyncState(m_.user, kDevice, "ping", "params");
      core::HierarchyState hierarchy;
      auto seq = txn.HierarchySeq(m_.user);
      if (!seq.ok()) return seq.status();
      hierarchy.key = 1;
      hierarchy.seen_seq = *seq;
      if (s.ok()) s = txn.PutSyncState(m_.user, kDevice, "", core::EncodeHierarchyState(hierarchy));
      if (!s.ok()) return s;

      OutgoingRecord out;
      out.user = m_.user;
      out.sender = "alice@example.org";
      out.recipients = {"bob@example.com"};
      out.message = "Subject: hi\r\n\r\nhello\r\n";
      return txn.QueueOutgoing(out).status();
    }));
  }

  CheckReport Check() {
    auto store = MustOpen(path_);
    return Must(store->Check(core::SyncStateReader()));
  }

  void Expect(std::vector<std::string> want) {
    std::sort(want.begin(), want.end());
    CPPUNIT_ASSERT_EQUAL(Joined(want), Joined(Lines(Check())));
  }

  std::string Item(ItemId id) const { return std::to_string(m_.inbox) + "/" + std::to_string(id); }

  void Delete(const char* name, const std::string& key) {
    RawWrite(path_, name, [&](MDB_txn* txn, MDB_dbi dbi) {
      MDB_val k{key.size(), const_cast<char*>(key.data())};
      CPPUNIT_ASSERT_EQUAL(0, mdb_del(txn, dbi, &k, nullptr));
    });
  }

  std::string tmp_, path_;
  Made m_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoreCheckTest);

}  // namespace eas::storage
