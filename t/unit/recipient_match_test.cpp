// What a typed name or address finds among directory entries: an address
// only its owner (any case, aliases too), text the names, words, login
// and local parts it starts.
#include <cppunit/extensions/HelperMacros.h>

#include "core/directory/recipients.hpp"

using eas::core::directory::Entry;
using eas::core::directory::EntryType;
using eas::core::directory::Match;

class RecipientMatchTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RecipientMatchTest);
  CPPUNIT_TEST(AddressesMatchWhole);
  CPPUNIT_TEST(TextMatchesStartsOfNamesAndWords);
  CPPUNIT_TEST(BlankFindsNothing);
  CPPUNIT_TEST(DirectoryFieldsAndAddressPrefixes);
  CPPUNIT_TEST_SUITE_END();

  std::vector<Entry> entries_;

  static std::vector<std::string> Addresses(const std::vector<const Entry*>& found) {
    std::vector<std::string> out;
    for (const Entry* e : found) out.push_back(e->address);
    return out;
  }

 public:
  void setUp() override {
    Entry bob;
    bob.display_name = "Bob Baker";
    bob.address = "bob@example.org";
    bob.aliases = {"robert.baker@example.org"};
    bob.login = "bob";
    bob.fields.first_name = "Robert";
    bob.fields.last_name = "Baker-Smith";
    bob.fields.alias = "rbs";
    Entry mary;
    mary.display_name = "Mary-Ann O'Neil";
    mary.address = "mao@example.org";
    mary.login = "mary";
    Entry dave;
    dave.type = EntryType::kContact;
    dave.display_name = "Dave Dent";
    dave.address = "dave@elsewhere.example";
    entries_ = {bob, mary, dave};
  }

  void AddressesMatchWhole() {
    using V = std::vector<std::string>;
    CPPUNIT_ASSERT(Addresses(Match(entries_, "BOB@example.org")) == V{"bob@example.org"});
    CPPUNIT_ASSERT(Addresses(Match(entries_, "robert.baker@example.org")) == V{"bob@example.org"});
    CPPUNIT_ASSERT(Match(entries_, "bob@example").empty());  // no prefix of an address
    CPPUNIT_ASSERT(Match(entries_, "nobody@example.org").empty());
  }

  void TextMatchesStartsOfNamesAndWords() {
    using V = std::vector<std::string>;
    CPPUNIT_ASSERT(Addresses(Match(entries_, "bak")) == V{"bob@example.org"});    // a word
    CPPUNIT_ASSERT(Addresses(Match(entries_, "ann")) == V{"mao@example.org"});    // after a hyphen
    CPPUNIT_ASSERT(Addresses(Match(entries_, "mao")) == V{"mao@example.org"});    // local part
    CPPUNIT_ASSERT(Addresses(Match(entries_, "MARY")) == V{"mao@example.org"});   // login, any case
    CPPUNIT_ASSERT(Addresses(Match(entries_, " dave dent ")) == V{"dave@elsewhere.example"});
    CPPUNIT_ASSERT(Addresses(Match(entries_, "d")) == (V{"dave@elsewhere.example"}));
    CPPUNIT_ASSERT(Match(entries_, "aker").empty());  // inside a word is no match
  }

  // The GAL's fields find a user too, and a directory search finds the
  // addresses that begin with what was typed.
  void DirectoryFieldsAndAddressPrefixes() {
    using V = std::vector<std::string>;
    using eas::core::directory::AddressMatch;
    CPPUNIT_ASSERT(Addresses(Match(entries_, "rob")) == V{"bob@example.org"});    // first name
    CPPUNIT_ASSERT(Addresses(Match(entries_, "smith")) == V{"bob@example.org"});  // last name's word
    CPPUNIT_ASSERT(Addresses(Match(entries_, "RBS")) == V{"bob@example.org"});    // alias
    CPPUNIT_ASSERT(Addresses(Match(entries_, "robert.baker@ex", AddressMatch::kPrefix)) ==
                   V{"bob@example.org"});
    CPPUNIT_ASSERT(Addresses(Match(entries_, "m@example", AddressMatch::kPrefix)).empty());
    CPPUNIT_ASSERT(Addresses(Match(entries_, "mao@EXAMPLE", AddressMatch::kPrefix)) ==
                   V{"mao@example.org"});
  }

  void BlankFindsNothing() {
    CPPUNIT_ASSERT(Match(entries_, "").empty());
    CPPUNIT_ASSERT(Match(entries_, "   ").empty());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecipientMatchTest);
