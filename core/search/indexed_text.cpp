#include "core/search/indexed_text.hpp"

#include <string_view>
#include <vector>

namespace eas::core::search {
namespace {

void AppendAddresses(const std::vector<mail::AddressView>& list, std::string* out) {
  for (const mail::AddressView& a : list) {
    if (!out->empty()) out->push_back('\n');
    out->append(a.name);
    out->push_back(' ');
    out->append(a.address);
  }
}

}  // namespace

IndexedText IndexedTextOf(const mail::MessageView& message) {
  IndexedText t;
  t.subject = message.subject;
  AppendAddresses(message.from, &t.sender);
  AppendAddresses(message.reply_to, &t.sender);
  AppendAddresses(message.to, &t.recipients);
  AppendAddresses(message.cc, &t.recipients);
  t.body = message.text_body;
  for (const mail::PartView& part : message.parts) {
    if (part.file_name.empty()) continue;
    if (!t.attachments.empty()) t.attachments.push_back('\n');
    t.attachments.append(part.file_name);
  }
  return t;
}

}  // namespace eas::core::search
