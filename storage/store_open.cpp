// Store::Open: the directory, the environment and its databases, with a
// Status naming the path for each way this can fail.
#include <lmdb.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "storage/guard.hpp"
#include "storage/lmdb_status.hpp"
#include "storage/store_impl.hpp"

namespace eas::storage {
namespace {

// nginx workers and easctl may run as different users of one group.
constexpr mode_t kDirMode = 0770;
constexpr mode_t kFileMode = 0660;
constexpr const char* kFiles[] = {"/data.mdb", "/lock.mdb"};

Status Errno(int err, const std::string& what) { return MdbStatus(err, what); }

// Makes sure `dir` is a directory, creating it (mode 0770, whatever the
// umask) when allowed; without `create` an existing store must be there.
Status PrepareDirectory(const std::string& dir, bool create) {
  if (dir.empty()) return Status::Invalid("store path is empty");
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) {
    int err = errno;
    if (err != ENOENT) return Errno(err, "store directory " + dir);
    if (!create) return Status::NotFound("store directory " + dir + " does not exist");
    if (mkdir(dir.c_str(), kDirMode) != 0 && errno != EEXIST) {
      return Errno(errno, "creating store directory " + dir);
    }
    if (chmod(dir.c_str(), kDirMode) != 0) return Errno(errno, "chmod " + dir);
    return Status::Ok();
  }
  if (!S_ISDIR(st.st_mode)) return Status::Invalid("store path " + dir + " is not a directory");
  if (!create) {
    std::string data = dir + kFiles[0];
    if (stat(data.c_str(), &st) != 0) {
      int err = errno;
      if (err == ENOENT) return Status::NotFound("no store in " + dir + " (data.mdb missing)");
      return Errno(err, "store file " + data);
    }
  }
  return Status::Ok();
}

// LMDB creates its files with 0660 minus the umask; put the group bits
// back on the files this user owns (others' files are theirs to fix).
Status MakeGroupWritable(const std::string& dir) {
  for (const char* name : kFiles) {
    std::string file = dir + name;
    struct stat st;
    if (stat(file.c_str(), &st) != 0) return Errno(errno, "store file " + file);
    if (st.st_uid != geteuid() || (st.st_mode & kFileMode) == kFileMode) continue;
    if (chmod(file.c_str(), (st.st_mode & 07777) | kFileMode) != 0) {
      return Errno(errno, "chmod " + file);
    }
  }
  return Status::Ok();
}

Status OpenError(int rc, const std::string& dir) {
  switch (rc) {
    case MDB_INVALID:
      return Status::Io(dir + " is not an LMDB environment (data.mdb has no LMDB header)");
    case MDB_VERSION_MISMATCH:
      return Status::Io(dir + " was written by an incompatible LMDB version");
    case EACCES:
    case EPERM:
      return Status::Denied("permission denied opening store " + dir);
    default:
      return MdbStatus(rc, "opening store " + dir);
  }
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const OpenOptions& options) {
  return Guard([&]() -> Result<std::unique_ptr<Store>> {
    Status s = PrepareDirectory(dir, options.create);
    if (!s.ok()) return s;
    OpenOptions opts = options;
    if (opts.max_map_size < opts.initial_map_size) opts.max_map_size = opts.initial_map_size;

    Env env;
    int rc = env.Create();
    if (rc == MDB_SUCCESS) rc = mdb_env_set_maxdbs(env.get(), kMaxDatabases);
    if (rc == MDB_SUCCESS) rc = mdb_env_set_maxreaders(env.get(), kMaxReaders);
    if (rc == MDB_SUCCESS) rc = mdb_env_set_mapsize(env.get(), opts.initial_map_size);
    if (rc != MDB_SUCCESS) return MdbStatus(rc, "creating environment for " + dir);
    // MDB_NOTLS: read transactions are not bound to threads (nginx reads on
    // the event loop, writes in a thread pool, and we pool read txns).
    // Full durability: no MDB_NOSYNC / MDB_NOMETASYNC.
    rc = mdb_env_open(env.get(), dir.c_str(), MDB_NOTLS, kFileMode);
    if (rc != MDB_SUCCESS) return OpenError(rc, dir);
    s = MakeGroupWritable(dir);
    if (!s.ok()) return s;
    int dead = 0;
    rc = mdb_reader_check(env.get(), &dead);  // slots left by crashed processes
    if (rc != MDB_SUCCESS) return MdbStatus(rc, "checking readers of " + dir);

    auto impl = std::make_unique<Impl>(dir, opts, std::move(env));
    // The environment may already be bigger than initial_map_size.
    s = impl->ResizeMap(opts.initial_map_size);
    if (s.ok()) s = OpenDatabases(impl->env.get(), dir.c_str(), &impl->dbs);
    if (!s.ok()) return s;
    return std::unique_ptr<Store>(new Store(std::move(impl)));
  });
}

}  // namespace eas::storage
