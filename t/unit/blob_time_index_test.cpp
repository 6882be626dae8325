// Tests of blobs (Txn::PutBlob and the references items hold) and of the
// per-folder time index (Txn::ItemsByTime). Each opens a fresh environment
// under mkdtemp; the leak checks read the databases with LMDB directly once
// the Store is closed.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <lmdb.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/codec.hpp"
#include "storage/field_codec.hpp"
#include "storage/store.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::storage {
namespace {

constexpr const char* kNewDatabases[] = {"blobs", "blob_refs", "blob_keys", "items_by_time"};

// Entries of a named database, read with LMDB directly: LMDB wants one
// environment per file per process, so no Store may be open on `path`.
size_t Entries(const std::string& path, const char* name) {
  MDB_env* env = nullptr;
  CPPUNIT_ASSERT_EQUAL(0, mdb_env_create(&env));
  mdb_env_set_maxdbs(env, 32);
  CPPUNIT_ASSERT_EQUAL(0, mdb_env_open(env, path.c_str(), MDB_RDONLY, 0660));
  MDB_txn* txn = nullptr;
  CPPUNIT_ASSERT_EQUAL(0, mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn));
  MDB_dbi dbi;
  CPPUNIT_ASSERT_EQUAL(0, mdb_dbi_open(txn, name, 0, &dbi));
  MDB_stat stat;
  CPPUNIT_ASSERT_EQUAL(0, mdb_stat(txn, dbi, &stat));
  mdb_txn_abort(txn);
  mdb_env_close(env);
  return stat.ms_entries;
}

std::vector<ItemId> Ids(const std::vector<ItemRecord>& items) {
  std::vector<ItemId> ids;
  for (const ItemRecord& item : items) ids.push_back(item.id);
  return ids;
}

// Distinct bytes, so a value cut or shifted anywhere does not compare equal.
std::string Pattern(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + i / 251) & 0xff);
  return bytes;
}

}  // namespace

class BlobTimeIndexTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(BlobTimeIndexTest);
  CPPUNIT_TEST(testItemCodecReadsRecordsWithoutBlobOrTime);
  CPPUNIT_TEST(testOlderStoreGainsTheNewDatabases);
  CPPUNIT_TEST(testPutViewFindBlob);
  CPPUNIT_TEST(testBlobKeyIsUniquePerUser);
  CPPUNIT_TEST(testCopiesShareABlobUntilTheLastGoes);
  CPPUNIT_TEST(testUpdateMovesTheBlobReference);
  CPPUNIT_TEST(testUnreferencedBlobGoesAtCommit);
  CPPUNIT_TEST(testPutItemWithMissingBlobChangesNothing);
  CPPUNIT_TEST(testDeleteFolderReleasesBlobsAndTimeIndex);
  CPPUNIT_TEST(testDeleteUserReleasesBlobs);
  CPPUNIT_TEST(testFiveMegabyteBlob);
  CPPUNIT_TEST(testBlobSurvivesMapFullRetry);
  CPPUNIT_TEST(testItemsByTimeOrderAndFrom);
  CPPUNIT_TEST(testItemsByTimePaging);
  CPPUNIT_TEST(testItemsByTimeDescending);
  CPPUNIT_TEST(testItemsByTimeFollowsUpdatesAndDeletes);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-blob-test-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
    path_ = tmp_ + "/store";
  }

  void tearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(tmp_, ec);
  }

  // Records written before the blob and time tags existed read as 0, and
  // an item without them is encoded exactly as before (no tag bytes).
  void testItemCodecReadsRecordsWithoutBlobOrTime() {
    FieldWriter old;
    old.Uint(1, 7);    // folder
    old.Uint(2, 42);   // id
    old.Uint(3, 9);    // modseq
    old.Bytes(4, "data");
    old.Uint(5, 3);    // created
    const std::string old_bytes = std::move(old).Finish();

    ItemRecord item;
    item.blob = 99;
    item.time = 99;
    CPPUNIT_ASSERT(DecodeItem(old_bytes, &item) == nullptr);
    CPPUNIT_ASSERT_EQUAL(ItemId{42}, item.id);
    CPPUNIT_ASSERT_EQUAL(std::string("data"), item.data);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, item.blob);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, item.time);
    CPPUNIT_ASSERT(EncodeItem(item) == old_bytes);
    uint64_t blob = 5;
    CPPUNIT_ASSERT(DecodeItemBlob(old_bytes, &blob) == nullptr);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, blob);

    item.blob = 1ull << 40;
    item.time = 1700000000;
    const std::string bytes = EncodeItem(item);
    ItemRecord back;
    CPPUNIT_ASSERT(DecodeItem(bytes, &back) == nullptr);
    CPPUNIT_ASSERT_EQUAL(item.blob, back.blob);
    CPPUNIT_ASSERT_EQUAL(item.time, back.time);
    CPPUNIT_ASSERT(DecodeItemBlob(bytes, &blob) == nullptr);
    CPPUNIT_ASSERT_EQUAL(item.blob, blob);
    for (size_t n = 0; n < bytes.size(); ++n) {
      CPPUNIT_ASSERT(DecodeItemBlob(bytes.substr(0, n), &blob) != nullptr);
    }
  }

  // A store written before the new databases existed gets them on open.
  void testOlderStoreGainsTheNewDatabases() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    store.reset();

    MDB_env* env = nullptr;
    CPPUNIT_ASSERT_EQUAL(0, mdb_env_create(&env));
    mdb_env_set_maxdbs(env, 32);
    CPPUNIT_ASSERT_EQUAL(0, mdb_env_open(env, path_.c_str(), 0, 0660));
    MDB_txn* txn = nullptr;
    CPPUNIT_ASSERT_EQUAL(0, mdb_txn_begin(env, nullptr, 0, &txn));
    for (const char* name : kNewDatabases) {
      MDB_dbi dbi;
      CPPUNIT_ASSERT_EQUAL(0, mdb_dbi_open(txn, name, 0, &dbi));
      CPPUNIT_ASSERT_EQUAL(0, mdb_drop(txn, dbi, 1));  // gone from the environment
    }
    CPPUNIT_ASSERT_EQUAL(0, mdb_txn_commit(txn));
    CPPUNIT_ASSERT_EQUAL(0, mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn));
    MDB_dbi dbi;
    CPPUNIT_ASSERT_EQUAL(MDB_NOTFOUND, mdb_dbi_open(txn, "blobs", 0, &dbi));
    mdb_txn_abort(txn);
    mdb_env_close(env);

    store = MustOpen(path_);
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    ItemRecord item = PutWithNewBlob(*store, inbox, alice, "key", "bytes", 100);
    CPPUNIT_ASSERT_EQUAL(std::string("bytes"), BlobBytes(*store, item.blob));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, ByTime(*store, inbox, 0, 0, 0, 10).size());
    store.reset();
    for (const char* name : kNewDatabases) {
      CPPUNIT_ASSERT_EQUAL(size_t{1}, Entries(path_, name));
    }
  }

  void testPutViewFindBlob() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice"), bob = AddUser(*store, "bob");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    ItemRecord keyed = PutWithNewBlob(*store, inbox, alice, "<m1@x> sha", "hello", 0);
    ItemRecord unkeyed = PutWithNewBlob(*store, inbox, alice, "", "", 0);
    CPPUNIT_ASSERT(keyed.blob != 0 && unkeyed.blob != 0 && keyed.blob != unkeyed.blob);

    // Readable in a read transaction; an empty blob is a blob.
    CPPUNIT_ASSERT_EQUAL(std::string("hello"), BlobBytes(*store, keyed.blob));
    CPPUNIT_ASSERT_EQUAL(std::string(), BlobBytes(*store, unkeyed.blob));
    CPPUNIT_ASSERT_EQUAL(keyed.blob, ReadValue<uint64_t>(*store, [&](Txn& t) {
                           return t.FindBlob(alice, "<m1@x> sha");
                         }));
    ASSERT_CODE(Code::kNotFound, Find(*store, bob, "<m1@x> sha"));
    ASSERT_CODE(Code::kNotFound, Find(*store, alice, "<m1@x>"));
    ASSERT_CODE(Code::kNotFound, Find(*store, alice, ""));
    ASSERT_CODE(Code::kNotFound, View(*store, 999999));
    ItemRecord got = ReadValue<ItemRecord>(*store, [&](Txn& t) {
      return t.GetItem(inbox, keyed.id);
    });
    CPPUNIT_ASSERT_EQUAL(keyed.blob, got.blob);

    // Readers may not write; no such user; a key too long for LMDB.
    ASSERT_CODE(Code::kPermissionDenied,
                store->Read([&](Txn& t) { return t.PutBlob(alice, "k", "b").status(); }));
    ASSERT_CODE(Code::kNotFound,
                store->Write([&](Txn& t) { return t.PutBlob(4242, "k", "b").status(); }));
    ASSERT_CODE(Code::kInvalidArgument, store->Write([&](Txn& t) {
      return t.PutBlob(alice, std::string(501, 'k'), "b").status();
    }));
    const std::string longest(500, 'k');
    ItemRecord at_limit = PutWithNewBlob(*store, inbox, alice, longest, "long key", 0);
    CPPUNIT_ASSERT_EQUAL(at_limit.blob, ReadValue<uint64_t>(*store, [&](Txn& t) {
                           return t.FindBlob(alice, longest);
                         }));
  }

  void testBlobKeyIsUniquePerUser() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice"), bob = AddUser(*store, "bob");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    FolderId bobs = AddFolder(*store, bob, "Inbox");
    ItemRecord first = PutWithNewBlob(*store, inbox, alice, "k", "one", 0);

    ASSERT_CODE(Code::kAlreadyExists,
                store->Write([&](Txn& t) { return t.PutBlob(alice, "k", "two").status(); }));
    // Also within the transaction that put it.
    ASSERT_CODE(Code::kAlreadyExists, store->Write([&](Txn& t) {
      Result<uint64_t> blob = t.PutBlob(alice, "fresh", "x");
      if (!blob.ok()) return blob.status();
      return t.PutBlob(alice, "fresh", "y").status();
    }));
    // Keys are per user.
    ItemRecord other = PutWithNewBlob(*store, bobs, bob, "k", "bob's", 0);
    CPPUNIT_ASSERT(other.blob != first.blob);

    // Once the blob is gone its key is free again, for a new id.
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteItem(inbox, first.id); }));
    ASSERT_CODE(Code::kNotFound, Find(*store, alice, "k"));
    ItemRecord again = PutWithNewBlob(*store, inbox, alice, "k", "three", 0);
    CPPUNIT_ASSERT(again.blob > other.blob);
    CPPUNIT_ASSERT_EQUAL(std::string("three"), BlobBytes(*store, again.blob));
  }

  // A move is a copy sharing the blob, then the original's delete.
  void testCopiesShareABlobUntilTheLastGoes() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    FolderId archive = AddFolder(*store, alice, "Archive");
    ItemRecord original = PutWithNewBlob(*store, inbox, alice, "m", "message", 10);
    ItemRecord copy = original;
    copy.folder = archive;
    copy.id = 0;
    copy = WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(copy); });
    CPPUNIT_ASSERT_EQUAL(original.blob, copy.blob);
    ItemRecord second_copy = copy;
    second_copy.id = 0;
    second_copy = WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(second_copy); });

    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteItem(inbox, original.id); }));
    CPPUNIT_ASSERT_EQUAL(std::string("message"), BlobBytes(*store, original.blob));
    CPPUNIT_ASSERT_EQUAL(original.blob,
                         ReadValue<uint64_t>(*store, [&](Txn& t) { return t.FindBlob(alice, "m"); }));
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteItem(archive, copy.id); }));
    CPPUNIT_ASSERT_EQUAL(std::string("message"), BlobBytes(*store, original.blob));
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteItem(archive, second_copy.id); }));
    ASSERT_CODE(Code::kNotFound, View(*store, original.blob));
    ASSERT_CODE(Code::kNotFound, Find(*store, alice, "m"));
    store.reset();
    for (const char* name : kNewDatabases) CPPUNIT_ASSERT_EQUAL(size_t{0}, Entries(path_, name));
  }

  void testUpdateMovesTheBlobReference() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    ItemRecord item = PutWithNewBlob(*store, inbox, alice, "old", "old bytes", 0);
    const uint64_t old_blob = item.blob;

    // Another blob: the old one goes with its only reference.
    item = WriteValue<ItemRecord>(*store, [&](Txn& t) -> Result<ItemRecord> {
      Result<uint64_t> blob = t.PutBlob(alice, "new", "new bytes");
      if (!blob.ok()) return blob.status();
      item.blob = *blob;
      return t.PutItem(item);
    });
    ASSERT_CODE(Code::kNotFound, View(*store, old_blob));
    ASSERT_CODE(Code::kNotFound, Find(*store, alice, "old"));
    CPPUNIT_ASSERT_EQUAL(std::string("new bytes"), BlobBytes(*store, item.blob));

    // An update that keeps the blob takes no second reference: the
    // item's delete is still the last one.
    item.data = "edited";
    item = WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(item); });
    CPPUNIT_ASSERT_EQUAL(std::string("new bytes"), BlobBytes(*store, item.blob));
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteItem(inbox, item.id); }));
    ASSERT_CODE(Code::kNotFound, View(*store, item.blob));

    // Dropping the blob from an item (blob 0) releases it too.
    ItemRecord plain = PutWithNewBlob(*store, inbox, alice, "", "bytes", 0);
    const uint64_t dropped = plain.blob;
    plain.blob = 0;
    plain = WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(plain); });
    ASSERT_CODE(Code::kNotFound, View(*store, dropped));
  }

  // A blob nothing refers to when its transaction commits is not kept.
  void testUnreferencedBlobGoesAtCommit() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    uint64_t lonely = 0;
    ASSERT_OK(store->Write([&](Txn& t) -> Status {
      Result<uint64_t> blob = t.PutBlob(alice, "lonely", "nobody's");
      if (!blob.ok()) return blob.status();
      lonely = *blob;
      // Visible inside its own transaction.
      std::string_view bytes;
      Status s = t.ViewBlob(lonely, &bytes);
      if (s.ok() && bytes != "nobody's") s = Status::Internal("wrong bytes");
      return s;
    }));
    ASSERT_CODE(Code::kNotFound, View(*store, lonely));
    ASSERT_CODE(Code::kNotFound, Find(*store, alice, "lonely"));

    // Referred to, then its item deleted, in one transaction.
    uint64_t brief = 0;
    ASSERT_OK(store->Write([&](Txn& t) -> Status {
      Result<uint64_t> blob = t.PutBlob(alice, "brief", "x");
      if (!blob.ok()) return blob.status();
      brief = *blob;
      ItemRecord item;
      item.folder = inbox;
      item.blob = brief;
      Result<ItemRecord> put = t.PutItem(item);
      if (!put.ok()) return put.status();
      return t.DeleteItem(inbox, put->id);
    }));
    ASSERT_CODE(Code::kNotFound, View(*store, brief));
    store.reset();
    for (const char* name : {"blobs", "blob_refs", "blob_keys"}) {
      CPPUNIT_ASSERT_EQUAL(size_t{0}, Entries(path_, name));
    }
  }

  // kNotFound, and nothing written: a caller that ignores the error and
  // commits keeps the store as it was.
  void testPutItemWithMissingBlobChangesNothing() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    ItemRecord item;
    item.folder = inbox;
    item.data = "v1";
    item.time = 5;
    item = WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(item); });

    ItemRecord bad = item;
    bad.blob = 777;
    bad.time = 6;
    ItemRecord added;
    added.folder = inbox;
    added.blob = 777;
    ASSERT_OK(store->Write([&](Txn& t) {
      ASSERT_CODE(Code::kNotFound, t.PutItem(bad).status());
      ASSERT_CODE(Code::kNotFound, t.PutItem(added).status());
      return Status::Ok();
    }));
    CPPUNIT_ASSERT_EQUAL(uint64_t{1},
                         ReadValue<uint64_t>(*store, [&](Txn& t) { return t.FolderModseq(inbox); }));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, ReadValue<std::vector<ItemChange>>(*store, [&](Txn& t) {
                                      return t.ItemChangesSince(inbox, 0, 100);
                                    }).size());
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 0, 0, 0, 10)) == std::vector<ItemId>{item.id}));
    CPPUNIT_ASSERT_EQUAL(uint64_t{5}, ByTime(*store, inbox, 0, 0, 0, 10)[0].time);
    // The next add still gets the next id.
    added.blob = 0;
    CPPUNIT_ASSERT_EQUAL(ItemId{2}, WriteValue<ItemRecord>(*store, [&](Txn& t) {
                                      return t.PutItem(added);
                                    }).id);
  }

  void testDeleteFolderReleasesBlobsAndTimeIndex() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    FolderId parent = AddFolder(*store, alice, "Projects");
    FolderId child = AddFolder(*store, alice, "Old", parent);
    ItemRecord in_parent = PutWithNewBlob(*store, parent, alice, "p", "parent's", 100);
    ItemRecord in_child = PutWithNewBlob(*store, child, alice, "", "child's", 200);
    ItemRecord shared = PutWithNewBlob(*store, child, alice, "s", "shared", 300);
    ItemRecord kept = shared;
    kept.folder = inbox;
    kept.id = 0;
    kept = WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(kept); });
    ItemRecord no_blob;
    no_blob.folder = child;
    no_blob.time = 400;
    WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(no_blob); });

    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteFolder(parent); }));
    ASSERT_CODE(Code::kNotFound, View(*store, in_parent.blob));
    ASSERT_CODE(Code::kNotFound, Find(*store, alice, "p"));
    ASSERT_CODE(Code::kNotFound, View(*store, in_child.blob));
    CPPUNIT_ASSERT_EQUAL(std::string("shared"), BlobBytes(*store, shared.blob));
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) {
      return t.ItemsByTime(child, 0, 0, 0, 10).status();
    }));
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 0, 0, 0, 10)) == std::vector<ItemId>{kept.id}));
    store.reset();
    for (const char* name : kNewDatabases) CPPUNIT_ASSERT_EQUAL(size_t{1}, Entries(path_, name));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Entries(path_, "items"));
  }

  void testDeleteUserReleasesBlobs() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice"), bob = AddUser(*store, "bob");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    FolderId sub = AddFolder(*store, alice, "Sub", inbox);
    FolderId bobs = AddFolder(*store, bob, "Inbox");
    ItemRecord a1 = PutWithNewBlob(*store, inbox, alice, "a1", "first", 1);
    ItemRecord a2 = PutWithNewBlob(*store, sub, alice, "a2", "second", 2);
    ItemRecord a3 = PutWithNewBlob(*store, sub, alice, "a3", "third", 3);
    // A copy of a3 in bob's folder keeps its blob alive.
    ItemRecord given = a3;
    given.folder = bobs;
    given.id = 0;
    given = WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(given); });

    ASSERT_OK(store->Write([](Txn& t) { return t.DeleteUser("alice"); }));
    ASSERT_CODE(Code::kNotFound, View(*store, a1.blob));
    ASSERT_CODE(Code::kNotFound, View(*store, a2.blob));
    CPPUNIT_ASSERT_EQUAL(std::string("third"), BlobBytes(*store, a3.blob));
    ASSERT_CODE(Code::kNotFound, Find(*store, alice, "a3"));  // the user's names went
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteItem(bobs, given.id); }));
    ASSERT_CODE(Code::kNotFound, View(*store, a3.blob));
    store.reset();
    for (const char* name : kNewDatabases) CPPUNIT_ASSERT_EQUAL(size_t{0}, Entries(path_, name));
  }

  void testFiveMegabyteBlob() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    FolderId archive = AddFolder(*store, alice, "Archive");
    const std::string bytes = Pattern(5u << 20);
    ItemRecord item = PutWithNewBlob(*store, inbox, alice, "big", bytes, 1);
    CPPUNIT_ASSERT(BlobBytes(*store, item.blob) == bytes);
    // A move rewrites the small records only: the bytes stay as they are.
    ASSERT_OK(store->Write([&](Txn& t) {
      ItemRecord moved = item;
      moved.folder = archive;
      moved.id = 0;
      Status s = t.PutItem(moved).status();
      return s.ok() ? t.DeleteItem(inbox, item.id) : s;
    }));
    CPPUNIT_ASSERT(BlobBytes(*store, item.blob) == bytes);
    store.reset();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Entries(path_, "blobs"));
  }

  // Store::Write runs fn again after growing a full map: the blob of the
  // first run leaves no trace, the second run's is kept, with the same id.
  void testBlobSurvivesMapFullRetry() {
    OpenOptions small;
    small.initial_map_size = 4u << 20;
    auto store = MustOpen(path_, small);
    UserId alice = AddUser(*store, "alice");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    const std::string bytes = Pattern(5u << 20);
    int runs = 0;
    ItemRecord item = WriteValue<ItemRecord>(*store, [&](Txn& t) -> Result<ItemRecord> {
      ++runs;
      Result<uint64_t> blob = t.PutBlob(alice, "big", bytes);
      if (!blob.ok()) return blob.status();
      ItemRecord record;
      record.folder = inbox;
      record.blob = *blob;
      record.time = 7;
      return t.PutItem(record);
    });
    CPPUNIT_ASSERT_EQUAL(2, runs);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, item.blob);
    CPPUNIT_ASSERT(BlobBytes(*store, item.blob) == bytes);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1},
                         ReadValue<uint64_t>(*store, [&](Txn& t) { return t.FindBlob(alice, "big"); }));
  }

  void testItemsByTimeOrderAndFrom() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    FolderId other = AddFolder(*store, alice, "Other");
    // ids 1..6 with times 300, 100, 200, 0, 200, 100
    const uint64_t times[] = {300, 100, 200, 0, 200, 100};
    for (uint64_t time : times) PutTimed(*store, inbox, time);
    PutTimed(*store, other, 150);

    // By (time, id); time 0 is not indexed; other folders stay out.
    std::vector<ItemRecord> all = ByTime(*store, inbox, 0, 0, 0, 100);
    CPPUNIT_ASSERT((Ids(all) == std::vector<ItemId>{2, 6, 3, 5, 1}));
    CPPUNIT_ASSERT_EQUAL(uint64_t{100}, all[0].time);
    CPPUNIT_ASSERT_EQUAL(std::string("at 100"), all[0].data);  // whole records
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 150, 0, 0, 100)) == std::vector<ItemId>{3, 5, 1}));
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 200, 0, 0, 100)) == std::vector<ItemId>{3, 5, 1}));
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 201, 0, 0, 100)) == std::vector<ItemId>{1}));
    CPPUNIT_ASSERT(ByTime(*store, inbox, 301, 0, 0, 100).empty());
    CPPUNIT_ASSERT(ByTime(*store, inbox, 0, 0, 0, 0).empty());
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) {
      return t.ItemsByTime(999999, 0, 0, 0, 10).status();
    }));
  }

  void testItemsByTimePaging() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    const uint64_t times[] = {300, 100, 200, 0, 200, 100};
    for (uint64_t time : times) PutTimed(*store, inbox, time);

    // Page by page: each starts after the last (time, id) of the one before.
    std::vector<ItemId> walked;
    uint64_t after_time = 0;
    ItemId after_item = 0;
    for (;;) {
      std::vector<ItemRecord> page = ByTime(*store, inbox, 0, after_time, after_item, 2);
      if (page.empty()) break;
      CPPUNIT_ASSERT(page.size() <= 2);
      for (const ItemRecord& item : page) walked.push_back(item.id);
      after_time = page.back().time;
      after_item = page.back().id;
    }
    CPPUNIT_ASSERT((walked == std::vector<ItemId>{2, 6, 3, 5, 1}));
    // Strictly after the position, even within one time.
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 0, 200, 3, 100)) == std::vector<ItemId>{5, 1}));
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 0, 200, UINT64_MAX, 100)) ==
                    std::vector<ItemId>{1}));
    // `from` wins over a position before it; after_time alone means nothing.
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 150, 100, 2, 100)) == std::vector<ItemId>{3, 5, 1}));
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 0, 250, 0, 100)) ==
                    std::vector<ItemId>{2, 6, 3, 5, 1}));
    CPPUNIT_ASSERT(ByTime(*store, inbox, 0, UINT64_MAX, UINT64_MAX, 100).empty());
  }

  // Newest first, page by page from before the last (time, id), down to
  // `from`; another folder's entries (before and after in key order) stay out.
  void testItemsByTimeDescending() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    FolderId before = AddFolder(*store, alice, "Before");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    FolderId after = AddFolder(*store, alice, "After");
    PutTimed(*store, before, 150);
    const uint64_t times[] = {300, 100, 200, 0, 200, 100};
    for (uint64_t time : times) PutTimed(*store, inbox, time);
    PutTimed(*store, after, 250);
    std::vector<ItemId> walked;
    uint64_t before_time = 0;
    ItemId before_item = 0;
    for (;;) {
      std::vector<ItemRecord> page = ReadValue<std::vector<ItemRecord>>(*store, [&](Txn& t) {
        return t.ItemsByTimeDescending(inbox, 0, before_time, before_item, 2);
      });
      if (page.empty()) break;
      for (const ItemRecord& item : page) walked.push_back(item.id);
      before_time = page.back().time;
      before_item = page.back().id;
    }
    CPPUNIT_ASSERT((walked == std::vector<ItemId>{1, 5, 3, 6, 2}));
    auto recent = ReadValue<std::vector<ItemRecord>>(
        *store, [&](Txn& t) { return t.ItemsByTimeDescending(inbox, 200, 0, 0, 100); });
    CPPUNIT_ASSERT((Ids(recent) == std::vector<ItemId>{1, 5, 3}));
    // The last folder of the store: the walk starts at the very end.
    auto last = ReadValue<std::vector<ItemRecord>>(
        *store, [&](Txn& t) { return t.ItemsByTimeDescending(after, 0, 0, 0, 100); });
    CPPUNIT_ASSERT_EQUAL(size_t{1}, last.size());
  }

  void testItemsByTimeFollowsUpdatesAndDeletes() {
    auto store = MustOpen(path_);
    UserId alice = AddUser(*store, "alice");
    FolderId inbox = AddFolder(*store, alice, "Inbox");
    ItemRecord a = PutTimed(*store, inbox, 100);
    ItemRecord b = PutTimed(*store, inbox, 200);
    ItemRecord c = PutTimed(*store, inbox, 0);
    auto update = [&](ItemRecord item) {
      return WriteValue<ItemRecord>(*store, [&](Txn& t) { return t.PutItem(item); });
    };

    b.time = 50;  // moves before a
    b = update(b);
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 0, 0, 0, 10)) == std::vector<ItemId>{b.id, a.id}));
    a.data = "edited";  // same time: one entry still
    a = update(a);
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 0, 0, 0, 10)) == std::vector<ItemId>{b.id, a.id}));
    CPPUNIT_ASSERT_EQUAL(std::string("edited"), ByTime(*store, inbox, 0, 0, 0, 10)[1].data);
    c.time = 75;  // gains a time
    c = update(c);
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 0, 0, 0, 10)) ==
                    std::vector<ItemId>{b.id, c.id, a.id}));
    a.time = 0;  // loses it
    a = update(a);
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 0, 0, 0, 10)) == std::vector<ItemId>{b.id, c.id}));
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteItem(inbox, b.id); }));
    CPPUNIT_ASSERT((Ids(ByTime(*store, inbox, 0, 0, 0, 10)) == std::vector<ItemId>{c.id}));
    store.reset();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, Entries(path_, "items_by_time"));
  }

 private:
  static UserId AddUser(Store& store, const std::string& name) {
    return WriteValue<UserRecord>(store, [&](Txn& t) { return t.CreateUser(NewUser(name)); }).id;
  }

  static FolderId AddFolder(Store& store, UserId owner, const std::string& name,
                            FolderId parent = 0) {
    FolderRecord folder;
    folder.owner = owner;
    folder.name = name;
    folder.parent = parent;
    return WriteValue<FolderRecord>(store, [&](Txn& t) { return t.CreateFolder(folder); }).id;
  }

  // A new item with a new blob of `bytes`, in one transaction.
  static ItemRecord PutWithNewBlob(Store& store, FolderId folder, UserId user,
                                   const std::string& key, const std::string& bytes,
                                   uint64_t time) {
    return WriteValue<ItemRecord>(store, [&](Txn& t) -> Result<ItemRecord> {
      Result<uint64_t> blob = t.PutBlob(user, key, bytes);
      if (!blob.ok()) return blob.status();
      ItemRecord item;
      item.folder = folder;
      item.data = "refers to " + key;
      item.blob = *blob;
      item.time = time;
      return t.PutItem(item);
    });
  }

  static ItemRecord PutTimed(Store& store, FolderId folder, uint64_t time) {
    ItemRecord item;
    item.folder = folder;
    item.data = "at " + std::to_string(time);
    item.time = time;
    return WriteValue<ItemRecord>(store, [&](Txn& t) { return t.PutItem(item); });
  }

  static std::vector<ItemRecord> ByTime(Store& store, FolderId folder, uint64_t from,
                                        uint64_t after_time, ItemId after_item, size_t limit) {
    return ReadValue<std::vector<ItemRecord>>(store, [&](Txn& t) {
      return t.ItemsByTime(folder, from, after_time, after_item, limit);
    });
  }

  static std::string BlobBytes(Store& store, uint64_t blob) {
    std::string out;
    ASSERT_OK(store.Read([&](Txn& t) {
      std::string_view view;
      Status s = t.ViewBlob(blob, &view);
      if (s.ok()) out.assign(view);
      return s;
    }));
    return out;
  }

  static Status View(Store& store, uint64_t blob) {
    return store.Read([&](Txn& t) {
      std::string_view unused;
      return t.ViewBlob(blob, &unused);
    });
  }

  static Status Find(Store& store, UserId user, const std::string& key) {
    return store.Read([&](Txn& t) { return t.FindBlob(user, key).status(); });
  }

  std::string tmp_;
  std::string path_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(BlobTimeIndexTest);

}  // namespace eas::storage
