// Email (MS-ASEMAIL). A message arrives by delivery, never by a client's
// Sync Add; a client changes only its state (Read, Flag, Categories), and
// other devices are sent only that state as a Change. The exception are
// 16.x drafts in the Drafts folder, which a client adds, changes and
// sends (email_draft.hpp). With DeletesAsMoves
// (the default), a message deleted from a mail folder goes to its owner's
// Deleted Items, sharing the original bytes.
#include <utility>

#include "core/folder_type.hpp"
#include "core/items/email_draft.hpp"
#include "core/items/email_render.hpp"
#include "core/items/item_class.hpp"
#include "core/items/item_data.hpp"
#include "core/mail/mail_item.hpp"
#include "core/wbxml/tags.hpp"
#include "storage/store.hpp"

namespace eas::core::items {
namespace {

namespace email = wbxml::tags::email;

class EmailItems final : public ItemClass {
 public:
  // 1 one day, 2 three days, 3 one week, 4 two weeks, 5 one month,
  // 6 three months, 7 six months back, by received time.
  uint64_t FilterCutoff(int filter_type, uint64_t now) const override {
    constexpr uint64_t kDay = 86400;
    static constexpr uint64_t kKeep[] = {0, 1, 3, 7, 14, 31, 92, 183};
    if (filter_type < 1 || filter_type > 7) return 0;
    const uint64_t keep = kKeep[filter_type] * kDay;
    return now > keep ? now - keep : 0;
  }

  bool OutsideWindow(std::string_view, uint64_t time, uint64_t cutoff) const override {
    return cutoff != 0 && time != 0 && time < cutoff;
  }

  Result<std::string> ApplyChange(std::string_view stored, const wbxml::Element& app,
                                  std::string_view, const ChangeRules&) const override {
    auto state = mail::DecodeMailState(stored);
    if (!state.ok()) return state.status();
    if (const wbxml::Element* read = app.Child(email::kRead)) state->read = read->text == "1";
    if (const wbxml::Element* flag = app.Child(email::kFlag)) {
      state->flag = flag->children.empty() ? std::string() : EncodeItemData(*flag);
    }
    if (const wbxml::Element* categories = app.Child(email::kCategories)) {
      state->categories.clear();
      for (const wbxml::Element* c : categories->Children(email::kCategory)) {
        state->categories.push_back(c->text);
      }
    }
    return mail::ReplaceMailState(stored, *state);
  }

  Status BeforeDelete(storage::Txn& txn, const storage::FolderRecord& folder,
                      const storage::ItemRecord& item, bool deletes_as_moves) const override {
    // Deleting from Deleted Items is for good; generic folders (type 1)
    // never moved their deletes either.
    if (!deletes_as_moves || folder.type == folder_type::kDeletedItems ||
        folder.type == folder_type::kUserGeneric) {
      return Status::Ok();
    }
    auto folders = txn.VisibleFolders(folder.owner);
    if (!folders.ok()) return folders.status();
    for (const auto& f : *folders) {
      if (f.owner != folder.owner || f.type != folder_type::kDeletedItems) continue;
      storage::ItemRecord copy;
      copy.folder = f.id;
      copy.data = item.data;
      copy.blob = item.blob;  // shared, not copied
      copy.time = item.time;
      return txn.PutItem(std::move(copy)).status();
    }
    return Status::Ok();  // no Deleted Items: a plain delete
  }

  void Render(wbxml::Writer& w, storage::Txn& txn, const StoredItem& item,
              const RenderOptions& options, RenderScope scope) const override {
    RenderEmail(w, txn, item, options, scope);
  }

  bool ClientMayAdd() const override { return false; }

  // MS-ASCMD 3.1.5.4: clients before 16.0 do not sync Drafts; their Adds
  // stay refused (ClientMayAdd).
  bool Composes(const storage::FolderRecord& folder, int version) const override {
    return folder.type == folder_type::kDrafts && version >= 160;
  }

  Status Compose(storage::Txn& txn, const ComposeInput& in, const storage::ItemRecord* existing,
                 Composed* out) const override {
    return ComposeDraft(txn, in, existing, out);
  }
  bool WalksByTime() const override { return true; }
};

}  // namespace

const ItemClass& EmailClass() {
  static const EmailItems kClass;
  return kClass;
}

}  // namespace eas::core::items
