// bench/mail_sync.pl's helper (built by bench/run.sh, not by make): stores
// messages in USER's Inbox with the received time each one is given, by
// the delivery code eas-deliver runs (PrepareMessage, StoreMessage), a
// batch per write transaction. Neither eas-deliver nor easctl sets the
// received time (it is the time of delivery), and a FilterType benchmark
// needs old mail.
//   mail_seed STORE USER < records
// A record is a line "RECEIVED LENGTH\n" (epoch seconds, bytes) and then
// LENGTH bytes of the message. Prints how many were stored.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/mail/delivery.hpp"
#include "storage/store.hpp"

using namespace eas;
namespace mail = eas::core::mail;

namespace {

// A batch: up to this many messages or bytes.
constexpr size_t kBatchMessages = 500;
constexpr size_t kBatchBytes = 64u << 20;

bool ReadRecord(std::string& raw, uint64_t& received) {
  unsigned long long when = 0, length = 0;
  if (std::scanf("%llu %llu", &when, &length) != 2) return false;
  if (std::getchar() != '\n') return false;
  raw.resize(length);
  if (std::fread(raw.data(), 1, length, stdin) != length) return false;
  received = when;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: mail_seed STORE USER < records\n");
    return 2;
  }
  auto store = storage::Store::Open(argv[1], {.create = false});
  if (!store.ok()) {
    std::fprintf(stderr, "mail_seed: %s\n", store.status().message().c_str());
    return 1;
  }
  const std::string user_name = argv[2];
  size_t stored = 0;
  for (bool more = true; more;) {
    std::vector<std::string> raws;
    std::vector<mail::PreparedMessage> batch;
    raws.reserve(kBatchMessages);  // PreparedMessage views these bytes
    size_t bytes = 0;
    while (batch.size() < kBatchMessages && bytes < kBatchBytes) {
      std::string raw;
      uint64_t received = 0;
      if (!ReadRecord(raw, received)) {
        more = false;
        break;
      }
      bytes += raw.size();
      raws.push_back(std::move(raw));
      auto prepared = mail::PrepareMessage(raws.back(), received);
      if (!prepared.ok()) {
        std::fprintf(stderr, "mail_seed: %s\n", prepared.status().message().c_str());
        return 1;
      }
      batch.push_back(std::move(*prepared));
    }
    if (batch.empty()) break;
    Status s = (*store)->Write([&](storage::Txn& txn) -> Status {
      auto user = mail::ResolveRecipient(txn, user_name);
      if (!user.ok()) return user.status();
      auto inbox = mail::DeliveryFolder(txn, *user, "");
      if (!inbox.ok()) return inbox.status();
      for (const auto& m : batch) {
        auto r = mail::StoreMessage(txn, *user, *inbox, m);
        if (!r.ok()) return r.status();
        if (*r == mail::Stored::kDuplicate) return Status::Internal("a duplicate: " + m.key);
      }
      return Status::Ok();
    });
    if (!s.ok()) {
      std::fprintf(stderr, "mail_seed: %s\n", s.message().c_str());
      return 1;
    }
    stored += batch.size();
  }
  std::printf("%zu\n", stored);
  return 0;
}
