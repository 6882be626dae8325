# Mail in by LMTP inside nginx (ngx_stream_eas_module): LHLO's
# capabilities; a pipelined MAIL/RCPT/RCPT/RCPT/DATA with an unknown
# recipient refused at RCPT and one 250 per accepted recipient after the
# dot, each user's Inbox Sync showing the message; a dot-stuffed line
# arriving unstuffed; a held Ping on the Inbox waking within a second; the
# size limit (SIZE= at MAIL, and a bigger message read to the dot); RSET,
# NOOP, VRFY, QUIT; 500, 503 and line-too-long; a message handed over twice
# stored once; 8 connections delivering 20 messages each at once, every
# message stored exactly once; `nginx -t` refusing eas_lmtp without a store.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use POSIX ();
use Test::More;
use Time::HiRes qw(sleep time);

# --- configuration ---

{
    my $bad = EasTest->new(lmtp => 1, lmtp_server => 'eas_lmtp on;');
    my ($rc, $out) = $bad->check_conf;
    isnt($rc, 0, 'nginx -t rejects "eas_lmtp on" without a store');
    like($out, qr/"eas_lmtp on" needs "eas_store", the store directory/, '... and says what is missing')
        or diag $out;
}

{
    # An nginx for LMTP alone (no http module of ours loaded): the stream
    # module must resolve every symbol itself (nginx loads modules with
    # RTLD_NOW, so `nginx -t` would fail on a missing one).
    my $only = EasTest->new;
    my $d = $only->dir;
    EasTest::write_file("$d/lmtp-only.conf", <<"CONF");
load_module $EasTest::STREAM_MODULE;
load_module $EasTest::BUILD/ngx_stream_eas_module.so;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 64; }
stream { server { listen 127.0.0.1:${\EasTest::free_port()}; eas_lmtp on; eas_store $d/store; } }
CONF
    my $out = `${\EasTest::nginx_command()} -t -p $d -c $d/lmtp-only.conf 2>&1`;
    is($? >> 8, 0, 'an nginx with only the stream module of ours loads it') or diag $out;
}

my $t = EasTest->new(lmtp => 1, stream => 'eas_lmtp_max_size 100k;');
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'secret', 'bob@example.org');
$t->add_user('carol', 'secret', 'carol@example.org');
$t->start;

sub codes { [map { /^(\d{3})/ ? $1 : '---' } @{ $_[0] }] }
sub crlf { my ($s) = @_; $s =~ s/\r?\n/\r\n/g; return $s }

# --- greeting and capabilities ---

my $c = $t->lmtp_connect;
like($c->{greeting}, qr/^220 \S+ LMTP/, 'the greeting is a 220');
$t->lmtp_send($c, "LHLO client.example.org\r\n");
my ($lhlo) = @{ $t->lmtp_read($c, 1) };
like($lhlo, qr/^250-/, 'LHLO answers a multi-line 250');
like($lhlo, qr/^250-PIPELINING$/m, '... with PIPELINING');
like($lhlo, qr/^250-8BITMIME$/m, '... 8BITMIME');
like($lhlo, qr/^250-ENHANCEDSTATUSCODES$/m, '... ENHANCEDSTATUSCODES');
like($lhlo, qr/^250 SIZE 102400$/m, '... and SIZE from eas_lmtp_max_size');

# --- a device waits on alice's Inbox ---

my (%key, %inbox);
sub sync_inbox {
    my ($user, $device, %o) = @_;
    my $k = $key{"$user/$device"} //= do {
        my $r = $t->request(cmd => 'FolderSync', user => $user, device => $device,
            xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
        my $inbox = $inbox{$user} = EasTest::folder_adds($r->{xml})->{Inbox}{id};
        EasTest::tag($t->request(cmd => 'Sync', user => $user, device => $device,
            xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>0</SyncKey><CollectionId>$inbox</CollectionId></Collection></Collections></Sync>})->{xml}, 'SyncKey');
    };
    my $options = $o{options} ? "<Options>$o{options}</Options>" : '';
    my $inbox = $inbox{$user};
    my $r = $t->request(cmd => 'Sync', user => $user, device => $device,
        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$k</SyncKey><CollectionId>$inbox</CollectionId><GetChanges/><WindowSize>512</WindowSize>$options</Collection></Collections></Sync>});
    is($r->{status}, 200, "Sync of $user\'s Inbox answers 200");
    my $next = EasTest::tag($r->{xml}, 'SyncKey');
    $key{"$user/$device"} = $next if defined $next;
    $r->{xml} =~ s/ xmlns="[^"]*"//g;
    return $r;
}
my $plain = '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>';

