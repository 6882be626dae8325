// The one façade the nginx glue calls: a request in, a response out.
#pragma once

#include <memory>
#include <string>

#include "core/http_exchange.hpp"
#include "base/status.hpp"

namespace eas::storage { class Store; }
namespace eas::core::auth { class CredentialCache; }

namespace eas::core {

class Service {
 public:
  // Opens the store at `store_path` (per process, after fork). `cache` may
  // be null (no credential cache: every request pays the slow hash).
  static Result<std::unique_ptr<Service>> Open(const std::string& store_path,
                                               auth::CredentialCache* cache);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Handles one request. Never throws. With may_block false it answers
  // from reads only, or returns needs_blocking so the caller re-runs it on
  // a thread pool with may_block true. Safe to call from several threads.
  Response Handle(const Request& request, bool may_block) noexcept;
  // The same into `fresh`, a default-constructed Response: the glue answers
  // into the one its job holds instead of moving a returned one there.
  void Handle(const Request& request, bool may_block, Response& fresh) noexcept;

  // The store, for push::PingWatcher (held Pings are re-checked by the glue).
  storage::Store& store() { return *store_; }
  // The worker idles: let go of the read snapshots requests parked (see
  // storage::Store::ReleaseIdleSnapshots).
  void ReleaseIdleSnapshots();

 private:
  Service(std::unique_ptr<storage::Store> store, auth::CredentialCache* cache);
  // Handle's work; may throw (Handle turns that into a 500).
  void Run(const Request& request, bool may_block, Response& r);
  std::unique_ptr<storage::Store> store_;
  auth::CredentialCache* cache_;
};

}  // namespace eas::core
