#include "storage/shared_store.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cstring>
#include <mutex>
#include <vector>

#include "storage/guard.hpp"

namespace eas::storage {

// The table of open stores. Every copy of this library has one; the one
// found first by name is the process's (see OpenShared). It is made once
// and never destroyed: each module would otherwise register its
// destruction at exit, for one object, twice.
struct SharedStores {
  // Tells copies of this file from other builds, whose SharedStores (or
  // Store) may be laid out differently: the same object file linked into
  // two modules has the same stamp.
  const char* build;
  std::mutex mutex;
  struct Entry {
    dev_t dev;
    ino_t ino;
    std::weak_ptr<Store> store;
  };
  std::vector<Entry> entries;
};

constexpr const char* kBuild = __DATE__ " " __TIME__ " " __FILE__;

}  // namespace eas::storage

extern "C" {
// The name the copies find each other by (bump the suffix when the layout
// of SharedStores changes): exported from the nginx modules
// (ngx_eas_module/exports.map); a program linking the library statically
// does not export it and uses its own.
void* eas_shared_stores_v1() {
  static eas::storage::SharedStores* const table =
      new eas::storage::SharedStores{eas::storage::kBuild, {}, {}};
  return table;
}
}

namespace eas::storage {
namespace {

SharedStores* Table() {
  // The first definition in the process's global scope (nginx loads
  // modules with RTLD_GLOBAL): the first module's. Null when no loaded
  // object exports one (a program): then this copy's.
  static SharedStores* const table = [] {
    using Fn = void* (*)();
    Fn found = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "eas_shared_stores_v1"));
    return static_cast<SharedStores*>(found != nullptr ? found() : eas_shared_stores_v1());
  }();
  return table;
}

bool Identify(const std::string& dir, dev_t* dev, ino_t* ino) {
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) return false;
  *dev = st.st_dev;
  *ino = st.st_ino;
  return true;
}

std::shared_ptr<Store> Find(SharedStores& t, dev_t dev, ino_t ino) {
  for (auto it = t.entries.begin(); it != t.entries.end();) {
    std::shared_ptr<Store> store = it->store.lock();
    if (store == nullptr) {
      it = t.entries.erase(it);  // closed since
      continue;
    }
    if (it->dev == dev && it->ino == ino) return store;
    ++it;
  }
  return nullptr;
}

}  // namespace

Result<std::shared_ptr<Store>> OpenShared(const std::string& dir, const OpenOptions& options) {
  SharedStores* t = Table();
  if (std::strcmp(t->build, kBuild) != 0) {
    return Status::Internal(
        "the loaded eas modules come from different builds (" + std::string(t->build) +
        " and " + kBuild + "): install ngx_http_eas_module.so and "
        "ngx_stream_eas_module.so from one build");
  }
  return Guard([&]() -> Result<std::shared_ptr<Store>> {
    // Held across the open, so two threads opening one path open it once.
    std::lock_guard<std::mutex> lock(t->mutex);
    dev_t dev = 0;
    ino_t ino = 0;
    if (Identify(dir, &dev, &ino)) {
      if (std::shared_ptr<Store> open = Find(*t, dev, ino)) return open;
    }
    auto opened = Store::Open(dir, options);
    if (!opened.ok()) return opened.status();
    std::shared_ptr<Store> store = std::move(opened).value();
    // Store::Open made the directory if it was missing.
    if (!Identify(dir, &dev, &ino)) return Status::Io("store directory " + dir + " vanished");
    t->entries.push_back({dev, ino, store});
    return store;
  });
}

}  // namespace eas::storage
