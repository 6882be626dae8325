# Answering invitations (MS-ASCMD MeetingResponse, iTIP REPLY) and what
# invitations, updates, cancellations and answers do to calendars at
# delivery. anna (elsewhere, through the relay's sink) invites alice; bob
# (on this box) invites alice too and has the meeting in his calendar.
# Delivered REQUESTs put tentative, unanswered events in alice's Calendar
# with the invitation's UID; she accepts from the Inbox (14.1: the server
# sends the REPLY, after eas_meeting_reply_delay, 1 s here, in case the
# phone sends its own: t/50) and from the Calendar (16.1 with SendResponse and her
# text; without SendResponse nothing is sent), tentatively, declines (the
# event goes) and declines one occurrence (an exception); the answered
# invitation goes to Deleted Items. An update (higher SEQUENCE) changes
# the same event; a CANCEL marks it cancelled; mail for an unknown meeting
# is still delivered. Her answer to bob lands in his Inbox and sets her
# status on his event. An answer may name the invitation by a Search
# result's LongId. A RequestId that is not hers, a LongId of nothing here
# or with a RequestId, and a bad UserResponse get Status 2 and a log line. OPTIONS announces the command.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use ItipMail;
use SmtpSink;
use MIME::Base64 qw(decode_base64);
use Test::More;

my ($t, $sink) = SmtpSink->server_with_sink({ http => 'eas_meeting_reply_delay 1s;' },
                                            ['alice', 'alice@example.org', 'Alice Liddell'],
                                            ['bob', 'bob@example.org']);
my ($rc, $out);
sub sink_count { $sink->count }
sub sink_message { $sink->message(@_) }
# The text/calendar part of a message (a test that it says method=REPLY).
sub calendar_part {
    my ($head, $text) = SmtpSink::part($_[0], 'text/calendar');
    like($head, qr{method=REPLY}i, '... its calendar part is text/calendar; method=REPLY');
    return $text;
}
sub text_part { (SmtpSink::part($_[0], 'text/plain'))[1] }

sub invitation {
    my ($id, $method, $organizer, $event) = @_;
    return ItipMail::invitation($id, $method, $event, from => "Organiser <$organizer>",
                                to => 'Alice Liddell <alice@example.org>');
}

# A one-off meeting of anna's (or $organizer's), $uid at $start (compact UTC).
sub single {
    my ($uid, $seq, $start, $end, $summary, $organizer) = @_;
    $organizer //= 'anna@elsewhere.example';
    return <<"EOV";
BEGIN:VEVENT
UID:$uid
SEQUENCE:$seq
DTSTAMP:20261203T110000Z
DTSTART:$start
DTEND:$end
SUMMARY:$summary
ORGANIZER;CN=Organiser:mailto:$organizer
ATTENDEE;CN=Alice Liddell;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:alice\@example.org
ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION:mailto:bob\@example.org
END:VEVENT
EOV
}

my $weekly = <<'EOV';
BEGIN:VEVENT
UID:weekly@example.org
SEQUENCE:0
DTSTAMP:20261203T110000Z
DTSTART:20261207T090000Z
DTEND:20261207T100000Z
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10
SUMMARY:Weekly sync
ORGANIZER;CN=Anna:mailto:anna@elsewhere.example
ATTENDEE;CN=Alice Liddell;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:alice@example.org
END:VEVENT
EOV

my %mail = (
    weekly  => invitation('weekly', 'REQUEST', 'anna@elsewhere.example', $weekly),
    review  => invitation('review', 'REQUEST', 'anna@elsewhere.example',
                          single('review@example.org', 0, '20261208T100000Z', '20261208T110000Z', 'Review')),
    lunch   => invitation('lunch', 'REQUEST', 'anna@elsewhere.example',
                          single('lunch@example.org', 0, '20261209T120000Z', '20261209T130000Z', 'Lunch')),
    party   => invitation('party', 'REQUEST', 'anna@elsewhere.example',
                          single('party@example.org', 0, '20261210T180000Z', '20261210T230000Z', 'Party')),
    planning => invitation('planning', 'REQUEST', 'bob@example.org',
                          single('planning@example.org', 0, '20261211T090000Z', '20261211T100000Z', 'Planning', 'bob@example.org')),
);
for my $name (sort keys %mail) {
    ($rc, $out) = $t->deliver($mail{$name}, '-d', 'alice');
    is($rc, 0, "eas-deliver stores the $name invitation") or diag $out;
}

