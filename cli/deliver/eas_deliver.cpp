// eas-deliver: a local delivery agent in dovecot-lda's shape, for Postfix's
// mailbox_command or a pipe(8) transport. The message comes on stdin; the
// exit code is what the MTA acts on (sysexits.h): 0 only once the message
// is committed to disk, 67 for an unknown user (bounced), 75 for anything
// that may succeed later (retried from the MTA's queue), 64/65 for a call
// or a message that never will.
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>

#include "cli/common/store_owner.hpp"
#include "core/mail/auto_reply.hpp"
#include "core/mail/delivery.hpp"
#include "core/mail/header_fields.hpp"
#include "storage/store.hpp"

namespace {

using eas::Code;
using eas::Status;
namespace mail = eas::core::mail;

const char* kUsage =
    "usage: eas-deliver [--store DIR] -d USER [-m FOLDER] [-f SENDER] [-a ADDRESS] [-e]\n"
    "  Delivers the message on stdin into USER's mail folder FOLDER (default\n"
    "  Inbox; a folder the user does not have means Inbox). USER is a login\n"
    "  name, user@domain or any address the user has. --store defaults to\n"
    "  /var/lib/eas. SENDER is the envelope sender (default: the message's\n"
    "  Return-Path), whom an out-of-office reply answers. -a and -e are\n"
    "  accepted for dovecot-lda compatibility.\n"
    "  Exit: 0 delivered (or already there), 67 no such user, 75 try again later.\n";

struct Args {
  std::string store = "/var/lib/eas";
  std::string user;
  std::string folder;
  std::optional<std::string> sender;  // -f
};

bool ParseArgs(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      if (out != nullptr) *out = argv[++i];
      else ++i;
      return true;
    };
    bool ok = true;
    if (arg == "--store") ok = value(&a.store);
    else if (arg == "-d") ok = value(&a.user);
    else if (arg == "-m") ok = value(&a.folder);
    else if (arg == "-f") ok = value(&a.sender.emplace());
    else if (arg == "-a") ok = value(nullptr);
    else if (arg == "-e") continue;
    else ok = false;
    if (!ok) return false;
  }
  return !a.user.empty();
}

// All of stdin with read(2) in large steps (an istreambuf_iterator over
// std::cin goes a byte at a time: 3/4 of the CPU for a message of a few MB).
// The buffer starts at the file's size when stdin is one (the MTA's queue
// file) and else grows by doubling from 64 KB: resizing zero-fills, and a
// fixed 1 MB step cost a small message 256 page faults and a 1 MB memset.
bool ReadStdin(std::string& out) {
  constexpr size_t kFirstStep = 64 << 10;
  struct stat st;
  const bool file = fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  // + 1: room to see the end in the same read.
  size_t step = file ? static_cast<size_t>(st.st_size) + 1 : kFirstStep;
  for (;;) {
    const size_t at = out.size();
    out.resize(at + step);
    const ssize_t n = read(STDIN_FILENO, out.data() + at, step);
    if (n < 0 && errno == EINTR) {
      out.resize(at);
      continue;
    }
    out.resize(at + (n > 0 ? static_cast<size_t>(n) : 0));
    if (n <= 0) return n == 0;
    // A file read short is at its end: a small read confirms it.
    step = file && static_cast<size_t>(n) < step ? 4096 : std::max(kFirstStep, out.size());
  }
}

int Fail(int code, const std::string& why) {
  std::cerr << "eas-deliver: " << why << "\n";
  return code;
}

// An mbox "From " line (pipe(8) with flag F, some mailbox_command set-ups)
// is no header of the message.
std::string_view WithoutEnvelopeLine(std::string_view raw) {
  if (!raw.starts_with("From ")) return raw;
  size_t eol = raw.find('\n');
  return eol == std::string_view::npos ? std::string_view() : raw.substr(eol + 1);
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!ParseArgs(argc, argv, a)) {
    std::cerr << kUsage;
    return EX_USAGE;
  }
  std::string input;
  if (!ReadStdin(input)) return Fail(EX_TEMPFAIL, "cannot read the message from stdin");
  const std::string_view raw = WithoutEnvelopeLine(input);
  if (raw.empty()) return Fail(EX_DATAERR, "empty message");

  try {
    if (!eas::cli::DropToStoreOwner(a.store, "eas-deliver")) return EX_TEMPFAIL;
    umask(007);  // the store is shared by the nginx workers' group
    const uint64_t now = static_cast<uint64_t>(std::time(nullptr));
    auto prepared = mail::PrepareMessage(raw, now);
    if (!prepared.ok()) return Fail(EX_DATAERR, prepared.status().message());
    for (const std::string& note : prepared->notes) {
      std::cerr << "eas-deliver: " << a.user << ": " << note << "\n";
    }

    auto store = eas::storage::Store::Open(a.store, {.create = false});
    if (!store.ok()) return Fail(EX_TEMPFAIL, "store " + a.store + ": " + store.status().message());

    const std::string sender = a.sender ? *a.sender : mail::FirstHeader(raw, "Return-Path").value_or("");
    bool no_user = false;
    std::string note, away;
    Status s = (*store)->Write([&](eas::storage::Txn& txn) -> Status {
      no_user = false;
      note.clear();
      away.clear();
      auto user = mail::ResolveRecipient(txn, a.user);
      if (!user.ok()) {
        no_user = user.status().code() == Code::kNotFound;
        return user.status();
      }
      auto folder = mail::DeliveryFolder(txn, *user, a.folder);
      if (!folder.ok() && folder.status().code() == Code::kNotFound && !a.folder.empty()) {
        note = "no folder " + a.folder + ", delivered to the Inbox";
        folder = mail::DeliveryFolder(txn, *user, "");
      }
      if (!folder.ok()) return folder.status();
      auto stored = mail::StoreMessage(txn, *user, *folder, *prepared);
      if (!stored.ok()) return stored.status();
      if (*stored == mail::Stored::kDuplicate) {
        note = "already delivered";
        return Status::Ok();
      }
      auto reply = mail::AnswerWhileAway(txn, *user, *prepared, sender, now);
      if (reply.ok()) away = std::move(reply).value();
      return reply.status();
    });
    if (no_user) return Fail(EX_NOUSER, "unknown user " + a.user);
    if (!s.ok()) return Fail(EX_TEMPFAIL, s.message());
    if (!note.empty()) std::cerr << "eas-deliver: " << a.user << ": " << note << "\n";
    if (!away.empty()) std::cerr << "eas-deliver: " << away << "\n";
    return EX_OK;
  } catch (const std::exception& e) {
    return Fail(EX_TEMPFAIL, e.what());
  }
}
