// One class of item (MS-ASCMD's Class: Contacts, Calendar, Tasks, Notes,
// Email) as the Sync engine sees it. The engine knows no class: what
// differs between them lives behind this interface, one file per class
// (contact_class.cpp, calendar_class.cpp, task_class.cpp, note_class.cpp,
// email_class.cpp). The defaults are what a class without special rules
// does: items stored as their ApplicationData tokens, sent as stored,
// replaced whole by a client's Change, deleted by its Delete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.hpp"
#include "core/items/body_preference.hpp"
#include "core/items/ghosting.hpp"
#include "core/items/item_body.hpp"
#include "core/wbxml/element.hpp"
#include "core/wbxml/tags.hpp"
#include "storage/records.hpp"

namespace eas::storage { class Txn; }
namespace eas::core { class MultipartParts; }
namespace eas::core::wbxml { class Writer; }

namespace eas::core::items {

// What a client asked of the items it is sent (a Sync collection's Options,
// an ItemOperations Fetch's).
struct RenderOptions {
  std::vector<BodyPreference> body_preferences;  // none: bodies as stored
  int mime_support = 0;  // AirSync:MIMESupport: 0 never MIME, 1 S/MIME only, 2 always
  int version = 0;       // protocol version ×10 (141 for 14.1)
  int truncation = -1;   // 2.5's airsync:Truncation (0-9), -1: none asked
  // The element the item's properties go in: Sync's ApplicationData, or
  // ItemOperations' Properties.
  wbxml::Tag container = wbxml::tags::airsync::kApplicationData;
  // A multipart ItemOperations answer (core/multipart_response.hpp): each
  // body's data goes here as a raw part, and the body carries its
  // itemoperations:Part number instead of Data. Null: Data inline.
  MultipartParts* multipart = nullptr;
};

// A stored item as Render reads it.
struct StoredItem {
  std::string_view data;  // storage::ItemRecord::data
  uint64_t blob = 0;      // storage::ItemRecord::blob, read through the Txn when needed
  storage::FolderId folder = 0;
  storage::ItemId id = 0;
};

inline StoredItem StoredOf(const storage::ItemRecord& r) { return {r.data, r.blob, r.folder, r.id}; }

// A server-side Add (or Fetch) carries the whole item; a Change only what
// changed, where the class can tell (mail: its flags; the message never
// changes).
enum class RenderScope : uint8_t { kWhole, kChange };

// A client's Add or Change that the class makes into an item itself
// instead of storing its ApplicationData (ItemClass::Composes).
struct ComposeInput {
  const wbxml::Element& application_data;
  bool send = false;  // Email2:Send: send it instead of keeping it
  const storage::FolderRecord& folder;
  const storage::UserRecord& user;
  uint64_t now = 0;
};

struct Composed {
  // kPlain: the item is none the class composes (a message moved into
  // Drafts): the Change is applied as to any other item.
  enum Outcome : uint8_t { kStored, kSent, kRefused, kPlain } outcome = kStored;
  storage::ItemRecord item;  // kStored: as written (id and modseq set)
  // Attachments the client added: its ClientId and the FileReference the
  // server gave it (MS-ASAIRS 2.2.2.14), for the Responses.
  std::vector<std::pair<std::string, std::string>> attachments;
  std::string refusal;              // kRefused: why (the client gets Status 6)
  std::vector<std::string> notes;   // for the log
  bool queued_outgoing = false;     // something waits in the outgoing queue
};

class ItemClass {
 public:
  virtual ~ItemClass() = default;

  // FilterType (MS-ASCMD 2.2.3.68.1): the unix time before which an item
  // is outside the device's window, 0 when every item is in.
  virtual uint64_t FilterCutoff(int filter_type, uint64_t now) const;
  // Whether a stored item (its data and storage::ItemRecord::time) lies
  // outside a window that starts at `cutoff` (never sent to a device that
  // does not hold it).
  virtual bool OutsideWindow(std::string_view data, uint64_t time, uint64_t cutoff) const;

