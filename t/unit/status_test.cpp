// Status is one pointer: Ok is null, an error carries its code and message
// through copies and moves, and Result holds either.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <utility>

#include "base/status.hpp"

namespace eas {
namespace {

class StatusTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(StatusTest);
  CPPUNIT_TEST(testOkAndErrors);
  CPPUNIT_TEST(testCopiesAndMoves);
  CPPUNIT_TEST(testResult);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testOkAndErrors() {
    Status ok;
    CPPUNIT_ASSERT(ok.ok());
    CPPUNIT_ASSERT(ok.code() == Code::kOk);
    CPPUNIT_ASSERT(ok.message().empty());
    CPPUNIT_ASSERT(Status(Code::kOk, "ignored").ok());  // Ok never carries a message

    Status missing = Status::NotFound("user carol not found");
    CPPUNIT_ASSERT(!missing.ok());
    CPPUNIT_ASSERT(missing.code() == Code::kNotFound);
    CPPUNIT_ASSERT_EQUAL(std::string("user carol not found"), missing.message());
    CPPUNIT_ASSERT(Status::StoreFull("x").code() == Code::kStoreFull);
  }

  void testCopiesAndMoves() {
    Status a = Status::Invalid("bad WindowSize");
    Status copy = a;
    CPPUNIT_ASSERT(copy.code() == Code::kInvalidArgument);
    CPPUNIT_ASSERT_EQUAL(a.message(), copy.message());

    Status moved = std::move(a);
    CPPUNIT_ASSERT_EQUAL(std::string("bad WindowSize"), moved.message());
    CPPUNIT_ASSERT(a.ok());  // NOLINT: a moved-from Status is Ok

    copy = Status::Ok();  // an error overwritten by Ok, and back
    CPPUNIT_ASSERT(copy.ok());
    copy = moved;
    CPPUNIT_ASSERT(copy.code() == Code::kInvalidArgument);
    copy = copy;  // self-assignment keeps it
    CPPUNIT_ASSERT_EQUAL(std::string("bad WindowSize"), copy.message());
    moved = Status::Internal("other");
    CPPUNIT_ASSERT_EQUAL(std::string("bad WindowSize"), copy.message());
  }

  void testResult() {
    Result<std::string> value(std::string("16.1"));
    CPPUNIT_ASSERT(value.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("16.1"), *value);
    CPPUNIT_ASSERT(value.status().ok());
    const std::string kept = "14.1";
    Result<std::string> copied(kept);
    CPPUNIT_ASSERT_EQUAL(kept, *copied);

    Result<std::string> failed(Status::Io("disk"));
    CPPUNIT_ASSERT(!failed.ok());
    CPPUNIT_ASSERT(failed.status().code() == Code::kIoError);
    CPPUNIT_ASSERT_EQUAL(std::string("disk"), failed.status().message());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusTest);

}  // namespace
}  // namespace eas
