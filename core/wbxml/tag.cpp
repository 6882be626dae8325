// Tag names and numbers read from libwbxml's ActiveSync table at run time,
// so our tokens are exactly the ones libwbxml (the oracle) decodes, plus a
// short supplement of tokens MS-ASWBXML defines and libwbxml 0.11 lacks.
#include "core/wbxml/tag.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

// libwbxml exports its code-page tables but installs no header for them.
// These mirror WBXMLTagEntry / WBXMLNameSpaceEntry / WBXMLLangEntry of
// libwbxml 0.11 (src/wbxml_tables.h); only the fields we read are typed.
extern "C" {
struct EasWbxmlTagEntry {
  const char* xml_name;  // NULL terminates the table
  unsigned char page;
  unsigned char token;
};
struct EasWbxmlNsEntry {
  const char* ns;  // NULL terminates the table
  unsigned char page;
};
struct EasWbxmlLangEntry {
  int lang_id;
  const void* public_id;
  const EasWbxmlTagEntry* tag_table;
  const EasWbxmlNsEntry* ns_table;
  const void* attr_table;
  const void* attr_value_table;
  const void* ext_value_table;
};
// Declared with `int` for libwbxml's WBXMLLanguage enum (same size and ABI).
const EasWbxmlLangEntry* wbxml_tables_get_table(int lang);
}

namespace eas::core::wbxml {
namespace {

constexpr int kLangActiveSync = 2402;  // WBXML_LANG_ACTIVESYNC in wbxml_conv.h
constexpr unsigned kMaxPages = 32;     // ActiveSync uses 0..25
constexpr unsigned kTokens = 64;       // a tag token is 6 bits

// Tokens MS-ASWBXML defines that libwbxml 0.11's table lacks. Without an
// entry here the Writer refuses to write them and the Decoder refuses to
// read them. libwbxml cannot decode documents holding them (wbxml2xml, our
// oracle, fails), so tests check their bytes instead. Add an entry only
// with the MS-ASWBXML section that defines the token.
struct SupplementEntry {
  Page page;
  uint8_t token;
  const char* name;
};
constexpr SupplementEntry kSupplement[] = {
    // MS-ASWBXML 2.1.2.1.15 (Provision), protocol 16.1: MS-ASPROV 2.2.2.1.
    {Page::kProvision, 0x3B, "AccountOnlyRemoteWipe"},
    // MS-ASWBXML 2.1.2.1.26, code page 25 (Find), protocol 16.1: the whole
    // page (MS-ASCMD 2.2.1.2, Find).
    {Page::kFind, 0x05, "Find"},
    {Page::kFind, 0x06, "SearchId"},
    {Page::kFind, 0x07, "ExecuteSearch"},
    {Page::kFind, 0x08, "MailBoxSearchCriterion"},
    {Page::kFind, 0x09, "Query"},
    {Page::kFind, 0x0A, "Status"},
    {Page::kFind, 0x0B, "FreeText"},
    {Page::kFind, 0x0C, "Options"},
    {Page::kFind, 0x0D, "Range"},
    {Page::kFind, 0x0E, "DeepTraversal"},
    {Page::kFind, 0x11, "Response"},
    {Page::kFind, 0x12, "Result"},
    {Page::kFind, 0x13, "Properties"},
    {Page::kFind, 0x14, "Preview"},
    {Page::kFind, 0x15, "HasAttachments"},
    {Page::kFind, 0x16, "Total"},
    {Page::kFind, 0x17, "DisplayCc"},
    {Page::kFind, 0x18, "DisplayBcc"},
    {Page::kFind, 0x19, "GalSearchCriterion"},
    {Page::kFind, 0x20, "MaxPictures"},
    {Page::kFind, 0x21, "MaxSize"},
    {Page::kFind, 0x22, "Picture"},
};

// Code pages libwbxml 0.11's namespace table lacks, named as it would
// name them.
struct NamespaceSupplement {
  Page page;
  const char* ns;
};
constexpr NamespaceSupplement kNamespaceSupplement[] = {
    {Page::kFind, "Find:"},
};

// O(1) lookup arrays built once from libwbxml's table.
struct Tables {
  const char* names[kMaxPages][kTokens] = {};
  const char* ns[kMaxPages] = {};
  const EasWbxmlTagEntry* entries = nullptr;
};

Tables Build() {
  const EasWbxmlLangEntry* lang = wbxml_tables_get_table(kLangActiveSync);
  if (lang == nullptr || lang->tag_table == nullptr || lang->ns_table == nullptr) {
    throw std::logic_error("wbxml: libwbxml has no ActiveSync table");
  }
  Tables t;
  t.entries = lang->tag_table;
  for (const EasWbxmlTagEntry* e = lang->tag_table; e->xml_name != nullptr; ++e) {
    // libwbxml lists a few tokens twice (Provision 0x10); its decoder takes
    // the first entry, and so do we.
    if (e->page < kMaxPages && e->token < kTokens && t.names[e->page][e->token] == nullptr) {
      t.names[e->page][e->token] = e->xml_name;
    }
  }
  for (const SupplementEntry& e : kSupplement) {
    const auto page = static_cast<uint8_t>(e.page);
    // Should a newer libwbxml learn the token, its name wins.
    if (t.names[page][e.token] == nullptr) t.names[page][e.token] = e.name;
  }
  for (const EasWbxmlNsEntry* n = lang->ns_table; n->ns != nullptr; ++n) {
    if (n->page < kMaxPages && t.ns[n->page] == nullptr) t.ns[n->page] = n->ns;
  }
  for (const NamespaceSupplement& n : kNamespaceSupplement) {
    const auto page = static_cast<uint8_t>(n.page);
    if (t.ns[page] == nullptr) t.ns[page] = n.ns;
  }
  return t;
}

// Function-local static: thread-safe, and usable from other TUs' dynamic
// initialisation (the tags.hpp constants) whatever the link order.
const Tables& GetTables() {
  static const Tables tables = Build();
  return tables;
}

}  // namespace

Tag TagNamed(Page page, std::string_view name) {
  const Tables& t = GetTables();
  const auto p = static_cast<uint8_t>(page);
  for (const EasWbxmlTagEntry* e = t.entries; e->xml_name != nullptr; ++e) {
    if (e->page == p && name == e->xml_name) return Tag{p, e->token};
  }
  for (const SupplementEntry& e : kSupplement) {
    if (e.page == page && name == e.name) return Tag{p, e.token};
  }
  const char* ns = PageNamespace(p);
  throw std::logic_error("wbxml: libwbxml has no tag '" + std::string(name) + "' on page " +
                         (ns != nullptr ? std::string(ns) : std::to_string(p)));
}

const char* TagName(Tag tag) {
  if (tag.page >= kMaxPages || tag.token >= kTokens) return nullptr;
  return GetTables().names[tag.page][tag.token];
}

bool IsKnown(Tag tag) { return TagName(tag) != nullptr; }

const char* PageNamespace(uint8_t page) {
  if (page >= kMaxPages) return nullptr;
  return GetTables().ns[page];
}

}  // namespace eas::core::wbxml
