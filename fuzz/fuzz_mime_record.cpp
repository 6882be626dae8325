// libFuzzer target for what delivery runs on a message from anyone: the
// MIME record (GMime, HTML -> text, the part table, the meeting of a
// text/calendar part) as PrepareMessage makes it, the record's encoding
// for the store, and every part read back by its offsets. A record must
// decode to itself, and its part table must lie inside the message.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/mail/delivery.hpp"
#include "core/mail/mail_item.hpp"
#include "core/mail/part_content.hpp"

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "fuzz_mime_record: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace mail = eas::core::mail;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto prepared = mail::PrepareMessage(raw, 1700000000);
  if (!prepared.ok()) return 0;
  const mail::MessageRecord& record = prepared->record;

  const std::string encoded = mail::EncodeMessageRecord(record);
  auto back = mail::DecodeMessageRecord(encoded);
  if (!back.ok() || !(*back == record)) Die("the record does not decode to itself");
  mail::MessageView view;
  if (!mail::DecodeMessageView(encoded, &view).ok()) {
    Die("the record does not decode as a view");
  }
  auto item = mail::DecodeMailItem(prepared->unread_item);
  if (!item.ok() || !(item->message == record)) Die("the unread item does not decode");

  for (const mail::Part& part : record.parts) {
    if (part.offset > raw.size() || part.length > raw.size() - part.offset) {
      Die("a part lies outside the message");
    }
    (void)mail::DecodedPart(raw, part);  // what ItemOperations and forwards read
  }
  return 0;
}
