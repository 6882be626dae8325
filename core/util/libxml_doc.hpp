// libxml2 documents owned by RAII, and the parser's one-time set-up
// (xmlInitParser is not safe to race from several pool threads).
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <mutex>

namespace eas::core::util {

struct XmlDocFree {
  void operator()(xmlDoc* d) const noexcept { xmlFreeDoc(d); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

inline void InitXmlParserOnce() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

}  // namespace eas::core::util
