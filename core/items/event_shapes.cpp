#include "core/items/event_shapes.hpp"

#include <string>

#include "core/wbxml/tag.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::items {
namespace {

using wbxml::Element;
using wbxml::Page;
using wbxml::Tag;
namespace base = wbxml::tags::base;

constexpr int kVersion16 = 160;

struct Tags {
  Tag location = wbxml::TagNamed(Page::kCalendar, "Location");
  Tag exceptions = wbxml::TagNamed(Page::kCalendar, "Exceptions");
  Tag exception = wbxml::TagNamed(Page::kCalendar, "Exception");
  Tag start = wbxml::TagNamed(Page::kCalendar, "Exception_StartTime");
  Tag client_uid = wbxml::TagNamed(Page::kCalendar, "ClientUid");
};

const Tags& T() {
  static const Tags tags;
  return tags;
}

Element Leaf(Tag tag, std::string_view text) { return Element{tag, std::string(text), false, {}}; }

void Drop(Element& e, Tag tag) {
  std::erase_if(e.children, [&](const Element& c) { return c.tag == tag; });
}

// Calls `f` on every exception of an event.
template <class F>
void ForEachException(Element& event, const F& f) {
  for (Element& c : event.children) {
    if (!(c.tag == T().exceptions)) continue;
    for (Element& x : c.children) {
      if (x.tag == T().exception) f(x);
    }
  }
}

void StoreLocation(Element& e) {
  const Element* rich = e.Child(base::kLocation);
  if (rich != nullptr && !e.Has(T().location)) {
    e.children.push_back(Leaf(T().location, rich->ChildText(base::kDisplayName)));
  }
}

// Up to 14.1: calendar:Location only; from 16.0: airsyncbase:Location only.
void ShapeLocation(Element& e, bool v16) {
  if (!v16) {
    Drop(e, base::kLocation);
    return;
  }
  const Element* plain = e.Child(T().location);
  if (plain != nullptr && !e.Has(base::kLocation)) {
    Element rich{base::kLocation, "", false, {Leaf(base::kDisplayName, plain->text)}};
    e.children.push_back(std::move(rich));
  }
  Drop(e, T().location);
}

}  // namespace

void StoreEventShapes(Element& event) {
  StoreLocation(event);
  ForEachException(event, [](Element& x) {
    StoreLocation(x);
    std::string_view instance = x.ChildText(base::kInstanceId);
    if (!instance.empty() && !x.Has(T().start)) x.children.push_back(Leaf(T().start, instance));
  });
}

void ShapeEventFor(Element& event, int version) {
  const bool v16 = version >= kVersion16;
  ShapeLocation(event, v16);
  if (!v16) Drop(event, T().client_uid);
  ForEachException(event, [&](Element& x) {
    ShapeLocation(x, v16);
    if (v16) {
      std::string_view start = x.ChildText(T().start);
      if (!start.empty() && !x.Has(base::kInstanceId)) {
        x.children.push_back(Leaf(base::kInstanceId, start));
      }
      Drop(x, T().start);
    } else {
      Drop(x, base::kInstanceId);
    }
  });
}

}  // namespace eas::core::items
