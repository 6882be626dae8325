// easctl user collected NAME: the addresses the user wrote to from a
// device (core/mail/collected_addresses), as ResolveRecipients will see
// them: most written to first.
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/easctl/commands.hpp"
#include "cli/easctl/json_out.hpp"
#include "core/auth/user_name.hpp"
#include "core/mail/collected_addresses.hpp"
#include "core/util/utc_time.hpp"

namespace eas::cli {

int UserCollected(storage::Store& store, const Args& a) {
  if (a.positional.size() != 3) return Usage();
  const std::string name = core::auth::CanonicalUserName(a.positional[2]);
  std::vector<core::mail::CollectedAddress> list;
  Status s = store.Read([&](storage::Txn& txn) -> Status {
    auto user = txn.GetUser(name);
    if (!user.ok()) return user.status();
    auto collected = core::mail::CollectedAddresses(txn, user->id);
    if (!collected.ok()) return collected.status();
    list = std::move(collected).value();
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s.message());
  auto when = [](uint64_t t) { return core::util::FormatUtc(t, "%Y-%m-%d %H:%M:%S"); };
  if (a.json) {
    JsonArray out(std::cout);
    for (const auto& c : list) {
      out.Object({{"address", c.address}, {"name", c.name}, {"count", std::to_string(c.count)},
                  {"last_used", when(c.last_used)}});
    }
    return 0;
  }
  std::printf("%-36s %-6s %-19s %s\n", "ADDRESS", "COUNT", "LAST USED (UTC)", "NAME");
  for (const auto& c : list) {
    std::printf("%-36s %-6llu %-19s %s\n", c.address.c_str(),
                static_cast<unsigned long long>(c.count), when(c.last_used).c_str(),
                c.name.c_str());
  }
  return 0;
}

}  // namespace eas::cli
