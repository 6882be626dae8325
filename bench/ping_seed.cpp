// bench/ping-load.pl's helper (not built by make): prepares COUNT devices
// DEVPREFIX0.. of USER as if each had run FolderSync, synced FOLDER and sent
// a Ping (heartbeat, FOLDER) before, so their Pings are pure reads that go
// straight on hold. A few write transactions instead of COUNT requests.
//   ping_seed STORE USER DEVPREFIX COUNT FOLDER HEARTBEAT USER-AGENT
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "core/collection_state.hpp"
#include "core/hierarchy_state.hpp"
#include "core/push/ping_params.hpp"
#include "storage/store.hpp"

using namespace eas;

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: ping_seed STORE USER DEVPREFIX COUNT FOLDER HEARTBEAT UA\n");
    return 2;
  }
  auto store = storage::Store::Open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  const std::string user_name = argv[2], prefix = argv[3], folder = argv[5], ua = argv[7];
  const long count = std::atol(argv[4]);
  const uint64_t folder_id = std::strtoull(argv[5], nullptr, 10);
  core::push::PingParams params;
  params.heartbeat = std::strtoull(argv[6], nullptr, 10);
  params.folders = {{folder, "Contacts"}};
  const uint64_t now = static_cast<uint64_t>(std::time(nullptr));

  for (long first = 0; first < count; first += 1000) {
    Status s = (*store)->Write([&](storage::Txn& txn) {
      auto user = txn.GetUser(user_name);
      if (!user.ok()) return user.status();
      auto seq = txn.HierarchySeq(user->id);
      auto modseq = txn.FolderModseq(folder_id);
      if (!seq.ok()) return seq.status();
      if (!modseq.ok()) return modseq.status();
      core::HierarchyState h;
      h.key = 1;
      h.seen_seq = *seq;
      core::CollectionState c;
      c.key = 1;
      c.seen_modseq = *modseq;
      for (long i = first; i < count && i < first + 1000; ++i) {
        storage::DeviceRecord d;
        d.user = user->id;
        d.device_id = prefix + std::to_string(i);
        d.device_type = "iPhone";
        d.user_agent = ua;
        d.protocol_version = "14.1";
        d.first_seen = d.last_seen = now;
        Status w = txn.PutDevice(d);
        if (w.ok()) w = txn.PutSyncState(user->id, d.device_id, "", core::EncodeHierarchyState(h));
        if (w.ok()) w = txn.PutSyncState(user->id, d.device_id, folder, core::EncodeCollectionState(c));
        if (w.ok()) {
          w = txn.PutSyncState(user->id, d.device_id, core::push::kPingCollection,
                               core::push::EncodePingParams(params));
        }
        if (!w.ok()) return w;
      }
      return Status::Ok();
    });
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      return 1;
    }
  }
  return 0;
}
