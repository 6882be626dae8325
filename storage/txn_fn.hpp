// What Store::Read and Store::Write run: a reference to any callable
// Status(Txn&), without owning it. std::function would copy the callable and
// allocate for any lambda capturing more than two pointers, which the
// lambdas reading a request's user, device and folder all do — three heap
// allocations per request for nothing, since the callable only has to live
// through the call. Valid only as a parameter (the argument outlives it).
#pragma once

#include <memory>
#include <type_traits>

#include "base/status.hpp"

namespace eas::storage {

class Txn;

class TxnFn {
 public:
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, TxnFn>>>
  TxnFn(F&& fn) noexcept  // NOLINT: implicit, as std::function's
      : callable_(const_cast<void*>(static_cast<const void*>(std::addressof(fn)))),
        call_([](void* callable, Txn& txn) -> Status {
          return (*static_cast<std::remove_reference_t<F>*>(callable))(txn);
        }) {}

  Status operator()(Txn& txn) const { return call_(callable_, txn); }

 private:
  void* callable_;
  Status (*call_)(void*, Txn&);
};

}  // namespace eas::storage
