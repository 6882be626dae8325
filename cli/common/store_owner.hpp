// What every command-line program of the store does first.
#pragma once

#include <string>

namespace eas::cli {

// Run as root on a store that belongs to the nginx worker user: become that
// user, so files LMDB creates stay usable by the workers. False (with a
// message on stderr naming `program`) when switching failed.
bool DropToStoreOwner(const std::string& dir, const char* program);

}  // namespace eas::cli
