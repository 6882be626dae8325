// Ghosted properties (MS-ASCMD 2.2.3.179 Supported): what a client's Change
// leaves as stored when it does not carry it. A client that names some
// properties in the Supported element of its initial Sync of a folder
// (SyncKey 0) owns only those; the others a class can ghost are ones it may
// never have seen, so their absence from its Change means "not mine", not
// "deleted". The Supported set is kept with the device's collection state
// (core/collection_state.hpp) in the form EncodeSupported writes.
#pragma once

#include <string>
#include <string_view>

#include "base/status.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::items {

// The Supported element of a request as bytes for the collection state:
// empty for none (the element absent), else a marker byte and each
// child's (page, token).
std::string EncodeSupported(const wbxml::Element* supported);

// What the server knows of the client that sends a Change.
struct ChangeRules {
  int version = 0;              // protocol version ×10
  std::string_view supported;   // EncodeSupported's bytes from its SyncKey 0

  // Whether the client sent Supported at all.
  bool DeclaredSupported() const { return !supported.empty(); }
  // Whether `tag` was a child of its Supported.
  bool Supports(wbxml::Tag tag) const;
  // MS-ASCMD 2.2.3.179: with Supported, a ghostable property not named in
  // it is ghosted; without Supported none is (every one the Change lacks
  // is deleted).
  bool Ghosts(wbxml::Tag ghostable) const { return DeclaredSupported() && !Supports(ghostable); }
};

// The item after a client's Change: the Change's properties, and of the
// stored ones those it does not carry that `keeps` says stay. Bodies go
// as one: a Change with no body of any shape (airsyncbase:Body or the 2.5
// Contacts/Calendar/Tasks Body) keeps the stored body whole, as MS-ASCNTC
// 3.1.5.4 requires of contacts ("MUST NOT delete the stored Notes") and
// MS-ASCAL 2.2.2.7.1 allows of events (the body can be ghosted): a client
// sent a truncated body cannot send the rest back.
template <class Keeps>
Result<std::string> MergeChange(std::string_view stored, const wbxml::Element& change,
                                const Keeps& keeps);

}  // namespace eas::core::items

#include "core/items/item_body.hpp"
#include "core/items/item_data.hpp"

namespace eas::core::items {

template <class Keeps>
Result<std::string> MergeChange(std::string_view stored, const wbxml::Element& change,
                                const Keeps& keeps) {
  auto old = DecodeItemData(stored);
  if (!old.ok()) return old.status();
  wbxml::Element merged = change;
  const bool keep_body = !HasBody(change);
  for (wbxml::Element& property : old->children) {
    if (change.Has(property.tag)) continue;  // the client's value replaces it
    const bool kept = IsBodyTag(property.tag) ? keep_body : keeps(property.tag);
    if (kept) merged.children.push_back(std::move(property));
  }
  return EncodeItemData(merged);
}

}  // namespace eas::core::items
