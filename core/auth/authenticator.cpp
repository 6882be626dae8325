#include "core/auth/authenticator.hpp"

#include "core/auth/credential_cache.hpp"
#include "core/auth/hash_gate.hpp"
#include "core/auth/password_hash.hpp"
#include "core/auth/user_name.hpp"
#include "core/default_folders.hpp"
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

// Looks the user up into *user; NotFound is an answer (*found false), not
// an error.
Status LoadUser(storage::Store& store, const std::string& name, storage::UserRecord* user,
                bool* found) {
  return store.Read([&](storage::Txn& txn) {
    Status s = txn.ReadUser(name, user);
    *found = s.ok();
    return *found || s.code() == Code::kNotFound ? Status::Ok() : s;
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
  storage::UserRecord user;
  bool found = false;
  if (Status s = LoadUser(store, name, &user, &found); !s.ok()) return StoreError(s);
  if (found) return Accepted(std::move(user));
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
    auto made = CreateUserWithDefaultFolders(txn, std::move(fresh));
    if (!made.ok()) return made.status();
    created = std::move(made).value();
    return Status::Ok();
  });
  if (!s.ok()) return StoreError(s);
  return Accepted(std::move(created));
}

// Fills one outcome in place and returns it by NRVO: the user record is read
// straight into it, since this runs for every request.
AuthOutcome CheckPassword(const Request& request, storage::Store& store,
                          CredentialCache* cache, bool may_block) {
  AuthOutcome out;
  out.kind = AuthOutcome::kRejected;
  if (!request.has_authorization) return out;  // the usual first try
  std::string name = CanonicalUserName(request.basic_user);
  if (name.empty()) {
    out.reason = "empty user name";
    return out;
  }

  bool found = false;
  if (Status s = LoadUser(store, name, &out.user, &found); !s.ok()) {
    out.kind = AuthOutcome::kStoreError;
    out.reason = s.message();
    return out;
  }

  static const std::string kNoPassword;
  const std::string& stored = found ? out.user.password_hash : kNoPassword;
  if (found && !stored.empty() && cache &&
      cache->Lookup(name, request.basic_password, stored, request.now)) {
    out.kind = AuthOutcome::kAccepted;
    return out;
  }
  if (!may_block) {
    out.kind = AuthOutcome::kNeedsBlocking;
    return out;
  }

  // One hash per user at a time, a few at once: a phone that waited while
  // another of the same user's was verified finds the cache filled.
  HashGate::Turn turn = HashGate::ForProcess().Enter(name);
  if (turn.waited_for_same_user() && found && !stored.empty() && cache &&
      cache->Lookup(name, request.basic_password, stored, request.now)) {
    out.kind = AuthOutcome::kAccepted;
    return out;
  }

  // Unknown users and users without a local password pay the same slow
  // hash as a wrong password, so timing does not tell which names exist.
  static const std::string kDummy = HashPassword("not a password");
  bool good = VerifyPassword(request.basic_password,
                             stored.empty() ? kDummy : stored) &&
              found && !stored.empty();
  if (!good) {
    uint64_t delay = 0;
    if (cache) {
      cache->RecordFailure(name, request.now);
      delay = cache->DelayMs(name, request.now);
    }
    out.reason = found ? "wrong password for user \"" + name + "\""
                       : "unknown user \"" + name + "\"";
    out.delay_ms = delay;
    out.user = storage::UserRecord();  // not accepted: nothing of it leaves
    return out;
  }
  if (cache) {
    cache->ClearFailures(name);
    cache->Remember(name, request.basic_password, stored, request.now,
                    request.options.auth_cache_ttl);
  }
  out.kind = AuthOutcome::kAccepted;
  return out;
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
