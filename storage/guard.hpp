// The exception edge of the storage layer: public functions run their body
// through Guard so that no exception (std::bad_alloc above all) escapes
// into core or nginx; it becomes Code::kInternal.
#pragma once

#include <exception>
#include <new>
#include <string>

#include "base/status.hpp"

namespace eas::storage {

// Runs f() and returns its Status or Result<T>; an exception becomes
// Status::Internal. The out-of-memory message fits the small-string buffer,
// so reporting it cannot itself allocate.
template <class F>
auto Guard(F&& f) noexcept -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory");
  } catch (const std::exception& e) {
    try {
      return Status::Internal(std::string("storage: ") + e.what());
    } catch (...) {
      return Status::Internal("out of memory");
    }
  } catch (...) {
    return Status::Internal("exception");
  }
}

}  // namespace eas::storage
