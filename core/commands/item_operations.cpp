// ItemOperations (MS-ASCMD 2.2.1.10): Fetch of a whole item by ServerId
// (or a search result's LongId, which is the same "folder:item") under the
// client's BodyPreference, Fetch of an attachment by FileReference with
// its bytes base64-encoded in Data (sliced to Range when asked), and
// EmptyFolderContents. A client that accepts a multipart answer gets bodies
// and attachments as raw parts after the WBXML instead of inline Data
// (MS-ASCMD 2.2.1.10.1). Runs on the thread pool: attachments are decoded
// and encoded, and emptying a folder writes.
#include <cstdlib>
#include <string>
#include <vector>

#include "core/commands/command.hpp"
#include "core/commands/hierarchy.hpp"
#include "core/commands/sync_collection.hpp"
#include "core/folder_access.hpp"
#include "core/folder_type.hpp"
#include "core/items/item_class.hpp"
#include "core/mail/attachment_read.hpp"
#include "core/multipart_response.hpp"
#include "core/util/base64.hpp"
#include "core/util/index_range.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace io = wbxml::tags::itemops;
namespace as = wbxml::tags::airsync;
namespace base = wbxml::tags::base;

// MS-ASCMD 2.2.3.177.7 (ItemOperations Status).
enum ItemOpsStatus {
  kOk = 1, kProtocolError = 2, kServerError = 3, kNotFound = 6, kBadRange = 8,
  kUnknownStore = 9, kBadAttachment = 15,
};

const wbxml::Tag& LongIdTag() {
  static const wbxml::Tag kLongId = wbxml::TagNamed(wbxml::Page::kSearch, "LongId");
  return kLongId;
}

// One operation's answer, written into the Response in request order.
class Operations {
 public:
  // `multipart`: the answer's parts when the client asked for a multipart
  // answer, else null (data inline, base64 in Data).
  Operations(storage::Txn& txn, CommandContext& ctx, MultipartParts* multipart)
      : txn_(txn), ctx_(ctx), multipart_(multipart) {}

  // Answers `op` (a Fetch or an EmptyFolderContents) after the ones before.
  Status Answer(const wbxml::Element& op) {
    w_ = wbxml::Writer();
    w_.ForgetPage();  // each answer is a fragment of its own, one after the other
    Status s = op.tag == io::kFetch ? Fetch(op) : EmptyFolder(op);
    if (s.ok()) answers_ += w_.TakeFragment();
    return s;
  }
  const std::string& answers() const { return answers_; }

 private:
  Status Fetch(const wbxml::Element& fetch);
  Status EmptyFolder(const wbxml::Element& empty);
  // The folder if this user may read it (write it, with `write`).
  std::optional<storage::FolderRecord> Folder(storage::FolderId id, bool write);
  Status FetchItem(const wbxml::Element& fetch, const wbxml::Element& options);
  Status FetchAttachment(std::string_view reference, const wbxml::Element& options);
  void Note(std::string text) { ctx_.response.log.push_back({LogLevel::kInfo, std::move(text)}); }

  storage::Txn& txn_;
  CommandContext& ctx_;
  MultipartParts* multipart_;
  wbxml::Writer w_;
  std::string answers_;
};

std::optional<storage::FolderRecord> Operations::Folder(storage::FolderId id, bool write) {
  auto folder = txn_.GetFolder(id);
  // A hidden folder (Collected Addresses) holds no items a device can be
  // shown: its records are no ApplicationData.
  if (!folder.ok() || !OfferedToDevices(*folder)) return std::nullopt;
  FolderRole role = RoleOf(*folder, ctx_.user.id);
  if (!(write ? MayWriteItems(role) : MayRead(role))) return std::nullopt;
  return std::move(*folder);
}

Status Operations::Fetch(const wbxml::Element& fetch) {
  static const wbxml::Element kNoOptions{io::kOptions, "", false, {}};
  const wbxml::Element* options = fetch.Child(io::kOptions);
  if (options == nullptr) options = &kNoOptions;
  if (fetch.ChildText(io::kStore) != "Mailbox") {
    w_.Start(io::kFetch);
    w_.Element(io::kStatus, std::to_string(kUnknownStore));
    w_.End();
    Note("ItemOperations: Fetch from store '" + std::string(fetch.ChildText(io::kStore)) +
         "' (only Mailbox): Status 9");
    return Status::Ok();
  }
  if (const wbxml::Element* ref = fetch.Child(base::kFileReference)) {
    return FetchAttachment(ref->text, *options);
  }
  return FetchItem(fetch, *options);
}

