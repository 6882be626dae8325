// libFuzzer target for the WBXML decoder: any input must decode or fail
// cleanly, and whatever decodes must survive Writer → Decode unchanged.
// Build from the repository root (one line):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I.
//     $(pkg-config --cflags libwbxml2) fuzz/fuzz_wbxml.cpp core/wbxml/*.cpp -lwbxml2
// and run it on a copy of fuzz/corpus so new inputs stay out of the tree.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/wbxml/decoder.hpp"
#include "core/wbxml/writer.hpp"
#include "core/wbxml/xml_dump.hpp"

namespace {

using eas::core::wbxml::Element;
using eas::core::wbxml::Writer;

// Re-encodes a decoded tree. An opaque element is written as OPAQUE even
// when empty, so the opaque flag survives; recursion depth is bounded by
// DecodeLimits::max_depth.
void WriteTree(Writer& w, const Element& e) {
  if (e.text.empty() && !e.opaque && e.children.empty()) return w.Empty(e.tag);
  w.Start(e.tag);
  if (e.opaque) w.Opaque(e.text); else w.Text(e.text);
  for (const Element& c : e.children) WriteTree(w, c);
  w.End();
}

[[noreturn]] void Die(const char* what, const Element& a) {
  std::fprintf(stderr, "%s\n%s\n", what, eas::core::wbxml::ToXml(a).c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto first = eas::core::wbxml::Decode(in);
  if (!first.ok()) return 0;
  Writer w;
  WriteTree(w, *first);
  const std::string again = w.Take();
  auto second = eas::core::wbxml::Decode(again);
  if (!second.ok()) {
    std::fprintf(stderr, "%s\n", second.status().message().c_str());
    Die("re-encoded tree does not decode", *first);
  }
  if (!eas::core::wbxml::SameTree(*first, *second)) Die("round trip changed the tree", *first);
  (void)eas::core::wbxml::ToXml(*first);  // exercise the dumper too
  return 0;
}
