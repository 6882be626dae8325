// vCard (3.0, RFC 2426; 4.0, RFC 6350; the common 2.1 leftovers) to and
// from a Contacts ApplicationData tree (MS-ASCNTC).
//
// Fields without a vCard property of their own travel as X- properties;
// the importer also reads the spellings of Outlook (X-MS-*), Evolution
// (X-EVOLUTION-*) and KAddressBook so their exports keep those fields:
//   Spouse        4.0 RELATED;TYPE=spouse;VALUE=text   3.0 X-MS-SPOUSE
//   Children      4.0 RELATED;TYPE=child;VALUE=text    3.0 X-MS-CHILD
//   AssistantName X-MS-ASSISTANT      ManagerName  X-MS-MANAGER
//   Anniversary   4.0 ANNIVERSARY     3.0 X-ANNIVERSARY
//   OfficeLocation X-EAS-OFFICELOCATION   CustomerId X-EAS-CUSTOMERID
//   IMAddress*    IMPP (a value without a URI scheme as X-MS-IMADDRESS)
#pragma once

#include <string>
#include <string_view>

#include "core/convert/report.hpp"
#include "core/wbxml/element.hpp"

namespace eas::core::convert {

// Every vCard of `text`, one item each; broken cards are skipped with
// the line of their BEGIN and the reason.
ConvertReport ContactsFromVCards(std::string_view text);

enum class VCardVersion { k30, k40 };

// One contact as a vCard (CRLF lines, folded); `uid` becomes its UID.
std::string VCardFromContact(const wbxml::Element& application_data, VCardVersion version,
                             std::string_view uid);

}  // namespace eas::core::convert
