// Mail import: messages are read through a read-only mapping of each file
// (an mbox of gigabytes is never copied whole), prepared (GMime) outside
// the store's write lock, and committed in batches, so devices syncing
// meanwhile wait for one short transaction at a time.
#include "cli/easctl/mail_import.hpp"

#include <fcntl.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "cli/easctl/commands.hpp"
#include "core/auth/user_name.hpp"
#include "core/items/item_class.hpp"
#include "core/mail/delivery.hpp"

namespace eas::cli {
namespace {

namespace fs = std::filesystem;
namespace mail = core::mail;

// Messages or bytes per write transaction, whichever comes first.
constexpr size_t kBatchMessages = 200;
constexpr size_t kBatchBytes = 16 << 20;

// A file mapped read-only for as long as this lives. `follow`: whether a
// symbolic link is followed (only for the path the administrator named).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path, bool follow = true) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
    if (fd < 0) return;
    struct stat st;
    if (fstat(fd, &st) == 0) {
      mtime_ = static_cast<uint64_t>(st.st_mtime);
      size_ = static_cast<size_t>(st.st_size);
      if (size_ > 0) {
        void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) data_ = static_cast<const char*>(p);
      }
      ok_ = size_ == 0 || data_ != nullptr;
    }
    close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  bool ok() const { return ok_; }
  std::string_view bytes() const { return {data_ == nullptr ? "" : data_, size_}; }
  uint64_t mtime() const { return mtime_; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  uint64_t mtime_ = 0;
  bool ok_ = false;
};

struct Source {
  std::string raw;       // the message's bytes
  uint64_t received = 0; // unix seconds; 0: unknown (the Date header then)
  bool seen = false;
  std::string origin;    // for messages about it: "FILE" or "FILE:LINE"
};
using Sink = std::function<bool(Source&&)>;  // false stops the reading

// "From sender Tue Dec  1 10:00:00 2026" (asctime, maybe with a zone).
uint64_t FromLineTime(std::string_view line) {
  size_t sp = line.find(' ', 5);
  if (sp == std::string_view::npos) return 0;
  std::string rest(line.substr(sp + 1));
  struct tm tm = {};
  const char* end = strptime(rest.c_str(), "%a %b %d %H:%M:%S %Y", &tm);
  if (end == nullptr) return 0;
  time_t t = timegm(&tm);
  return t > 0 ? static_cast<uint64_t>(t) : 0;
}

// The header block of a message (up to the first empty line).
std::string_view HeaderOf(std::string_view raw) {
  size_t end = raw.find("\n\n");
  size_t crlf = raw.find("\r\n\r\n");
  return raw.substr(0, std::min(end, crlf));
}

// mbox's "Status: RO" (and Maildir-less mail clients' "X-Status"): R is read.
bool StatusSaysRead(std::string_view header) {
  for (size_t at = 0; at < header.size();) {
    size_t eol = header.find('\n', at);
    std::string_view line = header.substr(at, eol == std::string_view::npos ? eol : eol - at);
    if (line.size() > 7 && strncasecmp(line.data(), "Status:", 7) == 0 &&
        line.substr(7).find('R') != std::string_view::npos) {
      return true;
    }
    if (eol == std::string_view::npos) break;
    at = eol + 1;
  }
  return false;
}

// mboxrd: a body line ">From " (any number of '>') lost one '>' on the way in.
std::string Unquote(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    size_t eol = text.find('\n', at);
    std::string_view line = text.substr(at, eol == std::string_view::npos ? eol : eol - at + 1);
    size_t quotes = line.find_first_not_of('>');
    if (quotes != 0 && quotes != std::string_view::npos && line.substr(quotes).starts_with("From ")) {
      line.remove_prefix(1);
    }
    out.append(line);
    if (eol == std::string_view::npos) break;
    at = eol + 1;
  }
  return out;
}

