// Settings Oof (MS-ASCMD 2.2.1.18, 2.2.3.122): the user's out-of-office
// setting, kept in the store (storage::OofRecord) and acted on at delivery
// (core/mail/auto_reply).
#pragma once

#include "core/commands/command.hpp"
#include "core/wbxml/element.hpp"
#include "core/wbxml/writer.hpp"

namespace eas::core::commands {

// Writes the response's <Oof> element for the request's `oof`:
//  - Get (BodyType Text or HTML, required): OofState, StartTime/EndTime
//    when time-based, and one OofMessage per audience set, its reply in the
//    asked-for type (HTML made from text, or text from HTML).
//  - Set: merged into what is stored (what the request leaves out stays);
//    setting it again starts a new period of one reply per sender.
// Status 2 for what the protocol does not allow (OofState other than 0, 1
// or 2; StartTime without EndTime or the reverse; time-based without
// times; a ReplyMessage without BodyType; a BodyType other than Text or
// HTML; a date that does not parse; neither Get nor Set), 5 for an EndTime
// not after its StartTime, 4 when the store fails. Each logs a line.
// Runs where the store may be written and HTML converted (ctx.MayWrite()).
void AnswerOof(const wbxml::Element& oof, CommandContext& ctx, wbxml::Writer& w);

}  // namespace eas::core::commands
