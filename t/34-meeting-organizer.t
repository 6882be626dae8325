# The organizer's side of meetings: alice adds a meeting from her phone
# (Sync Add with Attendees) with bob (on this box) and dave (elsewhere,
# through the relay's sink). dave gets an iTIP REQUEST (SEQUENCE 0, alice
# as ORGANIZER, everyone asked to answer); bob has it in his Inbox at once
# and a tentative event in his Calendar. Moving it sends an update
# (SEQUENCE 1) that moves bob's event; a new reminder sends nothing;
# taking dave off sends him a CANCEL; bob's acceptance (held for
# eas_meeting_reply_delay, 1 s here) sets his status on alice's event; deleting it cancels it for bob.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use SmtpSink;
use Test::More;

my ($t, $sink) = SmtpSink->server_with_sink({ http => 'eas_meeting_reply_delay 1s;' },
                                            ['alice', 'alice@example.org', 'Alice Liddell'],
                                            ['bob', 'bob@example.org']);
sub sink_count { $sink->count }
sub sink_message { $sink->message(@_) }
sub calendar_part { SmtpSink::part($_[0], 'text/calendar') }
sub strip { my ($x) = @_; $x =~ s/ xmlns="[^"]*"//g; return $x }

my $alice = EasTest::folder_adds($t->folder_sync('0', device => 'PHONE')->{xml});
my $bob = EasTest::folder_adds($t->folder_sync('0', device => 'BOBPHONE', user => 'bob')->{xml});
my $calendar = $alice->{Calendar}{id};

