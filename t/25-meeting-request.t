# Invitations by mail (MS-ASEMAIL MeetingRequest): eas-deliver stores an
# iTIP REQUEST and Sync shows it as IPM.Schedule.Meeting.Request with a
# MeetingRequest element (start, end, organizer, location, time zone,
# recurrence, GlobalObjId up to 14.1, calendar:UID and airsyncbase:Location
# in 16.1) and without the calendar part as an attachment; ItemOperations
# Fetch shows the same; a CANCEL is IPM.Schedule.Meeting.Canceled; an
# invitation whose iCalendar is broken is still delivered, as an ordinary
# message with its invite.ics attached, and eas-deliver says why; the
# demo mailbox's invitation is a meeting request too. Every
# answer is valid against the schemas.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use ItipMail;
use MIME::Base64 qw(decode_base64);
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

sub invitation { ItipMail::invitation(@_) }

my $weekly = invitation('weekly', 'REQUEST', <<'EOV');
BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:weekly-sync-2026@example.org
SEQUENCE:0
DTSTAMP:20261203T110000Z
DTSTART;TZID=Europe/Berlin:20261207T100000
DTEND;TZID=Europe/Berlin:20261207T110000
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10
SUMMARY:Weekly sync
LOCATION:Room Orion
ORGANIZER;CN=Anna Organiser:mailto:anna@example.org
ATTENDEE;CN=Alice;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:alice@example.org
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER:-PT15M
END:VALARM
END:VEVENT
EOV

my $cancel = invitation('cancel', 'CANCEL', <<'EOV');
BEGIN:VEVENT
UID:weekly-sync-2026@example.org
SEQUENCE:1
STATUS:CANCELLED
DTSTAMP:20261204T090000Z
DTSTART;TZID=Europe/Berlin:20261207T100000
DTEND;TZID=Europe/Berlin:20261207T110000
SUMMARY:Weekly sync
ORGANIZER;CN=Anna Organiser:mailto:anna@example.org
ATTENDEE;CN=Alice:mailto:alice@example.org
END:VEVENT
EOV

my $broken = invitation('broken', 'REQUEST', <<'EOV');
BEGIN:VEVENT
UID:broken@example.org
SUMMARY:When, though?
DTSTART:next tuesday
END:VEVENT
EOV

for ([$weekly, 'the weekly invitation'], [$cancel, 'the cancellation']) {
    my ($rc, $out) = $t->deliver($_->[0], '-d', 'alice');
    is($rc, 0, "eas-deliver stores $_->[1] (exit 0)") or diag $out;
}
# The demo mailbox's invitation (make run) too.
my $demo = EasTest::read_file('demo/data/mail/07-invitation.eml');
my ($rc, $out) = $t->deliver(EasTest::crlf($demo), '-d', 'alice');
is($rc, 0, 'the demo invitation is stored') or diag $out;
($rc, $out) = $t->deliver($broken, '-d', 'alice');
is($rc, 0, 'an invitation with a broken VCALENDAR is stored all the same (exit 0)') or diag $out;
like($out, qr/invitation not shown as a meeting: .*DTSTART/, '... and eas-deliver says why on stderr');

my $inbox = EasTest::folder_adds($t->folder_sync('0', device => 'PHONE')->{xml})->{Inbox}{id};
ok($inbox, 'FolderSync offers the Inbox');

# An initial Sync at `version`: each message's ApplicationData by subject.
sub inbox_at {
    my ($version, $device) = @_;
    my %got;
    my $key = '0';
    for my $round (1, 2) {
        my $inner = "<SyncKey>$key</SyncKey><CollectionId>$inbox</CollectionId>";
        $inner .= '<GetChanges/><Options><BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference></Options>'
            if $round == 2;
        my $r = $t->request(cmd => 'Sync', device => $device, version => $version,
            xml => qq{<Sync xmlns="AirSync:"><Collections><Collection>$inner</Collection></Collections></Sync>});
        is($r->{status}, 200, "Sync at $version answers 200");
        $t->valid_ok('Sync', $r, "... valid against the schema ($version, round $round)");
        $key = EasTest::tag($r->{xml}, 'SyncKey');
        my $x = $r->{xml};
        $x =~ s/ xmlns="[^"]*"//g;
        for my $add ($x =~ m{<Add>(.*?)</Add>}gs) {
            $got{ EasTest::tag($add, 'Subject') // '' } = $add;
        }
    }
    return \%got;
}

