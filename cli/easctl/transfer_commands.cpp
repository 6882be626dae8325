// easctl import and export: vCard files to and from address books,
// iCalendar files to and from calendars. The conversions live in
// core/convert; this file moves their items in and out of the store.
#include <strings.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/easctl/commands.hpp"
#include "cli/easctl/mail_import.hpp"
#include "core/auth/user_name.hpp"
#include "core/convert/icalendar.hpp"
#include "core/convert/vcard.hpp"
#include "core/folder_type.hpp"
#include "core/items/item_class.hpp"
#include "core/items/item_data.hpp"

namespace eas::cli {

namespace folder_type = eas::core::folder_type;
namespace {

using storage::Txn;

// Items per write transaction: each commit holds the store's one write
// lock only briefly, so devices syncing meanwhile are not kept waiting.
constexpr size_t kBatch = 500;

enum class Kind { kUnknown, kContacts, kCalendar };

const char* KindName(Kind k) { return k == Kind::kContacts ? "contacts" : "events"; }

// "1 event", "2 events".
std::string Count(size_t n, Kind k) {
  std::string noun = KindName(k);
  if (n == 1) noun.pop_back();
  return std::to_string(n) + " " + noun;
}

Kind FolderKind(storage::FolderKind t) {
  if (t == folder_type::kContacts || t == folder_type::kUserContacts) return Kind::kContacts;
  if (t == folder_type::kCalendar || t == folder_type::kUserCalendar) return Kind::kCalendar;
  return Kind::kUnknown;
}

// The content decides (the first BEGIN line); the extension only when the
// file does not say.
Kind FileKind(const std::string& path, const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r\xEF\xBB\xBF") == std::string::npos) continue;
    if (strncasecmp(line.c_str(), "BEGIN:VCARD", 11) == 0) return Kind::kContacts;
    if (strncasecmp(line.c_str(), "BEGIN:VCALENDAR", 15) == 0 ||
        strncasecmp(line.c_str(), "BEGIN:VEVENT", 12) == 0) {
      return Kind::kCalendar;
    }
    break;
  }
  auto ends = [&](const char* ext) {
    size_t n = std::strlen(ext);
    return path.size() >= n && strcasecmp(path.c_str() + path.size() - n, ext) == 0;
  };
  if (ends(".vcf") || ends(".vcard")) return Kind::kContacts;
  if (ends(".ics") || ends(".ical") || ends(".ifb")) return Kind::kCalendar;
  return Kind::kUnknown;
}

bool ReadAll(const std::string& path, std::string* out) {
  if (path == "-") {
    out->assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

struct Target {
  storage::UserRecord user;
  FolderAccess access;
};

Result<Target> FindTarget(Txn& txn, const Args& a) {
  if (a.user.empty() || a.folder.empty()) {
    return Status::Invalid("--user NAME and --folder FOLDERID are required");
  }
  storage::FolderId id = ParseFolderId(a.folder);
  if (id == 0) return Status::Invalid("--folder takes a folder id (see folder list)");
  auto user = txn.GetUser(core::auth::CanonicalUserName(a.user));
  if (!user.ok()) return user.status();
  auto access = AccessFolder(txn, *user, id);
  if (!access.ok()) return access.status();
  return Target{std::move(*user), std::move(*access)};
}

}  // namespace

int Import(storage::Store& store, const Args& a) {
  if (a.positional.size() != 2) return Usage();
  const std::string& path = a.positional[1];
  if (a.folder.empty() || LooksLikeMail(path)) return ImportMail(store, a);
  std::string text;
  if (!ReadAll(path, &text)) return Fail("cannot read " + path);

  Target target;
  Status s = store.Read([&](Txn& txn) {
    auto t = FindTarget(txn, a);
    if (!t.ok()) return t.status();
    target = std::move(*t);
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  const storage::FolderRecord& folder = target.access.folder;
  if (&core::items::ClassOf(folder.type) == &core::items::EmailClass()) return ImportMail(store, a);
  if (!target.access.writable) return Fail(folder.name + " is shared read-only with " + a.user);
  Kind kind = FileKind(path, text);
  if (kind == Kind::kUnknown) return Fail(path + " is neither vCard nor iCalendar");
  if (kind != FolderKind(folder.type)) {
    return Fail(std::string(path) + " holds " + KindName(kind) + "; folder " + folder.name +
                " does not take them");
  }

  core::convert::ConvertReport report =
      kind == Kind::kContacts
          ? core::convert::ContactsFromVCards(text)
          : core::convert::EventsFromICalendar(
                text, {target.user.addresses, static_cast<int64_t>(std::time(nullptr))});

  size_t imported = 0;
  for (size_t first = 0; first < report.items.size(); first += kBatch) {
    size_t last = std::min(first + kBatch, report.items.size());
    s = store.Write([&](Txn& txn) {
      for (size_t i = first; i < last; ++i) {
        storage::ItemRecord item;
        item.folder = folder.id;
        item.data = core::items::EncodeItemData(report.items[i].application_data);
        auto put = txn.PutItem(std::move(item));
        if (!put.ok()) return put.status();
      }
      return Status::Ok();
    });
    if (!s.ok()) {
      return Fail("stopped after " + Count(imported, kind) + ": " + s.message());
    }
    imported = last;
  }

  for (const auto& item : report.items) {
    for (const std::string& w : item.warnings) std::cerr << path << ": " << w << "\n";
  }
  std::vector<core::convert::SkippedEntry> skipped = report.skipped;
  std::sort(skipped.begin(), skipped.end(),
            [](const auto& x, const auto& y) { return x.line < y.line; });
  for (const auto& e : skipped) {
    std::cerr << path << ": line " << e.line << ": skipped: " << e.reason << "\n";
  }
  std::printf("imported %s into folder %llu (%s) of %s; skipped %zu\n",
              Count(imported, kind).c_str(), static_cast<unsigned long long>(folder.id),
              folder.name.c_str(), target.user.name.c_str(), skipped.size());
  return skipped.empty() ? 0 : 1;
}

int Export(storage::Store& store, const Args& a) {
  if (a.positional.size() != 1) return Usage();
  Target target;
  std::vector<storage::ItemRecord> items;
  Status s = store.Read([&](Txn& txn) {
    auto t = FindTarget(txn, a);
    if (!t.ok()) return t.status();
    target = std::move(*t);
    auto changes = txn.ItemChangesSince(target.access.folder.id, 0, SIZE_MAX);
    if (!changes.ok()) return changes.status();
    for (const storage::ItemChange& c : *changes) {
      if (c.kind == storage::ChangeKind::kDelete) continue;
      auto item = txn.GetItem(target.access.folder.id, c.item);
      if (!item.ok()) return item.status();
      items.push_back(std::move(*item));
    }
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  const storage::FolderRecord& folder = target.access.folder;
  Kind kind = FolderKind(folder.type);
  if (kind == Kind::kUnknown) return Fail(folder.name + " is neither contacts nor a calendar");
  // In the order they were created, not last changed.
  std::sort(items.begin(), items.end(), [](const auto& x, const auto& y) { return x.id < y.id; });

  std::string out;
  core::convert::ICalendarWriter calendar;
  size_t exported = 0;
  for (const storage::ItemRecord& item : items) {
    // A stable UID for items that have none (contacts never have one).
    std::string uid = "eas-" + std::to_string(folder.id) + "-" + std::to_string(item.id);
    auto app = core::items::DecodeItemData(item.data);
    Status written = app.status();
    if (app.ok() && kind == Kind::kContacts) {
      out += core::convert::VCardFromContact(
          *app, a.vcard4 ? core::convert::VCardVersion::k40 : core::convert::VCardVersion::k30,
          uid);
    } else if (app.ok()) {
      written = calendar.Add(*app, uid);
    }
    if (!written.ok()) {
      std::cerr << "easctl: item " << item.id << " left out: " << written.message() << "\n";
      continue;
    }
    ++exported;
  }
  if (kind == Kind::kCalendar) out = calendar.Finish();

  if (a.output.empty() || a.output == "-") {
    std::cout << out << std::flush;
    if (!std::cout) return Fail("cannot write the export");
  } else {
    std::ofstream file(a.output, std::ios::binary | std::ios::trunc);
    file << out;
    file.close();
    if (!file) return Fail("cannot write " + a.output);
  }
  std::fprintf(stderr, "exported %s from folder %llu (%s)\n", Count(exported, kind).c_str(),
               static_cast<unsigned long long>(folder.id), folder.name.c_str());
  return 0;
}

}  // namespace eas::cli
