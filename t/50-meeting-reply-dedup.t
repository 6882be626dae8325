# One answer per invitation when a phone up to 14.1 also mails its own.
# MS-ASCMD 2.2.1.11: up to 14.1 a client *can* send the organizer its
# answer by SendMail after MeetingResponse (iOS and Android do, as a
# text/calendar METHOD:REPLY inside multipart/alternative); the server,
# which cannot know, holds its own REPLY for eas_meeting_reply_delay (6 s
# here) in the outgoing queue. alice answers invitations of anna
# (elsewhere: the relay's sink) and of bob (on this box: his Inbox).
# (a) She accepts at 14.1 and her phone mails its own REPLY at once: each
# organizer gets exactly one answer, the phone's, and the log says the
# server's was dropped. (b) She accepts at 14.1 and her phone sends
# nothing: `easctl queue list` shows the held entries with their time,
# nothing arrives before it, the server's REPLY arrives once after it,
# also across a restart of nginx. (c) At 16.1 with SendResponse the reply
# goes at once, as before. (d) A box without eas_smtp_relay still sends a
# held reply to an organizer on the box.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use ItipMail;
use SmtpSink;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(time sleep);
use Test::More;

my $DELAY = 6;
my @users = (['alice', 'alice@example.org', 'Alice Liddell'], ['bob', 'bob@example.org', 'Bob']);
my ($t, $sink) = SmtpSink->server_with_sink({ http => "eas_meeting_reply_delay ${DELAY}s;" }, @users);

sub strip { my ($x) = @_; $x =~ s/ xmlns="[^"]*"//g; return $x }

sub event {
    my ($uid, $summary, $organizer) = @_;
    return <<"EOV";
BEGIN:VEVENT
UID:$uid
SEQUENCE:0
DTSTAMP:20261203T110000Z
DTSTART:20261214T090000Z
DTEND:20261214T100000Z
SUMMARY:$summary
ORGANIZER;CN=Organiser:mailto:$organizer
ATTENDEE;CN=Alice Liddell;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:alice\@example.org
END:VEVENT
EOV
}

# Invitations to alice: name => [UID, summary, organizer].
my %meetings = (
    remote_own  => ['remote-own@example.org', 'Remote own', 'anna@elsewhere.example'],
    local_own   => ['local-own@example.org', 'Local own', 'bob@example.org'],
    remote_none => ['remote-none@example.org', 'Remote none', 'anna@elsewhere.example'],
    local_none  => ['local-none@example.org', 'Local none', 'bob@example.org'],
    remote_16   => ['remote-16@example.org', 'Remote sixteen', 'anna@elsewhere.example'],
);

# Each invitation delivered to alice; bob's have his events in his calendar.
sub invite_all {
    my ($server, @names) = @_;
    for my $name (@names) {
        my ($uid, $summary, $organizer) = @{ $meetings{$name} };
        my ($rc, $out) = $server->deliver(ItipMail::invitation($name, 'REQUEST', event($uid, $summary, $organizer),
            from => "Organiser <$organizer>", to => 'Alice Liddell <alice@example.org>'), '-d', 'alice');
        is($rc, 0, "the $name invitation is delivered to alice") or diag $out;
        next unless $organizer eq 'bob@example.org';
        my $bob = EasTest::folder_adds($server->folder_sync('0', device => 'BOBSETUP', user => 'bob')->{xml});
        EasTest::write_file($server->dir . "/$name.ics", EasTest::crlf("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Example//Test//EN\n"
            . event($uid, $summary, 'bob@example.org') . "END:VCALENDAR\n"));
        ($rc, $out) = $server->easctl('import', '--user', 'bob', '--folder', $bob->{Calendar}{id}, $server->dir . "/$name.ics");
        is($rc, 0, "... and bob's meeting $name is in his calendar") or diag $out;
    }
}

