// util::JoinWith: what log lines, easctl and bounces show for a list.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/join.hpp"

namespace eas::core::util {
namespace {

class JoinTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(JoinTest);
  CPPUNIT_TEST(testStrings);
  CPPUNIT_TEST(testNumbersAndProjections);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testStrings() {
    CPPUNIT_ASSERT_EQUAL(std::string(), JoinWith(std::vector<std::string>{}, ", "));
    CPPUNIT_ASSERT_EQUAL(std::string("a@x"), JoinWith(std::vector<std::string>{"a@x"}, ", "));
    CPPUNIT_ASSERT_EQUAL(std::string("a@x, b@y, c@z"),
                         JoinWith(std::vector<std::string>{"a@x", "b@y", "c@z"}, ", "));
    // An empty item is still an item: a vCard N value keeps its places.
    CPPUNIT_ASSERT_EQUAL(std::string(";Anna;"),
                         JoinWith(std::vector<std::string_view>{"", "Anna", ""}, ";"));
  }

  void testNumbersAndProjections() {
    CPPUNIT_ASSERT_EQUAL(std::string("3, 17, 18446744073709551615"),
                         JoinWith(std::vector<uint64_t>{3, 17, UINT64_MAX}, ", "));
    struct Refusal {
      std::string address, text;
    };
    std::vector<Refusal> refused{{"a@x", "550 no"}, {"b@y", "451 later"}};
    CPPUNIT_ASSERT_EQUAL(std::string("550 no; 451 later"),
                         JoinWith(refused, "; ", [](const Refusal& r) { return r.text; }));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JoinTest);

}  // namespace
}  // namespace eas::core::util
