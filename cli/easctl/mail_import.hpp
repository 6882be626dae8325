// easctl import of mail (a migration): a Maildir, a directory of .eml
// files, an mbox file or one message, into a user's mail folder (the Inbox
// without --folder), keeping received dates and the \Seen flag.
#pragma once

#include "cli/easctl/args.hpp"
#include "storage/store.hpp"

namespace eas::cli {

// True when `path` is something only mail import takes: a directory, an
// mbox, or a message file (.eml).
bool LooksLikeMail(const std::string& path);
int ImportMail(storage::Store& store, const Args& a);

}  // namespace eas::cli
