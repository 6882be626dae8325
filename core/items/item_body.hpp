// The body of a contact, event, task or note on its way in and out. Stored
// in one shape, airsyncbase:Body with its Type (1 plain, 2 HTML; what a
// client wrote), and sent in the shape and type each client asks for:
// from 12.0 an airsyncbase:Body of the type its BodyPreference chooses
// (the same choice as mail's, ChooseTextOrHtml), cut to TruncationSize
// on a UTF-8 boundary (never inside an HTML tag) with EstimatedDataSize
// and Truncated (MS-ASAIRS 2.2.2.9); to 2.5 the class's own Body as
// plain text, cut to the airsync:Truncation the client asked for, with
// BodyTruncated and, where the class has it, BodySize.
#pragma once

#include <optional>

#include "core/wbxml/element.hpp"

namespace eas::core::items {

struct RenderOptions;

// A class's 2.5 body elements (MS-ASCNTC, MS-ASCAL, MS-ASTASK 2.2.2):
// Body, BodyTruncated and, but for Calendar, BodySize.
struct LegacyBodyTags {
  wbxml::Tag body;
  wbxml::Tag truncated;
  std::optional<wbxml::Tag> size;
};

// Rewrites the body of a stored item's `application_data` (if it has one)
// for the client. `legacy` are the class's 2.5 elements; null for a class
// 2.5 does not know (Notes): its body goes as stored.
void RenderItemBody(wbxml::Element& application_data, const RenderOptions& options,
                    const LegacyBodyTags* legacy);

// Whether `tag` is part of an item's body in any protocol version's shape.
bool IsBodyTag(wbxml::Tag tag);
// Whether `tag` holds the body itself (airsyncbase:Body or a 2.5 Body),
// not a description of it (BodySize, BodyTruncated, NativeBodyType...).
bool IsBodyElement(wbxml::Tag tag);
// Whether `app` carries a body (the Body element of any shape).
bool HasBody(const wbxml::Element& app);

// A client's Add or Change with its body in the stored shape: a 2.5 Body
// (plain text) becomes airsyncbase:Body Type 1; BodySize and
// BodyTruncated, which describe what the server sent, go.
void StoreBodyShape(wbxml::Element& application_data);

// The limit in characters of airsync:Truncation `value` (MS-ASCMD
// 2.2.3.185: 0 all cut, 1 512, 2 1,024, 3 2,048, 4 5,120, 5 10,240,
// 6 20,480, 7 51,200, 8 102,400 characters), nullopt for 9 (none) or a
// value the protocol does not define.
std::optional<uint64_t> LegacyTruncationLimit(int value);

}  // namespace eas::core::items
