#include "core/mail/attachment_read.hpp"

#include "core/folder_access.hpp"
#include "core/mail/file_reference.hpp"
#include "core/mail/mail_item.hpp"
#include "core/mail/part_content.hpp"
#include "storage/store.hpp"

namespace eas::core::mail {

Result<Attachment> ReadAttachment(storage::Txn& txn, storage::UserId user,
                                  std::string_view reference) {
  auto ref = ParseFileReference(reference);
  if (!ref) return Status::NotFound("not a FileReference of ours");
  auto folder = txn.GetFolder(ref->folder);
  if (!folder.ok() && folder.status().code() != Code::kNotFound) return folder.status();
  if (!folder.ok() || !MayRead(RoleOf(*folder, user))) {
    return Status::NotFound("no such folder for this user");
  }
  auto item = txn.GetItem(ref->folder, ref->item);
  if (!item.ok() && item.status().code() != Code::kNotFound) return item.status();
  if (!item.ok()) return Status::NotFound("no such message");
  auto message = DecodeMailItem(item->data);
  if (!message.ok() || ref->part >= message->message.parts.size()) {
    return Status::NotFound("no such part");
  }
  std::string_view raw;
  if (Status s = txn.ViewBlob(item->blob, &raw); !s.ok()) {
    if (s.code() != Code::kNotFound) return s;
    return Status::NotFound("the message's bytes are missing");
  }
  const Part& part = message->message.parts[ref->part];
  auto bytes = DecodedPart(raw, part);
  if (!bytes.ok()) return bytes.status();
  return Attachment{part.content_type, part.charset, std::move(bytes).value()};
}

}  // namespace eas::core::mail