# (wbxml2xml spells some tokens its own way: DTStamp for MS-ASWBXML's
# DtStamp, Recurrence_Type for Type; the tokens are MS-ASWBXML's.)
sub meeting_of { my ($add) = @_; return $add =~ m{<MeetingRequest>(.*?)</MeetingRequest>}s ? $1 : '' }

# --- 14.1 ---

my $mail = inbox_at('14.1', 'PHONE141');
my $invite = $mail->{'Invitation weekly'} // '';
like($invite, qr{<MessageClass>IPM.Schedule.Meeting.Request</MessageClass>}, '14.1: the invitation is IPM.Schedule.Meeting.Request');
my $m = meeting_of($invite);
ok($m, '... with a MeetingRequest element');
# 10:00 in Berlin in December is 09:00 UTC.
like($m, qr{<StartTime>2026-12-07T09:00:00.000Z</StartTime>}, '... StartTime in UTC from the TZID');
like($m, qr{<EndTime>2026-12-07T10:00:00.000Z</EndTime>}, '... EndTime');
like($m, qr{<DTStamp>2026-12-03T11:00:00.000Z</DTStamp>}, '... DtStamp');
like($m, qr{<AllDayEvent>0</AllDayEvent>}, '... not all day');
like($m, qr{<InstanceType>1</InstanceType>}, '... InstanceType 1: a recurring series');
like($m, qr{<Location>Room Orion</Location>}, '... email:Location');
like($m, qr{<Organizer>&quot;Anna Organiser&quot; &lt;anna\@example.org&gt;</Organizer>}, '... the organizer');
like($m, qr{<Reminder>900</Reminder>}, '... a reminder 900 s before');
like($m, qr{<ResponseRequested>1</ResponseRequested>}, '... a reply is asked for (RSVP)');
like($m, qr{<Recurrences><Recurrence><Recurrence_Type>1</Recurrence_Type><Recurrence_Interval>1</Recurrence_Interval><Recurrence_Occurrences>10</Recurrence_Occurrences><Recurrence_DayOfWeek>2</Recurrence_DayOfWeek><CalendarType>1</CalendarType><IsLeapMonth>0</IsLeapMonth><FirstDayOfWeek>1</FirstDayOfWeek></Recurrence></Recurrences>},
     '... weekly on Mondays, 10 times');
