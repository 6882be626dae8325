# Ping held as a long-poll: immediate answers (3, 5, 6, 7, 2), expiry at
# the heartbeat (1), wake-up by a change from another process (easctl) and
# by another device's FolderCreate (7), reuse of the last parameters by an
# empty Ping, a newer request of the device ending the held one, a client
# that goes away, and a reload while Pings are held. Held requests are
# driven over raw sockets so several can be open at once.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use IO::Select;
use IO::Socket::INET;
use MIME::Base64 qw(encode_base64);
use Test::More;
use Time::HiRes qw(sleep time);

# Generous for a loaded CI machine; the design bound is the 250 ms poll.
my $WAKE_LIMIT = 3;

# A second port with reuseport, so the kernel spreads its connections over
# both workers (the first port's connections mostly reach one worker); the
# X-Worker header says which worker answered.
my $spread_port = EasTest::free_port();
my $t = EasTest->new(
    server => "listen 127.0.0.1:$spread_port reuseport;\n",
    location => "eas on;\neas_ping_min 1s;\neas_ping_max 30s;\neas_ping_max_folders 3;\n"
              . "add_header X-Worker \$pid always;\n");
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

# Bad limits are refused by nginx -t.
for my $c (["eas on;\neas_ping_min 10s;\neas_ping_max 5s;\n", qr/"eas_ping_max" 5 is less than "eas_ping_min" 10/],
           ["eas on;\neas_ping_max_folders 0;\n", qr/"eas_ping_max_folders" must be at least 1/],
           ["eas on;\neas_ping_min soon;\n", qr/"eas_ping_min" directive invalid value/]) {
    my $bad = EasTest->new(location => $c->[0]);
    my ($rc, $out) = $bad->check_conf;
    isnt($rc, 0, "nginx -t refuses: $c->[0]");
    like($out, $c->[1], '... saying why');
}

sub ping_xml {
    my ($hb, @ids) = @_;
    my $x = '<Ping xmlns="Ping:">';
    $x .= "<HeartbeatInterval>$hb</HeartbeatInterval>" if defined $hb;
    if (@ids) {
        $x .= '<Folders>';
        $x .= "<Folder><Id>$_</Id><Class>Contacts</Class></Folder>" for @ids;
        $x .= '</Folders>';
    }
    return $x . '</Ping>';
}

sub ping_start { $t->ping_start(@_) }
sub ping_finish { $t->ping_finish(@_) }

sub ping_now {
    my ($r) = ping_finish(ping_start(@_), 10);
    return $r;
}