bool ReadMbox(const std::string& path, std::string_view text, const Sink& sink) {
  size_t line_no = 1, start_line = 1;
  size_t at = 0, start = std::string_view::npos;
  uint64_t received = 0;
  auto flush = [&](size_t end) {
    if (start == std::string_view::npos) return true;
    std::string_view body = text.substr(start, end - start);
    // The empty line before the next "From " separates; it is not the message's.
    if (body.ends_with("\r\n\r\n")) body.remove_suffix(2);
    else if (body.ends_with("\n\n")) body.remove_suffix(1);
    Source s{Unquote(body), received, false, path + ":" + std::to_string(start_line)};
    s.seen = StatusSaysRead(HeaderOf(s.raw));
    return sink(std::move(s));
  };
  while (at < text.size()) {
    size_t eol = text.find('\n', at);
    size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(at, next - at);
    if (line.starts_with("From ") && (at == 0 || text[at - 1] == '\n')) {
      if (!flush(at)) return false;
      received = FromLineTime(line);
      start = next;
      start_line = line_no + 1;
    }
    at = next;
    ++line_no;
  }
  return flush(text.size());
}

// Maildir's info suffix ":2,FLAGS": S is seen.
bool MaildirSeen(const std::string& name) {
  size_t info = name.rfind(":2,");
  return info != std::string::npos && name.find('S', info + 3) != std::string::npos;
}

// A file found in a directory: never through a symbolic link, so a
// mailbox's owner cannot have root's import read a file outside it.
bool ReadFile(const fs::path& file, bool maildir, const Sink& sink) {
  MappedFile f(file.string(), /*follow=*/false);
  if (!f.ok()) {
    std::cerr << "easctl: cannot read " << file.string() << "\n";
    return true;  // the others still come
  }
  if (!maildir && f.bytes().starts_with("From ")) return ReadMbox(file.string(), f.bytes(), sink);
  Source s{std::string(f.bytes()), f.mtime(), false, file.string()};
  s.seen = maildir ? MaildirSeen(file.filename().string()) : StatusSaysRead(HeaderOf(s.raw));
  return sink(std::move(s));
}

// A Maildir (cur/ and new/), or a directory of message files, in name order.
bool ReadDirectory(const fs::path& dir, const Sink& sink) {
  std::vector<std::pair<fs::path, bool>> files;
  const bool maildir = fs::is_directory(dir / "cur") || fs::is_directory(dir / "new");
  std::error_code ec;
  auto take = [&](const fs::directory_entry& e, bool in_maildir) {
    if (e.is_symlink()) {
      std::cerr << "easctl: skipping " << e.path().string()
                << ": a symbolic link (files of a mailbox are never followed elsewhere)\n";
    } else if (e.is_regular_file()) {
      files.emplace_back(e.path(), in_maildir);
    }
  };
  for (const char* sub : {"cur", "new"}) {
    if (!maildir) break;
    for (const auto& e : fs::directory_iterator(dir / sub, ec)) take(e, true);
  }
  if (!maildir) {
    for (const auto& e : fs::directory_iterator(dir, ec)) take(e, false);
  }
  std::sort(files.begin(), files.end());
  for (const auto& [file, in_maildir] : files) {
    if (!ReadFile(file, in_maildir, sink)) return false;
  }
  return true;
}

// Prints "N messages" on the terminal as they go in.
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO) == 1) {}
  void Show(size_t done) {
    if (!tty_ || std::time(nullptr) == last_) return;
    last_ = std::time(nullptr);
    std::fprintf(stderr, "\rimporting: %zu messages", done);
  }
  void Done() {
    if (tty_ && last_ != 0) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool tty_;
  time_t last_ = 0;
};

}  // namespace

bool LooksLikeMail(const std::string& path) {
  if (fs::is_directory(path)) return true;
  auto ends = [&](const char* ext) {
    size_t n = std::strlen(ext);
    return path.size() >= n && strcasecmp(path.c_str() + path.size() - n, ext) == 0;
  };
  if (ends(".eml") || ends(".mbox") || ends(".mbx")) return true;
  MappedFile f(path);
  return f.ok() && f.bytes().starts_with("From ");
}

