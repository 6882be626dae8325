#include "core/mail/delivery.hpp"

#include <algorithm>

#include "core/auth/user_name.hpp"
#include "core/folder_type.hpp"
#include "core/mail/mail_item.hpp"
#include "core/util/digest.hpp"
#include "core/util/hex.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string HexSha256(std::string_view bytes) { return util::Hex(util::Sha256(bytes)); }

constexpr size_t kMaxPlainMessageId = 400;

std::string_view DomainOf(std::string_view address) {
  size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

bool IsMailFolder(storage::FolderKind kind) {
  namespace ft = folder_type;
  return kind == ft::kInbox || kind == ft::kDrafts || kind == ft::kDeletedItems ||
         kind == ft::kSentItems || kind == ft::kOutbox || kind == ft::kUserMail;
}

}  // namespace

Result<PreparedMessage> PrepareMessage(std::string_view raw, uint64_t received) {
  PreparedMessage m;
  auto record = BuildMessageRecord(raw, received, &m.notes);
  if (!record.ok()) return record.status();
  m.raw = raw;
  m.record = std::move(*record);
  // The store takes keys of up to 500 bytes: a longer Message-ID (a
  // message from anyone may carry one) is named by its digest.
  const std::string& id = m.record.message_id;
  m.key = (id.size() <= kMaxPlainMessageId ? id : "sha256:" + HexSha256(id)) + '\n' + HexSha256(raw);
  MailItem unread;  // the record moves in and back: no copy of its bodies
  unread.message = std::move(m.record);
  m.unread_item = EncodeMailItem(unread);
  m.record = std::move(unread.message);
  m.meeting_event = ReadMeetingEvent(raw, m.record);
  return m;
}

Result<storage::UserRecord> ResolveRecipient(storage::Txn& txn, std::string_view recipient) {
  // Postfix may hand over "<user@domain>" in LMTP; the angle brackets and
  // any letter case do not make another user.
  if (recipient.size() >= 2 && recipient.front() == '<' && recipient.back() == '>') {
    recipient = recipient.substr(1, recipient.size() - 2);
  }
  const std::string wanted = Lower(recipient);
  auto users = txn.ListUsers();
  if (!users.ok()) return users.status();
  const std::string name = auth::CanonicalUserName(wanted);
  const std::string_view domain = DomainOf(wanted);
  const storage::UserRecord* by_name = nullptr;
  for (const auto& u : *users) {
    for (const auto& a : u.addresses) {
      if (Lower(a) == wanted) return u;
    }
    if (u.name != name) continue;
    bool domain_ok = domain.empty() || u.addresses.empty();
    for (const auto& a : u.addresses) domain_ok = domain_ok || Lower(DomainOf(a)) == domain;
    if (domain_ok) by_name = &u;
  }
  if (by_name != nullptr) return *by_name;
  return Status::NotFound("no user " + std::string(recipient));
}

Result<storage::FolderRecord> DeliveryFolder(storage::Txn& txn, const storage::UserRecord& user,
                                             std::string_view name) {
  auto folders = txn.VisibleFolders(user.id);
  if (!folders.ok()) return folders.status();
  const std::string wanted = Lower(name);
  const bool inbox = wanted.empty() || wanted == "inbox";
  for (auto& f : *folders) {
    if (f.owner != user.id || !IsMailFolder(f.type)) continue;
    if (inbox ? f.type == folder_type::kInbox : Lower(f.name) == wanted) return std::move(f);
  }
  return Status::NotFound("user " + user.name + " has no mail folder " +
                          (inbox ? std::string("Inbox") : std::string(name)));
}

Result<Stored> StoreMessage(storage::Txn& txn, const storage::UserRecord& user,
                            const storage::FolderRecord& folder, const PreparedMessage& message,
                            const StoreOptions& options) {
  auto existing = txn.FindBlob(user.id, message.key);
  if (existing.ok()) return Stored::kDuplicate;
  if (existing.status().code() != Code::kNotFound) return existing.status();
  auto blob = txn.PutBlob(user.id, message.key, message.raw);
  if (!blob.ok()) return blob.status();
  storage::ItemRecord item;
  item.folder = folder.id;
  if (options.seen) {
    MailState seen;
    seen.read = true;
    auto data = ReplaceMailState(message.unread_item, seen);
    if (!data.ok()) return data.status();
    item.data = std::move(*data);
  } else {
    item.data = message.unread_item;
  }
  item.blob = *blob;
  item.time = std::max<uint64_t>(message.record.received, 1);  // 0 would leave the time index
  auto put = txn.PutItem(std::move(item));
  if (!put.ok()) return put.status();
  if (options.calendar && folder.type == folder_type::kInbox) {
    auto meeting = ApplyMeetingMessage(txn, user, message.record, message.meeting_event);
    if (!meeting.ok()) return meeting.status();
  }
  return Stored::kNew;
}

}  // namespace eas::core::mail
