#include "core/commands/settings_oof.hpp"

#include <cctype>
#include <optional>
#include <string>

#include "core/convert/eas_time.hpp"
#include "core/items/email_body.hpp"
#include "core/mail/html_text.hpp"
#include "core/mail/oof.hpp"
#include "core/wbxml/tags.hpp"
#include "storage/store.hpp"

namespace eas::core::commands {
namespace {

namespace st = wbxml::tags::settings;

enum OofStatus { kSuccess = 1, kProtocolError = 2, kServerUnavailable = 4, kInvalidArguments = 5 };

// A request the protocol does not allow: its Status and why, for the log.
struct Refusal {
  int status;
  std::string why;
};

// "Text" or "HTML" (any letter case) as html = false / true.
std::optional<bool> ParseBodyType(std::string_view v) {
  std::string lower(v);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "text") return false;
  if (lower == "html") return true;
  return std::nullopt;
}

storage::OofMessage* AudienceOf(const wbxml::Element& message, storage::OofRecord& oof) {
  if (message.Has(st::kAppliesToInternal)) return &oof.internal;
  if (message.Has(st::kAppliesToExternalKnown)) return &oof.external_known;
  if (message.Has(st::kAppliesToExternalUnknown)) return &oof.external_unknown;
  return nullptr;
}

// Applies the Set request to `oof` (what is stored); a Refusal leaves
// nothing to store.
std::optional<Refusal> ApplySet(const wbxml::Element& set, storage::OofRecord& oof) {
  if (const wbxml::Element* state = set.Child(st::kOofState)) {
    const std::string& v = state->text;
    if (v != "0" && v != "1" && v != "2") return Refusal{kProtocolError, "OofState " + v};
    oof.state = static_cast<uint8_t>(v[0] - '0');
  }
  const wbxml::Element* start = set.Child(st::kStartTime);
  const wbxml::Element* end = set.Child(st::kEndTime);
  if ((start == nullptr) != (end == nullptr)) {
    return Refusal{kProtocolError, "StartTime and EndTime go together"};
  }
  // Times sent with another state are answered success and not kept.
  if (start != nullptr && oof.state == mail::kOofTimeBased) {
    auto from = convert::ParseEasTime(start->text);
    auto to = convert::ParseEasTime(end->text);
    if (!from || !to || *from < 0 || *to < 0) {
      return Refusal{kProtocolError, "bad StartTime/EndTime " + start->text + " " + end->text};
    }
    if (*to <= *from) return Refusal{kInvalidArguments, "EndTime not after StartTime"};
    oof.start = static_cast<uint64_t>(*from);
    oof.end = static_cast<uint64_t>(*to);
  }
  if (oof.state == mail::kOofTimeBased && oof.end == 0) {
    return Refusal{kProtocolError, "time-based without StartTime and EndTime"};
  }
  for (const wbxml::Element* m : set.Children(st::kOofMessage)) {
    storage::OofMessage* target = AudienceOf(*m, oof);
    if (target == nullptr) return Refusal{kProtocolError, "OofMessage without AppliesTo"};
    if (const wbxml::Element* enabled = m->Child(st::kEnabled)) {
      target->enabled = enabled->text == "1";
    }
    if (const wbxml::Element* reply = m->Child(st::kReplyMessage)) {
      auto html = ParseBodyType(m->ChildText(st::kBodyType));
      if (!html) return Refusal{kProtocolError, "ReplyMessage needs BodyType Text or HTML"};
      target->reply = reply->text;
      target->html = *html;
    }
  }
  return std::nullopt;
}

// The stored reply in the type the client asked for.
std::string ReplyAs(const storage::OofMessage& m, bool html) {
  if (m.html == html) return m.reply;
  return html ? items::TextAsHtml(m.reply) : mail::HtmlToText(m.reply);
}

void WriteGet(const storage::OofRecord& oof, bool html, wbxml::Writer& w) {
  w.Start(st::kGet);
  w.Element(st::kOofState, std::to_string(oof.state));
  if (oof.state == mail::kOofTimeBased) {
    w.Element(st::kStartTime, convert::ExtendedUtc(static_cast<int64_t>(oof.start)));
    w.Element(st::kEndTime, convert::ExtendedUtc(static_cast<int64_t>(oof.end)));
  }
  const std::pair<wbxml::Tag, const storage::OofMessage*> audiences[] = {
      {st::kAppliesToInternal, &oof.internal},
      {st::kAppliesToExternalKnown, &oof.external_known},
      {st::kAppliesToExternalUnknown, &oof.external_unknown},
  };
  for (const auto& [tag, m] : audiences) {
    if (!m->enabled && m->reply.empty()) continue;  // never set
    w.Start(st::kOofMessage);
    w.Empty(tag);
    w.Element(st::kEnabled, m->enabled ? "1" : "0");
    w.Element(st::kReplyMessage, ReplyAs(*m, html));
    w.Element(st::kBodyType, html ? "HTML" : "Text");
    w.End();
  }
  w.End();
}

void Log(CommandContext& ctx, LogLevel level, const std::string& text) {
  ctx.response.log.push_back({level, "Settings Oof: " + text});
}

}  // namespace

void AnswerOof(const wbxml::Element& oof, CommandContext& ctx, wbxml::Writer& w) {
  w.Start(st::kOof);
  const wbxml::Element* get = oof.Child(st::kGet);
  const wbxml::Element* set = oof.Child(st::kSet);
  int status = kSuccess;
  if (get != nullptr) {
    auto html = ParseBodyType(get->ChildText(st::kBodyType));
    if (!html) {
      status = kProtocolError;
      Log(ctx, LogLevel::kWarn, "Get needs BodyType Text or HTML");
    } else {
      storage::OofRecord stored;
      Status s = ctx.store.Read([&](storage::Txn& txn) -> Status {
        auto r = txn.GetOof(ctx.user.id);
        if (r.ok()) stored = std::move(r).value();
        return r.status().code() == Code::kNotFound ? Status::Ok() : r.status();
      });
      if (s.ok()) {
        w.Element(st::kStatus, "1");
        WriteGet(stored, *html, w);
        w.End();
        return;
      }
      status = kServerUnavailable;
      Log(ctx, LogLevel::kError, "store: " + s.message());
    }
  } else if (set != nullptr) {
    std::optional<Refusal> refused;
    Status s = ctx.store.Write([&](storage::Txn& txn) -> Status {
      refused.reset();
      storage::OofRecord oof;
      auto stored = txn.GetOof(ctx.user.id);
      if (stored.ok()) oof = std::move(stored).value();
      else if (stored.status().code() != Code::kNotFound) return stored.status();
      refused = ApplySet(*set, oof);
      if (refused) return Status::Ok();  // nothing written
      return txn.PutOof(ctx.user.id, oof);
    });
    if (!s.ok()) {
      status = kServerUnavailable;
      Log(ctx, LogLevel::kError, "store: " + s.message());
    } else if (refused) {
      status = refused->status;
      Log(ctx, LogLevel::kWarn, "Set refused (" + std::to_string(status) + "): " + refused->why);
    } else {
      Log(ctx, LogLevel::kInfo, "set for " + ctx.user.name);
    }
  } else {
    status = kProtocolError;
    Log(ctx, LogLevel::kWarn, "neither Get nor Set");
  }
  w.Element(st::kStatus, std::to_string(status));
  w.End();
}

}  // namespace eas::core::commands