Status Operations::FetchItem(const wbxml::Element& fetch, const wbxml::Element& options) {
  const wbxml::Element* long_id = fetch.Child(LongIdTag());
  const std::string server_id(long_id ? long_id->text : fetch.ChildText(as::kServerId));
  const std::string_view collection = fetch.ChildText(as::kCollectionId);
  auto answer = [&](int status) {
    w_.Start(io::kFetch);
    w_.Element(io::kStatus, std::to_string(status));
    if (long_id != nullptr) {
      w_.Element(LongIdTag(), server_id);
    } else {
      if (!collection.empty()) w_.Element(as::kCollectionId, collection);
      w_.Element(as::kServerId, server_id);
    }
  };
  // "folder:item"; a CollectionId, when given, names the same folder.
  size_t colon = server_id.find(':');
  auto folder_id = ParseFolderId(std::string_view(server_id).substr(0, colon));
  std::optional<storage::FolderRecord> folder;
  if (colon != std::string::npos && folder_id &&
      (collection.empty() || ParseFolderId(collection) == folder_id)) {
    folder = Folder(*folder_id, false);
  }
  auto item_id = folder ? ParseItemServerId(server_id, folder->id) : std::nullopt;
  auto item = item_id ? txn_.GetItem(folder->id, *item_id)
                      : Result<storage::ItemRecord>(Status::NotFound(""));
  if (!item.ok()) {
    if (item.status().code() != Code::kNotFound) return item.status();
    answer(kNotFound);
    w_.End();
    Note("ItemOperations: Fetch of " + server_id + ": no such item for " + ctx_.user.name);
    return Status::Ok();
  }
  answer(kOk);
  w_.Element(as::kClass, items::ClassNameOf(folder->type));
  items::RenderOptions render;
  render.body_preferences = items::ParseBodyPreferences(options);
  const wbxml::Element* mime = options.Child(as::kMIMESupport);
  render.mime_support = mime != nullptr ? std::atoi(mime->text.c_str()) : 0;
  render.version = ctx_.version;
  render.container = io::kProperties;
  render.multipart = multipart_;
  items::ClassOf(folder->type)
      .Render(w_, txn_, items::StoredOf(*item), render, items::RenderScope::kWhole);
  w_.End();
  return Status::Ok();
}

Status Operations::FetchAttachment(std::string_view reference, const wbxml::Element& options) {
  auto fail = [&](int status, std::string why) {
    w_.Start(io::kFetch);
    w_.Element(io::kStatus, std::to_string(status));
    w_.Element(base::kFileReference, reference);
    w_.End();
    Note("ItemOperations: attachment " + std::string(reference) + ": " + why + ": Status " +
         std::to_string(status));
    return Status::Ok();
  };
  auto attachment = mail::ReadAttachment(txn_, ctx_.user.id, reference);
  if (!attachment.ok()) {
    const Status& s = attachment.status();
    if (s.code() == Code::kNotFound) return fail(kBadAttachment, s.message() + " for " + ctx_.user.name);
    if (s.code() == Code::kInvalidArgument) return fail(kServerError, s.message());
    return s;
  }
  std::string& bytes = attachment->bytes;
  const size_t total = bytes.size();
  std::string range_text;
  if (const wbxml::Element* range = options.Child(io::kRange)) {
    uint64_t first = 0, last = 0;
    if (!util::ParseIndexRange(range->text, first, last) || first >= total) {
      return fail(kBadRange, "range " + range->text + " of " + std::to_string(total));
    }
    last = std::min<uint64_t>(last, total - 1);
    bytes.erase(last + 1);
    bytes.erase(0, first);
    range_text = std::to_string(first) + "-" + std::to_string(last);
  }
  w_.Start(io::kFetch);
  w_.Element(io::kStatus, std::to_string(kOk));
  w_.Element(base::kFileReference, reference);
  w_.Start(io::kProperties);
  w_.Element(base::kContentType, attachment->content_type.empty() ? "application/octet-stream"
                                                                  : attachment->content_type);
  if (!range_text.empty()) {
    w_.Element(io::kRange, range_text);
    w_.Element(io::kTotal, std::to_string(total));
  }
  // Multipart: the raw bytes as a part of their own, Part in place of Data.
  if (multipart_ != nullptr) {
    w_.Element(io::kPart, std::to_string(multipart_->Add(std::move(bytes))));
  } else {
    w_.Element(io::kData, util::Base64Encode(bytes));
  }
  w_.End();
  w_.End();
  return Status::Ok();
}

