// storage::OpenShared: one Store per environment per process, whichever
// path names it, shared by every holder and closed after the last.
#include <cppunit/extensions/HelperMacros.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/shared_store.hpp"
#include "t/unit/storage_test_util.hpp"

namespace eas::storage {

class SharedStoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SharedStoreTest);
  CPPUNIT_TEST(testSamePathSameStore);
  CPPUNIT_TEST(testOtherSpellingsSameStore);
  CPPUNIT_TEST(testOtherDirectoryOtherStore);
  CPPUNIT_TEST(testReopenAfterLastHolder);
  CPPUNIT_TEST(testThreadsOpenOnce);
  CPPUNIT_TEST(testOpenErrorIsReported);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char pattern[] = "/tmp/eas-shared-store-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(pattern) != nullptr);
    tmp_ = pattern;
  }
  void tearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(tmp_, ec);
  }

  void testSamePathSameStore() {
    auto a = Must(OpenShared(tmp_ + "/store"));
    auto b = Must(OpenShared(tmp_ + "/store"));
    CPPUNIT_ASSERT(a.get() == b.get());
    CPPUNIT_ASSERT_EQUAL(2L, a.use_count());  // the table only watches it
  }

  void testOtherSpellingsSameStore() {
    auto a = Must(OpenShared(tmp_ + "/store"));
    auto slash = Must(OpenShared(tmp_ + "/store/"));
    auto dots = Must(OpenShared(tmp_ + "/./store"));
    CPPUNIT_ASSERT(symlink((tmp_ + "/store").c_str(), (tmp_ + "/link").c_str()) == 0);
    auto linked = Must(OpenShared(tmp_ + "/link"));
    CPPUNIT_ASSERT(a.get() == slash.get());
    CPPUNIT_ASSERT(a.get() == dots.get());
    CPPUNIT_ASSERT(a.get() == linked.get());
  }

  void testOtherDirectoryOtherStore() {
    auto a = Must(OpenShared(tmp_ + "/one"));
    auto b = Must(OpenShared(tmp_ + "/two"));
    CPPUNIT_ASSERT(a.get() != b.get());
    ASSERT_OK(a->Write([](Txn& txn) { return txn.CreateUser(NewUser("alice")).status(); }));
    ASSERT_CODE(Code::kNotFound, b->Read([](Txn& txn) { return txn.GetUser("alice").status(); }));
  }

  // The last holder closes the environment; opening it again is a fresh
  // Store over the same data.
  void testReopenAfterLastHolder() {
    std::weak_ptr<Store> gone;
    {
      auto a = Must(OpenShared(tmp_ + "/store"));
      ASSERT_OK(a->Write([](Txn& txn) { return txn.CreateUser(NewUser("alice")).status(); }));
      gone = a;
    }
    CPPUNIT_ASSERT(gone.expired());
    auto b = Must(OpenShared(tmp_ + "/store"));
    ASSERT_OK(b->Read([](Txn& txn) { return txn.GetUser("alice").status(); }));
  }

  void testThreadsOpenOnce() {
    std::vector<std::shared_ptr<Store>> got(8);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < got.size(); ++i) {
      threads.emplace_back([&, i] { got[i] = OpenShared(tmp_ + "/store").value(); });
    }
    for (auto& t : threads) t.join();
    for (const auto& s : got) CPPUNIT_ASSERT(s.get() == got[0].get());
  }

  void testOpenErrorIsReported() {
    auto missing = OpenShared(tmp_ + "/missing", {.create = false});
    CPPUNIT_ASSERT(!missing.ok());
    CPPUNIT_ASSERT(missing.status().code() == Code::kNotFound);
  }

 private:
  std::string tmp_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SharedStoreTest);

}  // namespace eas::storage
