// ResolveRecipients (MS-ASCMD 2.2.1.15): the names and addresses typed on
// a phone, resolved against the users of this box (GAL), the user's
// contacts and collected addresses (core/directory/recipients.hpp); with
// Availability, the free/busy of each resolved user of this box over the
// asked window (core/directory/free_busy.hpp); Certificates and Picture
// answered with what the store has (no certificates are kept; a user's
// picture from `easctl user set --picture`, a contact's from the contact).
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "core/commands/command.hpp"
#include "core/commands/gal_result.hpp"
#include "core/convert/eas_time.hpp"
#include "core/directory/free_busy.hpp"
#include "core/directory/recipients.hpp"
#include "core/wbxml/tags.hpp"
#include "core/wbxml/writer.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace rr = wbxml::tags::resolve_recipients;

// Status of the command (2.2.3.177.12).
constexpr int kOk = 1, kProtocolError = 5, kServerError = 6;
// Status of one Response.
constexpr int kResolved = 1, kAmbiguous = 2, kAmbiguousPartial = 3, kNotFound = 4;
// Status of Availability and Certificates (Picture's: directory::PictureStatus).
constexpr int kTooManyForAvailability = 160;  // more than 100 To with Availability
constexpr int kNoValidCertificate = 7;

constexpr size_t kMaxTo = 1000;                 // beyond: undefined; refused
constexpr size_t kMaxToWithAvailability = 100;
constexpr int64_t kDefaultWindow = 7 * 86400;   // EndTime missing
constexpr int64_t kMaxWindow = 42 * 86400;      // as Exchange 2010 and later
constexpr size_t kDefaultSuggestions = 20;      // MaxAmbiguousRecipients missing

struct Request {
  std::vector<std::string> to;
  int certificates = 1;  // CertificateRetrieval: 1 none, 2 full, 3 mini
  size_t max_suggestions = kDefaultSuggestions;
  bool availability = false;
  int64_t start = 0, end = 0;
  directory::PictureRequest picture;
};

std::optional<uint64_t> Number(const wbxml::Element& parent, wbxml::Tag tag) {
  std::string_view text = parent.ChildText(tag);
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// Reads the request; an empty *why means it is well formed.
Request Parse(const wbxml::Element* root, int version, std::string* why) {
  Request r;
  if (root == nullptr || !(root->tag == rr::kResolveRecipients)) {
    *why = "not a ResolveRecipients request";
    return r;
  }
  for (const wbxml::Element* to : root->Children(rr::kTo)) r.to.push_back(to->text);
  if (r.to.empty()) *why = "no To";
  if (r.to.size() > kMaxTo) *why = std::to_string(r.to.size()) + " To elements (at most 1000)";
  const wbxml::Element* options = root->Child(rr::kOptions);
  if (options == nullptr || !why->empty()) return r;
  if (options->Has(rr::kCertificateRetrieval)) {
    auto v = Number(*options, rr::kCertificateRetrieval);
    if (!v || *v < 1 || *v > 3) *why = "CertificateRetrieval must be 1, 2 or 3";
    else r.certificates = static_cast<int>(*v);
  }
  if (options->Has(rr::kMaxAmbiguousRecipients)) {
    auto v = Number(*options, rr::kMaxAmbiguousRecipients);
    if (!v || *v > 9999) *why = "MaxAmbiguousRecipients must be 0..9999";
    else r.max_suggestions = *v;
  }
  if (const wbxml::Element* a = options->Child(rr::kAvailability); a != nullptr && version >= 140) {
    r.availability = true;
    auto start = convert::ParseEasTime(a->ChildText(rr::kStartTime));
    std::optional<int64_t> end = a->Has(rr::kEndTime) ? convert::ParseEasTime(a->ChildText(rr::kEndTime))
                                                      : (start ? std::optional<int64_t>(*start + kDefaultWindow)
                                                               : std::nullopt);
    if (!start || !end) {
      *why = "Availability needs a valid StartTime (and EndTime)";
    } else if (*end < *start + directory::kFreeBusySlot || *end - *start > kMaxWindow) {
      *why = "Availability window must be 30 minutes to 42 days";
    } else {
      r.start = *start;
      r.end = *end;
    }
  }
  if (const wbxml::Element* p = options->Child(rr::kPicture); p != nullptr && version >= 141) {
    ReadPictureRequest(*p, rr::kMaxSize, rr::kMaxPictures, &r.picture, why);
  }
  return r;
}

// What one To resolved to, with the free/busy of each answered recipient.
struct Resolution {
  int status = kNotFound;
  size_t total = 0;  // RecipientCount: all matches, also those not listed
  std::vector<const directory::Entry*> listed;
  std::vector<std::string> free_busy;  // per listed recipient, when asked for
  std::vector<std::string> pictures;   // per listed recipient (JPEG; empty: none), when asked for
};

// `free_busy`: the recipient's MergedFreeBusy, or null for none (then
// Availability is written only when there were too many To for it).
// `picture`: the recipient's photo (empty: none) when pictures were asked for.
void WriteRecipient(wbxml::Writer& w, const Request& req, const directory::Entry& e,
                    const std::string* free_busy, bool too_many_for_availability,
                    std::string_view picture, directory::PictureBudget& pictures) {
  w.Start(rr::kRecipient);
  w.Element(rr::kType, std::to_string(static_cast<int>(e.type)));
  w.Element(rr::kDisplayName, e.display_name);
  w.Element(rr::kEmailAddress, e.address);
  if (req.availability && (free_busy != nullptr || too_many_for_availability)) {
    w.Start(rr::kAvailability);
    if (too_many_for_availability) {
      w.Element(rr::kStatus, std::to_string(kTooManyForAvailability));
    } else {
      w.Element(rr::kStatus, std::to_string(kOk));
      w.Element(rr::kMergedFreeBusy, *free_busy);
    }
    w.End();
  }
  if (req.certificates != 1) {
    w.Start(rr::kCertificates);
    w.Element(rr::kStatus, std::to_string(kNoValidCertificate));
    w.Element(rr::kCertificateCount, "0");
    w.End();
  }
  if (req.picture.asked) WritePicture(w, {rr::kPicture, rr::kStatus, rr::kData}, pictures, picture);
  w.End();
}

}  // namespace