Status Operations::EmptyFolder(const wbxml::Element& empty) {
  const std::string_view collection = empty.ChildText(as::kCollectionId);
  const wbxml::Element* options = empty.Child(io::kOptions);
  const bool subfolders = options != nullptr && options->Has(io::kDeleteSubFolders);
  auto id = ParseFolderId(collection);
  auto folder = id ? Folder(*id, true) : std::nullopt;
  int status = kOk;
  if (!folder) {
    status = kNotFound;
    Note("ItemOperations: EmptyFolderContents of " + std::string(collection) +
         ": no such folder " + ctx_.user.name + " may write");
  } else {
    size_t deleted = 0;
    for (;;) {
      auto items = txn_.ItemsAfter(folder->id, 0, 256);
      if (!items.ok()) return items.status();
      if (items->empty()) break;
      for (const auto& item : *items) {
        if (Status s = txn_.DeleteItem(folder->id, item.id); !s.ok()) return s;
      }
      deleted += items->size();
    }
    size_t folders = 0;
    if (subfolders) {
      auto visible = txn_.VisibleFolders(ctx_.user.id);
      if (!visible.ok()) return visible.status();
      for (const auto& f : *visible) {
        if (f.parent != folder->id || f.owner != ctx_.user.id) continue;
        if (Status s = txn_.DeleteFolder(f.id); !s.ok()) return s;
        ++folders;
      }
    }
    Note("ItemOperations: emptied folder " + std::string(collection) + " (" +
         std::to_string(deleted) + " items, " + std::to_string(folders) + " subfolders)");
  }
  w_.Start(io::kEmptyFolderContents);
  w_.Element(io::kStatus, std::to_string(status));
  w_.Element(as::kCollectionId, collection);
  w_.End();
  return Status::Ok();
}

}  // namespace

void ItemOperations(CommandContext& ctx) {
  auto top = [&](int status) {
    ctx.Answer(StatusAnswer(io::kItemOperations, io::kStatus, status));
  };
  if (ctx.body == nullptr || !(ctx.body->tag == io::kItemOperations) ||
      ctx.body->children.empty()) {
    ctx.response.log.push_back({LogLevel::kWarn, "ItemOperations: malformed request"});
    top(kProtocolError);
    return;
  }
  bool writes = false;
  for (const auto& op : ctx.body->children) {
    if (!(op.tag == io::kFetch) && !(op.tag == io::kEmptyFolderContents)) {
      ctx.response.log.push_back({LogLevel::kWarn, "ItemOperations: unsupported operation"});
      top(kProtocolError);
      return;
    }
    writes = writes || op.tag == io::kEmptyFolderContents;
  }
  // Attachments are decoded and encoded, and folders emptied, off the loop.
  if (!ctx.MayWrite()) return;

  // MS-ASAcceptMultiPart: T, or the AcceptMultiPart flag of the request
  // line (MS-ASHTTP 2.2.1.1.2.5, 2.2.1.1.1.1.3). A request refused as a
  // whole (Status 2 or 3 above and below) still answers plain WBXML: the
  // Content-Type tells the client which it got.
  const bool multipart = ctx.request.accept_multipart || ctx.query.accept_multipart;
  std::string response;
  MultipartParts parts;
  auto run = [&](storage::Txn& txn) -> Status {
    parts = MultipartParts();  // a retried write transaction starts over
    Operations ops(txn, ctx, multipart ? &parts : nullptr);
    for (const auto& op : ctx.body->children) {
      if (Status s = ops.Answer(op); !s.ok()) return s;
    }
    response = ops.answers();
    return Status::Ok();
  };
  Status s = writes ? ctx.store.Write(run) : ctx.store.Read(run);
  if (!s.ok()) {
    ctx.response.log.push_back({LogLevel::kError, "ItemOperations: store: " + s.message()});
    top(kServerError);
    return;
  }
  wbxml::Writer w;
  w.Start(io::kItemOperations);
  w.Element(io::kStatus, std::to_string(kOk));
  w.Start(io::kResponse);
  w.Fragment(response);
  w.End();
  w.End();
  if (!multipart) {
    ctx.Answer(w.Take());
    return;
  }
  auto body = EncodeMultipart(w.Take(), parts.parts());
  if (!body.ok()) {
    ctx.response.log.push_back({LogLevel::kError, "ItemOperations: " + body.status().message()});
    top(kServerError);
    return;
  }
  ctx.Answer(std::move(body).value(), kMultipartContentType);
}

}  // namespace eas::core::commands
