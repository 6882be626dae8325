#include "core/auth/hash_gate.hpp"

#include <algorithm>
#include <thread>
#include <utility>

namespace eas::core::auth {

HashGate::HashGate(size_t slots) : slots_(std::max<size_t>(slots, 1)) {}

HashGate::Turn HashGate::Enter(std::string_view user) {
  std::unique_lock lock(mutex_);
  bool same_user = false;
  for (;;) {
    const bool user_busy = users_.find(user) != users_.end();
    if (!user_busy && running_ < slots_) break;
    same_user = same_user || user_busy;
    changed_.wait(lock);
  }
  ++running_;
  std::string name(user);
  users_.insert(name);
  return Turn(this, std::move(name), same_user);
}

void HashGate::Leave(const std::string& user) {
  {
    std::lock_guard lock(mutex_);
    --running_;
    users_.erase(user);
  }
  changed_.notify_all();
}

HashGate::Turn::Turn(Turn&& other) noexcept
    : gate_(std::exchange(other.gate_, nullptr)),
      user_(std::move(other.user_)),
      waited_for_same_user_(other.waited_for_same_user_) {}

HashGate::Turn::~Turn() {
  if (gate_) gate_->Leave(user_);
}

HashGate& HashGate::ForProcess() {
  static HashGate gate(std::thread::hardware_concurrency());
  return gate;
}

}  // namespace eas::core::auth
