// Element tree-free WBXML token writer: responses go straight to bytes
// (SWITCH_PAGE / tag / STR_I / OPAQUE / END), never through XML text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/wbxml/tag.hpp"

namespace eas::core::wbxml {

class Writer {
 public:
  Writer();  // emits the header: version 1.3, public id 1, UTF-8, no string table

  void Start(Tag t);                       // open a tag with content
  void End();                              // close the innermost open tag
  void Empty(Tag t);                       // a tag without content
  void Text(std::string_view utf8);        // STR_I (a NUL byte ends it; use Opaque for binary)
  void Opaque(std::string_view bytes);     // OPAQUE with length
  // Start(t), Text(text), End(); an empty text writes Empty(t).
  void Element(Tag t, std::string_view text);

  // Appends element tokens encoded earlier (see core/items/item_data.hpp):
  // they carry their own SWITCH_PAGEs, so the page is unknown afterwards.
  void Fragment(std::string_view tokens);
  // Makes the next tag emit SWITCH_PAGE even on the current page, so what
  // follows can be cut out and replayed anywhere as a fragment.
  void ForgetPage() { page_ = kUnknownPage; }

  // Room for `more` bytes beyond what is written: a document made of known
  // fragments grows once, not by doubling (each doubling a copy and fresh
  // pages for a Sync answer of a megabyte).
  void Reserve(size_t more) { out_.reserve(out_.size() + more); }

  size_t size() const { return out_.size(); }
  // The finished document. All tags must be closed (std::logic_error otherwise).
  std::string Take();
  // The finished document without its header: with ForgetPage() called
  // before the root, a fragment another Writer can replay with Fragment().
  std::string TakeFragment();

 private:
  static constexpr uint8_t kUnknownPage = 0xFF;
  void Token(Tag t, bool content);
  std::string out_;
  std::vector<Tag> open_;
  uint8_t page_ = 0;
};

struct Element;

// Writes a decoded tree back: opaque text as OPAQUE, an element with
// children ignores its text (ActiveSync never mixes them).
void WriteElement(Writer& w, const Element& e);

}  // namespace eas::core::wbxml
