// Plain records the store keeps; encoding is the store's business.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace eas::storage {

using UserId = uint32_t;
using FolderId = uint64_t;  // global, never reused; 0 means "root"
using ItemId = uint64_t;    // unique within its folder, never reused

// What the directory (the GAL) shows of a user besides the display name
// and addresses; empty: not set. The picture is kept apart
// (Txn::ViewUserPicture), for this record is read on every request.
struct UserDirectoryFields {
  std::string first_name, last_name;
  std::string alias;  // the GAL's Alias; the login name when empty
  std::string company, title, office;
  std::string phone, mobile_phone, home_phone;  // business, mobile, home
  bool operator==(const UserDirectoryFields&) const = default;
};

struct UserRecord {
  UserId id = 0;
  std::string name;                    // login name, lower-case, no domain
  std::string display_name;
  std::vector<std::string> addresses;  // e-mail addresses, primary first
  std::string password_hash;           // encoded by core/auth; empty = no local password
  uint64_t created = 0;                // unix seconds
  UserDirectoryFields directory;
};

// What kind of folder it is: a byte core decides (core/folder_type.hpp)
// and the store keeps without reading it.
enum class FolderKind : uint8_t {};

enum class Rights : uint8_t { kNone = 0, kRead = 1, kReadWrite = 3 };

struct AclEntry {
  UserId user = 0;
  Rights rights = Rights::kRead;
};

struct FolderRecord {
  FolderId id = 0;
  UserId owner = 0;
  FolderId parent = 0;     // 0 = top level
  FolderKind type{1};  // core's folder_type::kUserGeneric
  std::string name;
  std::vector<AclEntry> acl;  // other users' rights; the owner has all rights
  bool hidden = false;        // never offered to devices (collected addresses)
  uint64_t modseq = 0;        // bumped by every item change in the folder
};

enum class ChangeKind : uint8_t { kAdd = 1, kUpdate = 2, kDelete = 3 };

// One entry of a user's folder-hierarchy change log.
struct HierarchyChange {
  uint64_t seq = 0;
  FolderId folder = 0;
  ChangeKind kind = ChangeKind::kAdd;
};

struct ItemRecord {
  FolderId folder = 0;
  ItemId id = 0;
  uint64_t modseq = 0;     // folder modseq at the item's last change
  uint64_t created = 0;    // folder modseq when the item was added (set by PutItem)
  std::string data;        // typed record bytes; core encodes them
  // A large value kept apart (Txn::PutBlob; mail: the original message),
  // 0 for none. Items refer to it and never copy it: a move or copy of the
  // item shares it, and it goes with the last item that refers to it.
  uint64_t blob = 0;
  // The item's place in time (unix seconds; mail: when it was received),
  // indexed per folder (Txn::ItemsByTime), 0 for none.
  uint64_t time = 0;
};

// An ItemRecord whose data is a view into the store, not a copy
// (Txn::ViewItem): valid until its transaction ends or writes. A Sync
// renders each item it sends from the stored bytes in place.
struct ItemView {
  FolderId folder = 0;
  ItemId id = 0;
  uint64_t modseq = 0;
  uint64_t created = 0;
  std::string_view data;
  uint64_t blob = 0;
  uint64_t time = 0;
};

inline ItemView ViewOf(const ItemRecord& r) {
  return {r.folder, r.id, r.modseq, r.created, r.data, r.blob, r.time};
}

// A place in a folder's index by time (Txn::ItemTimes): an item's time
// and id, read without the item.
struct ItemTime {
  uint64_t time = 0;
  ItemId id = 0;
};

// One entry of a folder's item change log; deletes are tombstones.
struct ItemChange {
  uint64_t modseq = 0;
  ItemId item = 0;
  ChangeKind kind = ChangeKind::kAdd;
};

struct DeviceRecord {
  // User-provided, so that value-initialisation (`DeviceRecord()`, `{}` in
  // an aggregate such as the command context, built for every request)
  // does not zero the whole record before the members' own initialisers.
  DeviceRecord() noexcept {}

  UserId user = 0;
  std::string device_id;
  std::string device_type;
  std::string user_agent;
  std::string model, imei, friendly_name, os, os_language, phone_number,
      mobile_operator;
  std::string protocol_version;
  uint64_t first_seen = 0;  // unix seconds
  uint64_t last_seen = 0;

  // Provisioning (MS-ASPROV): the key the device holds, the temporary one
  // it was offered and must acknowledge, and a digest of the policy it
  // accepted (a different digest in config means: provision again).
  uint32_t policy_key = 0;
  uint32_t pending_policy_key = 0;
  std::string policy_digest;

  // An administrator's decision (easctl device approve/block), winning
  // over the rules in nginx config.
  enum class Access : uint8_t { kUndecided = 0, kApproved = 1, kBlocked = 2 };
  Access access = Access::kUndecided;
  enum class Wipe : uint8_t { kNone = 0, kRequested = 1, kAccountOnly = 2, kDone = 3 };
  Wipe wipe = Wipe::kNone;

  // The access decision last applied to the device and why ("rule 2",
  // "default", "administrator", ...), kept so an administrator can list the
  // quarantined devices; rewritten when the decision or its reason changes.
  enum class Decision : uint8_t { kNone = 0, kAllowed = 1, kBlocked = 2, kQuarantined = 3 };
  Decision last_decision = Decision::kNone;
  std::string decision_reason;
};

// A message waiting for the SMTP relay (the outgoing queue): the envelope
// and the bytes as they go out, kept until the relay took it for every
// recipient or an administrator drops it.
struct OutgoingRecord {
  uint64_t id = 0;                      // assigned by QueueOutgoing, never reused
  UserId user = 0;                      // who sent it (a bounce goes to them)
  std::string sender;                   // envelope MAIL FROM
  std::vector<std::string> recipients;  // envelope RCPT TO, still to be sent
  std::string message;                  // RFC 5322 bytes (no Bcc header)
  uint64_t queued_at = 0;               // unix seconds
  uint32_t attempts = 0;                // relay attempts so far
  uint64_t next_attempt = 0;            // unix seconds; 0 = now
  // A worker sending it holds it until then (unix seconds), so no other
  // worker sends it too; a worker that died lets go when the time passes.
  uint64_t claimed_until = 0;
  std::string last_error;               // the relay's last answer, for easctl
  // Set on the server's own meeting reply for a client that may send one
  // itself (core/mail/held_reply.hpp): nothing of it has gone anywhere
  // yet; at next_attempt it is sent whole (users of this box too, a copy
  // in Sent Items), unless the user's own REPLY for this meeting (UID, and
  // the occurrence's RECURRENCE-ID in unix seconds, 0 for all) came first.
  std::string held_uid;                 // empty: an ordinary entry
  int64_t held_recurrence_id = 0;
};

// A user's out-of-office reply for one audience (Settings Oof).
struct OofMessage {
  bool enabled = false;
  bool html = false;   // `reply` is HTML, else plain text
  std::string reply;   // UTF-8
  bool operator==(const OofMessage&) const = default;
};

// A user's out-of-office setting. The store keeps the numbers; core says
// what they mean (core/mail/oof.hpp: state 0 off, 1 on, 2 between start
// and end).
struct OofRecord {
  uint8_t state = 0;
  uint64_t start = 0, end = 0;  // unix seconds
  OofMessage internal, external_known, external_unknown;
  bool operator==(const OofRecord&) const = default;
};

}  // namespace eas::storage
