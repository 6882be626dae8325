// A device's collection state: what is written reads back, a state decoded
// into a reused object keeps nothing of before, anything else is no state,
// and only the exact SyncKey text matches.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/collection_state.hpp"

namespace eas::core {
namespace {

CollectionState Sample() {
  CollectionState s;
  s.key = 42;
  s.seen_modseq = 1234;
  s.initial = true;
  s.snapshot = 1300;
  s.cursor = 77;
  s.last_request_key = "41";
  s.client_ids = {{"c1", "7:1"}, {"client 2", "7:9"}};
  s.replays = 2;
  s.own_changes = {{9, 1230}, {1, 1233}};
  s.oldest_held = 1700000000;
  s.age_at = 1700086400;
  s.supported = std::string("S\x01\x2b", 3);  // Supported naming MobilePhoneNumber
  return s;
}

class CollectionStateTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CollectionStateTest);
  CPPUNIT_TEST(testRoundTripIntoReusedState);
  CPPUNIT_TEST(testRejectsWhatWeDidNotWrite);
  CPPUNIT_TEST(testIsKey);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testRoundTripIntoReusedState() {
    const CollectionState written = Sample();
    CollectionState got;
    CPPUNIT_ASSERT(DecodeCollectionState(EncodeCollectionState(written), &got));
    CPPUNIT_ASSERT_EQUAL(uint64_t{42}, got.key);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1234}, got.seen_modseq);
    CPPUNIT_ASSERT(got.initial);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1300}, got.snapshot);
    CPPUNIT_ASSERT_EQUAL(uint64_t{77}, got.cursor);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1300}, got.Position());
    CPPUNIT_ASSERT_EQUAL(std::string("41"), got.last_request_key);
    CPPUNIT_ASSERT(got.client_ids == written.client_ids);
    CPPUNIT_ASSERT_EQUAL(uint64_t{2}, got.replays);
    CPPUNIT_ASSERT(got.own_changes == written.own_changes);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1700000000}, got.oldest_held);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1700086400}, got.age_at);
    CPPUNIT_ASSERT(got.supported == written.supported);

    // Decoding a fresh state into the same object (Sync reuses one) leaves
    // no client id, own change or request key of the first.
    CollectionState fresh;
    fresh.key = 1;
    CPPUNIT_ASSERT(DecodeCollectionState(EncodeCollectionState(fresh), &got));
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, got.key);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, got.seen_modseq);
    CPPUNIT_ASSERT(!got.initial);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, got.cursor);
    CPPUNIT_ASSERT(got.last_request_key.empty());
    CPPUNIT_ASSERT(got.client_ids.empty());
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, got.replays);
    CPPUNIT_ASSERT(got.own_changes.empty());
    CPPUNIT_ASSERT_EQUAL(UINT64_MAX, got.oldest_held);  // holds nothing: nothing ages
    CPPUNIT_ASSERT_EQUAL(UINT64_MAX, got.age_at);
    CPPUNIT_ASSERT(got.supported.empty());  // a device that sent no Supported ghosts nothing
  }

  void testRejectsWhatWeDidNotWrite() {
    const std::string good = EncodeCollectionState(Sample());
    CollectionState got;
    CPPUNIT_ASSERT(!DecodeCollectionState("", &got));
    CPPUNIT_ASSERT(!DecodeCollectionState("H1 1 2 3", &got));         // another record
    CPPUNIT_ASSERT(!DecodeCollectionState(good + " 5", &got));       // trailing bytes
    CPPUNIT_ASSERT(!DecodeCollectionState(good.substr(0, good.rfind(' ')), &got));  // cut
    CPPUNIT_ASSERT(!DecodeCollectionState("C2 1 2 0 0 0 0 99:x 0: 0 0", &got));  // blob too long
    CPPUNIT_ASSERT(!DecodeCollectionState("C2 1 2 0 0 0 0 0: 0: 9999 0", &got));  // count too big
    CPPUNIT_ASSERT(!DecodeCollectionState("C2 1 2 2 0 0 0 0: 0: 0 0", &got));  // initial not 0/1
    CPPUNIT_ASSERT(DecodeCollectionState("C2 1 2 0 0 0 0 0: 0: 0 0", &got));
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, got.cursor_time);  // C2: before the walk by time
    CPPUNIT_ASSERT(DecodeCollectionState("C3 1 2 0 0 0 0 0: 0: 0 0 7 0:", &got));
    CPPUNIT_ASSERT_EQUAL(uint64_t{7}, got.cursor_time);
    // C3: before SoftDelete. What the device holds may be of any age (the
    // next write pass looks), but nothing forces a read pass to look.
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, got.oldest_held);
    CPPUNIT_ASSERT_EQUAL(UINT64_MAX, got.age_at);
    CPPUNIT_ASSERT(!DecodeCollectionState("C3 1 2 0 0 0 0 0: 0: 0 0", &got));  // no cursor time
    // A state from before holdings were kept: the device must resync.
    CPPUNIT_ASSERT(!DecodeCollectionState("C1 1 2 0 0: 0: 0 0", &got));
  }

  void testIsKey() {
    CollectionState s;
    s.key = 7;
    CPPUNIT_ASSERT(s.IsKey("7"));
    CPPUNIT_ASSERT(!s.IsKey("07"));  // KeyString() never writes it so
    CPPUNIT_ASSERT(!s.IsKey("8"));
    CPPUNIT_ASSERT(!s.IsKey("7 "));
    CPPUNIT_ASSERT(!s.IsKey(""));
    s.key = UINT64_MAX;
    CPPUNIT_ASSERT(s.IsKey(s.KeyString()));
    CPPUNIT_ASSERT(!s.IsKey("1" + s.KeyString()));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CollectionStateTest);

}  // namespace
}  // namespace eas::core
