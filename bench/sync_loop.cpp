// Service::Handle alone, without nginx or the network, for a new device's
// initial sync of a user's Inbox: SyncKey 0, then GetChanges pages of
// WindowSize 512 until no MoreAvailable, each request run as the glue runs
// it (on the loop first, then again on the pool when it must write).
// Prints items per CPU second of this process (best of the rounds, each by
// a new device; the median on stderr), so a profiler (perf, callgrind) can
// watch only our code.
//   sync_loop STORE USER PASSWORD [ROUNDS] [BODY_TYPE] [TRUNCATION]
// BODY_TYPE is the BodyPreference Type (2, HTML, as bench/mail_sync.pl
// asks; 1 plain text), TRUNCATION its TruncationSize (512).
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "core/service.hpp"
#include "core/wbxml/decoder.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"

namespace {

namespace as = eas::core::wbxml::tags::airsync;
namespace fh = eas::core::wbxml::tags::fh;
namespace base = eas::core::wbxml::tags::base;
using eas::core::wbxml::Element;
using eas::core::wbxml::Writer;

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct Client {
  eas::core::Service& service;
  eas::core::Request request;
  std::string query, body;

  // One request as nginx runs it: on the loop, then on the pool if asked.
  eas::core::Response Post(std::string_view cmd, std::string_view device, std::string wbxml) {
    query = "Cmd=" + std::string(cmd) + "&User=" + std::string(request.basic_user) +
            "&DeviceId=" + std::string(device) + "&DeviceType=iPhone";
    body = std::move(wbxml);
    request.query_string = query;
    request.body = body;
    request.now = static_cast<uint64_t>(std::time(nullptr));
    auto r = service.Handle(request, false);
    if (r.needs_blocking) r = service.Handle(request, true);
    if (r.http_status != 200) {
      std::fprintf(stderr, "sync_loop: %.*s: HTTP %d\n", static_cast<int>(cmd.size()), cmd.data(),
                   r.http_status);
      std::exit(1);
    }
    return r;
  }
};

Element DecodeOrDie(const std::string& bytes) {
  auto doc = eas::core::wbxml::Decode(bytes);
  if (!doc.ok()) {
    std::fprintf(stderr, "sync_loop: bad answer: %s\n", doc.status().message().c_str());
    std::exit(1);
  }
  return std::move(doc).value();
}

std::string InboxOf(Client& client) {
  Writer w;
  w.Start(fh::kFolderSync);
  w.Element(fh::kSyncKey, "0");
  w.End();
  Element doc = DecodeOrDie(client.Post("FolderSync", "LOOKUP", w.Take()).body);
  const Element* changes = doc.Child(fh::kChanges);
  if (changes != nullptr) {
    for (const Element* add : changes->Children(fh::kAdd)) {
      if (add->ChildText(fh::kType) == "2") return std::string(add->ChildText(fh::kServerId));
    }
  }
  std::fprintf(stderr, "sync_loop: no Inbox\n");
  std::exit(1);
}

std::string SyncRequest(const std::string& key, const std::string& inbox, bool get_changes,
                        const std::string& type, const std::string& truncation) {
  Writer w;
  w.Start(as::kSync);
  w.Start(as::kCollections);
  w.Start(as::kCollection);
  w.Element(as::kSyncKey, key);
  w.Element(as::kCollectionId, inbox);
  if (get_changes) {
    w.Empty(as::kGetChanges);
    w.Element(as::kWindowSize, "512");
  }
  w.Start(as::kOptions);
  w.Start(base::kBodyPreference);
  w.Element(base::kType, type);
  w.Element(base::kTruncationSize, truncation);
  w.End();
  w.End();
  w.End();
  w.End();
  w.End();
  return w.Take();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: sync_loop STORE USER PASSWORD [ROUNDS] [BODY_TYPE] [TRUNCATION]\n");
    return 2;
  }
  const int rounds = argc > 4 ? std::atoi(argv[4]) : 3;
  const std::string type = argc > 5 ? argv[5] : "2";
  const std::string truncation = argc > 6 ? argv[6] : "512";
  // The credential cache in memory of our own, as nginx's shared zone
  // holds it: the password's slow hash is paid once, as in nginx.
  using eas::core::Service;
  using eas::core::SharedRegion;
  const size_t region_size = Service::RegionSize(SharedRegion::kCredentialCache);
  std::unique_ptr<void, decltype(&std::free)> region(
      std::aligned_alloc(64, (region_size + 63) / 64 * 64), &std::free);
  if (!Service::FormatRegion(SharedRegion::kCredentialCache, region.get(), region_size).ok()) {
    return 1;
  }
  eas::core::SharedRegions regions;
  regions.credential_cache = region.get();
  regions.credential_cache_size = region_size;
  auto service = Service::Open(argv[1], regions);
  if (!service.ok()) {
    std::fprintf(stderr, "sync_loop: %s\n", service.status().message().c_str());
    return 1;
  }
  Client client{**service, {}, {}, {}};
  client.request.method = "POST";
  client.request.protocol_version = "14.1";
  client.request.user_agent = "sync_loop";
  client.request.content_type = "application/vnd.ms-sync.wbxml";
  client.request.has_authorization = true;
  client.request.basic_user = argv[2];
  client.request.basic_password = argv[3];
  client.request.options.sync_window_max = 512;
  client.request.options.ping_min = 60;
  client.request.options.ping_max = 3540;
  client.request.options.auth_cache_ttl = 900;
  const std::string inbox = InboxOf(client);

  double best = 0;
  std::vector<double> rates;
  for (int round = 0; round < rounds; ++round) {
    // A new device each round; its first request (provisioning, the
    // password) is not counted.
    const std::string device = "LOOP" + std::to_string(std::time(nullptr)) + "x" +
                               std::to_string(round);
    client.Post("FolderSync", device, [] {
      Writer w;
      w.Start(fh::kFolderSync);
      w.Element(fh::kSyncKey, "0");
      w.End();
      return w.Take();
    }());
    size_t items = 0, requests = 0;
    double cpu = 0;
    std::string key = "0";
    for (;;) {
      std::string req = SyncRequest(key, inbox, key != "0", type, truncation);
      const double c0 = CpuSeconds();
      auto r = client.Post("Sync", device, std::move(req));
      cpu += CpuSeconds() - c0;
      ++requests;
      Element doc = DecodeOrDie(r.body);
      const Element* coll = doc.Child(as::kCollections);
      coll = coll != nullptr ? coll->Child(as::kCollection) : nullptr;
      if (coll == nullptr || coll->ChildText(as::kStatus) != "1") {
        std::fprintf(stderr, "sync_loop: Sync failed\n");
        return 1;
      }
      key = std::string(coll->ChildText(as::kSyncKey));
      if (const Element* commands = coll->Child(as::kCommands)) {
        items += commands->Children(as::kAdd).size();
      }
      if (requests > 1 && !coll->Has(as::kMoreAvailable)) break;
    }
    const double rate = items / cpu;
    std::fprintf(stderr, "round %d: %zu items, %zu requests, %.3f s CPU, %.0f items/CPU s\n",
                 round + 1, items, requests, cpu, rate);
    if (rate > best) best = rate;
    rates.push_back(rate);
  }
  // The machine is shared: one round can lose its caches to a neighbour.
  std::sort(rates.begin(), rates.end());
  std::fprintf(stderr, "median of %zu rounds: %.0f items/CPU s\n", rates.size(),
               rates[rates.size() / 2]);
  std::printf("%.0f\n", best);
  return 0;
}
