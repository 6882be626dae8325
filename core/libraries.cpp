#include "core/libraries.hpp"

#include <libxml/parser.h>

#include "core/mail/charset.hpp"

namespace eas::core {

void InitLibraries() {
  xmlInitParser();
  mail::InitGMime();
}

}  // namespace eas::core
