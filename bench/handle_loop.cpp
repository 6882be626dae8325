// Service::Handle alone, without nginx or the network: the no-change Sync
// the load test sends, answered again and again from a warm cache on one
// core. Prints nanoseconds per call (best of 5 rounds), the part of a
// request that is ours alone.
//   handle_loop STORE BODY_FILE QUERY_STRING USER PASSWORD [CALLS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "core/service.hpp"

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: handle_loop STORE BODY_FILE QUERY USER PASSWORD [CALLS]\n");
    return 2;
  }
  const int calls = argc > 6 ? std::atoi(argv[6]) : 100000;
  // The credential cache in memory of our own, as nginx's shared zone holds it.
  using eas::core::Service;
  using eas::core::SharedRegion;
  const size_t region_size = Service::RegionSize(SharedRegion::kCredentialCache);
  std::unique_ptr<void, decltype(&std::free)> region(std::aligned_alloc(64, (region_size + 63) / 64 * 64),
                                                     &std::free);
  if (!Service::FormatRegion(SharedRegion::kCredentialCache, region.get(), region_size).ok()) return 1;
  eas::core::SharedRegions regions;
  regions.credential_cache = region.get();
  regions.credential_cache_size = region_size;
  auto service = Service::Open(argv[1], regions);
  if (!service.ok()) {
    std::fprintf(stderr, "handle_loop: %s\n", service.status().message().c_str());
    return 1;
  }
  std::ifstream body_file(argv[2], std::ios::binary);
  const std::string body(std::istreambuf_iterator<char>(body_file), {});
  eas::core::Request request;  // its text fields are views of these strings
  request.method = "POST";
  request.query_string = argv[3];
  request.protocol_version = "14.1";
  request.user_agent = "handle_loop";
  request.content_type = "application/vnd.ms-sync.wbxml";
  request.has_authorization = true;
  request.basic_user = argv[4];
  request.basic_password = argv[5];
  request.body = body;
  request.now = static_cast<uint64_t>(std::time(nullptr));
  request.options.sync_window_max = 512;
  request.options.ping_min = 60;
  request.options.ping_max = 3540;
  request.options.auth_cache_ttl = 900;

  // The first call verifies the password (slow hash) and touches the device.
  auto first = (*service)->Handle(request, true);
  if (first.http_status != 200 || !first.body.empty()) {
    std::fprintf(stderr, "handle_loop: not a no-change Sync (HTTP %d, %zu bytes)\n",
                 first.http_status, first.body.size());
    return 1;
  }
  double best = 0;
  for (int round = 0; round < 5; ++round) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) {
      auto r = (*service)->Handle(request, false);
      if (r.needs_blocking || r.http_status != 200 || !r.body.empty()) {
        std::fprintf(stderr, "handle_loop: answer changed (HTTP %d)\n", r.http_status);
        return 1;
      }
    }
    double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
                    .count() / calls;
    if (round == 0 || ns < best) best = ns;
  }
  std::printf("%.0f\n", best);
  return 0;
}
