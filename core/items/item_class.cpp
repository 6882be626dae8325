#include "core/items/item_class.hpp"

#include "core/folder_type.hpp"
#include "core/items/element_versions.hpp"
#include "core/items/item_data.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"

namespace eas::core::items {

uint64_t ItemClass::FilterCutoff(int, uint64_t) const { return 0; }

bool ItemClass::OutsideWindow(std::string_view, uint64_t, uint64_t) const { return false; }

Result<std::string> ItemClass::ApplyChange(std::string_view stored,
                                           const wbxml::Element& application_data,
                                           std::string_view, const ChangeRules& rules) const {
  wbxml::Element change = application_data;
  ToStoredShape(change);
  if (ElementsVaryByVersion()) {
    auto old = DecodeItemData(stored);
    if (!old.ok()) return old.status();
    KeepUnseenElements(change, *old, rules.version);
  }
  return MergeChange(stored, change, [&](wbxml::Tag tag) { return KeepsAbsent(tag, rules); });
}

bool ItemClass::KeepsAbsent(wbxml::Tag, const ChangeRules&) const { return false; }

Status ItemClass::CheckFromClient(const wbxml::Element&) const { return Status::Ok(); }

void ItemClass::ToStoredShape(wbxml::Element& application_data) const {
  StoreBodyShape(application_data);
}

bool ItemClass::DecodesToRender(const RenderOptions& options) const {
  constexpr int kVersion12 = 120;
  return !options.body_preferences.empty() || options.multipart != nullptr ||
         options.version < kVersion12;
}

Result<std::optional<std::string>> ItemClass::ApplyDelete(std::string_view,
                                                          std::string_view) const {
  return std::optional<std::string>();
}

Status ItemClass::BeforeDelete(storage::Txn&, const storage::FolderRecord&,
                               const storage::ItemRecord&, bool) const {
  return Status::Ok();
}

Status ItemClass::OnClientWrite(storage::Txn&, const storage::UserRecord&, std::string_view,
                                uint64_t, storage::ItemRecord*, uint64_t,
                                std::vector<std::string>*) const {
  return Status::Ok();
}

Status ItemClass::Compose(storage::Txn&, const ComposeInput&, const storage::ItemRecord*,
                          Composed* out) const {
  out->outcome = Composed::kRefused;
  out->refusal = "this class has no items a client composes";
  return Status::Ok();
}

void ItemClass::Render(wbxml::Writer& w, storage::Txn&, const StoredItem& item,
                       const RenderOptions& options, RenderScope) const {
  const std::string_view data = item.data;
  w.Start(options.container);
  // The usual case copies the stored tokens (DecodesToRender says when
  // not).
  if (!DecodesToRender(options)) {
    w.Fragment(data);
  } else if (auto app = DecodeItemData(data); app.ok()) {
    ShapeFor(*app, options);
    RenderItemBody(*app, options, LegacyBody());
    if (options.multipart != nullptr) MoveBodyDataToPart(*app, *options.multipart);
    w.Fragment(EncodeItemData(*app));
  } else {
    w.Fragment(data);  // unreadable here means unreadable anywhere: as stored
  }
  w.End();
}

std::string_view ClassNameOf(storage::FolderKind kind) {
  const ItemClass& c = ClassOf(kind);
  if (&c == &ContactClass()) return "Contacts";
  if (&c == &CalendarClass()) return "Calendar";
  if (&c == &TaskClass()) return "Tasks";
  if (&c == &NoteClass()) return "Notes";
  return "Email";
}

const ItemClass& ClassOf(storage::FolderKind kind) {
  namespace ft = folder_type;
  if (kind == ft::kContacts || kind == ft::kUserContacts) return ContactClass();
  if (kind == ft::kCalendar || kind == ft::kUserCalendar) return CalendarClass();
  if (kind == ft::kTasks || kind == ft::kUserTasks) return TaskClass();
  if (kind == ft::kNotes || kind == ft::kUserNotes || kind == ft::kJournal ||
      kind == ft::kUserJournal) {
    return NoteClass();
  }
  return EmailClass();  // Inbox, Drafts, Deleted/Sent Items, Outbox, user mail and generic
}

}  // namespace eas::core::items
