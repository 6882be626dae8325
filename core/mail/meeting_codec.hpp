// A meeting invitation's stored form inside the mail record (private to
// mime_record_codec.cpp and its tests): numbers and blobs in a fixed
// order, times as the two's complement of their signed value.
#pragma once

#include "core/convert/meeting_invite.hpp"
#include "core/util/text_record.hpp"

namespace eas::core::mail {

void PutMeeting(util::TextRecordWriter& w, const convert::MeetingInvite& m);
// False on bytes that are not a meeting of this layout.
bool GetMeeting(util::TextRecordReader& r, convert::MeetingInvite& m);

}  // namespace eas::core::mail
