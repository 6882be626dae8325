// One Store per LMDB environment per process. LMDB forbids opening one
// environment twice in a process (closing the second handle drops the
// first one's POSIX locks on lock.mdb), yet an nginx worker may hold the
// store for ActiveSync (ngx_http_eas_module) and for LMTP
// (ngx_stream_eas_module) at once. Both open it through here and share it.
#pragma once

#include <memory>
#include <string>

#include "base/status.hpp"
#include "storage/store.hpp"

namespace eas::storage {

// The Store of the environment in `dir`, opened with `options` unless this
// process already has it open through here (then `options` are ignored
// and the open one is shared). Paths naming one directory (symlinks,
// "dir/" and "dir") give the same Store. The Store closes when the last
// holder lets go. Thread-safe.
//
// Each nginx module links its own copy of this library, so "this process"
// is found at run time: the first copy loaded (nginx loads modules with
// RTLD_GLOBAL) keeps the table every copy uses. Copies from different
// builds refuse to share (kInternal, saying so) rather than mix layouts.
Result<std::shared_ptr<Store>> OpenShared(const std::string& dir, const OpenOptions& options = {});

}  // namespace eas::storage