my $devices = 0;
my %ids;  # the ServerIds of the last items_of, by the same key
# A new device's view of a folder: Subject (mail) or UID (events) => data.
sub items_of {
    my ($folder, $user, $field) = @_;
    my $device = 'VIEW' . ++$devices;
    my ($key, %items) = ('0');
    %ids = ();
    for my $round (1 .. 3) {
        my $inner = "<SyncKey>$key</SyncKey><CollectionId>$folder</CollectionId>";
        $inner .= '<GetChanges/><WindowSize>100</WindowSize>' if $key ne '0';
        my $r = $t->request(cmd => 'Sync', device => $device, user => $user,
            xml => qq{<Sync xmlns="AirSync:"><Collections><Collection>$inner</Collection></Collections></Sync>});
        $t->valid_ok('Sync', $r, "Sync of $user\'s folder $folder is valid (round $round)") if length $r->{body};
        my $x = strip($r->{xml});
        while ($x =~ m{<Add><ServerId>([^<]+)</ServerId><ApplicationData>(.*?)</ApplicationData></Add>}gs) {
            my ($id, $data) = ($1, $2);
            my ($k) = $data =~ m{<$field>([^<]*)</$field>};
            $items{$k // ''} = $data;
            $ids{$k // ''} = $id;
        }
        $key = EasTest::tag($x, 'SyncKey') // last;
        last if $round > 1 && $x !~ /<MoreAvailable/;
    }
    return \%items;
}

my $attendees = sub {
    join '', '<Attendees xmlns="Calendar:">',
        (map { "<Attendee><Attendee_Email>$_->[0]</Attendee_Email><Attendee_Name>$_->[1]</Attendee_Name><Attendee_Type>1</Attendee_Type></Attendee>" } @_),
        '</Attendees>';
};
sub meeting {
    my ($start, $end, $extra, @people) = @_;
    return qq{<ApplicationData><Subject xmlns="Calendar:">Budget</Subject><StartTime xmlns="Calendar:">$start</StartTime>}
         . qq{<EndTime xmlns="Calendar:">$end</EndTime><Location xmlns="Calendar:">Room 1</Location>}
         . qq{<UID xmlns="Calendar:">budget-2026\@example.org</UID><MeetingStatus xmlns="Calendar:">1</MeetingStatus>}
         . qq{<BusyStatus xmlns="Calendar:">2</BusyStatus>$extra} . $attendees->(@people) . '</ApplicationData>';
}
my @both = (['bob@example.org', 'Bob'], ['dave@elsewhere.example', 'Dave']);

# (The calendar is empty: the first key is the one to add with.)
my $key = EasTest::tag($t->sync_collection('PHONE', $calendar, '0')->{xml}, 'SyncKey');

# --- a new meeting ---
my $r = $t->sync_collection('PHONE', $calendar, $key,
    commands => '<Add><ClientId>m1</ClientId>' . meeting('20261215T100000Z', '20261215T110000Z', '', @both) . '</Add>');
my $x = strip($r->{xml});
$key = EasTest::tag($x, 'SyncKey');
my ($event_id) = $x =~ m{<Add><ClientId>m1</ClientId><ServerId>([^<]+)</ServerId><Status>1</Status>};
ok($event_id, 'alice adds the meeting from her phone');

my $m = sink_message(1);
like($m, qr{^RCPT TO:<dave\@elsewhere.example>$}m, 'dave gets the invitation through the relay');
unlike($m, qr{^RCPT TO:[^\n]*bob}m, '... and bob is not sent it through the relay');
like($m, qr{^Subject: Budget\r?$}m, '... subject Budget');
my ($head, $ics) = calendar_part($m);
like($head, qr{method=REQUEST}i, '... text/calendar; method=REQUEST');
like($ics, qr{^METHOD:REQUEST\r?$}m, '... METHOD:REQUEST');
like($ics, qr{^UID:budget-2026\@example.org\r?$}m, '... the UID');
like($ics, qr{^SEQUENCE:0\r?$}m, '... SEQUENCE 0');
like($ics, qr{^ORGANIZER;CN=Alice Liddell:mailto:alice\@example.org\r?$}m, '... alice organizes');
like($ics, qr{^ATTENDEE;[^\n]*RSVP=TRUE[^\n]*:mailto:dave\@elsewhere.example\r?$}m, '... dave is asked to answer');
like($ics, qr{^ATTENDEE;[^\n]*PARTSTAT=NEEDS-ACTION[^\n]*:mailto:bob\@example.org\r?$}m, '... and bob is listed');
like($ics, qr{^DTSTART:20261215T100000Z\r?$}m, '... at its time');

my $bob_inbox = items_of($bob->{Inbox}{id}, 'bob', 'Subject');
like($bob_inbox->{Budget} // '', qr{<MessageClass>IPM.Schedule.Meeting.Request</MessageClass>}, 'bob has the invitation in his Inbox');
my $bob_events = items_of($bob->{Calendar}{id}, 'bob', 'UID');
my $b = $bob_events->{'budget-2026@example.org'} // '';
like($b, qr{<MeetingStatus>3</MeetingStatus>}, "... and a received meeting in his Calendar");
like($b, qr{<BusyStatus>1</BusyStatus>}, '... tentative');
like($b, qr{<Organizer_Email>alice\@example.org</Organizer_Email>}, '... organized by alice');

# --- moved: an update ---
$r = $t->sync_collection('PHONE', $calendar, $key,
    commands => "<Change><ServerId>$event_id</ServerId>" . meeting('20261215T140000Z', '20261215T150000Z', '', @both) . '</Change>');
$key = EasTest::tag(strip($r->{xml}), 'SyncKey');
(undef, $ics) = calendar_part(sink_message(2));
like($ics, qr{^SEQUENCE:1\r?$}m, 'moving it sends dave an update with SEQUENCE 1');
like($ics, qr{^DTSTART:20261215T140000Z\r?$}m, '... at the new time');
$bob_events = items_of($bob->{Calendar}{id}, 'bob', 'UID');
is(scalar keys %$bob_events, 1, "bob still has one event");
like($bob_events->{'budget-2026@example.org'} // '', qr{<StartTime>20261215T140000Z</StartTime>}, '... moved');

# --- a reminder only: nothing sent ---
$r = $t->sync_collection('PHONE', $calendar, $key,
    commands => "<Change><ServerId>$event_id</ServerId>" . meeting('20261215T140000Z', '20261215T150000Z', '<Reminder xmlns="Calendar:">15</Reminder>', @both) . '</Change>');
$key = EasTest::tag(strip($r->{xml}), 'SyncKey');

# --- dave taken off: he gets a CANCEL ---
$r = $t->sync_collection('PHONE', $calendar, $key,
    commands => "<Change><ServerId>$event_id</ServerId>" . meeting('20261215T140000Z', '20261215T150000Z', '', $both[0]) . '</Change>');
$key = EasTest::tag(strip($r->{xml}), 'SyncKey');
$m = sink_message(3);
is(sink_count(), 3, 'a new reminder sent nothing; taking dave off sent one message');
like($m, qr{^RCPT TO:<dave\@elsewhere.example>$}m, '... to dave');
like($m, qr{^Subject: Canceled: Budget\r?$}m, '... "Canceled: Budget"');
(undef, $ics) = calendar_part($m);
like($ics, qr{^METHOD:CANCEL\r?$}m, '... METHOD:CANCEL');
like($ics, qr{^SEQUENCE:2\r?$}m, '... SEQUENCE 2');

# --- bob accepts: alice sees it ---
$bob_inbox = items_of($bob->{Inbox}{id}, 'bob', 'Subject');
my $invite_id = $ids{Budget} // '';
$r = $t->request(cmd => 'MeetingResponse', user => 'bob', device => 'BOBPHONE',
    xml => qq{<MeetingResponse xmlns="MeetingResponse:"><Request><UserResponse>1</UserResponse><CollectionId>$bob->{Inbox}{id}</CollectionId><RequestId>$invite_id</RequestId></Request></MeetingResponse>});
$t->valid_ok('MeetingResponse', $r);
like(strip($r->{xml}), qr{<Status>1</Status>}, 'bob accepts from his Inbox');
# (at 14.1 the server's answer waits eas_meeting_reply_delay, 1 s here)
$t->wait_for_inbox('alice', qr{<Subject>Accepted: Budget</Subject>}, 15);
my $alice_events = items_of($calendar, 'alice', 'UID');
like($alice_events->{'budget-2026@example.org'} // '',
     qr{<Attendee><Attendee_Email>bob\@example.org</Attendee_Email>(?:(?!</Attendee>).)*<Attendee_Status>3</Attendee_Status>}s,
     "alice's event shows bob accepted");
is(sink_count(), 3, '... and bob\'s answer stayed on this box');

# --- deleted: bob's copy is cancelled ---
$r = $t->sync_collection('PHONE', $calendar, $key, commands => "<Delete><ServerId>$event_id</ServerId></Delete>");
$bob_events = items_of($bob->{Calendar}{id}, 'bob', 'UID');
like($bob_events->{'budget-2026@example.org'} // '', qr{<MeetingStatus>7</MeetingStatus>}, "deleting the meeting cancels bob's copy");
$bob_inbox = items_of($bob->{Inbox}{id}, 'bob', 'Subject');
like($bob_inbox->{'Canceled: Budget'} // '', qr{<MessageClass>IPM.Schedule.Meeting.Canceled</MessageClass>}, '... and tells him so in his Inbox');
is(sink_count(), 3, '... dave, no longer invited, is not told');
like($t->error_log, qr/Sync from alice: meeting budget-2026\@example.org: CANCEL \(SEQUENCE 3\) sent to bob\@example.org/, 'the log says what was sent');

$t->stop;
done_testing;