int ImportMail(storage::Store& store, const Args& a) {
  if (a.positional.size() != 2 || a.user.empty()) return Usage();
  const std::string& path = a.positional[1];
  storage::UserRecord user;
  storage::FolderRecord folder;
  Status s = store.Read([&](storage::Txn& txn) -> Status {
    auto u = txn.GetUser(core::auth::CanonicalUserName(a.user));
    if (!u.ok()) return u.status();
    user = std::move(*u);
    if (a.folder.empty()) {
      auto inbox = mail::DeliveryFolder(txn, user, "");
      if (inbox.ok()) folder = std::move(*inbox);
      return inbox.status();
    }
    auto access = AccessFolder(txn, user, ParseFolderId(a.folder));
    if (!access.ok()) return access.status();
    if (!access->writable) return Status::Denied(access->folder.name + " is shared read-only");
    if (&core::items::ClassOf(access->folder.type) != &core::items::EmailClass()) {
      return Status::Invalid("folder " + access->folder.name + " does not take mail");
    }
    folder = std::move(access->folder);
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());

  struct Pending {
    Source source;
    mail::PreparedMessage message;
  };
  std::vector<Pending> batch;
  // Never reallocated: each prepared message points into its source's bytes.
  batch.reserve(kBatchMessages);
  size_t batch_bytes = 0, imported = 0, duplicates = 0, unreadable = 0;
  Progress progress;
  auto commit = [&]() -> Status {
    size_t dup = 0;
    Status w = store.Write([&](storage::Txn& txn) -> Status {
      dup = 0;  // the transaction may run twice (map growth)
      for (const auto& p : batch) {
        auto stored = mail::StoreMessage(txn, user, folder, p.message, {p.source.seen, false});
        if (!stored.ok()) return stored.status();
        dup += *stored == mail::Stored::kDuplicate;
      }
      return Status::Ok();
    });
    if (w.ok()) {
      imported += batch.size();
      duplicates += dup;
    }
    batch.clear();
    batch_bytes = 0;
    progress.Show(imported);
    return w;
  };
  const uint64_t now = static_cast<uint64_t>(std::time(nullptr));
  bool read_all = true;
  auto sink = [&](Source&& src) {
    if (src.raw.empty()) return true;
    batch.push_back({std::move(src), {}});
    Pending& p = batch.back();
    auto prepared = mail::PrepareMessage(p.source.raw, p.source.received ? p.source.received : now);
    if (!prepared.ok()) {
      std::cerr << p.source.origin << ": skipped: " << prepared.status().message() << "\n";
      ++unreadable;
      batch.pop_back();
      return true;
    }
    for (const std::string& note : prepared->notes) std::cerr << p.source.origin << ": " << note << "\n";
    p.message = std::move(*prepared);
    p.message.raw = p.source.raw;  // the record points at the batch's own copy
    batch_bytes += p.source.raw.size();
    if (batch.size() >= kBatchMessages || batch_bytes >= kBatchBytes) {
      s = commit();
      if (!s.ok()) return false;
    }
    return true;
  };
  if (fs::is_directory(path)) {
    read_all = ReadDirectory(path, sink);
  } else if (fs::exists(path)) {
    read_all = ReadFile(path, false, sink);
  } else {
    return Fail("cannot read " + path);
  }
  if (s.ok() && read_all && !batch.empty()) s = commit();
  progress.Done();
  if (!s.ok()) {
    return Fail("stopped after " + std::to_string(imported) + " messages: " + s.message());
  }
  std::printf("imported %zu messages into folder %llu (%s) of %s (%zu already there); skipped %zu\n",
              imported - duplicates, static_cast<unsigned long long>(folder.id),
              folder.name.c_str(), user.name.c_str(), duplicates, unreadable);
  return unreadable == 0 ? 0 : 1;
}

}  // namespace eas::cli
