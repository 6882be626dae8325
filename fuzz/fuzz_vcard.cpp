// libFuzzer target for the contact conversions whose input comes from
// outside: a .vcf import (easctl import) and a client's Contacts
// ApplicationData on its way to the stored form (Sync Add/Change). Either
// way the item must store, read back and export as vCard 3.0 and 4.0:
// one well-formed card, which imports again when the contact has a name,
// company or address (a card without any is refused by design).
// Input: WBXML (first byte 0x03) is a client's document, anything else
// vCard text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/convert/tags.hpp"
#include "core/convert/vcard.hpp"
#include "core/convert/vcard_lexer.hpp"
#include "core/items/item_class.hpp"
#include "core/items/item_data.hpp"
#include "core/wbxml/decoder.hpp"
#include "fuzz/application_data.hpp"

namespace {

namespace convert = eas::core::convert;
namespace items = eas::core::items;
using eas::core::wbxml::Element;

[[noreturn]] void Die(const char* what, const std::string& card = {}) {
  std::fprintf(stderr, "fuzz_vcard: %s\n%s\n", what, card.c_str());
  std::abort();
}

// What the import needs to take a card (vcard_to_contact.cpp).
bool Importable(const Element& contact) {
  namespace c = convert::tags::contacts;
  for (const auto& t : {c::kFileAs, c::kFirstName, c::kLastName, c::kCompanyName,
                        c::kEmail1Address}) {
    if (!contact.ChildText(t).empty()) return true;
  }
  return false;
}

// A contact as the store keeps it, then exported both ways.
void StoreAndExport(const Element& application_data) {
  auto stored = items::DecodeItemData(items::EncodeItemData(application_data));
  if (!stored.ok()) Die("a contact's stored form does not decode");
  for (auto version : {convert::VCardVersion::k30, convert::VCardVersion::k40}) {
    const std::string card = convert::VCardFromContact(*stored, version, "fuzz-uid");
    const auto blocks = convert::SplitVCards(card);
    if (blocks.size() != 1 || !blocks[0].error.empty()) {
      Die("an exported vCard is malformed", blocks.empty() ? card : blocks[0].error + "\n" + card);
    }
    if (Importable(*stored) && convert::ContactsFromVCards(card).items.size() != 1) {
      Die("an exported vCard does not import", card);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (eas::fuzz::LooksLikeWbxml(data, size)) {
    auto doc = eas::core::wbxml::Decode(in);
    if (!doc.ok()) return 0;
    std::vector<const Element*> found;
    eas::fuzz::CollectApplicationData(*doc, &found);
    const items::ItemClass& contacts = items::ContactClass();
    for (const Element* sent : found) {
      if (!contacts.CheckFromClient(*sent).ok()) continue;  // Status 6, never stored
      Element app = *sent;
      contacts.ToStoredShape(app);
      StoreAndExport(app);
    }
    return 0;
  }
  for (const convert::ConvertedItem& item : convert::ContactsFromVCards(in).items) {
    StoreAndExport(item.application_data);
  }
  return 0;
}
