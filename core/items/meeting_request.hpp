// Email's MeetingRequest element (MS-ASEMAIL 2.2.2.48) for a message that
// invites to (or cancels) a meeting, from the meeting its record holds.
// Children in the order MS-ASEMAIL and its schema give them; what a
// protocol version lacks is left out: email:Location up to 14.1 and
// airsyncbase:Location from 16.0, GlobalObjId up to 14.1 and calendar:UID
// from 16.0, DisallowNewTimeProposal and Email2 recurrence fields from
// 14.0, MeetingMessageType and FirstDayOfWeek from 14.1.
#pragma once

#include <cstdint>

#include "core/convert/meeting_invite.hpp"
#include "core/wbxml/writer.hpp"

namespace eas::core::items {

// `message_date` stands in for a missing DTSTAMP (DtStamp is required);
// `version` is the protocol version ×10.
void WriteMeetingRequest(wbxml::Writer& w, const convert::MeetingInvite& meeting,
                         int64_t message_date, int version);

}  // namespace eas::core::items
