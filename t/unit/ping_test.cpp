// The Ping command's decisions: its parameters (parsed, remembered, reused),
// the immediate answers (3, 4, 5, 6, 7, 2), the hold it hands the glue, and
// the re-check of a held Ping after changes, through the Service façade
// and push::PingWatcher over a temporary store; and push::Hub, which tells
// the glue when to answer a held request.
#include <cppunit/extensions/HelperMacros.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/collection_state.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "core/hierarchy_state.hpp"
#include "core/push/hub.hpp"
#include "core/push/ping_check.hpp"
#include "core/push/ping_params.hpp"
#include "core/push/ping_wait.hpp"
#include "core/push/ping_watcher.hpp"
#include "core/service.hpp"
#include "core/wbxml/decoder.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core {
namespace {

namespace ping = wbxml::tags::ping;
using storage::FolderId;
using storage::FolderRecord;
using storage::Txn;

constexpr const char* kDevice = "PHONE1";

struct PingBody {
  std::optional<uint64_t> heartbeat;
  std::vector<std::string> folders;
};

std::string Encode(const PingBody& b) {
  wbxml::Writer w;
  w.Start(ping::kPing);
  if (b.heartbeat) w.Element(ping::kHeartbeatInterval, std::to_string(*b.heartbeat));
  if (!b.folders.empty()) {
    w.Start(ping::kFolders);
    for (const auto& id : b.folders) {
      w.Start(ping::kFolder);
      w.Element(ping::kId, id);
      w.Element(ping::kClass, "Contacts");
      w.End();
    }
    w.End();
  }
  w.End();
  return w.Take();
}

// The decoded answer: Status, Folder ids, HeartbeatInterval, MaxFolders.
struct Answer {
  int status = 0;
  std::vector<std::string> folders;
  std::string heartbeat, max_folders;
};

Answer Decode(const std::string& wbxml_bytes) {
  auto doc = wbxml::Decode(wbxml_bytes);
  CPPUNIT_ASSERT_MESSAGE(doc.status().message(), doc.ok());
  CPPUNIT_ASSERT(doc->tag == ping::kPing);
  Answer a;
  a.status = std::stoi(std::string(doc->ChildText(ping::kStatus)));
  if (const auto* folders = doc->Child(ping::kFolders)) {
    for (const auto* f : folders->Children(ping::kFolder)) a.folders.push_back(f->text);
  }
  a.heartbeat = std::string(doc->ChildText(ping::kHeartbeatInterval));
  a.max_folders = std::string(doc->ChildText(ping::kMaxFolders));
  return a;
}

class PingTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PingTest);
  CPPUNIT_TEST(testParamsRoundTrip);
  CPPUNIT_TEST(testParseRequest);
  CPPUNIT_TEST(testMissingParameters);
  CPPUNIT_TEST(testLimits);
  CPPUNIT_TEST(testFolderSyncFirst);
  CPPUNIT_TEST(testUnsyncedFoldersAnswerAtOnce);
  CPPUNIT_TEST(testHoldAndEmptyPingReuse);
  CPPUNIT_TEST(testRecheck);
  CPPUNIT_TEST(testRecheckHierarchy);
  CPPUNIT_TEST(testRecheckRefusedDevice);
  CPPUNIT_TEST(testHubNewerRequest);
  CPPUNIT_TEST(testHubChanges);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char tmpl[] = "/tmp/eas-ping-XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto opened = storage::Store::Open(dir_);
    CPPUNIT_ASSERT_MESSAGE(opened.status().message(), opened.ok());
    store_ = opened->get();
    auto service = Service::Open(std::move(opened).value(), SharedRegions{});
    CPPUNIT_ASSERT_MESSAGE(service.status().message(), service.ok());
    service_ = std::move(service).value();
    storage::UserRecord u;
    u.name = "alice";
    Write([&](Txn& txn) {
      auto made = CreateUserWithDefaultFolders(txn, u);
      if (made.ok()) alice_ = made->id;
      return made.status();
    });
    Status s = store().Read([&](Txn& txn) {
      auto all = txn.VisibleFolders(alice_);
      if (!all.ok()) return all.status();
      for (const auto& f : *all) {
        if (f.type == folder_type::kContacts) contacts_ = f.id;
        if (f.type == folder_type::kCalendar) calendar_ = f.id;
      }
      return Status::Ok();
    });
    CPPUNIT_ASSERT(s.ok() && contacts_ && calendar_);
  }
  void tearDown() override {
    service_.reset();
    std::filesystem::remove_all(dir_);
  }

  void testParamsRoundTrip() {
    push::PingParams p;
    p.heartbeat = 480;
    p.folders = {{"12", "Email"}, {"13", "Calendar"}};
    auto back = push::DecodePingParams(push::EncodePingParams(p));
    CPPUNIT_ASSERT(back && *back == p);
    std::string bytes = push::EncodePingParams(p);
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
      CPPUNIT_ASSERT(!push::DecodePingParams(bytes.substr(0, cut)));
    }
    CPPUNIT_ASSERT(!push::DecodePingParams("P1 1 99999999999"));
  }

  void testParseRequest() {
    auto parse = [](const std::string& body, std::string* why) {
      auto doc = wbxml::Decode(body);
      CPPUNIT_ASSERT(doc.ok());
      return push::ParsePingRequest(&*doc, why);
    };
    std::string why;
    auto req = parse(Encode({480, {"5", "6"}}), &why);
    CPPUNIT_ASSERT(req && req->heartbeat == 480u && req->folders && req->folders->size() == 2);
    req = parse(Encode({std::nullopt, {"5"}}), &why);
    CPPUNIT_ASSERT(req && !req->heartbeat && req->folders);
    req = push::ParsePingRequest(nullptr, &why);
    CPPUNIT_ASSERT(req && !req->heartbeat && !req->folders);

    CPPUNIT_ASSERT(!parse(Encode({480, {"5", "5"}}), &why));
    CPPUNIT_ASSERT(why.find("twice") != std::string::npos);
    CPPUNIT_ASSERT(!parse(Encode({480, {std::string(65, '1')}}), &why));

    wbxml::Writer w;
    w.Start(ping::kPing);
    w.Element(ping::kHeartbeatInterval, "soon");
    w.End();
    CPPUNIT_ASSERT(!parse(w.Take(), &why));
    wbxml::Writer k;
    k.Start(ping::kPing);
    k.Start(ping::kFolders);
    k.Start(ping::kFolder);
    k.Element(ping::kId, "5");
    k.Element(ping::kClass, "Pictures");
    k.End();
    k.End();
    k.End();
    CPPUNIT_ASSERT(!parse(k.Take(), &why));
    wbxml::Writer r;
    r.Start(wbxml::tags::fh::kFolderSync);
    r.End();
    CPPUNIT_ASSERT(!parse(r.Take(), &why));
  }

  void testMissingParameters() {
    SyncedHierarchy();
    CPPUNIT_ASSERT_EQUAL(3, Decode(Run(std::nullopt).body).status);
    CPPUNIT_ASSERT_EQUAL(3, Decode(Run(PingBody{480, {}}).body).status);
    CPPUNIT_ASSERT_EQUAL(3, Decode(Run(PingBody{std::nullopt, {Id(contacts_)}}).body).status);
    // A malformed Ping is Status 4, never an HTTP error.
    wbxml::Writer w;
    w.Start(ping::kPing);
    w.Element(ping::kHeartbeatInterval, "-1");
    w.End();
    CPPUNIT_ASSERT_EQUAL(4, Decode(Run(w.Take()).body).status);
  }

  void testLimits() {
    SyncedHierarchy();
    Answer a = Decode(Run(PingBody{0, {Id(contacts_)}}).body);
    CPPUNIT_ASSERT_EQUAL(5, a.status);
    CPPUNIT_ASSERT_EQUAL(std::string("60"), a.heartbeat);
    a = Decode(Run(PingBody{59, {Id(contacts_)}}).body);
    CPPUNIT_ASSERT_EQUAL(5, a.status);
    CPPUNIT_ASSERT_EQUAL(std::string("60"), a.heartbeat);
    a = Decode(Run(PingBody{3541, {Id(contacts_)}}).body);
    CPPUNIT_ASSERT_EQUAL(5, a.status);
    CPPUNIT_ASSERT_EQUAL(std::string("3540"), a.heartbeat);
    options_.ping_max_folders = 1;
    a = Decode(Run(PingBody{480, {Id(contacts_), Id(calendar_)}}).body);
    CPPUNIT_ASSERT_EQUAL(6, a.status);
    CPPUNIT_ASSERT_EQUAL(std::string("1"), a.max_folders);
    // Nothing was remembered from refused requests.
    CPPUNIT_ASSERT_EQUAL(3, Decode(Run(std::nullopt).body).status);
  }

  void testFolderSyncFirst() {
    // No FolderSync yet: Status 7.
    CPPUNIT_ASSERT_EQUAL(7, Decode(Run(PingBody{480, {Id(contacts_)}}).body).status);
    SyncedHierarchy();
    // A folder the device cannot know: Status 7.
    CPPUNIT_ASSERT_EQUAL(7, Decode(Run(PingBody{480, {"424242"}}).body).status);
    CPPUNIT_ASSERT_EQUAL(7, Decode(Run(PingBody{480, {"inbox"}}).body).status);
    // A new folder the device has not been told about: Status 7 ...
    FolderRecord f;
    f.owner = alice_;
    f.name = "Family";
    f.type = folder_type::kUserContacts;
    Write([&](Txn& txn) { return txn.CreateFolder(f).status(); });
    CPPUNIT_ASSERT_EQUAL(7, Decode(Run(PingBody{480, {Id(contacts_)}}).body).status);
    // ... but a hidden one changes nothing for devices.
    SyncedHierarchy();
    f.name = "Collected";
    f.hidden = true;
    Write([&](Txn& txn) { return txn.CreateFolder(f).status(); });
    MarkSynced(contacts_);
    CPPUNIT_ASSERT(Run(PingBody{480, {Id(contacts_)}}).wait != nullptr);
  }

  void testUnsyncedFoldersAnswerAtOnce() {
    SyncedHierarchy();
    MarkSynced(contacts_);
    Answer a = Decode(Run(PingBody{480, {Id(contacts_), Id(calendar_)}}).body);
    CPPUNIT_ASSERT_EQUAL(2, a.status);  // the calendar was never synced
    CPPUNIT_ASSERT(a.folders == std::vector<std::string>{Id(calendar_)});
    MarkSynced(calendar_);
    AddItem(contacts_);  // unseen change
    a = Decode(Run(PingBody{480, {Id(contacts_), Id(calendar_)}}).body);
    CPPUNIT_ASSERT_EQUAL(2, a.status);
    CPPUNIT_ASSERT(a.folders == std::vector<std::string>{Id(contacts_)});
  }

  void testHoldAndEmptyPingReuse() {
    SyncedHierarchy();
    MarkSynced(contacts_);
    MarkSynced(calendar_);
    AddItem(calendar_);
    MarkSynced(calendar_);
    // New parameters need a write: first on the loop, then on a thread.
    Response r = Run(PingBody{480, {Id(contacts_), Id(calendar_)}}, /*may_block=*/false);
    CPPUNIT_ASSERT(r.needs_blocking);
    r = Run(PingBody{480, {Id(contacts_), Id(calendar_)}});
    CPPUNIT_ASSERT(r.wait != nullptr);
    CPPUNIT_ASSERT(r.body.empty());
    CPPUNIT_ASSERT_EQUAL(200, r.http_status);
    const push::PingWait& w = *r.wait;
    CPPUNIT_ASSERT_EQUAL(alice_, w.user);
    CPPUNIT_ASSERT_EQUAL(std::string(kDevice), w.device_id);
    CPPUNIT_ASSERT_EQUAL(uint64_t{480}, w.heartbeat);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, w.folders.size());
    CPPUNIT_ASSERT_EQUAL(contacts_, w.folders[0].id);
    CPPUNIT_ASSERT_EQUAL(uint64_t{0}, w.folders[0].modseq);
    CPPUNIT_ASSERT_EQUAL(uint64_t{1}, w.folders[1].modseq);
    CPPUNIT_ASSERT(w.change_seq > 0);

    // The same parameters again, or none: no write, same hold.
    r = Run(PingBody{480, {Id(contacts_), Id(calendar_)}}, false);
    CPPUNIT_ASSERT(!r.needs_blocking && r.wait != nullptr);
    r = Run(std::nullopt, false);
    CPPUNIT_ASSERT(!r.needs_blocking && r.wait != nullptr);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, r.wait->folders.size());
    CPPUNIT_ASSERT_EQUAL(uint64_t{480}, r.wait->heartbeat);
    // Only a new heartbeat: the folders are kept.
    r = Run(PingBody{600, {}});
    CPPUNIT_ASSERT(r.wait && r.wait->heartbeat == 600 && r.wait->folders.size() == 2);
    // Only new folders: the heartbeat is kept.
    r = Run(PingBody{std::nullopt, {Id(contacts_)}});
    CPPUNIT_ASSERT(r.wait && r.wait->heartbeat == 600 && r.wait->folders.size() == 1);
    r = Run(std::nullopt, false);
    CPPUNIT_ASSERT(r.wait && r.wait->heartbeat == 600 && r.wait->folders.size() == 1);
  }

  // easctl device block while the Ping is held: the block is news for push
  // (the change feed names the user) and the re-check answers what the
  // device's next request would get.
  void testRecheckRefusedDevice() {
    SyncedHierarchy();
    MarkSynced(contacts_);
    Response r = Run(PingBody{480, {Id(contacts_)}});
    CPPUNIT_ASSERT(r.wait != nullptr);
    push::PingWait wait = *r.wait;
    CPPUNIT_ASSERT_EQUAL(141, wait.version);
    push::PingWatcher watcher(store());
    std::string why;
    Write([&](Txn& txn) {
      storage::DeviceRecord d;
      Status s = txn.ReadDevice(alice_, kDevice, &d);
      if (!s.ok()) return s;
      d.last_seen += 1;  // no news: neither access nor wipe changed
      return txn.PutDevice(d);
    });
    uint64_t seq = 0;
    std::vector<storage::UserId> users;
    bool everyone = false;
    CPPUNIT_ASSERT(watcher.ChangesSince(wait.change_seq, &seq, &users, &everyone).ok());
    CPPUNIT_ASSERT(users.empty());
    Write([&](Txn& txn) {
      storage::DeviceRecord d;
      Status s = txn.ReadDevice(alice_, kDevice, &d);
      if (!s.ok()) return s;
      d.access = storage::DeviceRecord::Access::kBlocked;
      return txn.PutDevice(d);
    });
    CPPUNIT_ASSERT(watcher.ChangesSince(wait.change_seq, &seq, &users, &everyone).ok());
    CPPUNIT_ASSERT(users == std::vector<storage::UserId>{alice_});
    auto got = watcher.Recheck(wait, &why);
    CPPUNIT_ASSERT(got.ok() && *got && (*got)->refused);
    CPPUNIT_ASSERT_EQUAL(129, Decode((*got)->body).status);
    CPPUNIT_ASSERT(why.find("block by administrator") != std::string::npos);
    wait.version = 121;  // before 14.0: the HTTP status alone
    got = watcher.Recheck(wait, &why);
    CPPUNIT_ASSERT(got.ok() && *got && (*got)->body.empty());
    CPPUNIT_ASSERT_EQUAL(403, (*got)->http_status);
  }

  void testRecheck() {
    SyncedHierarchy();
    MarkSynced(contacts_);
    MarkSynced(calendar_);
    Response r = Run(PingBody{480, {Id(contacts_), Id(calendar_)}});
    CPPUNIT_ASSERT(r.wait != nullptr);
    push::PingWait wait = *r.wait;
    push::PingWatcher watcher(store());
    std::string why;

    auto recheck = [&] {
      auto got = watcher.Recheck(wait, &why);
      CPPUNIT_ASSERT_MESSAGE(got.status().message(), got.ok());
      return *got;
    };
    CPPUNIT_ASSERT(!recheck());

    uint64_t seq = 0;
    std::vector<storage::UserId> users;
    bool everyone = true;
    CPPUNIT_ASSERT(watcher.ChangesSince(wait.change_seq, &seq, &users, &everyone).ok());
    CPPUNIT_ASSERT_EQUAL(wait.change_seq, seq);
    CPPUNIT_ASSERT(users.empty() && !everyone);

    AddItem(calendar_);
    CPPUNIT_ASSERT(watcher.ChangesSince(wait.change_seq, &seq, &users, &everyone).ok());
    CPPUNIT_ASSERT_EQUAL(wait.change_seq + 1, seq);
    CPPUNIT_ASSERT(users == std::vector<storage::UserId>{alice_});
    auto answer = recheck();
    CPPUNIT_ASSERT(answer);
    Answer a = Decode(answer->body);
    CPPUNIT_ASSERT_EQUAL(2, a.status);
    CPPUNIT_ASSERT(a.folders == std::vector<std::string>{Id(calendar_)});

    // A cursor the feed cannot serve: everyone.
    CPPUNIT_ASSERT(watcher.ChangesSince(seq + 10, &seq, &users, &everyone).ok());
    CPPUNIT_ASSERT(everyone);

    // The Status 1 answer.
    CPPUNIT_ASSERT_EQUAL(1, Decode(push::Hub::ExpiredAnswer()).status);
  }

  void testRecheckHierarchy() {
    SyncedHierarchy();
    MarkSynced(contacts_);
    Response r = Run(PingBody{480, {Id(contacts_)}});
    CPPUNIT_ASSERT(r.wait != nullptr);
    push::PingWait wait = *r.wait;
    push::PingWatcher watcher(store());
    std::string why;

    // A hidden folder is no news (not even logged): keep waiting.
    FolderRecord f;
    f.owner = alice_;
    f.name = "Collected";
    f.type = folder_type::kUserContacts;
    f.hidden = true;
    Write([&](Txn& txn) { return txn.CreateFolder(f).status(); });
    uint64_t before = wait.hierarchy_seq;
    auto got = watcher.Recheck(wait, &why);
    CPPUNIT_ASSERT(got.ok() && !*got);
    CPPUNIT_ASSERT_EQUAL(before, wait.hierarchy_seq);

    // A folder another device created: Status 7.
    f.name = "Family";
    f.hidden = false;
    Write([&](Txn& txn) { return txn.CreateFolder(f).status(); });
    got = watcher.Recheck(wait, &why);
    CPPUNIT_ASSERT(got.ok() && *got);
    CPPUNIT_ASSERT_EQUAL(7, Decode((*got)->body).status);
    CPPUNIT_ASSERT(!why.empty());

    // The watched folder itself gone: Status 7 as well.
    SyncedHierarchy();
    r = Run(PingBody{480, {Id(contacts_)}});
    CPPUNIT_ASSERT(r.wait != nullptr);
    wait = *r.wait;
    FolderRecord mine;
    mine.owner = alice_;
    mine.name = "Short-lived";
    mine.type = folder_type::kUserContacts;
    Write([&](Txn& txn) {
      auto made = txn.CreateFolder(mine);
      if (made.ok()) mine = *made;
      return made.status();
    });
    SyncedHierarchy();
    MarkSynced(mine.id);
    r = Run(PingBody{480, {Id(mine.id)}});
    CPPUNIT_ASSERT(r.wait != nullptr);
    wait = *r.wait;
    Write([&](Txn& txn) { return txn.DeleteFolder(mine.id); });
    got = watcher.Recheck(wait, &why);
    CPPUNIT_ASSERT(got.ok() && *got);
    CPPUNIT_ASSERT_EQUAL(7, Decode((*got)->body).status);
  }

  // A held Ping ends with Status 1 at the first poll after its device sent
  // a newer request, in any worker (the table they share).
  void testHubNewerRequest() {
    SyncedHierarchy();
    MarkSynced(contacts_);
    std::vector<uint64_t> region(push::Hub::RegionSize() / 8 + 1);
    const size_t size = region.size() * 8;
    CPPUNIT_ASSERT(push::Hub::FormatRegion(region.data(), size).ok());
    push::Hub hub(store(), region.data(), size);
    push::Hub other(store(), region.data(), size);  // another worker's

    push::DeviceMark mark;
    CPPUNIT_ASSERT(hub.NoteRequest("alice", kDevice, &mark).ok() && mark.set);
    Response r = Run(PingBody{480, {Id(contacts_)}});
    CPPUNIT_ASSERT(r.wait != nullptr);
    push::Held* held = hub.Hold(r.wait, mark);
    CPPUNIT_ASSERT(held != nullptr && r.wait == nullptr);
    CPPUNIT_ASSERT_EQUAL(uint64_t{480}, push::Hub::Heartbeat(*held));
    CPPUNIT_ASSERT(!Poll(hub, *held).now);

    // Another device of the user changes nothing ...
    push::DeviceMark elsewhere;
    CPPUNIT_ASSERT(other.NoteRequest("alice", "TABLET", &elsewhere).ok());
    CPPUNIT_ASSERT(!Poll(hub, *held).now);
    // ... the same device does, whichever worker took its request.
    CPPUNIT_ASSERT(other.NoteRequest("alice", kDevice, &elsewhere).ok());
    push::Wake w = Poll(hub, *held);
    CPPUNIT_ASSERT(w.now);
    CPPUNIT_ASSERT_EQUAL(1, Decode(w.body).status);
    hub.Release(held);

    // Without a table nothing is marked (only the worker's own requests
    // end its held ones, which the glue sees itself).
    push::Hub alone(store(), nullptr, 0);
    push::DeviceMark none;
    CPPUNIT_ASSERT(alone.NoteRequest("alice", kDevice, &none).ok() && !none.set);
  }

  // A held Ping ends when the store's changes since the last poll concern
  // it: Status 2 with the folders, or 7 with a line for the log. A poll
  // moves past what it looked at.
  void testHubChanges() {
    SyncedHierarchy();
    MarkSynced(contacts_);
    MarkSynced(calendar_);
    push::Hub& hub = service_->push();
    Response r = Run(PingBody{480, {Id(contacts_), Id(calendar_)}});
    push::Held* held = hub.Hold(r.wait, push::DeviceMark());
    CPPUNIT_ASSERT(held != nullptr);
    CPPUNIT_ASSERT(!Poll(hub, *held).now);

    AddItem(calendar_);
    push::Wake w = Poll(hub, *held);
    CPPUNIT_ASSERT(w.now);
    CPPUNIT_ASSERT(w.log.text.empty());
    Answer a = Decode(w.body);
    CPPUNIT_ASSERT_EQUAL(2, a.status);
    CPPUNIT_ASSERT(a.folders == std::vector<std::string>{Id(calendar_)});
    hub.Release(held);

    // The device synced; its next Ping waits, past the change seen.
    MarkSynced(calendar_);
    r = Run(PingBody{480, {Id(contacts_), Id(calendar_)}});
    held = hub.Hold(r.wait, push::DeviceMark());
    CPPUNIT_ASSERT(held != nullptr);
    CPPUNIT_ASSERT(!Poll(hub, *held).now);

    FolderRecord f;
    f.owner = alice_;
    f.name = "Family";
    f.type = folder_type::kUserContacts;
    Write([&](Txn& txn) { return txn.CreateFolder(f).status(); });
    w = Poll(hub, *held);
    CPPUNIT_ASSERT(w.now);
    CPPUNIT_ASSERT_EQUAL(7, Decode(w.body).status);
    CPPUNIT_ASSERT(w.log.text.rfind("Ping: FolderSync required: ", 0) == 0);
    hub.Release(held);
  }

 private:
  // One poll of the glue's timer, for one held request.
  static push::Wake Poll(push::Hub& hub, push::Held& held) {
    Status s = hub.BeginPoll();
    CPPUNIT_ASSERT_MESSAGE(s.message(), s.ok());
    push::Wake w = hub.Check(held);
    hub.EndPoll();
    return w;
  }

  storage::Store& store() { return *store_; }

  template <class F>
  void Write(F fn) {
    Status s = store().Write(fn);
    CPPUNIT_ASSERT_MESSAGE(s.message(), s.ok());
  }

  static std::string Id(FolderId id) { return commands::FolderIdString(id); }

  // A Ping through the façade, as the glue sends it.
  Response Run(const std::optional<PingBody>& body, bool may_block = true) {
    return Run(body ? Encode(*body) : std::string(), may_block);
  }
  Response Run(const std::string& body, bool may_block = true) {
    // The request's text fields are views: the strings must outlive it.
    const std::string query =
        std::string("Cmd=Ping&User=alice&DeviceId=") + kDevice + "&DeviceType=iPhone";
    Request req;
    req.method = "POST";
    req.query_string = query;
    req.protocol_version = "14.1";
    req.content_type = "application/vnd.ms-sync.wbxml";
    req.options = options_;
    req.options.auth_mode = AuthMode::kNginx;
    req.nginx_user = "alice";
    req.body = body;
    req.now = 1700000000;
    Response r = service_->Handle(req, may_block);
    CPPUNIT_ASSERT_EQUAL(200, r.http_status);
    return r;
  }

  // The device ran FolderSync and knows the hierarchy as it is now.
  void SyncedHierarchy() {
    Write([&](Txn& txn) {
      auto seq = txn.HierarchySeq(alice_);
      if (!seq.ok()) return seq.status();
      HierarchyState h;
      h.key = 1;
      h.seen_seq = *seq;
      return txn.PutSyncState(alice_, kDevice, "", EncodeHierarchyState(h));
    });
  }

  // The device synced the folder up to its current modseq (what Sync stores).
  void MarkSynced(FolderId folder) {
    Write([&](Txn& txn) {
      auto modseq = txn.FolderModseq(folder);
      if (!modseq.ok()) return modseq.status();
      CollectionState c;
      c.key = 1;
      c.seen_modseq = *modseq;
      return txn.PutSyncState(alice_, kDevice, Id(folder), EncodeCollectionState(c));
    });
  }

  void AddItem(FolderId folder) {
    Write([&](Txn& txn) {
      storage::ItemRecord item;
      item.folder = folder;
      return txn.PutItem(item).status();
    });
  }

  std::string dir_;
  std::unique_ptr<Service> service_;
  storage::Store* store_ = nullptr;  // the service's
  LocationOptions options_;
  storage::UserId alice_ = 0;
  FolderId contacts_ = 0, calendar_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PingTest);

}  // namespace
}  // namespace eas::core
