// For the conversion targets: the ApplicationData elements of a client's
// WBXML document (a Sync request's Adds and Changes, at any depth), so
// that captured Sync traffic seeds them as it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/wbxml/element.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::fuzz {

inline void CollectApplicationData(const core::wbxml::Element& e,
                                   std::vector<const core::wbxml::Element*>* out) {
  if (e.tag == core::wbxml::tags::airsync::kApplicationData) out->push_back(&e);
  for (const auto& c : e.children) CollectApplicationData(c, out);
}

// WBXML 1.3 documents start with this byte; vCard and iCalendar text never.
inline bool LooksLikeWbxml(const uint8_t* data, size_t size) { return size > 0 && data[0] == 0x03; }

}  // namespace eas::fuzz