my $r = sync_inbox('alice', 'PHONE');
unlike($r->{xml}, qr{<Add>}, "alice's Inbox starts empty");
my $inbox = $inbox{alice};
my $ping = $t->ping_start(device => 'PHONE', xml => '<Ping xmlns="Ping:"><HeartbeatInterval>60</HeartbeatInterval>'
    . "<Folders><Folder><Id>$inbox</Id><Class>Email</Class></Folder></Folders></Ping>");
sleep 0.3;

# --- one message, two recipients, pipelined ---

$t->lmtp_send($c, "MAIL FROM:<sender\@example.com> SIZE=400\r\n"
                . "RCPT TO:<alice>\r\n"
                . "RCPT TO:<nobody\@example.org>\r\n"
                . "RCPT TO:<bob\@example.org>\r\n"
                . "DATA\r\n");
my $replies = $t->lmtp_read($c, 5);
is_deeply(codes($replies), [qw(250 250 550 250 354)],
          'pipelined MAIL, RCPT x3, DATA: answered in order, the unknown recipient refused at RCPT');
like($replies->[2] // '', qr/^550 5\.1\.1 <nobody\@example.org>/, '... with 550 5.1.1 naming it');

my $first = crlf(<<'EOM');
From: Sender <sender@example.com>
To: alice@example.org, bob@example.org
Subject: By LMTP
Message-ID: <lmtp-1@example.com>
Content-Type: text/plain; charset=us-ascii

first line
..a line that starts with a dot
last line
EOM
$t->lmtp_send($c, "$first.\r\n");
$replies = $t->lmtp_read($c, 2);
my $delivered_at = time;
is_deeply(codes($replies), [qw(250 250)], 'after the dot: one 250 per accepted recipient');
like($replies->[0] // '', qr/<alice>/, '... the first for alice');
like($replies->[1] // '', qr/<bob\@example.org>/, '... the second for bob, in RCPT order');

my $pinged = $t->ping_finish($ping, 10);
is(EasTest::tag($pinged->{xml}, 'Status'), '2', "alice's held Ping wakes with Status 2");
like($pinged->{xml}, qr{<Folder>\Q$inbox\E</Folder>}, '... naming the Inbox');
ok($pinged->{done} && $pinged->{done} - $delivered_at < 1,
   sprintf('... within a second of the 250 (%.2f s)', ($pinged->{done} // time) - $delivered_at));

$r = sync_inbox('alice', 'PHONE', options => $plain);
like($r->{xml}, qr{<Subject>By LMTP</Subject>}, "alice's Inbox Sync shows the message");
my ($data) = $r->{xml} =~ m{<Data>(.*?)</Data>}s;
like($data // '', qr{first line\r?\n\.a line that starts with a dot\r?\nlast line}, 'the dot-stuffed line arrives unstuffed');
unlike($data // '', qr{\.\.a line}, '... with one dot');
$r = sync_inbox('bob', 'BOBPHONE');
like($r->{xml}, qr{<Subject>By LMTP</Subject>}, "bob's Inbox Sync shows it too (recipient named by address)");

# --- the same message again (a 250 the MTA never saw): stored once ---

$t->lmtp_send($c, "MAIL FROM:<sender\@example.com>\r\nRCPT TO:<alice\@example.org>\r\nDATA\r\n");
is_deeply(codes($t->lmtp_read($c, 3)), [qw(250 250 354)], 'the message handed over again');
$t->lmtp_send($c, "$first.\r\n");
is_deeply(codes($t->lmtp_read($c, 1)), [qw(250)], '... is answered 250');
$r = sync_inbox('alice', 'PHONE');
unlike($r->{xml}, qr{<Add>}, '... and not stored twice');

# --- the other commands ---

$t->lmtp_send($c, "NOOP\r\nRSET\r\nVRFY alice\r\n");
is_deeply(codes($t->lmtp_read($c, 3)), [qw(250 250 252)], 'NOOP 250, RSET 250, VRFY 252');
$t->lmtp_send($c, "FROB the server\r\n");
like($t->lmtp_read($c, 1)->[0] // '', qr/^500 5\.5\.2/, 'a garbage command: 500');
$t->lmtp_send($c, "DATA\r\nRCPT TO:<alice>\r\n");
is_deeply(codes($t->lmtp_read($c, 2)), [qw(503 503)], 'DATA and RCPT before MAIL: 503');
$t->lmtp_send($c, 'NOOP ' . ('x' x 5000) . "\r\nNOOP\r\n");
my $long = $t->lmtp_read($c, 2);
like($long->[0] // '', qr/^500 5\.5\.2 line too long/, 'a line too long: 500');
is_deeply(codes([$long->[1]]), [qw(250)], '... and the next command is answered');

# --- the size limit ---

$t->lmtp_send($c, "MAIL FROM:<big\@example.com> SIZE=200000\r\n");
like($t->lmtp_read($c, 1)->[0] // '', qr/^552 5\.3\.4/, 'SIZE= over eas_lmtp_max_size: 552 at MAIL');
$t->lmtp_send($c, "MAIL FROM:<big\@example.com>\r\nRCPT TO:<alice>\r\nRCPT TO:<bob>\r\nDATA\r\n");
is_deeply(codes($t->lmtp_read($c, 4)), [qw(250 250 250 354)], 'a message that does not say its size is taken');
my $big = "Subject: big\r\nMessage-ID: <big\@example.com>\r\n\r\n" . (('y' x 998) . "\r\n") x 150;
$t->lmtp_send($c, "$big.\r\nNOOP\r\n");
$replies = $t->lmtp_read($c, 3);
is_deeply(codes($replies), [qw(552 552 250)], '... but refused after the dot, 552 per recipient, and the session goes on');
$r = sync_inbox('alice', 'PHONE');
unlike($r->{xml}, qr{<Add>}, '... and nothing was stored');

$t->lmtp_send($c, "QUIT\r\n");
like($t->lmtp_read($c, 1)->[0] // '', qr/^221 /, 'QUIT: 221');
ok(!sysread($c->{sock}, my $rest, 1), '... and the server closes the connection');

# --- 8 connections, 20 messages each, at once ---

my ($connections, $each) = (8, 20);
my @kids;
for my $k (1 .. $connections) {
    my $pid = fork // die "fork: $!";
    if ($pid) {
        push @kids, $pid;
        next;
    }
    my $failed = 0;
    eval {
        my $lc = $t->lmtp_connect;
        $t->lmtp_send($lc, "LHLO load$k\r\n");
        $t->lmtp_read($lc, 1);
        for my $i (1 .. $each) {
            $t->lmtp_send($lc, "MAIL FROM:<load\@example.com>\r\nRCPT TO:<carol>\r\nDATA\r\n");
            my $got = join ' ', @{ codes($t->lmtp_read($lc, 3)) };
            $failed++, next unless $got eq '250 250 354';
            $t->lmtp_send($lc, "Subject: load $k-$i\r\nMessage-ID: <load-$k-$i\@example.com>\r\n\r\nmessage $i of connection $k\r\n.\r\n");
            $failed++ unless ($t->lmtp_read($lc, 1, 30)->[0] // '') =~ /^250 /;
        }
        $t->lmtp_send($lc, "QUIT\r\n");
        $t->lmtp_read($lc, 1);
        1;
    } or $failed = 99;
    POSIX::_exit($failed);  # no destructors: the parent owns nginx and the directory
}
my $failures = 0;
for my $pid (@kids) {
    waitpid $pid, 0;
    $failures += $? >> 8;
}
is($failures, 0, "$connections connections x $each messages at once: every one answered 250 after its commit");

my %subjects;
my $adds = 0;
for (1 .. 10) {
    $r = sync_inbox('carol', 'LOADPHONE');
    for my $subject ($r->{xml} =~ m{<Add>.*?<Subject>([^<]*)</Subject>}gs) {
        $adds++;
        $subjects{$subject}++;
    }
    last unless $r->{xml} =~ /<MoreAvailable/;
}
is($adds, $connections * $each, "carol's Inbox holds " . ($connections * $each) . ' messages');
is(scalar(grep { /^load \d+-\d+$/ } keys %subjects), $connections * $each, '... each exactly once');
my @groups = $t->error_log =~ /lmtp: (\d+) messages committed together/g;
my $largest = 0;
$largest = $_ > $largest ? $_ : $largest for @groups;
diag(sprintf '%d group commits of more than one message, the largest %d', scalar @groups, $largest);

$t->stop;
done_testing;
