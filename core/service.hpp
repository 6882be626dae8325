// The one façade the nginx glue calls: a request in, a response out, and
// the push façade (core/push/hub.hpp) for the requests it holds.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "base/status.hpp"
#include "core/http_exchange.hpp"
#include "core/mail/relay.hpp"
#include "core/push/hub.hpp"
#include "core/search/background_index.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Store; }
namespace eas::core::auth { class CredentialCache; }

namespace eas::core {

// The memory every worker shares. The caller allocates it (nginx's shared
// zones, which live on across reloads) and core lays it out and uses it.
enum class SharedRegion {
  kCredentialCache,    // verified credentials and failed logins (core/auth/)
  kDeviceGenerations,  // each device's newest request (core/push/)
};

// Formatted regions for one process. A null one is done without: no
// credential cache (every request pays the slow hash), or no generation
// table (a newer request ends a held one only in its own worker).
struct SharedRegions {
  void* credential_cache = nullptr;
  size_t credential_cache_size = 0;
  void* device_generations = nullptr;
  size_t device_generations_size = 0;
};

class Service {
 public:
  // Bytes of a region, and its layout in a fresh zeroed one: once, in the
  // master, before any worker exists.
  static size_t RegionSize(SharedRegion region);
  static Status FormatRegion(SharedRegion region, void* memory, size_t size) noexcept;

  // Opens the store at `store_path` (per process, after fork; shared with
  // the LMTP module's MailService when it names the same store: see
  // storage/shared_store.hpp) and attaches to the regions, which must
  // outlive the Service.
  static Result<std::unique_ptr<Service>> Open(const std::string& store_path,
                                               const SharedRegions& regions);
  // The same over a store the caller opened (tests and tools that also
  // read and write it themselves).
  static Result<std::unique_ptr<Service>> Open(std::shared_ptr<storage::Store> store,
                                               const SharedRegions& regions);
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

  // One run over the outgoing queue (core/mail/outgoing_queue): due
  // messages claimed, handed to the relay, removed, deferred or bounced;
  // held meeting replies whose time came sent. Without a relay (null),
  // only those. Blocking (SMTP): a pool thread, never the event loop.
  // Never throws. Reads the wall clock for each claim (a run lasts as
  // long as the relay makes it).
  mail::QueueRun RunOutgoingQueue(const mail::RelayOptions* relay) noexcept;

  // One round of background search indexing (core/search/
  // background_index.hpp): the mail of users changed since `after` goes
  // into the index, at most `budget` log entries. Blocking (SQLite): a
  // pool thread, never the event loop. Never throws.
  search::IndexRound IndexChanges(uint64_t after, size_t budget) noexcept;

  // Held Pings and hanging Syncs: event loop only, never a pool thread.
  push::Hub& push() { return *push_; }
  // The worker idles: let go of the read snapshots requests parked (see
  // storage::Store::ReleaseIdleSnapshots).
  void ReleaseIdleSnapshots();

 private:
  Service(std::shared_ptr<storage::Store> store, std::unique_ptr<auth::CredentialCache> cache);
  // Handle's work; may throw (Handle turns that into a 500).
  void Run(const Request& request, bool may_block, Response& r);
  // A location with eas_autodiscover on (core/autodiscover/).
  void RunAutodiscover(const Request& request, bool may_block, Response& r);
  // The request's user, or nullopt with `r` holding the answer (401, 503,
  // or needs_blocking).
  std::optional<storage::UserRecord> Authenticated(const Request& request, bool may_block,
                                                   Response& r);
  std::shared_ptr<storage::Store> store_;
  std::unique_ptr<auth::CredentialCache> cache_;  // null: none
  std::unique_ptr<push::Hub> push_;
};

}  // namespace eas::core
