// Move-only owners of GMime and GLib objects and the address walk, for the
// few files that call GMime (never included by a header other code
// includes).
#pragma once

#include <gmime/gmime.h>

#include <memory>
#include <string>
#include <vector>

#include "core/mail/charset.hpp"
#include "core/mail/mime_record.hpp"

namespace eas::core::mail {

struct ObjectUnref {
  void operator()(gpointer o) const noexcept {
    if (o != nullptr) g_object_unref(o);
  }
};
template <class T>
using GPtr = std::unique_ptr<T, ObjectUnref>;

struct OptionsFree {
  void operator()(GMimeParserOptions* o) const noexcept { g_mime_parser_options_free(o); }
};
using OptionsPtr = std::unique_ptr<GMimeParserOptions, OptionsFree>;

struct GFree {
  void operator()(gpointer p) const noexcept { g_free(p); }
};
using GChars = std::unique_ptr<char, GFree>;

struct ReferencesFree {
  void operator()(GMimeReferences* r) const noexcept { g_mime_references_free(r); }
};

inline std::string Str(const char* s) { return s != nullptr ? std::string(s) : std::string(); }

// The mailboxes of an address list, group members included (a group in a
// group is followed a few levels deep), names as UTF-8.
inline void AddAddresses(InternetAddressList* list, std::vector<Address>& out, int depth = 0) {
  if (list == nullptr || depth > 4) return;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(ia)) {
      AddAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out,
                   depth + 1);
    } else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      out.push_back({C1AsCp1252(Str(internet_address_get_name(ia))),
                     Str(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)))});
    }
  }
}

}  // namespace eas::core::mail
