#include "cli/common/store_owner.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

namespace eas::cli {

bool DropToStoreOwner(const std::string& dir, const char* program) {
  struct stat st;
  if (geteuid() != 0 || stat(dir.c_str(), &st) != 0 || st.st_uid == 0) return true;
  if (setgid(st.st_gid) != 0 || setuid(st.st_uid) != 0) {
    std::fprintf(stderr, "%s: cannot switch to the store owner: ", program);
    std::perror(nullptr);
    return false;
  }
  return true;
}

}  // namespace eas::cli
