// PrepareSubmission: the headers a sent message needs, with GMime 3 (every
// object held by a GPtr; no GMime type leaves this file).
#include "core/mail/submission.hpp"

#include <algorithm>
#include <utility>

#include "core/mail/add_source.hpp"
#include "core/mail/charset.hpp"
#include "core/mail/gmime_handles.hpp"
#include "core/mail/header_values.hpp"

namespace eas::core::mail {
namespace {

struct DateTimeUnref {
  void operator()(GDateTime* d) const noexcept { g_date_time_unref(d); }
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(g_ascii_tolower(c));
  return s;
}

bool HasEightBit(const char* s) {
  for (; s != nullptr && *s != '\0'; ++s) {
    if (static_cast<unsigned char>(*s) >= 0x80) return true;
  }
  return false;
}

// Header values with raw 8-bit bytes (a client that wrote UTF-8 straight
// into Subject or To) set again from their decoded text, which GMime
// writes as RFC 2047 encoded-words.
void EncodeEightBitHeaders(GMimeObject* top) {
  GMimeHeaderList* list = g_mime_object_get_header_list(top);
  std::vector<std::pair<std::string, std::string>> redo;
  int n = g_mime_header_list_get_count(list);
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    if (!HasEightBit(g_mime_header_get_raw_value(h))) continue;
    redo.emplace_back(Str(g_mime_header_get_name(h)), C1AsCp1252(Str(g_mime_header_get_value(h))));
  }
  for (const auto& [name, value] : redo) {
    g_mime_object_set_header(top, name.c_str(), value.c_str(), "utf-8");
  }
}

bool IsOwnAddress(const SenderIdentity& sender, const std::string& address) {
  const std::string wanted = Lower(address);
  if (wanted == Lower(sender.address)) return true;
  return std::any_of(sender.own_addresses.begin(), sender.own_addresses.end(),
                     [&](const std::string& own) { return Lower(own) == wanted; });
}

// True when From names someone else: another address, or a group (a
// domainless mailbox is a name the sender typed, completed below).
bool HasForeignFrom(InternetAddressList* from, const SenderIdentity& sender) {
  for (int i = 0, n = internet_address_list_length(from); i < n; ++i) {
    InternetAddress* ia = internet_address_list_get_address(from, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(ia)) return true;
    std::string addr = Str(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
    if (addr.find('@') != std::string::npos && !IsOwnAddress(sender, addr)) return true;
  }
  return false;
}

void AddSender(InternetAddressList* from, const SenderIdentity& sender) {
  GPtr<InternetAddress> me(internet_address_mailbox_new(sender.name.c_str(),
                                                        sender.address.c_str()));
  internet_address_list_add(from, me.get());
}

// From: the sender when absent; a mailbox without a domain gets the
// sender's address (and name, when it had none). A From naming anyone
// else becomes the sender alone; returns what it held then (else empty).
std::string CompleteFrom(GMimeMessage* message, const SenderIdentity& sender) {
  InternetAddressList* from = g_mime_message_get_from(message);
  if (HasForeignFrom(from, sender)) {
    GChars was(internet_address_list_to_string(from, nullptr, FALSE));
    internet_address_list_clear(from);
    AddSender(from, sender);
    return was ? Str(was.get()) : std::string("?");
  }
  int n = internet_address_list_length(from);
  if (n == 0) {
    AddSender(from, sender);
    return std::string();
  }
  for (int i = 0; i < n; ++i) {
    InternetAddress* ia = internet_address_list_get_address(from, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(ia)) continue;
    InternetAddressMailbox* mb = INTERNET_ADDRESS_MAILBOX(ia);
    std::string addr = Str(internet_address_mailbox_get_addr(mb));
    if (addr.find('@') != std::string::npos) continue;
    std::string name = Str(internet_address_get_name(ia));
    // "From: Alice" reads as a mailbox "Alice": it was a name.
    if (name.empty()) name = addr.empty() || !sender.name.empty() ? sender.name : addr;
    internet_address_set_name(ia, name.empty() ? nullptr : name.c_str());
    internet_address_mailbox_set_addr(mb, sender.address.c_str());
  }
  return std::string();
}

std::string Serialize(GMimeObject* top) {
  GMimeFormatOptions* options = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(top, options, mem.get());
  g_mime_format_options_free(options);
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

}  // namespace

SenderIdentity IdentityOf(const storage::UserRecord& user) {
  SenderIdentity me;
  me.name = user.display_name;
  me.address = !user.addresses.empty() ? user.addresses.front()
                                        : user.name + "@" + DomainOrHostName("");
  me.own_addresses = user.addresses;
  return me;
}

Result<Submission> PrepareSubmission(std::string_view raw, const SenderIdentity& sender,
                                     uint64_t now, const SourceAdditions* additions) {
  if (raw.empty()) return Status::Invalid("empty message");
  InitGMime();
  OptionsPtr options(g_mime_parser_options_new());
  g_mime_parser_options_set_fallback_charsets(options.get(), FallbackCharsets());
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) return Status::Invalid("not a MIME message");
  GMimeObject* top = GMIME_OBJECT(message.get());
  if (g_mime_header_list_get_count(g_mime_object_get_header_list(top)) == 0) {
    return Status::Invalid("no header block");
  }
  if (g_mime_message_get_mime_part(message.get()) == nullptr) {
    return Status::Invalid("no body");
  }

  EncodeEightBitHeaders(top);
  if (additions != nullptr) AddSource(message.get(), *additions);
  const std::string from_replaced = CompleteFrom(message.get(), sender);
  if (g_mime_object_get_header(top, "Date") == nullptr) {
    std::unique_ptr<GDateTime, DateTimeUnref> date(
        g_date_time_new_from_unix_utc(static_cast<gint64>(now)));
    g_mime_message_set_date(message.get(), date.get());
  }
  Submission out;
  out.message_id = Str(g_mime_message_get_message_id(message.get()));
  if (out.message_id.empty()) {
    out.message_id = NewMessageId(sender.address);
    g_mime_message_set_message_id(message.get(), out.message_id.c_str());
  }
  out.envelope_from = sender.address;
  out.from_replaced = from_replaced;

  std::vector<Address> to;
  for (auto type : {GMIME_ADDRESS_TYPE_TO, GMIME_ADDRESS_TYPE_CC, GMIME_ADDRESS_TYPE_BCC}) {
    AddAddresses(g_mime_message_get_addresses(message.get(), type), to);
  }
  std::vector<std::string> seen;
  for (const Address& a : to) {
    if (a.address.empty()) continue;
    std::string key = Lower(a.address);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    out.recipients.push_back(a.address);
    out.mailboxes.push_back(a);
  }

  out.for_sent_items = Serialize(top);
  while (g_mime_object_remove_header(top, "Bcc")) {
  }
  out.for_recipients = Serialize(top);
  return out;
}

}  // namespace eas::core::mail
