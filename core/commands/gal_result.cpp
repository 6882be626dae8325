#include "core/commands/gal_result.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "core/wbxml/tags.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace gal = wbxml::tags::gal;

bool Number(const wbxml::Element& parent, wbxml::Tag tag, uint64_t* out) {
  const wbxml::Element* e = parent.Child(tag);
  if (e == nullptr) return true;  // absent: no limit
  const std::string& text = e->text;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Every property the entry has (the spec leaves out empty ones).
Status WriteProperties(wbxml::Writer& w, storage::Txn& txn, const directory::Entry& e,
                       directory::PictureBudget* budget) {
  const storage::UserDirectoryFields& f = e.fields;
  const std::string& alias = f.alias.empty() ? e.login : f.alias;
  for (const auto& [tag, text] : {std::pair{gal::kDisplayName, &e.display_name}, {gal::kPhone, &f.phone},
                                  {gal::kOffice, &f.office}, {gal::kTitle, &f.title},
                                  {gal::kCompany, &f.company}, {gal::kAlias, &alias},
                                  {gal::kFirstName, &f.first_name}, {gal::kLastName, &f.last_name},
                                  {gal::kHomePhone, &f.home_phone},
                                  {gal::kMobilePhone, &f.mobile_phone},
                                  {gal::kEmailAddress, &e.address}}) {
    if (!text->empty()) w.Element(tag, *text);
  }
  if (budget == nullptr) return Status::Ok();
  auto jpeg = directory::PictureOf(txn, e);
  if (!jpeg.ok()) return jpeg.status();
  WritePicture(w, {gal::kPicture, gal::kStatus, gal::kData}, *budget, *jpeg);
  return Status::Ok();
}

}  // namespace

bool ReadPictureRequest(const wbxml::Element& picture, wbxml::Tag max_size,
                        wbxml::Tag max_pictures, directory::PictureRequest* out, std::string* why) {
  out->asked = true;
  if (!Number(picture, max_size, &out->max_size) || !Number(picture, max_pictures, &out->max_pictures)) {
    *why = "Picture's MaxSize and MaxPictures must be numbers";
    return false;
  }
  out->max_size = std::min(out->max_size, directory::kMaxPictureSize);
  return true;
}

void WritePicture(wbxml::Writer& w, const PictureTags& tags, directory::PictureBudget& budget,
                  std::string_view jpeg) {
  const int status = budget.StatusFor(jpeg);
  w.Start(tags.picture);
  w.Element(tags.status, std::to_string(status));
  if (status == directory::kPictureSent) {
    w.Start(tags.data);
    w.Opaque(jpeg);  // the photo's bytes, not base64 text
    w.End();
  }
  w.End();
}

Result<uint64_t> WriteGalResults(wbxml::Writer& w, storage::Txn& txn, const GalQuery& q,
                                 wbxml::Tag result, wbxml::Tag properties) {
  auto entries = directory::ReadGal(txn);
  if (!entries.ok()) return entries.status();
  const std::vector<const directory::Entry*> found =
      directory::Match(*entries, q.text, directory::AddressMatch::kPrefix);
  directory::PictureBudget budget(q.picture);
  const uint64_t end = std::min<uint64_t>(q.last + 1, found.size());
  for (uint64_t at = q.first; at < end; ++at) {
    w.Start(result);
    w.Start(properties);
    Status s = WriteProperties(w, txn, *found[at], q.picture.asked ? &budget : nullptr);
    if (!s.ok()) return s;
    w.End();
    w.End();
  }
  return static_cast<uint64_t>(found.size());
}

}  // namespace eas::core::commands
