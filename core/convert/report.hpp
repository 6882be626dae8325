// What an import conversion hands back: the items it could convert, each
// with the line its entry starts on, and the entries it had to skip, with
// the reason. A bad entry never stops the rest of a file.
#pragma once

#include <string>
#include <vector>

#include "core/wbxml/element.hpp"

namespace eas::core::convert {

struct ConvertedItem {
  wbxml::Element application_data;    // AirSync ApplicationData with its children
  int line = 0;                       // first line of the entry in the file
  std::vector<std::string> warnings;  // what was dropped or guessed
};

struct SkippedEntry {
  int line = 0;
  std::string reason;
};

struct ConvertReport {
  std::vector<ConvertedItem> items;
  std::vector<SkippedEntry> skipped;
};

}  // namespace eas::core::convert
