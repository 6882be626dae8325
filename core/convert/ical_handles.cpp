#include "core/convert/ical_handles.hpp"

#include <mutex>

namespace eas::core::convert {

void InitLibical() {
  static std::once_flag once;
  std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

std::string ComponentText(icalcomponent* c) {
  char* text = icalcomponent_as_ical_string_r(c);
  if (text == nullptr) return {};
  std::string out(text);
  icalmemory_free_buffer(text);
  return out;
}

ComponentPtr ParseComponent(const std::string& text) {
  InitLibical();
  return ComponentPtr(icalcomponent_new_from_string(text.c_str()));
}

}  // namespace eas::core::convert
