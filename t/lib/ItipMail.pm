# An invitation by mail as organizers' mail programs send it (RFC 6047):
# multipart/alternative, a line of text and the iCalendar with its METHOD.
package ItipMail;
use strict;
use warnings;
use EasTest;

# $id names the message (Subject "Invitation $id", Message-ID); $event is
# the VCALENDAR's content (VEVENT, VTIMEZONE...); from: the From header.
sub invitation {
    my ($id, $method, $event, %o) = @_;
    my $from = $o{from} // 'Anna Organiser <anna@example.org>';
    my $to = $o{to} // 'Alice <alice@example.org>';
    return EasTest::crlf(<<"EOM");
From: $from
To: $to
Subject: Invitation $id
Date: Thu, 03 Dec 2026 11:00:00 +0000
Message-ID: <$id\@example.org>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

You are invited ($id).
--b
Content-Type: text/calendar; charset=utf-8; method=$method

BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Test//EN
METHOD:$method
$event
END:VCALENDAR
--b--
EOM
}

1;
