// The mailbox search index: what a user types becomes an FTS5 expression
// that quotes every word (so no text can be FTS5 syntax), the index finds
// words case- and accent-blind and by prefix, and catching up with the
// store adds what came, drops what the log says went, forgets deleted
// folders, and after a crash (a transaction never committed) redoes the
// lost work; a search reads pages newest first with their Total, and an
// index file of an older layout is built again.
#include <cppunit/extensions/HelperMacros.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "core/folder_type.hpp"
#include "core/mail/mail_item.hpp"
#include "core/search/background_index.hpp"
#include "core/search/fts_query.hpp"
#include "core/search/index_catch_up.hpp"
#include "core/search/mail_index.hpp"
#include "core/search/mailbox_search.hpp"
#include "storage/store.hpp"
#include "storage_test_util.hpp"

namespace eas::core::search {
namespace {

using storage::Must;

class SearchTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SearchTest);
  CPPUNIT_TEST(testFreeTextQuotesEveryWord);
  CPPUNIT_TEST(testFreeTextHasNoOperators);
  CPPUNIT_TEST(testFindQueryShapes);
  CPPUNIT_TEST(testNothingToLookFor);
  CPPUNIT_TEST(testIndexMatchesWords);
  CPPUNIT_TEST(testSyntaxInTextIsHarmless);
  CPPUNIT_TEST(testCatchUpFollowsTheLog);
  CPPUNIT_TEST(testCrashLosesNothing);
  CPPUNIT_TEST(testDeletedFolderIsForgotten);
  CPPUNIT_TEST(testIndexFilesAreNotWorldReadable);
  CPPUNIT_TEST(testPagesNewestFirstWithTotal);
  CPPUNIT_TEST(testOlderLayoutIsBuiltAgain);
  CPPUNIT_TEST(testBoundedCatchUpResumes);
  CPPUNIT_TEST(testBackgroundRoundsFollowTheFeed);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char tmpl[] = "/tmp/eas-search-XXXXXX";
    dir_ = mkdtemp(tmpl);
    store_ = storage::MustOpen(dir_ + "/store");
    user_ = storage::WriteValue<storage::UserRecord>(
        *store_, [](storage::Txn& t) { return t.CreateUser(storage::NewUser("alice")); });
    inbox_ = MakeFolder("Inbox");
  }
  void tearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void testFreeTextQuotesEveryWord() {
    CPPUNIT_ASSERT_EQUAL(std::string("\"hello\" * AND \"world\" *"),
                         FtsMatchExpression("  hello\tworld ", QuerySyntax::kFreeText));
    CPPUNIT_ASSERT_EQUAL(std::string("\"big report\" * AND \"x\" *"),
                         FtsMatchExpression("\"big report\" x", QuerySyntax::kFreeText));
    // A quote inside a word is doubled, so it stays inside the string.
    CPPUNIT_ASSERT_EQUAL(std::string("\"o\"\"brien\" *"),
                         FtsMatchExpression("o\"brien", QuerySyntax::kFreeText));
    CPPUNIT_ASSERT_EQUAL(std::string("\"M\xc3\xbcller\" *"),
                         FtsMatchExpression("M\xc3\xbcller", QuerySyntax::kFreeText));
  }

  void testFreeTextHasNoOperators() {
    // In Search's FreeText, OR, NOT, NEAR, column filters are words.
    CPPUNIT_ASSERT_EQUAL(std::string("\"cats\" * AND \"OR\" * AND \"dogs\" *"),
                         FtsMatchExpression("cats OR dogs", QuerySyntax::kFreeText));
    CPPUNIT_ASSERT_EQUAL(std::string("\"subject:x\" * AND \"NEAR(a\" * AND \"b)\" *"),
                         FtsMatchExpression("subject:x NEAR(a b)", QuerySyntax::kFreeText));
  }

  void testFindQueryShapes() {
    // What iOS sends.
    CPPUNIT_ASSERT_EQUAL(
        std::string("recipients : \"bob\" * OR recipients : \"bob\" * OR sender : \"bob\" * OR "
                    "subject : \"bob\" * OR \"bob\" *"),
        FtsMatchExpression("to:\"bob\" OR cc:\"bob\" OR from:\"bob\" OR subject:\"bob\" OR \"bob\"",
                           QuerySyntax::kFind));
    // An unknown field is a word; AND is AND; a trailing OR is dropped.
    CPPUNIT_ASSERT_EQUAL(std::string("\"size:big\" * AND \"a\" * AND \"b\" *"),
                         FtsMatchExpression("size:big a AND b OR", QuerySyntax::kFind));
    CPPUNIT_ASSERT_EQUAL(std::string("\"a\" *"), FtsMatchExpression("OR a", QuerySyntax::kFind));
  }

  void testNothingToLookFor() {
    CPPUNIT_ASSERT_EQUAL(std::string(), FtsMatchExpression("", QuerySyntax::kFreeText));
    CPPUNIT_ASSERT_EQUAL(std::string(), FtsMatchExpression(" - \"\" ()* ", QuerySyntax::kFreeText));
    CPPUNIT_ASSERT_EQUAL(std::string("\"x\" *"),
                         FtsMatchExpression("-- x ..", QuerySyntax::kFreeText));
  }

  void testIndexMatchesWords() {
    Deliver(inbox_, "Quarterly numbers", "J\xc3\xbcrgen M\xc3\xbcller <jm@example.org>",
            "The caf\xc3\xa9 is open.", 100);
    Deliver(inbox_, "Lunch", "Ann <ann@example.org>", "Pizza at noon.", 200);
    auto index = Must(MailIndex::Open(MailIndex::PathFor(store_->path())));
    Must(CatchUp(*index, *store_, user_.id, Folders()));
    CPPUNIT_ASSERT_EQUAL(size_t(1), Count(*index, "muller"));      // accent-blind
    CPPUNIT_ASSERT_EQUAL(size_t(1), Count(*index, "M\xc3\x9cLLER"));  // and case-blind
    CPPUNIT_ASSERT_EQUAL(size_t(1), Count(*index, "cafe"));
    CPPUNIT_ASSERT_EQUAL(size_t(1), Count(*index, "quart"));       // a prefix
    CPPUNIT_ASSERT_EQUAL(size_t(1), Count(*index, "ann@example.org"));
    CPPUNIT_ASSERT_EQUAL(size_t(0), Count(*index, "pizza quarterly"));
    IndexQuery q;
    q.folders = {inbox_};
    q.received_after = 150;
    CPPUNIT_ASSERT_EQUAL(size_t(1), Must(index->Query(q)).size());  // by date alone
  }

  // The index holds words of everyone's mail: its files are 0660, as the
  // store's, whatever the umask, never readable by other local users.
  void testIndexFilesAreNotWorldReadable() {
    Deliver(inbox_, "Private", "a <a@example.org>", "words", 100);
    const mode_t old_umask = umask(022);
    {
      auto index = Must(MailIndex::Open(MailIndex::PathFor(store_->path())));
      Must(CatchUp(*index, *store_, user_.id, Folders()));
      for (const auto& entry : std::filesystem::directory_iterator(store_->path())) {
        struct stat st;
        CPPUNIT_ASSERT_EQUAL(0, stat(entry.path().c_str(), &st));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(entry.path().string(), 0660, int(st.st_mode & 0777));
      }
    }
    umask(old_umask);
  }

  // Pages come newest first (by received time; of one second, the one
  // indexed last first), disjoint, with the Total; a message deleted
  // without a tombstone is skipped by the page that reaches it, and the
  // Total then is exact again.
  void testPagesNewestFirstWithTotal() {
    std::vector<storage::ItemId> items;  // by received time, oldest first
    for (int i = 0; i < 30; ++i) {
      // Two of them in one second: 110 twice (the later one newer).
      items.push_back(Deliver(inbox_, "Report " + std::to_string(i), "a <a@example.org>",
                              "common words", i <= 10 ? 100 + i : 99 + i));
    }
    Deliver(inbox_, "Other", "a <a@example.org>", "nothing alike", 200);
    IndexQuery q;
    q.folders = {inbox_};
    q.match = FtsMatchExpression("common", QuerySyntax::kFreeText);
    std::vector<std::string> notes;
    std::vector<storage::ItemId> seen;
    for (uint64_t first : {0, 10, 20}) {
      MailboxPage page = Must(SearchMailbox(*store_, user_.id, Folders(), q, first, first + 9, &notes));
      CPPUNIT_ASSERT_EQUAL(uint64_t(30), page.total);
      CPPUNIT_ASSERT_EQUAL(size_t(10), page.hits.size());
      for (const IndexHit& hit : page.hits) seen.push_back(hit.item);
    }
    CPPUNIT_ASSERT(std::equal(seen.begin(), seen.end(), items.rbegin(), items.rend()));
    // Within a date range the matches after the page are counted in it.
    IndexQuery recent = q;
    recent.received_after = 104;  // the 25 received at 105 and later
    MailboxPage window = Must(SearchMailbox(*store_, user_.id, Folders(), recent, 0, 4, &notes));
    CPPUNIT_ASSERT_EQUAL(uint64_t(25), window.total);
    CPPUNIT_ASSERT_EQUAL(size_t(5), window.hits.size());

    // Gone without a tombstone (no device had it): the newest and the oldest.
    ASSERT_OK(store_->Write([&](storage::Txn& t) { return t.DeleteItem(inbox_, items.back()); }));
    ASSERT_OK(store_->Write([&](storage::Txn& t) { return t.DeleteItem(inbox_, items.front()); }));
    MailboxPage page = Must(SearchMailbox(*store_, user_.id, Folders(), q, 0, 9, &notes));
    CPPUNIT_ASSERT_EQUAL(items[items.size() - 2], page.hits.front().item);
    CPPUNIT_ASSERT_EQUAL(size_t(10), page.hits.size());
    // The oldest is counted until a page reaches it: the last page.
    CPPUNIT_ASSERT_EQUAL(uint64_t(29), page.total);
    page = Must(SearchMailbox(*store_, user_.id, Folders(), q, 20, 29, &notes));
    CPPUNIT_ASSERT_EQUAL(size_t(8), page.hits.size());
    CPPUNIT_ASSERT_EQUAL(items[1], page.hits.back().item);
    CPPUNIT_ASSERT_EQUAL(uint64_t(28), page.total);
    // Both were forgotten: the first page's Total is exact now.
    CPPUNIT_ASSERT_EQUAL(uint64_t(28),
                         Must(SearchMailbox(*store_, user_.id, Folders(), q, 0, 9, &notes)).total);
  }

  // An index file of the first layout (before docs were ordered by
  // received time) is emptied and caught up again.
  void testOlderLayoutIsBuiltAgain() {
    Deliver(inbox_, "Quarterly numbers", "a <a@example.org>", "old words", 100);
    {
      sqlite3* db = nullptr;
      CPPUNIT_ASSERT_EQUAL(SQLITE_OK, sqlite3_open(MailIndex::PathFor(store_->path()).c_str(), &db));
      const std::string v1 =
          "CREATE TABLE folders(folder INTEGER PRIMARY KEY, owner INTEGER NOT NULL,"
          "  modseq INTEGER NOT NULL);"
          "CREATE TABLE messages(doc INTEGER PRIMARY KEY, folder INTEGER NOT NULL,"
          "  item INTEGER NOT NULL, received INTEGER NOT NULL, added INTEGER NOT NULL,"
          "  UNIQUE(folder, item));"
          "CREATE VIRTUAL TABLE message_text USING fts5(subject, sender, recipients, body,"
          "  attachments, tokenize='unicode61 remove_diacritics 2', prefix='2 3');"
          "INSERT INTO folders VALUES(" + std::to_string(inbox_) + ", 1, 99999);";
      CPPUNIT_ASSERT_EQUAL(SQLITE_OK, sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr));
      sqlite3_close(db);
    }
    auto index = Must(MailIndex::Open(MailIndex::PathFor(store_->path())));
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), Must(index->Progress(inbox_)));
    CPPUNIT_ASSERT_EQUAL(size_t(1), Must(CatchUp(*index, *store_, user_.id, Folders())).added);
    CPPUNIT_ASSERT_EQUAL(size_t(1), Count(*index, "quarterly"));
  }

  void testSyntaxInTextIsHarmless() {
    Deliver(inbox_, "Plain", "a <a@example.org>", "nothing special", 100);
    auto index = Must(MailIndex::Open(MailIndex::PathFor(store_->path())));
    Must(CatchUp(*index, *store_, user_.id, Folders()));
    for (const char* text : {"\"", "\"\"\"", "a OR b", "body:*", "NEAR(x y)", "^plain", "plain\" OR \"x",
                             "* OR *", "(", "subject : plain", "-plain", "{subject}: x"}) {
      IndexQuery q;
      q.folders = {inbox_};
      q.match = FtsMatchExpression(text, QuerySyntax::kFind);
      auto hits = index->Query(q);
      CPPUNIT_ASSERT_MESSAGE(std::string("query failed for ") + text + ": " + hits.status().message(),
                             hits.ok());
    }
    // The quote does not end the string: no OR reaches FTS5.
    CPPUNIT_ASSERT_EQUAL(size_t(0), Count(*index, "zzz\" OR \"plain"));
  }

  void testCatchUpFollowsTheLog() {
    storage::ItemId one = Deliver(inbox_, "First", "a <a@example.org>", "alpha", 100);
    Deliver(inbox_, "Second", "a <a@example.org>", "alpha beta", 200);
    auto index = Must(MailIndex::Open(MailIndex::PathFor(store_->path())));
    CatchUpReport r = Must(CatchUp(*index, *store_, user_.id, Folders()));
    CPPUNIT_ASSERT_EQUAL(size_t(2), r.added);
    CPPUNIT_ASSERT_EQUAL(size_t(0), Must(CatchUp(*index, *store_, user_.id, Folders())).added);

    // A flag change is logged as an update: the words stay, nothing is redone.
    ASSERT_OK(store_->Write([&](storage::Txn& t) -> Status {
      auto item = t.GetItem(inbox_, one);
      if (!item.ok()) return item.status();
      return t.PutItem(*item).status();
    }));
    r = Must(CatchUp(*index, *store_, user_.id, Folders()));
    CPPUNIT_ASSERT_EQUAL(size_t(0), r.added);

    // A delete the log shows (a device held the message: a tombstone) is
    // dropped; a new message is added.
    storage::ItemId two = Deliver(inbox_, "Held", "a <a@example.org>", "alpha held", 250);
    Must(CatchUp(*index, *store_, user_.id, Folders()));
    ASSERT_OK(store_->Write([&](storage::Txn& t) -> Status {
      Status s = t.NoteReader(user_.id, "PHONE", inbox_, 1, false);
      if (s.ok()) s = t.SetHeld(user_.id, "PHONE", inbox_, two, true);
      return s.ok() ? t.DeleteItem(inbox_, two) : s;
    }));
    Deliver(inbox_, "Third", "a <a@example.org>", "gamma", 300);
    r = Must(CatchUp(*index, *store_, user_.id, Folders()));
    CPPUNIT_ASSERT_EQUAL(size_t(1), r.added);
    CPPUNIT_ASSERT_EQUAL(size_t(1), r.removed);
    CPPUNIT_ASSERT_EQUAL(size_t(1), Count(*index, "gamma"));
    CPPUNIT_ASSERT_EQUAL(size_t(0), Count(*index, "held"));
    CPPUNIT_ASSERT_EQUAL(Must(ReadModseq()), Must(index->Progress(inbox_)));

    // A delete no device needed leaves no tombstone: the index still has
    // the message, and a search checks it against the store, leaves it
    // out and forgets it.
    ASSERT_OK(store_->Write([&](storage::Txn& t) { return t.DeleteItem(inbox_, one); }));
    CPPUNIT_ASSERT_EQUAL(size_t(0), Must(CatchUp(*index, *store_, user_.id, Folders())).removed);
    CPPUNIT_ASSERT_EQUAL(size_t(2), Count(*index, "alpha"));
    IndexQuery q;
    q.folders = {inbox_};
    q.match = FtsMatchExpression("alpha", QuerySyntax::kFreeText);
    std::vector<std::string> notes;
    MailboxPage page = Must(SearchMailbox(*store_, user_.id, Folders(), q, 0, 9, &notes));
    CPPUNIT_ASSERT_EQUAL(size_t(1), page.hits.size());
    CPPUNIT_ASSERT_EQUAL(uint64_t(1), page.total);
    CPPUNIT_ASSERT(page.hits[0].item != one);
    CPPUNIT_ASSERT_EQUAL(size_t(1), Count(*index, "alpha"));
  }

  void testCrashLosesNothing() {
    Deliver(inbox_, "First", "a <a@example.org>", "alpha", 100);
    {
      // A catch-up that dies before its commit.
      auto index = Must(MailIndex::Open(MailIndex::PathFor(store_->path())));
      ASSERT_OK(index->Begin());
      ASSERT_OK(index->Add({inbox_, 1, 100, 1}, IndexedText{"First", "", "", "alpha", ""}));
      ASSERT_OK(index->SetProgress(inbox_, user_.id, 1000));
    }
    Deliver(inbox_, "Second", "a <a@example.org>", "alpha", 200);
    auto index = Must(MailIndex::Open(MailIndex::PathFor(store_->path())));
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), Must(index->Progress(inbox_)));
    CatchUpReport r = Must(CatchUp(*index, *store_, user_.id, Folders()));
    CPPUNIT_ASSERT_EQUAL(size_t(2), r.added);
    CPPUNIT_ASSERT_EQUAL(size_t(2), Count(*index, "alpha"));
  }

  void testDeletedFolderIsForgotten() {
    storage::FolderId projects = MakeFolder("Projects");
    Deliver(projects, "Plan", "a <a@example.org>", "delta", 100);
    auto index = Must(MailIndex::Open(MailIndex::PathFor(store_->path())));
    Must(CatchUp(*index, *store_, user_.id, Folders()));
    CPPUNIT_ASSERT_EQUAL(size_t(1), Count(*index, "delta", {projects}));
    ASSERT_OK(store_->Write([&](storage::Txn& t) { return t.DeleteFolder(projects); }));
    CatchUpReport r = Must(CatchUp(*index, *store_, user_.id, Folders()));
    CPPUNIT_ASSERT_EQUAL(size_t(1), r.dropped_folders);
    CPPUNIT_ASSERT_EQUAL(size_t(0), Count(*index, "delta", {projects}));
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), Must(index->Progress(projects)));
  }

  // A catch-up bounded to a few log entries stops with `more` and its
  // progress where it stopped; calls in a row end with everything
  // indexed once, across folders.
  void testBoundedCatchUpResumes() {
    storage::FolderId other = MakeFolder("Projects");
    for (int i = 0; i < 5; ++i) Deliver(inbox_, "In " + std::to_string(i), "a <a@example.org>", "alpha", 100 + i);
    for (int i = 0; i < 3; ++i) Deliver(other, "Pr " + std::to_string(i), "a <a@example.org>", "alpha", 200 + i);
    auto index = Must(MailIndex::Open(MailIndex::PathFor(store_->path())));
    CatchUpReport r = Must(CatchUp(*index, *store_, user_.id, Folders(), 2));
    CPPUNIT_ASSERT(r.more);
    CPPUNIT_ASSERT_EQUAL(size_t(2), r.added);
    size_t added = r.added, calls = 1;
    while (r.more && calls < 20) {
      r = Must(CatchUp(*index, *store_, user_.id, Folders(), 2));
      CPPUNIT_ASSERT(r.added <= 2);
      added += r.added;
      ++calls;
    }
    CPPUNIT_ASSERT(!r.more);
    CPPUNIT_ASSERT_EQUAL(size_t(8), added);
    CPPUNIT_ASSERT_EQUAL(size_t(5), Count(*index, "alpha"));
    CPPUNIT_ASSERT_EQUAL(size_t(8), Count(*index, "alpha", {inbox_, other}));
    CPPUNIT_ASSERT_EQUAL(Must(ReadModseq()), Must(index->Progress(inbox_)));
    CPPUNIT_ASSERT_EQUAL(size_t(0), Must(CatchUp(*index, *store_, user_.id, Folders(), 2)).added);
  }

  // Background rounds: the first (feed position 0) looks at every user;
  // rounds stop at their budget and resume; a later round sees only what
  // the feed names since, and a round with nothing new says nothing.
  void testBackgroundRoundsFollowTheFeed() {
    for (int i = 0; i < 7; ++i) Deliver(inbox_, "M " + std::to_string(i), "a <a@example.org>", "omega", 100 + i);
    IndexRound round = IndexChanges(*store_, 0, 3);
    CPPUNIT_ASSERT(round.more);
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), round.seq);  // not past what is left
    size_t added = round.added;
    for (int i = 0; round.more && i < 10; ++i) {
      round = IndexChanges(*store_, round.seq, 3);
      added += round.added;
    }
    CPPUNIT_ASSERT(!round.more);
    CPPUNIT_ASSERT_EQUAL(size_t(7), added);
    uint64_t seq = round.seq;
    CPPUNIT_ASSERT(seq > 0);

    Deliver(inbox_, "Late", "b <b@example.org>", "omega late", 300);
    round = IndexChanges(*store_, seq, 1000);
    CPPUNIT_ASSERT(!round.more);
    CPPUNIT_ASSERT_EQUAL(size_t(1), round.added);
    CPPUNIT_ASSERT(round.seq > seq);
    CPPUNIT_ASSERT_EQUAL(size_t(1), round.log.size());  // "indexed 1 messages..."

    IndexRound idle = IndexChanges(*store_, round.seq, 1000);
    CPPUNIT_ASSERT_EQUAL(round.seq, idle.seq);
    CPPUNIT_ASSERT_EQUAL(size_t(0), idle.users);
    CPPUNIT_ASSERT(idle.log.empty());

    auto index = Must(MailIndex::Open(MailIndex::PathFor(store_->path())));
    CPPUNIT_ASSERT_EQUAL(size_t(8), Count(*index, "omega"));
  }

 private:
  storage::FolderId MakeFolder(const std::string& name) {
    storage::FolderRecord f;
    f.owner = user_.id;
    f.type = folder_type::kUserMail;
    f.name = name;
    return storage::WriteValue<storage::FolderRecord>(
               *store_, [&](storage::Txn& t) { return t.CreateFolder(f); })
        .id;
  }

  std::vector<storage::FolderRecord> Folders() {
    auto all = storage::ReadValue<std::vector<storage::FolderRecord>>(
        *store_, [&](storage::Txn& t) { return t.VisibleFolders(user_.id); });
    return all;
  }

  Result<uint64_t> ReadModseq() {
    uint64_t m = 0;
    Status s = store_->Read([&](storage::Txn& t) -> Status {
      auto r = t.FolderModseq(inbox_);
      if (r.ok()) m = *r;
      return r.status();
    });
    if (!s.ok()) return s;
    return m;
  }

  storage::ItemId Deliver(storage::FolderId folder, const std::string& subject,
                          const std::string& from, const std::string& body, uint64_t received) {
    const std::string raw = "From: " + from + "\r\nTo: alice@example.org\r\nSubject: " + subject +
                            "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
    mail::MailItem item;
    item.message = Must(mail::BuildMessageRecord(raw, received));
    storage::ItemRecord record;
    record.folder = folder;
    record.data = mail::EncodeMailItem(item);
    record.time = received;
    return storage::WriteValue<storage::ItemRecord>(
               *store_, [&](storage::Txn& t) { return t.PutItem(record); })
        .id;
  }

  size_t Count(MailIndex& index, const std::string& text,
               std::vector<storage::FolderId> folders = {}) {
    IndexQuery q;
    q.folders = folders.empty() ? std::vector<storage::FolderId>{inbox_} : folders;
    q.match = FtsMatchExpression(text, QuerySyntax::kFreeText);
    return Must(index.Query(q)).size();
  }

  std::string dir_;
  std::unique_ptr<storage::Store> store_;
  storage::UserRecord user_;
  storage::FolderId inbox_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SearchTest);

}  // namespace
}  // namespace eas::core::search
