// Readable XML of an Element tree, for protocol traces and test failure
// messages. Not a serializer for clients: responses go through Writer.
#pragma once

#include <string>

#include "core/wbxml/element.hpp"

namespace eas::core::wbxml {

// Compact XML in the shape of libwbxml's `wbxml2xml -m 0` body (no XML
// declaration or DOCTYPE): an `xmlns="Page:"` on the root and on every
// element whose code page differs from its parent's, text escaped with
// &amp; &lt; &gt; &quot; &apos;, childless textless elements as <X/>. For
// trees without opaque content the result equals libwbxml's output byte for
// byte. Opaque text is shown as `<!--opaque N bytes-->` plus its base64
// (only the first bytes when it is large). Text precedes children (a tree
// does not keep their interleaving). Unknown tags print as
// <unknown-P-0xTT/>. Recursive: depth is the tree's, which Decode bounds.
std::string ToXml(const Element& root);

// Structural equality (tag, text, opaque flag, children in order); Element
// has no operator==. Used by tests and the fuzzer with ToXml for messages.
bool SameTree(const Element& a, const Element& b);

}  // namespace eas::core::wbxml
