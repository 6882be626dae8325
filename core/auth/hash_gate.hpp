// Admits the slow password hash (scrypt: 32 MB and ~0.1 s of CPU each, see
// password_hash) a few at a time per process, and one at a time per user
// name. Without it, a crowd of phones arriving together (after a reload,
// a network outage or at 8 a.m.) runs one hash per request on every pool
// thread at once: gigabytes of memory for a few seconds, and the same
// user's password hashed dozens of times where one success would have
// filled the credential cache for the others.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace eas::core::auth {

class HashGate {
 public:
  // At most `slots` hashes at once (at least 1).
  explicit HashGate(size_t slots);

  // Held while one hash runs; leaving it lets the next one in.
  class Turn {
   public:
    Turn(Turn&& other) noexcept;
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    Turn& operator=(Turn&&) = delete;
    ~Turn();

    // True when another hash for the same user ran while this one waited:
    // its outcome may be in the credential cache now.
    bool waited_for_same_user() const { return waited_for_same_user_; }

   private:
    friend class HashGate;
    Turn(HashGate* gate, std::string user, bool waited)
        : gate_(gate), user_(std::move(user)), waited_for_same_user_(waited) {}
    HashGate* gate_;
    std::string user_;
    bool waited_for_same_user_;
  };

  // Blocks until no other hash for `user` runs and a slot is free.
  Turn Enter(std::string_view user);

  // The process's gate: as many slots as the machine has cores.
  static HashGate& ForProcess();

 private:
  void Leave(const std::string& user);

  std::mutex mutex_;
  std::condition_variable changed_;
  size_t slots_;
  size_t running_ = 0;
  std::set<std::string, std::less<>> users_;  // hashing now
};

}  // namespace eas::core::auth
