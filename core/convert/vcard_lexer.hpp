// vCard content lines (RFC 6350 3.3, RFC 2426 4): unfolding, the
// name/parameter/value split, quoted-printable and charset handling of old
// 2.1 exports, and the BEGIN:VCARD/END:VCARD blocks of a file.
//
// Hand-written on purpose. Debian 12 offers libvformat and libvc (vCard 2.1
// era: no RFC 6350 escaping, no 4.0), libicalvcal (the same versit parser,
// global state), and belcard (GPL-3, pulls belr and bctoolbox, rejects
// much real-world input). A content-line lexer is ~200 lines; the
// property semantics live in vcard_to_contact.cpp either way.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eas::core::convert {

struct VProperty {
  int line = 0;
  std::string group;  // "item1" of "item1.EMAIL" (Apple), else empty
  std::string name;   // upper case
  // Parameter names upper case, values as written (quotes removed). A
  // 2.1-style bare parameter ("TEL;HOME:") becomes TYPE=HOME.
  std::vector<std::pair<std::string, std::string>> params;
  // The value with vCard escapes intact (structure splitting needs them),
  // quoted-printable already decoded, always valid UTF-8.
  std::string value;

  // Every TYPE value, lower case, comma lists split ("TYPE=HOME,VOICE").
  std::vector<std::string> Types() const;
  bool HasType(std::string_view lower_case_type) const;
  // The first value of parameter `name` (upper case), empty when absent.
  std::string Param(std::string_view name) const;
};

struct VCardBlock {
  int line = 0;                       // line of BEGIN:VCARD
  std::vector<VProperty> properties;  // BEGIN/END excluded
  std::string error;                  // non-empty: the block is unusable
};

// Splits a file into its vCards. Text outside BEGIN/END blocks is ignored;
// a block with a broken line, a nested BEGIN or no END is returned with
// `error` set, so the caller can report it and go on.
std::vector<VCardBlock> SplitVCards(std::string_view text);

}  // namespace eas::core::convert
