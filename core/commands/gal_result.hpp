// The GAL as Search (Store GAL) and Find (GalSearchCriterion) answer it:
// the users of this box whose names or addresses begin with the query
// (core/directory/recipients.hpp), a page of them with their gal:
// properties; and the Picture option those two share with
// ResolveRecipients.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.hpp"
#include "core/directory/picture_budget.hpp"
#include "core/directory/recipients.hpp"
#include "core/wbxml/element.hpp"
#include "core/wbxml/writer.hpp"

namespace eas::storage { class Txn; }

namespace eas::core::commands {

// Reads a request's <Picture> (MaxSize, MaxPictures: the command's own
// tags). False with `why` when one is not a number; a MaxSize beyond
// 100 KB means 100 KB.
bool ReadPictureRequest(const wbxml::Element& picture, wbxml::Tag max_size,
                        wbxml::Tag max_pictures, directory::PictureRequest* out, std::string* why);

// <Picture><Status>…</Status>[<Data>the JPEG, opaque</Data>]</Picture>
// in the command's tags, as `budget` allows.
struct PictureTags {
  wbxml::Tag picture, status, data;
};
void WritePicture(wbxml::Writer& w, const PictureTags& tags, directory::PictureBudget& budget,
                  std::string_view jpeg);

struct GalQuery {
  std::string text;                     // matched as a prefix
  uint64_t first = 0, last = 99;        // Range; at most 100 entries
  directory::PictureRequest picture;
};

// The page [first, last] of the users `q.text` matches, each as
// <result><properties>gal:…</properties></result>. The number of all
// matches, for Total.
Result<uint64_t> WriteGalResults(wbxml::Writer& w, storage::Txn& txn, const GalQuery& q,
                                 wbxml::Tag result, wbxml::Tag properties);

}  // namespace eas::core::commands
