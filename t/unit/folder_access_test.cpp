// The one folder access rule: owner, read share, read-write share, and
// nobody else — an ACL entry with no rights is no access at all.
#include <cppunit/extensions/HelperMacros.h>

#include "core/folder_access.hpp"

namespace eas::core {
namespace {

using storage::Rights;

class FolderAccessTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FolderAccessTest);
  CPPUNIT_TEST(testRoles);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testRoles() {
    storage::FolderRecord folder;
    folder.owner = 1;
    folder.acl = {{2, Rights::kRead}, {3, Rights::kReadWrite}, {4, Rights::kNone}};
    CPPUNIT_ASSERT(RoleOf(folder, 1) == FolderRole::kOwner);
    CPPUNIT_ASSERT(RoleOf(folder, 2) == FolderRole::kReader);
    CPPUNIT_ASSERT(RoleOf(folder, 3) == FolderRole::kWriter);
    CPPUNIT_ASSERT(RoleOf(folder, 4) == FolderRole::kNone);
    CPPUNIT_ASSERT(RoleOf(folder, 5) == FolderRole::kNone);

    CPPUNIT_ASSERT(MayRead(FolderRole::kOwner) && MayWriteItems(FolderRole::kOwner));
    CPPUNIT_ASSERT(MayRead(FolderRole::kWriter) && MayWriteItems(FolderRole::kWriter));
    CPPUNIT_ASSERT(MayRead(FolderRole::kReader) && !MayWriteItems(FolderRole::kReader));
    CPPUNIT_ASSERT(!MayRead(FolderRole::kNone) && !MayWriteItems(FolderRole::kNone));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FolderAccessTest);

}  // namespace
}  // namespace eas::core
