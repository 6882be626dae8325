// Who is asking: checks the request's credentials the way the location is
// configured (our user store, or trusting nginx's auth_basic/auth_request).
#pragma once

#include <cstdint>
#include <string>

#include "core/http_exchange.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Store; }

namespace eas::core::auth {

class CredentialCache;

struct AuthOutcome {
  enum Kind {
    kAccepted,
    kRejected,       // 401; `delay_ms` holds the answer (repeated failures)
    kNeedsBlocking,  // slow hash or user creation: re-run on the thread pool
    kStoreError,     // 503; reason says why
  } kind = kRejected;
  storage::UserRecord user;  // when accepted
  std::string reason;        // for the log
  uint64_t delay_ms = 0;
};

// `cache` may be null. Never throws for bad input.
AuthOutcome Authenticate(const Request& request, storage::Store& store,
                         CredentialCache* cache, bool may_block);

}  // namespace eas::core::auth
