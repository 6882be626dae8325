// Store::Check: the walk's driver, the key helpers, the counters in meta
// and the change feed.
#include <mutex>
#include <string>

#include "storage/guard.hpp"
#include "storage/keys.hpp"
#include "storage/store_checker.hpp"
#include "storage/store_impl.hpp"

namespace eas::storage {

bool KeyParts::Take(size_t n) {
  if (!ok_ || key_.size() - at_ < n) {
    ok_ = false;
    return false;
  }
  at_ += n;
  return true;
}

uint32_t KeyParts::Be32() { return Take(4) ? keys::LoadBE<uint32_t>(key_, at_ - 4) : 0; }

uint64_t KeyParts::Be64() { return Take(8) ? keys::LoadBE<uint64_t>(key_, at_ - 8) : 0; }

std::string_view KeyParts::DeviceId() {
  size_t size = Take(2) ? keys::LoadBE<uint16_t>(key_, at_ - 2) : 0;
  if (size == 0 || !Take(size)) {
    ok_ = false;
    return {};
  }
  return key_.substr(at_ - size, size);
}

std::string_view KeyParts::Rest() {
  if (!ok_) return {};
  std::string_view rest = key_.substr(at_);
  at_ = key_.size();
  return rest;
}

std::string KeyLabel(std::initializer_list<std::string_view> parts) {
  std::string label;
  for (std::string_view part : parts) {
    if (!label.empty()) label += '/';
    label += part;
  }
  return label;
}

std::string Num(uint64_t n) { return std::to_string(n); }

std::string Printable(std::string_view bytes) {
  std::string out(bytes);
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return out;
}

std::optional<std::string_view> StoreChecker::Get(MDB_dbi dbi, std::string_view key) {
  MDB_val k = ToVal(key), value;
  if (mdb_get(txn_, dbi, &k, &value) != MDB_SUCCESS) return std::nullopt;
  return ToView(value);
}

void StoreChecker::Problem(std::string_view db, std::string key, std::string what) {
  report_->problems.push_back({std::string(db), std::move(key), std::move(what)});
}

Status StoreChecker::Run() {
  // Each stage may use what the ones before it read.
  for (Status (StoreChecker::*stage)() :
       {&StoreChecker::ReadCounters, &StoreChecker::CheckUsers, &StoreChecker::CheckFolders,
        &StoreChecker::CheckUserFolders, &StoreChecker::CheckChildren,
        &StoreChecker::CheckHierarchyLog, &StoreChecker::CheckUserRecords,
        &StoreChecker::CheckItems, &StoreChecker::CheckItemLog, &StoreChecker::CheckTimeIndex,
        &StoreChecker::CheckBlobs, &StoreChecker::CheckBlobKeys, &StoreChecker::CheckDevices,
        &StoreChecker::CheckReaders, &StoreChecker::CheckHeld, &StoreChecker::CheckSyncStates,
        &StoreChecker::CheckClientIds, &StoreChecker::CheckOutgoing,
        &StoreChecker::CheckChangeFeed, &StoreChecker::CheckCounters}) {
    Status s = (this->*stage)();
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// --- meta: counters ---

Status StoreChecker::ReadCounters() {
  return Each(dbs_.meta, [&](std::string_view key, std::string_view value) {
    size_t nul = key.find('\0');
    std::string name(key.substr(0, nul));
    if (nul == std::string_view::npos || value.size() != 8) {
      Problem("meta", name, "not a counter (name, NUL, scope → 8 bytes)");
      return;
    }
    counters_[std::string(key)] = keys::LoadBE<uint64_t>(value, 0);
  });
}

uint64_t StoreChecker::Counter(std::string_view name) const {
  auto it = counters_.find(keys::Counter(name));
  return it == counters_.end() ? 0 : it->second;
}

uint64_t StoreChecker::Counter(std::string_view name, uint64_t scope, bool wide) const {
  auto it = counters_.find(wide ? keys::ScopedCounter(name, scope)
                                : keys::ScopedCounter(name, static_cast<uint32_t>(scope)));
  return it == counters_.end() ? 0 : it->second;
}

// Counters scoped to a folder or a user go with it.
Status StoreChecker::CheckCounters() {
  for (const auto& [key, value] : counters_) {
    size_t nul = key.find('\0');
    std::string_view name = std::string_view(key).substr(0, nul);
    KeyParts scope(std::string_view(key).substr(nul + 1));
    if (name == keys::kNextItemId || name == keys::kSweptAt) {
      FolderId folder = scope.Be64();
      if (scope.AtEnd() && !folders_.count(folder)) {
        Problem("meta", KeyLabel({name, Num(folder)}), "counter of a folder that is gone");
      }
    } else if (name == keys::kHierarchySeq) {
      UserId user = scope.Be32();
      if (scope.AtEnd() && !users_.count(user)) {
        Problem("meta", KeyLabel({name, Num(user)}), "counter of a user who is gone");
      }
    }
  }
  return Status::Ok();
}

// --- change_feed ---

Status StoreChecker::CheckChangeFeed() {
  const uint64_t newest = Counter(keys::kChangeSeq);
  return Each(dbs_.change_feed, [&](std::string_view key, std::string_view value) {
    KeyParts k(key);
    uint64_t seq = k.Be64();
    if (!k.AtEnd() || value.size() % 4 != 0) {
      Problem("change_feed", Num(seq), "malformed entry");
    } else if (seq > newest) {
      Problem("change_feed", Num(seq), "after the change seq " + Num(newest));
    }
  });
}

// --- the entry point ---

Result<CheckReport> Store::Check(const SyncStateReader& states) {
  return Guard([&]() -> Result<CheckReport> {
    std::shared_lock<std::shared_mutex> lock;
    PooledReadTxn txn;
    Status s = impl_->BeginRead(&lock, &txn);
    if (!s.ok()) return s;
    CheckReport report;
    StoreChecker checker(txn.get(), impl_->dbs, states, &report);
    s = checker.Run();
    if (!s.ok()) return s;
    return report;
  });
}

}  // namespace eas::storage
