// What a client asks of item bodies (MS-ASAIRS 2.2.2.7 BodyPreference, one
// per body type it takes) and how a stored AirSyncBase:Body is cut to it:
// Data cut at TruncationSize on a UTF-8 character boundary (and, for HTML,
// never inside a tag), or left out with AllOrNone; EstimatedDataSize is the
// full body's size and Truncated says it was cut.
#pragma once

#include <cstdint>
#include <vector>

#include "core/wbxml/element.hpp"

namespace eas::core { class MultipartParts; }

namespace eas::core::items {

struct BodyPreference {
  int type = 0;                  // 1 plain, 2 HTML, 3 RTF, 4 MIME
  uint64_t truncation_size = 0;  // 0: the whole body
  bool all_or_none = false;      // too big: no Data rather than a cut one
  uint64_t preview = 0;          // 14.0+: characters of Preview wanted, 0 none
};

// Reads every BodyPreference child of a request's Options.
std::vector<BodyPreference> ParseBodyPreferences(const wbxml::Element& options);

// The client's preference for bodies of `type`, or null when it asked for
// none of that type.
const BodyPreference* PreferenceFor(const std::vector<BodyPreference>& preferences, int type);

// Which of plain text (1) and HTML (2) a client gets of a body that has
// text and, with `has_html`, HTML: HTML when it asks for HTML and the
// body has it, or when it asks for HTML and not for plain text (the text
// is then made into HTML); else plain text, which every client reads (one
// that asks only for RTF or MIME too: there is no RTF to send).
int ChooseTextOrHtml(const std::vector<BodyPreference>& preferences, bool has_html);

// For a multipart answer: the Data of the Body child of `application_data`
// (if any) becomes the next part of `parts`, and the body carries that
// part's number in itemoperations:Part instead.
void MoveBodyDataToPart(wbxml::Element& application_data, MultipartParts& parts);

// The longest prefix of `text` of at most `limit` bytes that ends on a
// UTF-8 character boundary and, with `html`, outside a tag.
size_t CutPoint(std::string_view text, uint64_t limit, bool html);

}  // namespace eas::core::items
