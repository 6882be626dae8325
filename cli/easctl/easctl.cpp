// easctl: administration of an eas store from the shell. Works while nginx
// runs (LMDB is multi-process safe). Human tables by default, --json for
// scripts.
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "cli/common/store_owner.hpp"
#include "cli/easctl/args.hpp"
#include "cli/easctl/commands.hpp"
#include "cli/easctl/easctl_devices.hpp"
#include "core/auth/password_hash.hpp"
#include "core/auth/user_name.hpp"
#include "core/collection_state.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/default_folders.hpp"
#include "core/folder_type.hpp"
#include "core/items/item_class.hpp"
#include "core/items/item_data.hpp"
#include "core/mail/delivery.hpp"
#include "core/wbxml/tags.hpp"
#include "storage/store.hpp"

namespace eas::cli {

namespace folder_type = eas::core::folder_type;
namespace {

const char* kUsage =
    "usage: easctl [--store DIR] COMMAND ...\n"
    "\n"
    "  user add NAME [--password PW | --password-stdin] [--email ADDR]...\n"
    "               [--display-name TEXT]\n"
    "  user passwd NAME [--password PW | --password-stdin]\n"
    "  user set NAME [--display-name TEXT] [--first-name TEXT] [--last-name TEXT]\n"
    "               [--alias TEXT] [--company TEXT] [--title TEXT] [--office TEXT]\n"
    "               [--phone NUM] [--mobile-phone NUM] [--home-phone NUM]\n"
    "               [--picture FILE.jpg | --no-picture]\n"
    "  user del NAME\n"
    "  user list [--json]\n"
    "  user collected NAME [--json]        addresses NAME sent mail to\n"
    "%s"
    "  folder list --user NAME [--json]\n"
    "  folder add --user NAME --type contacts|calendar|tasks|notes FOLDERNAME\n"
    "  folder del --user NAME FOLDERID\n"
    "  share FOLDERID --with USER (--read-only | --read-write)\n"
    "  unshare FOLDERID --with USER\n"
    "  import --user NAME --folder FOLDERID FILE.vcf|FILE.ics   (FILE - reads stdin)\n"
    "  import --user NAME [--folder FOLDERID] MAILDIR|DIR|FILE.mbox|FILE.eml\n"
    "  export --user NAME --folder FOLDERID [-o FILE] [--vcard4]\n"
    "  check                               store consistency (exit 0 clean, 1 problems,\n"
    "                                      2 no store)\n"
    "  queue list [--json]                 mail waiting for the SMTP relay\n"
    "  queue retry ID...                   send again at once\n"
    "  queue drop ID...                    remove unsent\n"
    "  debug touch-folder FOLDERID\n"
    "  debug mark-synced NAME DEVICEID FOLDERID\n"
    "\n"
    "debug commands are test aids, not for a store in use: touch-folder adds a\n"
    "small placeholder item to a folder (a message in a mail folder: a change\n"
    "push must report); mark-synced records that a device has synced a folder\n"
    "up to now, as a completed Sync does.\n"
    "\n"
    "--store defaults to /var/lib/eas (the packaged location); make run's demo\n"
    "store is .run/store. Without --password, the password is asked for (or read\n"
    "from standard input when it is not a terminal).\n"
    "\n"
    "Folder ids are those FolderSync shows (folder list prints them). A shared\n"
    "folder appears in the sharee's FolderSync. import takes vCard 2.1/3.0/4.0\n"
    "into a contacts folder and iCalendar events into a calendar folder (the\n"
    "user must own it or have it shared read-write); it reports each skipped\n"
    "entry with its line and exits with 1 if there was one. Mail goes into a\n"
    "mail folder (the Inbox without --folder) from a Maildir (cur/, new/;\n"
    "flag S is read), a directory of message files, an mbox (Status: R is\n"
    "read) or one .eml, keeping received dates (the mbox From line, a file's\n"
    "modification time); a message already there is not stored twice. export\n"
    "writes vCard 3.0 (4.0 with --vcard4) or one VCALENDAR to FILE or stdout.\n"
    "\n"
    "user set changes what the directory (the GAL: Search, Find and\n"
    "ResolveRecipients on a phone) shows of a user; an empty TEXT clears a\n"
    "field, and a field not named keeps its value. --picture takes a JPEG of\n"
    "at most 100 KB (the most a phone may ask for).\n";

}  // namespace

int Usage() {
  std::string usage = kUsage;
  usage.replace(usage.find("%s"), 2, eas::cli::kDeviceUsage);  // the device lines
  std::cerr << usage;
  return 2;
}

int Fail(const std::string& message) {
  std::cerr << "easctl: " << message << "\n";
  return 1;
}

namespace {

using eas::Status;
using eas::storage::Store;
using eas::storage::Txn;
using eas::storage::UserRecord;

// user set's --first-name ... --picture: the field an option fills.
std::optional<std::string>* DirectoryOption(Args& a, const std::string& arg) {
  const std::pair<const char*, std::optional<std::string> Args::*> options[] = {
      {"--first-name", &Args::first_name}, {"--last-name", &Args::last_name},
      {"--phone", &Args::phone}, {"--mobile-phone", &Args::mobile_phone},
      {"--home-phone", &Args::home_phone}, {"--company", &Args::company},
      {"--title", &Args::title}, {"--office", &Args::office}, {"--alias", &Args::alias},
      {"--picture", &Args::picture}};
  for (const auto& [name, member] : options) {
    if (arg == name) return &(a.*member);
  }
  return nullptr;
}

bool ParseArgs(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    if (arg == "--store") {
      if (!value(a.store)) return false;
    } else if (arg == "--password") {
      if (!value(a.password)) return false;
      a.has_password = true;
    } else if (arg == "--password-stdin") {
      a.password_stdin = true;
    } else if (arg == "--email") {
      std::string e;
      if (!value(e)) return false;
      a.emails.push_back(e);
    } else if (arg == "--display-name") {
      if (!value(a.display_name)) return false;
    } else if (std::optional<std::string>* field = DirectoryOption(a, arg)) {
      field->emplace();
      if (!value(**field)) return false;
    } else if (arg == "--no-picture") {
      a.no_picture = true;
    } else if (arg == "--user") {
      if (!value(a.user)) return false;
    } else if (arg == "--json") {
      a.json = true;
    } else if (arg == "--pending") {
      a.pending = true;
    } else if (arg == "--all-pending") {
      a.all_pending = true;
    } else if (arg == "--account-only") {
      a.account_only = true;
    } else if (arg == "--type") {
      if (!value(a.type)) return false;
    } else if (arg == "--with") {
      if (!value(a.with)) return false;
    } else if (arg == "--folder") {
      if (!value(a.folder)) return false;
    } else if (arg == "-o" || arg == "--output") {
      if (!value(a.output)) return false;
    } else if (arg == "--read-only") {
      a.read_only = true;
    } else if (arg == "--read-write") {
      a.read_write = true;
    } else if (arg == "--vcard4") {
      a.vcard4 = true;
    } else if (arg == "-h" || arg == "--help") {
      return false;
    } else if (arg.rfind("--", 0) == 0 || (arg.size() > 1 && arg[0] == '-')) {
      std::cerr << "easctl: unknown option " << arg << "\n";
      return false;
    } else {
      a.positional.push_back(arg);
    }
  }
  return true;
}

bool ReadPassword(const Args& a, std::string& out) {
  if (a.has_password) {
    out = a.password;
    return true;
  }
  bool tty = !a.password_stdin && isatty(STDIN_FILENO);
  termios saved{};
  if (tty) {
    std::cerr << "Password: " << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~ECHO;
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  bool ok = static_cast<bool>(std::getline(std::cin, out));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  return ok && !out.empty();
}

int UserAdd(Store& store, const Args& a) {
  if (a.positional.size() != 3) return Usage();
  UserRecord user;
  user.name = eas::core::auth::CanonicalUserName(a.positional[2]);
  if (user.name.empty()) return Fail("empty user name");
  std::string password;
  if (!ReadPassword(a, password)) return Fail("a password is required");
  user.password_hash = eas::core::auth::HashPassword(password);
  user.display_name = a.display_name.empty() ? user.name : a.display_name;
  user.addresses = a.emails;
  user.created = static_cast<uint64_t>(time(nullptr));
  Status s = store.Write([&](Txn& txn) { return eas::core::CreateUserWithDefaultFolders(txn, user).status(); });
  if (!s.ok()) return Fail(s.message());
  std::cout << "user " << user.name << " added\n";
  return 0;
}

int UserPasswd(Store& store, const Args& a) {
  if (a.positional.size() != 3) return Usage();
  std::string name = eas::core::auth::CanonicalUserName(a.positional[2]);
  std::string password;
  if (!ReadPassword(a, password)) return Fail("a password is required");
  // A new salt makes every remembered credential of the old one stale.
  std::string hash = eas::core::auth::HashPassword(password);
  Status s = store.Write([&](Txn& txn) {
    auto user = txn.GetUser(name);
    if (!user.ok()) return user.status();
    user->password_hash = hash;
    return txn.UpdateUser(*user);
  });
  if (!s.ok()) return Fail(s.message());
  std::cout << "password of " << name << " changed\n";
  return 0;
}

int UserDel(Store& store, const Args& a) {
  if (a.positional.size() != 3) return Usage();
  std::string name = eas::core::auth::CanonicalUserName(a.positional[2]);
  Status s = store.Write([&](Txn& txn) { return txn.DeleteUser(name); });
  if (!s.ok()) return Fail(s.message());
  std::cout << "user " << name << " deleted\n";
  return 0;
}

// A placeholder item fitting the folder's class: one subject-like field.
eas::core::wbxml::Element PlaceholderItem(eas::storage::FolderKind type) {
  using eas::core::wbxml::Page;
  Page page = Page::kEmail;
  const char* field = "Subject";
  switch (type) {
    case folder_type::kContacts:
    case folder_type::kUserContacts:
      page = Page::kContacts;
      field = "FileAs";
      break;
    case folder_type::kCalendar:
    case folder_type::kUserCalendar:
      page = Page::kCalendar;
      break;
    case folder_type::kTasks:
    case folder_type::kUserTasks:
      page = Page::kTasks;
      break;
    case folder_type::kNotes:
    case folder_type::kUserNotes:
      page = Page::kNotes;
      break;
    default:
      break;
  }
  eas::core::wbxml::Element app{eas::core::wbxml::tags::airsync::kApplicationData, "", false, {}};
  app.children.push_back({eas::core::wbxml::TagNamed(page, field), "easctl touch-folder", false, {}});
  return app;
}

// A mail folder gets a small message, stored as a delivery stores it (a
// new Message-ID each time, so it is never taken for a duplicate).
Status TouchMailFolder(Txn& txn, const eas::storage::FolderRecord& folder, uint64_t& modseq) {
  namespace mail = eas::core::mail;
  auto owner = txn.GetUserById(folder.owner);
  if (!owner.ok()) return owner.status();
  const std::string raw = "From: easctl <easctl@localhost>\r\nSubject: easctl touch-folder\r\n"
                          "Message-ID: <touch-" + std::to_string(folder.id) + "-" +
                          std::to_string(folder.modseq + 1) + "@easctl>\r\n\r\nA test message.\r\n";
  auto prepared = mail::PrepareMessage(raw, static_cast<uint64_t>(time(nullptr)));
  if (!prepared.ok()) return prepared.status();
  auto stored = mail::StoreMessage(txn, *owner, folder, *prepared);
  if (!stored.ok()) return stored.status();
  auto now = txn.FolderModseq(folder.id);
  if (now.ok()) modseq = *now;
  return now.status();
}

int DebugTouchFolder(Store& store, const Args& a) {
  if (a.positional.size() != 3) return Usage();
  auto id = eas::core::commands::ParseFolderId(a.positional[2]);
  if (!id) return Fail("not a folder id: " + a.positional[2]);
  uint64_t modseq = 0;
  Status s = store.Write([&](Txn& txn) {
    auto folder = txn.GetFolder(*id);
    if (!folder.ok()) return folder.status();
    if (&eas::core::items::ClassOf(folder->type) == &eas::core::items::EmailClass()) {
      return TouchMailFolder(txn, *folder, modseq);
    }
    eas::storage::ItemRecord item;
    item.folder = *id;
    item.data = eas::core::items::EncodeItemData(PlaceholderItem(folder->type));
    auto put = txn.PutItem(item);
    if (!put.ok()) return put.status();
    modseq = put->modseq;
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  std::cout << "folder " << *id << " at modseq " << modseq << "\n";
  return 0;
}

int DebugMarkSynced(Store& store, const Args& a) {
  if (a.positional.size() != 5) return Usage();
  std::string name = eas::core::auth::CanonicalUserName(a.positional[2]);
  const std::string& device = a.positional[3];
  auto id = eas::core::commands::ParseFolderId(a.positional[4]);
  if (!id) return Fail("not a folder id: " + a.positional[4]);
  uint64_t modseq = 0;
  Status s = store.Write([&](Txn& txn) {
    auto user = txn.GetUser(name);
    if (!user.ok()) return user.status();
    auto current = txn.FolderModseq(*id);
    if (!current.ok()) return current.status();
    modseq = *current;
    const std::string collection = eas::core::commands::FolderIdString(*id);
    eas::core::CollectionState state;
    bool found = false;
    Status loaded =
        eas::core::LoadCollectionState(txn, user->id, device, collection, &state, &found);
    if (!loaded.ok()) return loaded;
    if (!found) state = eas::core::CollectionState();  // none, or unreadable: start afresh
    if (state.key == 0) state.key = 1;
    state.initial = false;  // past any initial walk: up to date with the log
    state.seen_modseq = modseq;
    return txn.PutSyncState(user->id, device, collection,
                            eas::core::EncodeCollectionState(state));
  });
  if (!s.ok()) return Fail(s.message());
  std::cout << "device " << device << " of " << name << " has seen folder " << *id
            << " up to modseq " << modseq << "\n";
  return 0;
}

}  // namespace
}  // namespace eas::cli

int main(int argc, char** argv) {
  using namespace eas::cli;
  Args a;
  if (!ParseArgs(argc, argv, a) || a.positional.empty()) return Usage();
  const bool check = a.positional[0] == "check";
  if (!DropToStoreOwner(a.store, "easctl")) return check ? 2 : 1;
  umask(007);  // the store is shared by the nginx workers' group
  if (check) return a.positional.size() == 1 ? StoreCheck(a) : Usage();

  auto store = Store::Open(a.store);
  if (!store.ok()) return Fail(store.status().message());

  const std::string& noun = a.positional[0];
  const std::string verb = a.positional.size() > 1 ? a.positional[1] : "";
  // Nothing may escape main: a store or conversion failure is a message.
  try {
    if (noun == "user") {
      if (verb == "add") return UserAdd(**store, a);
      if (verb == "passwd") return UserPasswd(**store, a);
      if (verb == "set") return UserSet(**store, a);
      if (verb == "del") return UserDel(**store, a);
      if (verb == "list") return UserList(**store, a);
      if (verb == "collected") return UserCollected(**store, a);
    } else if (noun == "device") {
      int rc = eas::cli::DeviceCommand(
          **store, {a.positional, a.user, a.json, a.pending, a.all_pending, a.account_only});
      return rc == 2 ? Usage() : rc;
    } else if (noun == "folder") {
      if (verb == "list") return FolderList(**store, a);
      if (verb == "add") return FolderAdd(**store, a);
      if (verb == "del") return FolderDel(**store, a);
    } else if (noun == "share") {
      return Share(**store, a);
    } else if (noun == "unshare") {
      return Unshare(**store, a);
    } else if (noun == "import") {
      return Import(**store, a);
    } else if (noun == "export") {
      return Export(**store, a);
    } else if (noun == "queue") {
      if (verb == "list") return QueueList(**store, a);
      if (verb == "retry") return QueueChange(**store, a, false);
      if (verb == "drop") return QueueChange(**store, a, true);
    } else if (noun == "debug") {
      if (verb == "touch-folder") return DebugTouchFolder(**store, a);
      if (verb == "mark-synced") return DebugMarkSynced(**store, a);
    }
  } catch (const std::exception& e) {
    return Fail(e.what());
  }
  return Usage();
}
