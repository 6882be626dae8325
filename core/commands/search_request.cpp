#include "core/commands/search_request.hpp"

#include "core/convert/eas_time.hpp"
#include "core/util/index_range.hpp"
#include "core/wbxml/tags.hpp"

namespace eas::core::commands {
namespace {

namespace se = wbxml::tags::search;
namespace as = wbxml::tags::airsync;
namespace em = wbxml::tags::email;

class QueryReader {
 public:
  explicit QueryReader(ParsedSearch& out) : out_(out) {}

  // One condition of the Query (or of its And). False once refused.
  bool Condition(const wbxml::Element& e) {
    MailboxSearchRequest& r = out_.request;
    if (e.tag == se::kFreeText) return Set(r.free_text, e.text, "FreeText");
    if (e.tag == as::kCollectionId) return Set(r.collection_id, e.text, "CollectionId");
    if (e.tag == as::kClass) return Set(r.class_name, e.text, "Class");
    if (e.tag == se::kEqualTo) return EqualTo(e);
    if (e.tag == se::kGreaterThan) return DateBound(e, r.received_after, "GreaterThan");
    if (e.tag == se::kLessThan) return DateBound(e, r.received_before, "LessThan");
    return Refuse(kSearchTooComplex, "a query condition this server does not search by");
  }

  bool Refuse(int status, std::string why) {
    out_.status = status;
    out_.why = std::move(why);
    return false;
  }

 private:
  bool Set(std::optional<std::string>& field, const std::string& value, const char* name) {
    if (field) return Refuse(kSearchInvalid, std::string("more than one ") + name);
    field = value;
    return true;
  }

  // <EqualTo><airsync:CollectionId/><Value>5</Value></EqualTo>, or Class.
  bool EqualTo(const wbxml::Element& e) {
    const wbxml::Element* value = e.Child(se::kValue);
    for (const wbxml::Element& c : e.children) {
      if (c.tag == se::kValue) continue;
      const std::string& v = value != nullptr ? value->text : c.text;
      if (c.tag == as::kCollectionId) return Set(out_.request.collection_id, v, "CollectionId");
      if (c.tag == as::kClass) return Set(out_.request.class_name, v, "Class");
      break;
    }
    return Refuse(kSearchTooComplex, "EqualTo on a property other than CollectionId or Class");
  }

  // <GreaterThan><email:DateReceived/><Value>2026-01-01T00:00:00.000Z</Value></GreaterThan>
  bool DateBound(const wbxml::Element& e, uint64_t& bound, const char* name) {
    if (!e.Has(em::kDateReceived)) {
      return Refuse(kSearchTooComplex, std::string(name) + " on a property other than DateReceived");
    }
    const wbxml::Element* value = e.Child(se::kValue);
    std::optional<int64_t> t = value ? convert::ParseEasTime(value->text) : std::nullopt;
    if (!t || *t <= 0) {
      return Refuse(kSearchInvalid, std::string(name) + " without a date in its Value");
    }
    bound = static_cast<uint64_t>(*t);
    return true;
  }

  ParsedSearch& out_;
};

}  // namespace

ParsedSearch ParseMailboxSearch(const wbxml::Element& store) {
  ParsedSearch out;
  QueryReader reader(out);
  const wbxml::Element* query = store.Child(se::kQuery);
  if (query == nullptr) {
    reader.Refuse(kSearchInvalid, "no Query");
    return out;
  }
  for (const wbxml::Element& c : query->children) {
    if (c.tag == se::kAnd) {
      for (const wbxml::Element& inner : c.children) {
        if (!reader.Condition(inner)) return out;
      }
    } else if (!reader.Condition(c)) {
      return out;
    }
  }
  if (query->children.empty()) {
    reader.Refuse(kSearchInvalid, "an empty Query");
    return out;
  }

  MailboxSearchRequest& r = out.request;
  r.options = store.Child(se::kOptions);
  if (r.options != nullptr) {
    r.deep_traversal = r.options->Has(se::kDeepTraversal);
    r.rebuild_results = r.options->Has(se::kRebuildResults);
    if (const wbxml::Element* range = r.options->Child(se::kRange)) {
      if (!util::ParseIndexRange(range->text, r.first, r.last)) {
        reader.Refuse(kSearchInvalid, "Range \"" + range->text + "\" is not m-n");
        return out;
      }
      // More than one answer may carry: the first kMaxSearchResults of it.
      if (r.last - r.first >= kMaxSearchResults) r.last = r.first + kMaxSearchResults - 1;
    }
  }
  return out;
}

}  // namespace eas::core::commands
