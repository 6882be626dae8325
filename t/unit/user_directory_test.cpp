// The directory fields of a user (UserRecord::directory) and the picture
// kept beside the record: old records still decode, fields round-trip,
// and a picture goes with its user.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "storage/codec.hpp"
#include "storage/field_codec.hpp"
#include "storage/store.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::storage {

class UserDirectoryTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(UserDirectoryTest);
  CPPUNIT_TEST(testRecordWithoutDirectoryFieldsDecodes);
  CPPUNIT_TEST(testDirectoryFieldsRoundTrip);
  CPPUNIT_TEST(testPictureLivesAndGoesWithItsUser);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-userdir-test-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
    path_ = tmp_ + "/store";
  }

  void tearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(tmp_, ec);
  }

  // A record as the codec wrote it before the directory tags existed
  // decodes with empty fields, and a user without any is encoded exactly
  // as before (no bytes added to a record every request reads).
  void testRecordWithoutDirectoryFieldsDecodes() {
    FieldWriter old;
    old.Uint(1, 7);  // id
    old.Bytes(2, "alice");
    old.Bytes(3, "Alice Liddell");
    old.Bytes(4, "alice@example.org");
    old.Bytes(5, "$hash");
    old.Uint(6, 1700000000);  // created
    const std::string old_bytes = std::move(old).Finish();

    UserRecord u;
    u.directory.company = "left over from an earlier decode";
    CPPUNIT_ASSERT(DecodeUser(old_bytes, &u) == nullptr);
    CPPUNIT_ASSERT_EQUAL(UserId{7}, u.id);
    CPPUNIT_ASSERT_EQUAL(std::string("Alice Liddell"), u.display_name);
    CPPUNIT_ASSERT(u.directory == UserDirectoryFields());
    CPPUNIT_ASSERT(EncodeUser(u) == old_bytes);
  }

  void testDirectoryFieldsRoundTrip() {
    UserRecord u = NewUser("bob");
    u.id = 3;
    u.directory = {"Bob", "Builder", "bobby", "Fixit Ltd", "Foreman", "Yard 2",
                   "+44 1", "+44 2", "+44 3"};
    UserRecord back;
    CPPUNIT_ASSERT(DecodeUser(EncodeUser(u), &back) == nullptr);
    CPPUNIT_ASSERT(back.directory == u.directory);
    CPPUNIT_ASSERT_EQUAL(std::string("Fixit Ltd"), back.directory.company);
    CPPUNIT_ASSERT_EQUAL(std::string("+44 2"), back.directory.mobile_phone);
    CPPUNIT_ASSERT(back.addresses == u.addresses);
  }

  void testPictureLivesAndGoesWithItsUser() {
    auto store = MustOpen(path_);
    const UserId alice = WriteValue<UserRecord>(*store, [](Txn& t) { return t.CreateUser(NewUser("alice")); }).id;
    const std::string jpeg("\xFF\xD8\xFF\xE0 a picture", 14);
    ASSERT_OK(store->Read([&](Txn& t) {
      std::string_view v;
      return t.ViewUserPicture(alice, &v).code() == Code::kNotFound ? Status::Ok()
                                                                   : Status::Invalid("a picture from nowhere");
    }));
    ASSERT_OK(store->Write([&](Txn& t) { return t.PutUserPicture(alice, jpeg); }));
    ASSERT_CODE(Code::kNotFound, store->Write([&](Txn& t) { return t.PutUserPicture(alice + 1, jpeg); }));
    std::string seen;
    ASSERT_OK(store->Read([&](Txn& t) {
      std::string_view v;
      Status s = t.ViewUserPicture(alice, &v);
      seen.assign(v);
      return s;
    }));
    CPPUNIT_ASSERT(seen == jpeg);

    ASSERT_OK(store->Write([&](Txn& t) { return t.PutUserPicture(alice, ""); }));  // removed
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) {
      std::string_view v;
      return t.ViewUserPicture(alice, &v);
    }));
    ASSERT_OK(store->Write([&](Txn& t) { return t.PutUserPicture(alice, jpeg); }));
    ASSERT_OK(store->Write([&](Txn& t) { return t.DeleteUser("alice"); }));
    ASSERT_CODE(Code::kNotFound, store->Read([&](Txn& t) {
      std::string_view v;
      return t.ViewUserPicture(alice, &v);
    }));
  }

 private:
  std::string tmp_, path_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(UserDirectoryTest);

}  // namespace eas::storage