  // The stored bytes after a client's Change of `stored`: the properties
  // of `application_data`, with the stored ones it lacks that stay
  // (MergeChange, KeepsAbsent); or, for `instance_id` (16.x), one
  // occurrence of a series.
  virtual Result<std::string> ApplyChange(std::string_view stored,
                                          const wbxml::Element& application_data,
                                          std::string_view instance_id,
                                          const ChangeRules& rules) const;
  // Whether a client's Add or Change can be stored: an error saying why
  // not (the client is answered Status 6, MS-ASCMD's "invalid item"),
  // Ok by default.
  virtual Status CheckFromClient(const wbxml::Element& application_data) const;
  // Whether a stored top-level property `tag` stays when a Change from a
  // client under `rules` does not carry it (a ghosted property). None by
  // default: what the Change lacks is deleted.
  virtual bool KeepsAbsent(wbxml::Tag tag, const ChangeRules& rules) const;
  // A client's Delete with `instance_id` removes one occurrence: the
  // stored bytes after it. Without (or for a class without occurrences)
  // nullopt: the item goes.
  virtual Result<std::optional<std::string>> ApplyDelete(std::string_view stored,
                                                         std::string_view instance_id) const;
  // Called before a client's Delete removes `item` from `folder`
  // (DeletesAsMoves for mail: the message goes to Deleted Items).
  virtual Status BeforeDelete(storage::Txn& txn, const storage::FolderRecord& folder,
                              const storage::ItemRecord& item, bool deletes_as_moves) const;

  // A client's Add, Change or Delete of an item of this class, in its
  // write transaction just before it is written: `before` and
  // `before_blob` are the stored item's data and blob (empty and 0 for an
  // Add), `item` the record about to be written (null for a Delete; its
  // blob may be set here). `notes` gets lines for the log. Calendar: a
  // meeting the user organizes tells its attendees (core/mail/
  // meeting_organizer.hpp).
  virtual Status OnClientWrite(storage::Txn& txn, const storage::UserRecord& user,
                               std::string_view before, uint64_t before_blob,
                               storage::ItemRecord* item, uint64_t now,
                               std::vector<std::string>* notes) const;

  // The stored item into a Sync or Fetch answer: its <ApplicationData>,
  // the body made and cut to the client's version and BodyPreference
  // (item_body.hpp; none: as stored).
  virtual void Render(wbxml::Writer& w, storage::Txn& txn, const StoredItem& item,
                      const RenderOptions& options, RenderScope scope) const;
  // Whether an initial sync walks the items newest first by
  // storage::ItemRecord::time (mail: what came last shows first, and a
  // FilterType window reads only itself) instead of by id.
  virtual bool WalksByTime() const { return false; }
  // A client's Add or Change (its ApplicationData) in the shape the class
  // stores: the body as airsyncbase:Body (StoreBodyShape); Calendar also
  // keeps the 14.1 elements of what a 16.x client wrote (event_shapes.hpp).
  virtual void ToStoredShape(wbxml::Element& application_data) const;
  // Whether Render must decode a stored item for this client (else it
  // copies the stored tokens): to make or cut its body, for a multipart
  // answer, for 2.5's body shapes, or, for a class whose elements differ
  // between versions, always.
  virtual bool DecodesToRender(const RenderOptions& options) const;
  // The decoded item's elements made those of the client's version.
  virtual void ShapeFor(wbxml::Element&, const RenderOptions&) const {}
  // Whether some of the class's elements are defined by some protocol
  // versions only (element_versions.hpp): ShapeFor leaves them out for the
  // others, and a Change from those keeps the stored ones it never saw.
  virtual bool ElementsVaryByVersion() const { return false; }
  // The class's 2.5 body elements; null when 2.5 has none (its body goes
  // to a 2.5 client as stored).
  virtual const LegacyBodyTags* LegacyBody() const { return nullptr; }
  // Whether a client may add items of this class by Sync (mail: no, a
  // message arrives by delivery; 16.x drafts are composed, below).
  virtual bool ClientMayAdd() const { return true; }
  // Whether a client's Add and Change in `folder` at protocol `version`
  // (×10) are made into items by Compose (mail: drafts from 16.0).
  virtual bool Composes(const storage::FolderRecord&, int /*version*/) const { return false; }
  // Makes, stores or sends the item of a client's Add (`existing` null)
  // or Change, in the write transaction. An error only for the store.
  virtual Status Compose(storage::Txn& txn, const ComposeInput& in,
                         const storage::ItemRecord* existing, Composed* out) const;
};

// The class of the items of a folder of this kind.
const ItemClass& ClassOf(storage::FolderKind kind);
// Its name on the wire (AirSync:Class): "Email", "Contacts", "Calendar",
// "Tasks" or "Notes".
std::string_view ClassNameOf(storage::FolderKind kind);

// The classes (each defined in its own file).
const ItemClass& ContactClass();
const ItemClass& CalendarClass();
const ItemClass& TaskClass();
const ItemClass& NoteClass();
const ItemClass& EmailClass();

}  // namespace eas::core::items