# A new device's view of a folder: the first capture of $re in each Add's
# ApplicationData => [ServerId, ApplicationData].
my $devices = 0;
sub items {
    my ($server, $user, $folder, $re) = @_;
    my $device = 'VIEW' . ++$devices;
    my $key = EasTest::tag($server->sync_collection($device, $folder, '0', user => $user)->{xml}, 'SyncKey');
    my $r = $server->sync_collection($device, $folder, $key, user => $user);
    my %items;
    my $x = strip($r->{xml});
    while ($x =~ m{<Add><ServerId>([^<]+)</ServerId><ApplicationData>(.*?)</ApplicationData></Add>}gs) {
        my ($id, $data) = ($1, $2);
        my ($k) = $data =~ $re;
        $items{$k // ''} = [$id, $data];
    }
    return \%items;
}

sub respond {
    my ($server, %o) = @_;
    my $r = $server->request(cmd => 'MeetingResponse', version => $o{version}, user => 'alice', device => 'PHONE',
        xml => qq{<MeetingResponse xmlns="MeetingResponse:"><Request><UserResponse>1</UserResponse>}
             . qq{<CollectionId>$o{collection}</CollectionId><RequestId>$o{request}</RequestId>}
             . ($o{send} // '') . '</Request></MeetingResponse>');
    is($r->{status}, 200, "MeetingResponse ($o{name}) answers 200");
    $server->valid_ok('MeetingResponse', $r, "... valid against the schema ($o{name})");
    like(strip($r->{xml}), qr{<Status>1</Status>}, '... Status 1');
    return $r;
}

# The phone's own REPLY, as iOS mails it after MeetingResponse.
sub phone_reply {
    my ($server, $name) = @_;
    my ($uid, $summary, $organizer) = @{ $meetings{$name} };
    my $mime = EasTest::crlf(<<"EOM");
From: Alice Liddell <alice\@example.org>
To: Organiser <$organizer>
Subject: Accepted (phone): $summary
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="phone-b"

--phone-b
Content-Type: text/plain; charset=utf-8

Alice Liddell has accepted.
--phone-b
Content-Type: text/calendar; charset=utf-8; method=REPLY

BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Phone//Mail//EN
METHOD:REPLY
BEGIN:VEVENT
UID:$uid
DTSTAMP:20261203T120000Z
DTSTART:20261214T090000Z
DTEND:20261214T100000Z
SUMMARY:$summary
ORGANIZER:mailto:$organizer
ATTENDEE;CN=Alice Liddell;PARTSTAT=ACCEPTED:mailto:alice\@example.org
END:VEVENT
END:VCALENDAR
--phone-b--
EOM
    my $r = $server->request(cmd => 'SendMail', user => 'alice', device => 'PHONE',
        xml => '<SendMail xmlns="ComposeMail:"><ClientId>reply-' . $name . '</ClientId><SaveInSentItems/>'
             . '<MIME>' . encode_base64($mime, '') . '</MIME></SendMail>');
    is($r->{status}, 200, "the phone's own REPLY for $name: SendMail answers 200");
    $server->valid_ok('SendMail', $r, '... valid against the schema');
    return $r;
}

sub held_entries {
    my ($server) = @_;
    return { map { $_->{held_reply_uid} => $_ } grep { $_->{held_reply_uid} } @{ $server->outgoing_queue } };
}
# A message's calendar part (base64 undone).
sub ics { (SmtpSink::part($_[0], 'text/calendar'))[1] }
# The sink's messages whose calendar part answers $uid.
sub at_sink { my ($uid) = @_; grep { ics($_) =~ /^UID:\Q$uid\E\r?$/m } @{ $sink->received } }
# bob's Inbox: Subject => [ServerId, data].
sub bob_inbox {
    my ($server) = @_;
    my $bob = EasTest::folder_adds($server->folder_sync('0', device => 'BOBSETUP', user => 'bob')->{xml});
    return items($server, 'bob', $bob->{Inbox}{id}, qr{<Subject>([^<]*)</Subject>});
}

invite_all($t, sort keys %meetings);
my $alice = EasTest::folder_adds($t->folder_sync('0', device => 'PHONE')->{xml});
my $inbox = items($t, 'alice', $alice->{Inbox}{id}, qr{<Subject>([^<]*)</Subject>});
my %invitation = map { $_ => $inbox->{"Invitation $_"}[0] } keys %meetings;
ok(!grep({ !$_ } values %invitation), 'alice has every invitation in her Inbox');

# --- (a) accepted at 14.1, then the phone mails its own REPLY ---
my $started = time;
for my $name ('remote_own', 'local_own') {
    respond($t, name => "14.1 accept of $name", version => '14.1', collection => $alice->{Inbox}{id},
            request => $invitation{$name});
}
my $held = held_entries($t);
ok($held->{'remote-own@example.org'} && $held->{'local-own@example.org'},
   "the server's replies wait in the outgoing queue (easctl queue list shows them held)");
is(scalar(at_sink('remote-own@example.org')), 0, '... nothing went to the relay yet');
ok(!bob_inbox($t)->{'Accepted: Local own'}, "... nor to bob's Inbox");
phone_reply($t, $_) for 'remote_own', 'local_own';
ok(!held_entries($t)->{'remote-own@example.org'} && !held_entries($t)->{'local-own@example.org'},
   "the phone's own REPLYs dropped the held ones");
like($t->error_log, qr/SendMail from alice .*: the server's held reply to meeting remote-own\@example.org \(outgoing \d+\) dropped: the user's own reply goes instead/,
     '... and the log says so');
my $m = $sink->message(1);
like(ics($m), qr{^PRODID:-//Phone//Mail//EN\r?$}m, "anna gets the phone's REPLY through the relay");
like(bob_inbox($t)->{'Accepted (phone): Local own'}[1] // '', qr{<MessageClass>IPM.Schedule.Meeting.Resp.Pos</MessageClass>},
     "bob has the phone's REPLY in his Inbox");

# --- (b) accepted at 14.1, the phone sends nothing ---
my $answered = time;
for my $name ('remote_none', 'local_none') {
    respond($t, name => "14.1 accept of $name", version => '14.1', collection => $alice->{Inbox}{id},
            request => $invitation{$name});
}
$held = held_entries($t);
like($held->{'remote-none@example.org'}{next} // '', qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
     "easctl queue list shows the held reply with the time it goes");
ok($held->{'local-none@example.org'}, '... and the one for bob');
my ($rc, $table) = $t->easctl('queue', 'list');
like($table, qr/^\s+meeting reply held until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, dropped if the phone sends its own, for remote-none\@example.org$/m,
     '... and so does its table') or diag $table;
like($t->error_log, qr/MeetingResponse from alice .*reply to <anna\@elsewhere.example> held until \d\d:\d\d:\d\d UTC \(outgoing \d+\) in case the client sends its own/,
     '... and the log says it is held');
# Held in the store: a restart keeps it.
$t->stop;
$t->start;
my $remote = $sink->message(2);
my $took = time - $answered;
like(ics($remote), qr{^UID:remote-none\@example.org\r?$}m, "anna gets the server's REPLY after the delay (and a restart)");
unlike(ics($remote), qr{Phone//Mail}, '... the server made it');
like(ics($remote), qr{PARTSTAT=ACCEPTED}, '... accepted');
cmp_ok($took, '>=', $DELAY - 1, "... not before eas_meeting_reply_delay (${\ sprintf '%.1f', $took} s)");
my $local = $t->wait_for_inbox('bob', qr{<Subject>Accepted: Local none</Subject>}, 20);
ok($local, "bob gets the server's REPLY for his meeting in his Inbox");
my $bob_cal = EasTest::folder_adds($t->folder_sync('0', device => 'BOBSETUP', user => 'bob')->{xml})->{Calendar}{id};
my $bob_events = items($t, 'bob', $bob_cal, qr{<UID>([^<]*)</UID>});
for my $uid ('local-none@example.org', 'local-own@example.org') {
    like($bob_events->{$uid}[1] // '',
         qr{<Attendee><Attendee_Email>alice\@example.org</Attendee_Email>(?:(?!</Attendee>).)*<Attendee_Status>3</Attendee_Status>}s,
         "bob's event $uid shows alice accepted");
}
my $sent = items($t, 'alice', $alice->{'Sent Items'}{id}, qr{<Subject>([^<]*)</Subject>});
ok($sent->{'Accepted: Remote none'} && $sent->{'Accepted: Local none'}, "the server's replies are in alice's Sent Items");
ok(!$sent->{'Accepted: Remote own'} && !$sent->{'Accepted: Local own'}, "... the dropped ones are not (the phone's are)");

# Past every grace period: one answer each.
sleep 0.2 while time < $started + $DELAY + 2;
is(scalar(at_sink('remote-own@example.org')), 1, 'anna got one answer for the meeting the phone answered itself');
is(scalar(at_sink('remote-none@example.org')), 1, '... and one for the other');
my $bob_mail = bob_inbox($t);
is(scalar(grep { /Local own/ } keys %$bob_mail), 1, 'bob got one answer for the meeting the phone answered itself');
is(scalar(grep { /Local none/ } keys %$bob_mail), 1, '... and one for the other');
is(scalar(keys %{ held_entries($t) }), 0, 'nothing is held any more');

# --- (c) 16.1 with SendResponse: at once, as before ---
my $inbox16 = items($t, 'alice', $alice->{Inbox}{id}, qr{<Subject>([^<]*)</Subject>});
$answered = time;
respond($t, name => '16.1 accept with SendResponse', version => '16.1', collection => $alice->{Inbox}{id},
        request => $inbox16->{'Invitation remote_16'}[0], send => '<SendResponse/>');
ok(!held_entries($t)->{'remote-16@example.org'}, '... nothing is held');
$m = $sink->message(3);
like(ics($m), qr{^UID:remote-16\@example.org\r?$}m, 'anna gets the 16.1 reply');
cmp_ok(time - $answered, '<', $DELAY, '... at once');
is($sink->count, 3, 'the relay took three answers in all');
$t->stop;

# --- (d) no eas_smtp_relay: a held reply still reaches bob ---
my $t2 = EasTest->new(http => 'eas_meeting_reply_delay 2s;');
for my $u (@users) {
    my ($rc, $out) = $t2->easctl('user', 'add', $u->[0], '--password', 'secret', '--email', $u->[1], '--display-name', $u->[2]);
    die "easctl user add: $out" if $rc;
}
$t2->start;
invite_all($t2, 'local_none');
my $a2 = EasTest::folder_adds($t2->folder_sync('0', device => 'PHONE')->{xml});
my $i2 = items($t2, 'alice', $a2->{Inbox}{id}, qr{<Subject>([^<]*)</Subject>});
respond($t2, name => '14.1 accept without a relay', version => '14.1', collection => $a2->{Inbox}{id},
        request => $i2->{'Invitation local_none'}[0]);
ok(held_entries($t2)->{'local-none@example.org'}, '... held');
ok($t2->wait_for_inbox('bob', qr{<Subject>Accepted: Local none</Subject>}, 20),
   "bob gets it from a box without eas_smtp_relay");
is(scalar(keys %{ held_entries($t2) }), 0, '... and the queue is empty');
$t2->stop;

done_testing;