void ResolveRecipients(CommandContext& ctx) {
  auto top_status = [&](int status) {
    ctx.Answer(StatusAnswer(rr::kResolveRecipients, rr::kStatus, status));
  };
  std::string why;
  const Request req = Parse(ctx.body, ctx.version, &why);
  if (!why.empty()) {
    ctx.response.log.push_back({LogLevel::kWarn, "ResolveRecipients: " + why + " (Status 5)"});
    top_status(kProtocolError);
    return;
  }

  std::vector<Resolution> resolved(req.to.size());
  std::vector<directory::Entry> entries;
  Status s = ctx.store.Read([&](storage::Txn& txn) -> Status {
    auto dir = directory::ReadDirectory(txn, ctx.user);
    if (!dir.ok()) return dir.status();
    entries = std::move(dir).value();
    for (size_t i = 0; i < req.to.size(); ++i) {
      Resolution& r = resolved[i];
      r = Resolution();
      std::vector<const directory::Entry*> found = directory::Match(entries, req.to[i]);
      r.total = found.size();
      if (found.size() == 1) {
        r.status = kResolved;
      } else if (found.size() > 1) {
        r.status = found.size() > req.max_suggestions ? kAmbiguousPartial : kAmbiguous;
        if (found.size() > req.max_suggestions) found.resize(req.max_suggestions);
      }
      r.listed = std::move(found);
      for (size_t k = 0; req.picture.asked && k < r.listed.size(); ++k) {
        auto jpeg = directory::PictureOf(txn, *r.listed[k]);
        if (!jpeg.ok()) return jpeg.status();
        r.pictures.push_back(std::move(jpeg).value());
      }
      // Free/busy only for what resolved to one recipient (2.2.3.183).
      if (!req.availability || r.status != kResolved || req.to.size() > kMaxToWithAvailability) continue;
      const directory::Entry& e = *r.listed.front();
      const size_t slots = static_cast<size_t>((req.end - req.start + directory::kFreeBusySlot - 1) /
                                               directory::kFreeBusySlot);
      if (e.type != directory::EntryType::kGal) {
        r.free_busy.push_back(std::string(slots, '4'));  // no data: not a user here
        continue;
      }
      auto user = txn.GetUserById(e.user);
      if (!user.ok()) return user.status();
      auto merged = directory::MergedFreeBusy(txn, *user, req.start, req.end);
      if (!merged.ok()) return merged.status();
      r.free_busy.push_back(std::move(merged).value());
    }
    return Status::Ok();
  });
  if (!s.ok()) {
    ctx.response.log.push_back({LogLevel::kError, "ResolveRecipients: store: " + s.message()});
    top_status(kServerError);
    return;
  }

  const bool too_many_for_availability = req.to.size() > kMaxToWithAvailability;
  directory::PictureBudget pictures(req.picture);
  wbxml::Writer w;
  w.Start(rr::kResolveRecipients);
  w.Element(rr::kStatus, std::to_string(kOk));
  for (size_t i = 0; i < req.to.size(); ++i) {
    const Resolution& r = resolved[i];
    w.Start(rr::kResponse);
    w.Element(rr::kTo, req.to[i]);
    w.Element(rr::kStatus, std::to_string(r.status));
    w.Element(rr::kRecipientCount, std::to_string(r.total));
    for (size_t k = 0; k < r.listed.size(); ++k) {
      const std::string* fb = k < r.free_busy.size() ? &r.free_busy[k] : nullptr;
      const std::string_view picture = k < r.pictures.size() ? r.pictures[k] : std::string_view();
      WriteRecipient(w, req, *r.listed[k], fb, too_many_for_availability && r.status == kResolved,
                     picture, pictures);
    }
    w.End();
  }
  w.End();
  ctx.Answer(w.Take());
}

}  // namespace eas::core::commands