sub ping_status { EasTest::tag($_[0]{xml}, 'Status') // '' }

sub changed_folders { [ $_[0]{xml} =~ m{<Folder>([^<]*)</Folder>}g ] }

# The device's FolderSync, so its hierarchy is known and current.
sub folder_sync {
    my ($device, $key) = @_;
    my $r = $t->request(cmd => 'FolderSync', device => $device,
                        xml => qq{<FolderSync xmlns="FolderHierarchy:"><SyncKey>$key</SyncKey></FolderSync>});
    return $r;
}

my $fs = folder_sync('PHONE', '0');
my %id;
while ($fs->{xml} =~ m{<Add>(.*?)</Add>}g) {
    my $a = $1;
    $id{ EasTest::tag($a, 'DisplayName') } = EasTest::tag($a, 'ServerId');
}
my $phone_key = EasTest::tag($fs->{xml}, 'SyncKey');
ok($id{Contacts} && $id{Calendar}, 'FolderSync gives the folder ids');

sub mark_synced {
    my ($device, @folders) = @_;
    for my $f (@folders) {
        my ($rc, $out) = $t->easctl('debug', 'mark-synced', 'alice', $device, $f);
        die "mark-synced: $out" if $rc;
    }
}

# --- immediate answers ---

my $r = ping_now(device => 'NEWDEVICE');
is($r->{status}, 200, 'an empty Ping answers 200');
is(ping_status($r), '3', 'an empty Ping with nothing remembered: Status 3');
$t->valid_ok('Ping', $r);

$r = ping_now(xml => ping_xml(0, $id{Contacts}));
is(ping_status($r), '5', 'HeartbeatInterval 0: Status 5');
is(EasTest::tag($r->{xml}, 'HeartbeatInterval'), '1', '... with the shortest allowed');
$t->valid_ok('Ping', $r);
$r = ping_now(xml => ping_xml(31, $id{Contacts}));
is(ping_status($r), '5', 'HeartbeatInterval 31 with eas_ping_max 30s: Status 5');
is(EasTest::tag($r->{xml}, 'HeartbeatInterval'), '30', '... with the longest allowed');

$r = ping_now(xml => ping_xml(5, @id{qw(Contacts Calendar Tasks Notes)}));
is(ping_status($r), '6', 'four folders with eas_ping_max_folders 3: Status 6');
is(EasTest::tag($r->{xml}, 'MaxFolders'), '3', '... with MaxFolders');
$t->valid_ok('Ping', $r);

$r = ping_now(xml => ping_xml(5, '999999'));
is(ping_status($r), '7', 'an unknown folder: Status 7');
$t->valid_ok('Ping', $r);

$r = ping_now(xml => ping_xml(5, $id{Contacts}, $id{Contacts}));
is(ping_status($r), '4', 'a folder listed twice: Status 4');

$r = ping_now(xml => ping_xml(5, $id{Contacts}, $id{Calendar}));
is(ping_status($r), '2', 'folders the device never synced: Status 2 at once');
ok($r->{elapsed} < 1, '... without waiting');
is_deeply([sort @{ changed_folders($r) }], [sort $id{Contacts}, $id{Calendar}], '... naming them');
$t->valid_ok('Ping', $r);

# --- held: expiry at the heartbeat, and reuse by an empty Ping ---

mark_synced('PHONE', $id{Contacts}, $id{Calendar});
$r = ping_now(xml => ping_xml(2, $id{Contacts}, $id{Calendar}));
is(ping_status($r), '1', 'nothing changed: Status 1 at the heartbeat');
ok($r->{elapsed} >= 1.8 && $r->{elapsed} < 3.5, sprintf('... after %.2f s (heartbeat 2 s)', $r->{elapsed}));
$t->valid_ok('Ping', $r);

$r = ping_now();
is(ping_status($r), '1', 'an empty Ping reuses the last parameters: held, Status 1');
ok($r->{elapsed} >= 1.8 && $r->{elapsed} < 3.5, sprintf('... after the remembered heartbeat (%.2f s)', $r->{elapsed}));

# --- woken by a change from another process ---

my @delays;
for my $round (1 .. 3) {
    my $h = ping_start(xml => ping_xml(30, $id{Contacts}, $id{Calendar}));
    sleep 0.3;
    my ($rc, $out) = $t->easctl('debug', 'touch-folder', $id{Calendar});
    is($rc, 0, 'easctl debug touch-folder changes the calendar') or diag $out;
    my $changed_at = time;
    $r = ping_finish($h, 10);
    is(ping_status($r), '2', "round $round: a change by easctl wakes the Ping with Status 2");
    is_deeply(changed_folders($r), [$id{Calendar}], '... naming the calendar');
    my $delay = ($r->{done} // time) - $changed_at;
    push @delays, $delay;
    ok($delay < $WAKE_LIMIT, sprintf('... %.3f s after the change', $delay));
    mark_synced('PHONE', $id{Calendar});
}
$t->valid_ok('Ping', $r);
note(sprintf('wake-up delays: %s s', join ' ', map { sprintf '%.3f', $_ } @delays));

# A change elsewhere is no news for this device's folders.
{
    my $h = ping_start(xml => ping_xml(2, $id{Contacts}));
    sleep 0.3;
    $t->easctl('debug', 'touch-folder', $id{Calendar});
    $r = ping_finish($h, 10);
    is(ping_status($r), '1', 'a change in an unwatched folder does not end the Ping');
    mark_synced('PHONE', $id{Calendar});
}

# --- woken by another device's FolderCreate: Status 7 ---

{
    my $tablet_key = EasTest::tag(folder_sync('TABLET', '0')->{xml}, 'SyncKey');
    my $h = ping_start(xml => ping_xml(30, $id{Contacts}));
    sleep 0.3;
    my $c = $t->request(cmd => 'FolderCreate', device => 'TABLET',
                        xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$tablet_key</SyncKey><ParentId>0</ParentId><DisplayName>Family</DisplayName><Type>14</Type></FolderCreate>});
    is(EasTest::tag($c->{xml}, 'Status'), '1', 'the tablet creates a folder');
    my $changed_at = time;
    $r = ping_finish($h, 10);
    is(ping_status($r), '7', 'the phone\'s held Ping answers Status 7 (FolderSync required)');
    ok(($r->{done} // time) - $changed_at < $WAKE_LIMIT, '... promptly');
    $t->valid_ok('Ping', $r);

    $r = ping_now(xml => ping_xml(2, $id{Contacts}));
    is(ping_status($r), '7', 'until the phone runs FolderSync, Ping says Status 7 at once');
    folder_sync('PHONE', $phone_key);
    $r = ping_now(xml => ping_xml(1, $id{Contacts}));
    is(ping_status($r), '1', 'after FolderSync the Ping is held again');
}

# --- a newer request of the same device ends the held Ping ---

{
    my $first = ping_start(xml => ping_xml(30, $id{Contacts}));
    sleep 0.3;
    my $second = ping_start(xml => ping_xml(3, $id{Contacts}));
    my $ended_at = time;
    $r = ping_finish($first, 10);
    is(ping_status($r), '1', 'a second Ping of the device ends the first with Status 1');
    ok(($r->{done} // time) - $ended_at < 1.5, sprintf('... at once (%.3f s)', ($r->{done} // time) - $ended_at));
    $r = ping_finish($second, 10);
    is(ping_status($r), '1', 'the second Ping is held to its own heartbeat');
    ok($r->{elapsed} >= 2.8, '... and not cut short');

    # The same across workers: the other worker notices at its next poll.
    my $crossed;
    for (1 .. 20) {
        my $a = ping_start(port => $spread_port, xml => ping_xml(30, $id{Contacts}));
        sleep 0.2;
        my $b = ping_start(port => $spread_port, xml => ping_xml(1, $id{Contacts}));
        my $b_at = time;
        my $ra = ping_finish($a, 10);
        my $rb = ping_finish($b, 10);
        next if $ra->{worker} eq $rb->{worker};
        $crossed = 1;
        is(ping_status($ra), '1', 'a Ping of the device taken by another worker ends the held one');
        my $delay = ($ra->{done} // time) - $b_at;
        ok($delay < 1.5, sprintf('... promptly (%.3f s, workers %s and %s)', $delay, $ra->{worker}, $rb->{worker}));
        last;
    }
    ok($crossed, 'the two Pings reached different workers at least once');

    # Many in a row (spread over both workers): only the last stays.
    my @h = map { my $h = ping_start(port => $spread_port, xml => ping_xml(30, $id{Contacts})); sleep 0.1; $h } 1 .. 6;
    my $last = pop @h;
    my @answers = map { ping_finish($_, 5) } @h;
    is(scalar(grep { ping_status($_) eq '1' } @answers), 5, 'five superseded Pings all answered Status 1');
    ok(!grep({ $_->{elapsed} > 4 } @answers), '... promptly: duplicates never pile up');
    my $other = $t->request(cmd => 'FolderSync', device => 'PHONE',
                            xml => qq{<FolderSync xmlns="FolderHierarchy:"><SyncKey>$phone_key</SyncKey></FolderSync>});
    $r = ping_finish($last, 5);
    is(ping_status($r), '1', 'any other request of the device (FolderSync) ends the held Ping too');
}

# --- a client that goes away ---

{
    my $h = ping_start(xml => ping_xml(30, $id{Contacts}));
    sleep 0.3;
    close $h->{sock};
    sleep 0.5;
    $t->easctl('debug', 'touch-folder', $id{Contacts});  # nothing left to wake
    sleep 0.5;
    mark_synced('PHONE', $id{Contacts});
    like($t->error_log, qr/client prematurely closed connection/, 'a client leaving a held Ping is noticed');
    $r = ping_now(xml => ping_xml(1, $id{Contacts}));
    is(ping_status($r), '1', '... and the server goes on holding Pings');
}

# --- an administrator blocks or wipes a device while its Ping is held ---
# The Ping ends at once with what the device's next request would get
# (MS-ASCMD 2.2.2: 129 blocked, 140 wipe; HTTP 403 / 449 before 14.0),
# not at its heartbeat.

for my $c (['BLOCKME', '14.1', 'block', 200, '129'],
           ['WIPEME', '14.1', 'wipe', 200, '140'],
           ['OLDBLOCK', '12.1', 'block', 403, undef],
           ['OLDWIPE', '12.1', 'wipe', 449, undef]) {
    my ($device, $version, $verb, $http, $status) = @$c;
    folder_sync($device, '0');
    mark_synced($device, $id{Contacts});
    my $h = ping_start(device => $device, version => $version, xml => ping_xml(30, $id{Contacts}));
    sleep 0.3;
    my ($rc, $out) = $t->easctl('device', $verb, 'alice', $device);
    is($rc, 0, "easctl device $verb $device") or diag $out;
    my $at = time;
    $r = ping_finish($h, 10);
    is($r->{status}, $http, "$version: the held Ping of a device put to $verb: HTTP $http");
    if (defined $status) {
        is(ping_status($r), $status, "... Status $status");
        $t->valid_ok('Ping', $r);
    } else {
        is($r->{body}, '', '... with no body');
    }
    my $delay = ($r->{done} // time) - $at;
    ok($delay < $WAKE_LIMIT, sprintf('... at once (%.3f s), not at the 30 s heartbeat', $delay));
}
like($t->error_log, qr/Ping held for device "BLOCKME" refused: block by administrator \(Status 129\)/,
     'the refusal is logged with the decision');
like($t->error_log, qr/Ping held for device "OLDWIPE" refused: wipe by administrator \(HTTP 449\)/,
     '... and the HTTP status for an old client');
{
    folder_sync('APPROVEME', '0');
    mark_synced('APPROVEME', $id{Contacts});
    my $h = ping_start(device => 'APPROVEME', xml => ping_xml(2, $id{Contacts}));
    sleep 0.3;
    my ($rc, $out) = $t->easctl('device', 'approve', 'alice', 'APPROVEME');
    is($rc, 0, 'easctl device approve') or diag $out;
    $r = ping_finish($h, 10);
    is(ping_status($r), '1', 'an approval does not end a held Ping: Status 1 at its heartbeat');
    ok($r->{elapsed} >= 1.8, sprintf('... after %.2f s', $r->{elapsed}));
}

# --- reload while Pings are held ---

{
    my @h = map { ping_start(device => "RELOAD$_", xml => ping_xml(30, $id{Contacts})) } 1 .. 2;
    my $h = ping_start(xml => ping_xml(30, $id{Contacts}));
    sleep 0.3;
    my $t0 = time;
    kill 'HUP', $t->pid;
    $r = ping_finish($h, 10);
    is(ping_status($r), '1', 'nginx -s reload: a held Ping is answered with Status 1');
    ok(($r->{done} // time) - $t0 < 3, sprintf('... promptly (%.3f s)', ($r->{done} // time) - $t0));
    ping_finish($_, 1) for @h;
    sleep 0.5;
    $r = ping_now(xml => ping_xml(1, $id{Contacts}));
    is(ping_status($r), '1', 'the new workers hold Pings');
    my $h2 = ping_start(xml => ping_xml(30, $id{Contacts}));
    sleep 0.3;
    $t->easctl('debug', 'touch-folder', $id{Contacts});
    $r = ping_finish($h2, 10);
    is(ping_status($r), '2', '... and wake them on changes');
}

like($t->access_log, qr/^Ping\|alice\|PHONE\|iPhone\|14\.1\|200$/m, 'Pings are logged with the $eas_* variables');

$t->stop;
unlike($t->error_log, qr/exited on signal/, 'no worker crashed');
unlike($t->error_log, qr/open socket .* left in connection/, 'no held request was left behind at shutdown');
done_testing;
