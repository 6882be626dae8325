// Email (MS-ASEMAIL). For now only what a client's Delete does: with
// DeletesAsMoves (the default), a message deleted from a mail folder goes
// to its owner's Deleted Items instead of away. The MIME record,
// BodyPreference rendering and flags come with mail delivery.
#include <utility>

#include "core/folder_type.hpp"
#include "core/items/item_class.hpp"
#include "storage/store.hpp"

namespace eas::core::items {
namespace {

class EmailItems final : public ItemClass {
 public:
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
      return txn.PutItem(std::move(copy)).status();
    }
    return Status::Ok();  // no Deleted Items: a plain delete
  }
};

}  // namespace

const ItemClass& EmailClass() {
  static const EmailItems kClass;
  return kClass;
}

}  // namespace eas::core::items