my ($tz) = $m =~ m{<TimeZone>([^<]+)</TimeZone>};
my $blob = decode_base64($tz // '');
is(length $blob, 172, '... a TimeZone blob of 172 bytes');
is(unpack('l<', $blob), -60, '... with Berlin\'s bias (UTC+1)');
my ($goid) = $m =~ m{<GlobalObjId>([^<]+)</GlobalObjId>};
my $id = decode_base64($goid // '');
like($id, qr{^\x04\x00\x00\x00\x82\x00\xE0\x00\x74\xC5\xB7\x10\x1A\x82\xE0\x08}, '... a GlobalObjId with the class id');
like($id, qr{vCal-Uid\x01\x00\x00\x00weekly-sync-2026\@example.org\x00$}, '... wrapping the UID');
like($m, qr{<DisallowNewTimeProposal>0</DisallowNewTimeProposal><MeetingMessageType>1</MeetingMessageType>$},
     '... new times may be proposed; a first invitation (MeetingMessageType 1)');
unlike($m, qr{<UID>}, '... and no calendar:UID before 16.0');
unlike($invite, qr{invite\.ics|<Attachments>}, 'the calendar part is not listed as an attachment');
like($invite, qr{<Data>You are invited \(weekly\)\.}, 'the body is the text part');

my $cancelled = $mail->{'Invitation cancel'} // '';
like($cancelled, qr{<MessageClass>IPM.Schedule.Meeting.Canceled</MessageClass>}, 'the CANCEL is IPM.Schedule.Meeting.Canceled');
$m = meeting_of($cancelled);
like($m, qr{<InstanceType>0</InstanceType>}, '... its MeetingRequest names the meeting');
like($m, qr{<MeetingMessageType>0</MeetingMessageType>}, '... as no invitation (MeetingMessageType 0)');
($goid) = $m =~ m{<GlobalObjId>([^<]+)</GlobalObjId>};
like(decode_base64($goid // ''), qr{weekly-sync-2026\@example.org}, '... with the same meeting in its GlobalObjId');

my $plain = $mail->{'Invitation broken'} // '';
like($plain, qr{<MessageClass>IPM.Note</MessageClass>}, 'the broken invitation is an ordinary message');
unlike($plain, qr{<MeetingRequest>}, '... without a MeetingRequest');
like($plain, qr{<Attachment><DisplayName>invite.ics</DisplayName>}, '... and its iCalendar is attached as invite.ics');

my $review = meeting_of($mail->{'Invitation: Release review'} // '');
like($review, qr{<StartTime>2026-12-07T10:00:00.000Z</StartTime>.*<Location>Orion</Location><Organizer>&quot;Colleague&quot; &lt;colleague\@example.org&gt;</Organizer>}s,
     "the demo mailbox's invitation shows as a meeting request");

# --- 16.1 ---

$mail = inbox_at('16.1', 'PHONE161');
$invite = $mail->{'Invitation weekly'} // '';
like($invite, qr{<MessageClass>IPM.Schedule.Meeting.Request</MessageClass>}, '16.1: IPM.Schedule.Meeting.Request');
$m = meeting_of($invite);
like($m, qr{<StartTime>2026-12-07T09:00:00.000Z</StartTime><DTStamp>[^<]+</DTStamp><EndTime>2026-12-07T10:00:00.000Z</EndTime>}, '... start and end');
like($m, qr{<Location><DisplayName>Room Orion</DisplayName></Location>}, '... airsyncbase:Location with its DisplayName');
like($m, qr{<Organizer>&quot;Anna Organiser&quot; &lt;anna\@example.org&gt;</Organizer>}, '... the organizer');
like($m, qr{<Recurrences><Recurrence><Recurrence_Type>1</Recurrence_Type><Recurrence_Interval>1</Recurrence_Interval><Recurrence_Occurrences>10</Recurrence_Occurrences>}, '... the recurrence');
like($m, qr{<MeetingMessageType>1</MeetingMessageType><UID>weekly-sync-2026\@example.org</UID>$}, '... calendar:UID, the iCalendar UID');
unlike($m, qr{<GlobalObjId>}, '... and no GlobalObjId in 16.x');
like($mail->{'Invitation cancel'} // '', qr{<MessageClass>IPM.Schedule.Meeting.Canceled</MessageClass>}, '16.1: the CANCEL is Canceled');

# --- ItemOperations Fetch of the invitation ---

my $server_id = EasTest::tag($invite, 'ServerId');
my $r = $t->request(cmd => 'ItemOperations', device => 'PHONE161', version => '16.1',
    xml => qq{<ItemOperations xmlns="ItemOperations:"><Fetch><Store>Mailbox</Store>}
         . qq{<CollectionId xmlns="AirSync:">$inbox</CollectionId><ServerId xmlns="AirSync:">$server_id</ServerId>}
         . qq{</Fetch></ItemOperations>});
is($r->{status}, 200, 'ItemOperations Fetch of the invitation answers 200');
$t->valid_ok('ItemOperations', $r);
like($r->{xml}, qr{<MeetingRequest[^>]*>.*<StartTime>2026-12-07T09:00:00.000Z</StartTime>}s, '... with its MeetingRequest');

$t->stop;
done_testing;
