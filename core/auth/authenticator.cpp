#include "core/auth/authenticator.hpp"

#include "core/auth/credential_cache.hpp"
#include "core/auth/password_hash.hpp"
#include "core/auth/user_name.hpp"
#include "storage/store.hpp"

namespace eas::core::auth {
namespace {

AuthOutcome Rejected(std::string reason, uint64_t delay_ms = 0) {
  AuthOutcome out;
  out.kind = AuthOutcome::kRejected;
  out.reason = std::move(reason);
  out.delay_ms = delay_ms;
  return out;
}

AuthOutcome Accepted(storage::UserRecord user) {
  AuthOutcome out;
  out.kind = AuthOutcome::kAccepted;
  out.user = std::move(user);
  return out;
}

AuthOutcome StoreError(const Status& status) {
  AuthOutcome out;
  out.kind = AuthOutcome::kStoreError;
  out.reason = status.message();
  return out;
}

AuthOutcome NeedsBlocking() {
  AuthOutcome out;
  out.kind = AuthOutcome::kNeedsBlocking;
  return out;
}

// Looks the user up; NotFound is an answer, not an error.
Status LoadUser(storage::Store& store, const std::string& name,
                std::optional<storage::UserRecord>& user) {
  return store.Read([&](storage::Txn& txn) {
    auto found = txn.GetUser(name);
    if (found.ok()) {
      user = std::move(found).value();
      return Status::Ok();
    }
    return found.status().code() == Code::kNotFound ? Status::Ok()
                                                    : found.status();
  });
}

// nginx vouched for the user (auth_basic / auth_request): a first visit
// creates the account with its default folders, without a local password.
AuthOutcome TrustNginx(const Request& request, storage::Store& store,
                       bool may_block) {
  std::string name = CanonicalUserName(request.nginx_user);
  if (name.empty()) {
    return Rejected("no user authenticated by nginx (eas_auth nginx needs "
                    "auth_basic or auth_request in front)");
  }
  std::optional<storage::UserRecord> user;
  if (Status s = LoadUser(store, name, user); !s.ok()) return StoreError(s);
  if (user) return Accepted(std::move(*user));
  if (!may_block) return NeedsBlocking();

  storage::UserRecord created;
  Status s = store.Write([&](storage::Txn& txn) {
    auto existing = txn.GetUser(name);  // another worker may have won
    if (existing.ok()) {
      created = std::move(existing).value();
      return Status::Ok();
    }
    storage::UserRecord fresh;
    fresh.name = name;
    fresh.display_name = name;
    fresh.created = request.now;
    auto made = txn.CreateUser(std::move(fresh));
    if (!made.ok()) return made.status();
    created = std::move(made).value();
    return Status::Ok();
  });
  if (!s.ok()) return StoreError(s);
  return Accepted(std::move(created));
}

AuthOutcome CheckPassword(const Request& request, storage::Store& store,
                          CredentialCache* cache, bool may_block) {
  if (!request.has_authorization) return Rejected("");  // the usual first try
  std::string name = CanonicalUserName(request.basic_user);
  if (name.empty()) return Rejected("empty user name");

  std::optional<storage::UserRecord> user;
  if (Status s = LoadUser(store, name, user); !s.ok()) return StoreError(s);

  static const std::string kNoPassword;
  const std::string& stored = user ? user->password_hash : kNoPassword;
  if (user && !stored.empty() && cache &&
      cache->Lookup(name, request.basic_password, stored, request.now)) {
    return Accepted(std::move(*user));
  }
  if (!may_block) return NeedsBlocking();

  // Unknown users and users without a local password pay the same slow
  // hash as a wrong password, so timing does not tell which names exist.
  static const std::string kDummy = HashPassword("not a password");
  bool good = VerifyPassword(request.basic_password,
                             stored.empty() ? kDummy : stored) &&
              user && !stored.empty();
  if (!good) {
    uint64_t delay = 0;
    if (cache) {
      cache->RecordFailure(name, request.now);
      delay = cache->DelayMs(name, request.now);
    }
    return Rejected(user ? "wrong password for user \"" + name + "\""
                         : "unknown user \"" + name + "\"",
                    delay);
  }
  if (cache) {
    cache->ClearFailures(name);
    cache->Remember(name, request.basic_password, stored, request.now,
                    request.options.auth_cache_ttl);
  }
  return Accepted(std::move(*user));
}

}  // namespace

AuthOutcome Authenticate(const Request& request, storage::Store& store,
                         CredentialCache* cache, bool may_block) {
  if (request.options.auth_mode == AuthMode::kNginx) {
    return TrustNginx(request, store, may_block);
  }
  return CheckPassword(request, store, cache, may_block);
}

}  // namespace eas::core::auth
