// Tags as they travel on the wire: an ActiveSync code page plus a token.
// Names and numbers come from libwbxml's own ActiveSync table, so what we
// write is exactly what libwbxml (our independent oracle) decodes; a few
// MS-ASWBXML tokens libwbxml 0.11 lacks come from a supplement (tag.cpp).
#pragma once

#include <cstdint>
#include <string_view>

namespace eas::core::wbxml {

// MS-ASWBXML code pages (the same numbering as libwbxml's namespace table).
enum class Page : uint8_t {
  kAirSync = 0, kContacts = 1, kEmail = 2, kAirNotify = 3, kCalendar = 4,
  kMove = 5, kGetItemEstimate = 6, kFolderHierarchy = 7, kMeetingResponse = 8,
  kTasks = 9, kResolveRecipients = 10, kValidateCert = 11, kContacts2 = 12,
  kPing = 13, kProvision = 14, kSearch = 15, kGal = 16, kAirSyncBase = 17,
  kSettings = 18, kDocumentLibrary = 19, kItemOperations = 20,
  kComposeMail = 21, kEmail2 = 22, kNotes = 23, kRightsManagement = 24,
  kFind = 25,  // 16.1; libwbxml 0.11 lacks it (tag.cpp's supplement has it)
};

struct Tag {
  uint8_t page = 0;
  uint8_t token = 0;  // 0x05..0x3F
  bool operator==(const Tag&) const = default;
};

// The tag libwbxml's table (or our supplement) names `name` on `page`. An unknown name is a
// programming error (a typo would otherwise become a literal no phone
// understands), so it throws std::logic_error — at start-up, since tag
// constants are namespace-scope.
Tag TagNamed(Page page, std::string_view name);

// libwbxml's (or the supplement's) name for the tag, or nullptr when
// neither has such a token.
const char* TagName(Tag tag);

// True when libwbxml's table or the supplement has this (page, token).
bool IsKnown(Tag tag);

// "AirSync:", "FolderHierarchy:", ... or nullptr for an unknown page.
const char* PageNamespace(uint8_t page);

}  // namespace eas::core::wbxml