my $folders = EasTest::folder_adds($t->folder_sync('0', device => 'PHONE')->{xml});
my ($inbox, $calendar, $deleted) = map { $folders->{$_}{id} } 'Inbox', 'Calendar', 'Deleted Items';
ok($inbox && $calendar && $deleted, 'FolderSync offers Inbox, Calendar and Deleted Items');

sub strip { my ($x) = @_; $x =~ s/ xmlns="[^"]*"//g; return $x }

# A new device's view of a folder: ServerId => ApplicationData (and, for
# events, UID => ServerId in $by_uid).
my $devices = 0;
sub folder_items {
    my ($folder, $user, $version) = @_;
    my $device = 'VIEW' . ++$devices;
    my %o = (user => $user // 'alice', version => $version // '14.1');
    my $key = '0';
    my %items;
    for my $round (1 .. 3) {
        my $inner = "<SyncKey>$key</SyncKey><CollectionId>$folder</CollectionId>";
        $inner .= '<GetChanges/><WindowSize>100</WindowSize>' if $key ne '0';
        my $r = $t->request(cmd => 'Sync', device => $device, %o,
            xml => qq{<Sync xmlns="AirSync:"><Collections><Collection>$inner</Collection></Collections></Sync>});
        $t->valid_ok('Sync', $r, "Sync of folder $folder is valid ($device, round $round)") if length $r->{body};
        my $x = strip($r->{xml});
        while ($x =~ m{<Add><ServerId>([^<]+)</ServerId><ApplicationData>(.*?)</ApplicationData></Add>}gs) {
            $items{$1} = $2;
        }
        $key = EasTest::tag($x, 'SyncKey') // last;
        last if $round > 1 && $x !~ /<MoreAvailable/;
    }
    return \%items;
}
sub events_by_uid {
    my ($items) = @_;
    my %e;
    for my $id (keys %$items) { my ($uid) = $items->{$id} =~ m{<UID>([^<]+)</UID>}; $e{$uid} = { id => $id, data => $items->{$id} } if $uid }
    return \%e;
}
sub mail_by_subject {
    my ($items) = @_;
    my %m;
    for my $id (keys %$items) { my ($s) = $items->{$id} =~ m{<Subject>([^<]*)</Subject>}; $m{$s} = { id => $id, data => $items->{$id} } }
    return \%m;
}

# --- delivery: tentative events ---

my $events = events_by_uid(folder_items($calendar));
is(scalar keys %$events, 5, 'five invitations, five events in the Calendar');
my $w = $events->{'weekly@example.org'}{data} // '';
like($w, qr{<MeetingStatus>3</MeetingStatus>}, 'the weekly event is a received meeting (MeetingStatus 3)');
like($w, qr{<BusyStatus>1</BusyStatus>}, '... tentative (BusyStatus 1)');
like($w, qr{<ResponseType>5</ResponseType>}, '... not responded (ResponseType 5)');
like($w, qr{<ResponseRequested>1</ResponseRequested>}, '... a response asked for');
like($w, qr{<Subject>Weekly sync</Subject>.*<Recurrence>}s, '... with its subject and recurrence');
like($w, qr{<StartTime>20261207T090000Z</StartTime>}, '... at its time');

my $inbox_mail = mail_by_subject(folder_items($inbox));
my $invite = $inbox_mail->{'Invitation weekly'}{data} // '';
my ($goid) = $invite =~ m{<GlobalObjId>([^<]+)</GlobalObjId>};
like(decode_base64($goid // ''), qr{vCal-Uid\x01\x00\x00\x00weekly\@example.org\x00$},
     "the invitation mail's GlobalObjId carries the event's UID");

# --- MeetingResponse ---

sub respond {
    my (%o) = @_;
    my $req = "<UserResponse>$o{response}</UserResponse>";
    $req .= "<CollectionId>$o{collection}</CollectionId><RequestId>$o{request}</RequestId>" if $o{request};
    $req .= qq{<LongId xmlns="Search:">$o{long_id}</LongId>} if $o{long_id};
    $req .= "<InstanceId>$o{instance}</InstanceId>" if $o{instance};
    $req .= $o{send} if $o{send};
    my $r = $t->request(cmd => 'MeetingResponse', version => $o{version} // '14.1', user => $o{user} // 'alice',
        xml => qq{<MeetingResponse xmlns="MeetingResponse:"><Request>$req</Request></MeetingResponse>});
    is($r->{status}, 200, "MeetingResponse ($o{name}) answers 200");
    $t->valid_ok('MeetingResponse', $r, "... valid against the schema ($o{name})");
    $r->{xml} = strip($r->{xml});
    return $r;
}

# A device that keeps syncing the Calendar sees the answers as changes.
my $phone_key = EasTest::tag($t->sync_collection('PHONE', $calendar, '0')->{xml}, 'SyncKey');
$phone_key = EasTest::tag($t->sync_collection('PHONE', $calendar, $phone_key)->{xml}, 'SyncKey');

# 1. Accept the review from the Inbox at 14.1: the server sends the REPLY
# (held for a second; sink_message waits for it).
my $review_mail = $inbox_mail->{'Invitation review'}{id};
my $r = respond(name => 'accept from the Inbox, 14.1', response => 1, collection => $inbox, request => $review_mail);
like($r->{xml}, qr{<Result><RequestId>\Q$review_mail\E</RequestId><Status>1</Status><CalendarId>\Q$events->{'review@example.org'}{id}\E</CalendarId></Result>},
     '... Status 1 and the event as CalendarId');
my $reply = sink_message(1);
like($reply, qr{^RCPT TO:<anna\@elsewhere.example>$}m, '... a reply goes to the organizer through the relay');
like($reply, qr{^Subject: Accepted: Review\r?$}m, '... "Accepted: Review"');
like($reply, qr{^From: "Alice Liddell" <alice\@example.org>\r?$}m, '... from alice');
my $ics = calendar_part($reply);
like($ics, qr{^METHOD:REPLY\r?$}m, '... METHOD:REPLY');
like($ics, qr{^UID:review\@example.org\r?$}m, '... the UID');
like($ics, qr{^ATTENDEE;[^\n]*PARTSTAT=ACCEPTED[^\n]*:mailto:alice\@example.org\r?$}m, '... alice ACCEPTED');
is(scalar(() = $ics =~ /^ATTENDEE/mg), 1, '... and no other attendee');
like($ics, qr{^ORGANIZER[^\n]*:mailto:anna\@elsewhere.example\r?$}m, '... the organizer');
like($ics, qr{^DTSTAMP:\d{8}T\d{6}Z\r?$}m, '... a DTSTAMP');

my $x = strip($t->sync_collection('PHONE', $calendar, $phone_key)->{xml});
$phone_key = EasTest::tag($x, 'SyncKey');
like($x, qr{<Change><ServerId>\Q$events->{'review@example.org'}{id}\E</ServerId><ApplicationData>(?=.*<ResponseType>3</ResponseType>)(?=.*<BusyStatus>2</BusyStatus>).*?</ApplicationData></Change>}s,
     'the phone sees the event accepted and busy');
$inbox_mail = mail_by_subject(folder_items($inbox));
ok(!$inbox_mail->{'Invitation review'}, 'the answered invitation left the Inbox');
ok(mail_by_subject(folder_items($deleted))->{'Invitation review'}, '... for Deleted Items');

# 2. Accept the weekly meeting from the Calendar at 16.1 with SendResponse and a text.
my $weekly_id = $events->{'weekly@example.org'}{id};
$r = respond(name => 'accept from the Calendar, 16.1', version => '16.1', response => 1,
             collection => $calendar, request => $weekly_id,
             send => '<SendResponse><Body xmlns="AirSyncBase:"><Type>1</Type><Data>See you there</Data></Body></SendResponse>');
like($r->{xml}, qr{<RequestId>\Q$weekly_id\E</RequestId><Status>1</Status><CalendarId>\Q$weekly_id\E</CalendarId>}, '... Status 1, the same event');
$reply = sink_message(2);
$ics = calendar_part($reply);
like($ics, qr{^UID:weekly\@example.org\r?$}m, '... a REPLY for the weekly meeting');
like($ics, qr{PARTSTAT=ACCEPTED}, '... accepted');
unlike($ics, qr{RECURRENCE-ID}, '... for the whole series');
like(text_part($reply), qr{See you there}, "... with alice's own words");

# 3. Tentative for the party from the Calendar at 16.1 without SendResponse: nothing sent.
my $party_id = $events->{'party@example.org'}{id};
$r = respond(name => 'tentative, 16.1, no SendResponse', version => '16.1', response => 2,
             collection => $calendar, request => $party_id);
like($r->{xml}, qr{<Status>1</Status><CalendarId>\Q$party_id\E</CalendarId>}, '... Status 1');
$events = events_by_uid(folder_items($calendar));
like($events->{'party@example.org'}{data}, qr{^(?=.*<ResponseType>2</ResponseType>)(?=.*<BusyStatus>1</BusyStatus>)}s,
     '... the event is tentatively accepted');

# 4. Decline lunch from the Inbox: the event goes, a DECLINED reply.
$inbox_mail = mail_by_subject(folder_items($inbox));
my $lunch_id = $events->{'lunch@example.org'}{id};
# (named by LongId, as a Search result names it: "folder:item")
$r = respond(name => 'decline from the Inbox by LongId', response => 3,
             long_id => $inbox_mail->{'Invitation lunch'}{id});
like($r->{xml}, qr{<Status>1</Status></Result>}, '... Status 1 without CalendarId');
$ics = calendar_part(sink_message(3));
like($ics, qr{^UID:lunch\@example.org\r?$}m, '... a REPLY for lunch');
like($ics, qr{PARTSTAT=DECLINED}, '... declined');
is(sink_count(), 3, 'the tentative answer without SendResponse sent nothing');
$x = strip($t->sync_collection('PHONE', $calendar, $phone_key)->{xml});
$phone_key = EasTest::tag($x, 'SyncKey');
like($x, qr{<Delete><ServerId>\Q$lunch_id\E</ServerId></Delete>}, 'the phone is told the declined event is gone');

# 5. Decline one occurrence of the weekly meeting.
$r = respond(name => 'decline one occurrence', version => '16.1', response => 3, collection => $calendar,
             request => $weekly_id, instance => '2026-12-14T09:00:00.000Z', send => '<SendResponse/>');
like($r->{xml}, qr{<Status>1</Status>}, '... Status 1');
$ics = calendar_part(sink_message(4));
like($ics, qr{^RECURRENCE-ID:20261214T090000Z\r?$}m, '... the REPLY names the occurrence');
like($ics, qr{PARTSTAT=DECLINED}, '... declined');
$events = events_by_uid(folder_items($calendar));
like($events->{'weekly@example.org'}{data},
     qr{<Exception>(?=(?:(?!</Exception>).)*<Exception_StartTime>20261214T090000Z</Exception_StartTime>)(?=(?:(?!</Exception>).)*<Exception_Deleted>1</Exception_Deleted>)}s,
     '... the series keeps a deleted exception for it');
like($events->{'weekly@example.org'}{data}, qr{<ResponseType>3</ResponseType>}, '... and stays accepted');

# 6. An update (SEQUENCE 1, another hour) changes the same event and asks again.
($rc, $out) = $t->deliver(invitation('review-2', 'REQUEST', 'anna@elsewhere.example',
    single('review@example.org', 1, '20261208T140000Z', '20261208T150000Z', 'Review (moved)')), '-d', 'alice');
is($rc, 0, 'the updated invitation is delivered') or diag $out;
$events = events_by_uid(folder_items($calendar));
is(scalar(grep { /review/ } keys %$events), 1, '... still one review event');
my $review = $events->{'review@example.org'}{data} // '';
like($review, qr{<StartTime>20261208T140000Z</StartTime>}, '... at the new time');
like($review, qr{<Subject>Review \(moved\)</Subject>}, '... with the new subject');
like($review, qr{<ResponseType>5</ResponseType>}, '... waiting for an answer again (the time changed)');

# 7. A CANCEL marks it cancelled; one for an unknown meeting is delivered all the same.
($rc, $out) = $t->deliver(invitation('review-cancel', 'CANCEL', 'anna@elsewhere.example',
    single('review@example.org', 2, '20261208T140000Z', '20261208T150000Z', 'Review (moved)')), '-d', 'alice');
is($rc, 0, 'the cancellation is delivered') or diag $out;
($rc, $out) = $t->deliver(invitation('ghost-cancel', 'CANCEL', 'anna@elsewhere.example',
    single('ghost@example.org', 1, '20261220T140000Z', '20261220T150000Z', 'Ghost')), '-d', 'alice');
is($rc, 0, 'a cancellation of a meeting alice never had is delivered') or diag $out;
$events = events_by_uid(folder_items($calendar));
like($events->{'review@example.org'}{data}, qr{<MeetingStatus>7</MeetingStatus>}, 'the review is cancelled (MeetingStatus 7)');
like($events->{'review@example.org'}{data}, qr{<BusyStatus>0</BusyStatus>}, '... its time free');
ok(!$events->{'ghost@example.org'}, '... and the unknown cancellation made no event');
$inbox_mail = mail_by_subject(folder_items($inbox));
ok($inbox_mail->{'Invitation ghost-cancel'}, '... its mail is in the Inbox');

# 8. A local organizer: bob has the meeting; alice accepts; bob sees it.
my $bob = EasTest::folder_adds($t->folder_sync('0', device => 'BOBPHONE', user => 'bob')->{xml});
EasTest::write_file($t->dir . '/planning.ics', EasTest::crlf(<<'EOC'));
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Test//EN
BEGIN:VEVENT
UID:planning@example.org
DTSTAMP:20261203T110000Z
DTSTART:20261211T090000Z
DTEND:20261211T100000Z
SUMMARY:Planning
ORGANIZER;CN=Bob:mailto:bob@example.org
ATTENDEE;CN=Alice Liddell;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:alice@example.org
END:VEVENT
END:VCALENDAR
EOC
($rc, $out) = $t->easctl('import', '--user', 'bob', '--folder', $bob->{Calendar}{id}, $t->dir . '/planning.ics');
is($rc, 0, "bob's meeting is in his calendar") or diag $out;
$r = respond(name => 'accept a local organizer\'s invitation', response => 1, collection => $inbox,
             request => $inbox_mail->{'Invitation planning'}{id});
like($r->{xml}, qr{<Status>1</Status>}, '... Status 1');
my $bob_answer = $t->wait_for_inbox('bob', qr{<Subject>Accepted: Planning</Subject>}, 15);
like($bob_answer->{xml} // '', qr{<MessageClass>IPM.Schedule.Meeting.Resp.Pos</MessageClass>},
     "bob has alice's answer in his Inbox (once eas_meeting_reply_delay passed)");
my $bob_events = events_by_uid(folder_items($bob->{Calendar}{id}, 'bob'));
like($bob_events->{'planning@example.org'}{data} // '',
     qr{<Attendee><Attendee_Email>alice\@example.org</Attendee_Email>(?:(?!</Attendee>).)*<Attendee_Status>3</Attendee_Status>}s,
     '... and alice accepted on his event');
is(sink_count(), 4, '... and nothing went to the relay');

# 9. Refusals.
my $bob_event_id = $bob_events->{'planning@example.org'}{id};
for my $case (
    [ 'a RequestId that is no item', { collection => $calendar, request => "$calendar:999999" }, qr/names no item|no item/ ],
    [ "bob's event", { collection => $bob->{Calendar}{id}, request => $bob_event_id }, qr/no folder \S+ of the user's own/ ],
    [ 'an ordinary mail', { collection => $inbox, request => $inbox_mail->{'Invitation ghost-cancel'}{id} }, qr/is no meeting request/ ],
    [ 'a LongId of no item here', { long_id => 'RgAAAAD' }, qr/LongId 'RgAAAAD' names no item/ ],
    [ 'a LongId with a RequestId', { long_id => "$inbox:1", collection => $inbox, request => $party_id }, qr/LongId comes instead/ ],
    [ 'UserResponse 4', { collection => $calendar, request => $party_id, response => 4 }, qr/UserResponse '4'/ ],
) {
    my ($name, $o, $log) = @$case;
    my $before = length $t->error_log;
    $r = respond(name => $name, response => 1, %$o);
    like($r->{xml}, qr{<Status>2</Status>}, "... $name: Status 2");
    like(substr($t->error_log, $before), qr/MeetingResponse from alice .*refused \(Status 2\): .*$log/, '... and the log says why');
}
# bob organizes planning: answering his own meeting is refused.
$r = respond(name => 'the organizer answering', user => 'bob', response => 1, collection => $bob->{Calendar}{id}, request => $bob_event_id);
like($r->{xml}, qr{<Status>2</Status>}, '... Status 2 for the organizer');

# --- OPTIONS ---
$r = $t->request(method => 'OPTIONS', query => '');
my %announced = map { $_ => 1 } split /,/, ($r->{headers}{'ms-asprotocolcommands'} // '');
ok($announced{MeetingResponse}, 'OPTIONS announces MeetingResponse');

$t->stop;
done_testing;
