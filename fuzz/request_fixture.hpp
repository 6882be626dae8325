// For fuzz_request: a temporary store (in /dev/shm when there is one, so
// commits cost no disk flush) with user alice, her default folders, two
// messages in her Inbox, an address she wrote to (an item of her hidden
// Collected Addresses folder) and device FUZZDEVICE that has done its
// first FolderSync, behind the Service façade as the nginx glue opens it.
// Removed when the process exits.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/default_folders.hpp"
#include "core/mail/collected_addresses.hpp"
#include "core/mail/delivery.hpp"
#include "core/service.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::fuzz {

inline constexpr const char* kDevice = "FUZZDEVICE";

// Messages the Inbox holds from the start, so that ItemOperations, Search,
// MoveItems and the Smart commands find something.
inline constexpr const char* kPlainMessage =
    "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: hello\r\n"
    "Message-ID: <one@example.org>\r\nDate: Tue, 14 Nov 2023 10:00:00 +0000\r\n\r\n"
    "plain text body\r\n";
inline constexpr const char* kMultipartMessage =
    "From: carol@example.org\r\nTo: alice@example.org\r\nSubject: report\r\n"
    "Message-ID: <two@example.org>\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
    "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>see <b>attached</b></p>\r\n"
    "--b\r\nContent-Type: application/pdf; name=r.pdf\r\nContent-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=r.pdf\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n";

class RequestFixture {
 public:
  RequestFixture() {
    const char* base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : std::getenv("TMPDIR");
    std::string tmpl = std::string(base ? base : "/tmp") + "/eas-fuzz-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) Die("mkdtemp");
    dir_ = tmpl;
    auto store = storage::Store::Open(dir_);
    if (!store.ok()) Die(store.status().message());
    std::shared_ptr<storage::Store> shared = std::move(store).value();
    Must(shared->Write([&](storage::Txn& txn) { return Populate(txn); }));
    auto service = core::Service::Open(shared, core::SharedRegions{});
    if (!service.ok()) Die(service.status().message());
    service_ = std::move(service).value();
    FirstFolderSync();
  }
  ~RequestFixture() {
    service_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  RequestFixture(const RequestFixture&) = delete;
  RequestFixture& operator=(const RequestFixture&) = delete;

  core::Service& service() { return *service_; }

  // A request from alice's device as the glue builds it (nginx checked
  // the password: eas_auth nginx, so no slow hash per input).
  static core::Request From(std::string_view query, std::string_view version,
                            std::string_view body) {
    core::Request r;
    r.method = "POST";
    r.path = "/Microsoft-Server-ActiveSync";
    r.query_string = query;
    r.protocol_version = version;
    r.user_agent = "Apple-iPhone9C1/1602.92";
    r.content_type = core::kWbxmlContentType;
    r.nginx_user = "alice";
    r.body = body;
    r.now = 1700000000;
    r.options.auth_mode = core::AuthMode::kNginx;
    return r;
  }

  // The glue's two steps: on the event loop, then on the thread pool.
  core::Response Handle(const core::Request& request) {
    core::Response r = service_->Handle(request, false);
    if (r.needs_blocking) r = service_->Handle(request, true);
    return r;
  }

 private:
  [[noreturn]] static void Die(const std::string& what) {
    std::fprintf(stderr, "fuzz_request set-up: %s\n", what.c_str());
    std::abort();
  }
  static void Must(const Status& s) {
    if (!s.ok()) Die(s.message());
  }

  Status Populate(storage::Txn& txn) {
    storage::UserRecord alice;
    alice.name = "alice";
    alice.display_name = "Alice";
    alice.addresses = {"alice@example.org"};
    auto made = core::CreateUserWithDefaultFolders(txn, alice);
    if (!made.ok()) return made.status();
    auto inbox = core::mail::DeliveryFolder(txn, *made, "INBOX");
    if (!inbox.ok()) return inbox.status();
    for (const char* raw : {kPlainMessage, kMultipartMessage}) {
      auto prepared = core::mail::PrepareMessage(raw, 1699990000);
      if (!prepared.ok()) return prepared.status();
      auto stored = core::mail::StoreMessage(txn, *made, *inbox, *prepared);
      if (!stored.ok()) return stored.status();
    }
    return core::mail::CollectAddresses(txn, *made, {{"Bob", "bob@example.org"}}, 1699990000);
  }

  void FirstFolderSync() {
    namespace fh = core::wbxml::tags::fh;
    core::wbxml::Writer w;
    w.Start(fh::kFolderSync);
    w.Element(fh::kSyncKey, "0");
    w.End();
    const std::string body = w.Take();
    const std::string query = std::string("Cmd=FolderSync&User=alice&DeviceId=") + kDevice +
                              "&DeviceType=iPhone";
    core::Response r = Handle(From(query, "14.1", body));
    if (r.http_status != 200) Die("first FolderSync: HTTP " + std::to_string(r.http_status));
  }

  std::string dir_;
  std::unique_ptr<core::Service> service_;
};

}  // namespace eas::fuzz
