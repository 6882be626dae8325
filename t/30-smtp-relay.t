# Mail for other domains through the SMTP relay (eas_smtp_relay) from the
# store's outgoing queue, worked by the nginx workers on their thread pool.
# The relay is a small SMTP sink in this test that answers 250, 451 or 550
# as told and keeps what it receives. Relay down: the device still gets
# success, `easctl queue list` shows the message deferred; relay up: it
# arrives once, without Bcc. 451: deferred, then sent. 550: a bounce in
# the sender's Inbox. One refused address among good ones: sent to the
# good ones, a bounce naming it, a 451'd one alone tried again.
# `easctl queue drop`: never sent. A restart of nginx
# with a message waiting: sent once after it. A worker killed while it
# waits for the relay leaves its claim on the message: `easctl queue
# list` shows it claimed, and `easctl queue retry` sends it at once
# instead of after the claim lapses.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use CrashTest;
use IO::Socket::INET;
use SmtpSink;
use Time::Local qw(timegm);
use MIME::Base64 qw(encode_base64);
use Test::More;
use Time::HiRes qw(sleep time);

my $relay_port = EasTest::free_port();
my $t = EasTest->new(http => "eas_smtp_relay 127.0.0.1:$relay_port retry=1s timeout=5s;");
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'secret', 'bob@example.org');
$t->start;

my $sink = SmtpSink->new(port => $relay_port, dir => $t->dir . '/sink');
sub sink_mode { $sink->mode(@_) }
sub sink_start { $sink->start }
sub sink_stop { $sink->stop }
sub received { $sink->received }
sub wait_for { my ($cond, $secs) = @_; my $end = time + $secs; until ($cond->()) { return 0 if time > $end; sleep 0.2 } 1 }

sub queue { $t->outgoing_queue }

my $n = 0;
sub send_mail {
    my ($to, $subject, %o) = @_;
    $n++;
    my $mime = EasTest::crlf("To: $to\nBcc: bob\@example.org\nSubject: $subject\n\nbody of $subject\n");
    $mime = encode_base64($mime, '');  # xml2wbxml writes Mime's base64 as OPAQUE bytes
    my $r = $t->request(cmd => 'SendMail',
        xml => qq{<SendMail xmlns="ComposeMail:"><ClientId>relay-$n</ClientId><SaveInSentItems/><MIME>$mime</MIME></SendMail>});
    is($r->{status}, 200, "SendMail '$subject': HTTP 200");
    is($r->{body}, '', '... success');
}

# --- relay down: accepted, deferred, shown; relay up: sent once ---

send_mail('far@elsewhere.example', 'While down');
ok(wait_for(sub { my $q = queue(); @$q && $q->[0]{attempts} >= 1 }, 10),
   'relay down: easctl queue list shows the message after an attempt');
my $q = queue();
is(scalar @$q, 1, '... one entry');
is($q->[0]{recipients}, 'far@elsewhere.example', '... for the remote recipient only (bob got his copy directly)');
like($q->[0]{last_error}, qr/connect|refused/i, '... with the reason');
like($t->error_log, qr/smtp: outgoing \d+ from <alice\@example\.org> to <far\@elsewhere\.example> deferred/,
     '... and the error log says it was deferred');

sink_mode('250');
sink_start();
my ($rc, $out) = $t->easctl('queue', 'retry', $q->[0]{id});
is($rc, 0, 'easctl queue retry') or diag $out;
ok(wait_for(sub { @{ received() } == 1 }, 10), 'relay up: the sink has the message');
sleep 2.5;
my $got = received();
is(scalar @$got, 1, '... exactly once');
like($got->[0] // '', qr/^MAIL FROM:<alice\@example\.org>\nRCPT TO:<far\@elsewhere\.example>\n/, '... envelope from alice to the remote recipient');
unlike($got->[0] // '', qr/^Bcc:/mi, '... no Bcc header');
like($got->[0] // '', qr/^Subject: While down\r$/m, '... the subject');
like($got->[0] // '', qr/body of While down/, '... and the body');
is(scalar @{ queue() }, 0, '... and the queue is empty');

# --- 451: deferred, then sent ---

sink_mode('451');
send_mail('later@elsewhere.example', 'Greylisted');
ok(wait_for(sub { my $q = queue(); @$q && ($q->[0]{last_error} // '') =~ /451/ }, 10),
   '451: deferred with the relay\'s answer');
sink_mode('250');
ok(wait_for(sub { @{ received() } == 2 }, 15), '... and sent on a later attempt');
ok(wait_for(sub { !@{ queue() } }, 5), '... the queue is empty again');

# --- 550: a bounce in alice's Inbox ---

sink_mode('550');
send_mail('nobody@elsewhere.example', 'Refused');
ok(wait_for(sub { !@{ queue() } }, 10), '550: the message leaves the queue');
is(scalar @{ received() }, 2, '... the sink kept nothing');
my $folders = EasTest::folder_adds($t->folder_sync(0)->{xml});
my $inbox = $folders->{Inbox}{id};
my $r = $t->sync_collection('BOUNCEPHONE', $inbox, 0);
$r = $t->sync_collection('BOUNCEPHONE', $inbox, EasTest::tag($r->{xml}, 'SyncKey'),
    options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>');
like($r->{xml}, qr{<Subject[^>]*>Undelivered Mail Returned to Sender</Subject>}, '... alice\'s Inbox shows the bounce');
like($r->{xml}, qr{nobody\@elsewhere\.example}, '... naming the recipient');
like($r->{xml}, qr{550 5\.1\.1}, '... and what the relay said');
like($t->error_log, qr/returned to the sender .*bounce in alice's Inbox/, '... the log says so');

# --- a typo among good addresses: sent to the good ones, returned for the
# typo, tried again for the one the relay asked to wait ---

sink_mode('by-name');
my $before = @{ received() };
send_mail('ok@elsewhere.example, no-such@elsewhere.example, later-full@elsewhere.example', 'Mixed');
ok(wait_for(sub { @{ received() } == $before + 1 }, 10), 'one recipient refused: the relay still takes the message');
like(received()->[-1], qr/^RCPT TO:<ok\@elsewhere\.example>$/m, '... for the address it accepted alone');
ok(wait_for(sub { my $q = queue(); @$q == 1 && $q->[0]{attempts} >= 1 }, 10), 'the recipient asked to wait stays queued');
is(queue()->[0]{recipients}, 'later-full@elsewhere.example', '... alone') or diag explain queue();
like(queue()->[0]{last_error}, qr/^451 4\.3\.0/, '... with the relay\'s answer');
$r = $t->sync_collection('BOUNCEPHONE', $inbox, EasTest::tag($r->{xml}, 'SyncKey'),
    options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>');
my @bounces = $r->{xml} =~ m{(<Add>.*?</Add>)}sg;
is(scalar @bounces, 1, 'one bounce in alice\'s Inbox');
like($bounces[0] // '', qr{no-such\@elsewhere\.example}, '... naming the refused address');
unlike($bounces[0] // '', qr{<ok\@elsewhere|<later-full\@elsewhere}, '... and no other');
like($t->error_log, qr/the relay took it for 1 of 3 recipients.*returned for 550 .*deferred for 451 /,
     '... the log says what became of each');
sink_mode('250');
ok(wait_for(sub { @{ received() } == $before + 2 }, 10), 'the relay ready: the waiting recipient gets it');
like(received()->[-1], qr/^RCPT TO:<later-full\@elsewhere\.example>$/m, '... only that one');
ok(wait_for(sub { !@{ queue() } }, 10), '... and the queue is empty');

# --- easctl queue drop ---

sink_mode('451');
send_mail('dropped@elsewhere.example', 'Dropped');
ok(wait_for(sub { @{ queue() } == 1 }, 5), 'a deferred message waits');
($rc, $out) = $t->easctl('queue', 'drop', queue()->[0]{id});
is($rc, 0, 'easctl queue drop') or diag $out;
is(scalar @{ queue() }, 0, '... the queue is empty');
sink_mode('250');
sleep 2.5;
is(scalar @{ received() }, 4, '... and the message never reaches the relay');

# --- a restart while a message waits ---

sink_stop();
send_mail('restart@elsewhere.example', 'Across a restart');
ok(wait_for(sub { my $q = queue(); @$q && $q->[0]{attempts} >= 1 }, 10), 'relay down again: deferred');
$t->stop;
sink_start();
$t->start;
ok(wait_for(sub { @{ received() } == 5 }, 15), 'after nginx restarts, the message goes out');
sleep 2.5;
is(scalar @{ received() }, 5, '... once');
is(scalar @{ queue() }, 0, '... and the queue is empty');

# --- a claim left by a killed sender: shown, and cleared by retry ---

sink_stop();
# A relay that lets the sender connect and never greets it: the sender
# waits (holding its claim) until the workers are killed.
my $mute = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $relay_port,
                                 Listen => 5, ReuseAddr => 1) or die "mute relay: $!";
send_mail('claimed@elsewhere.example', 'Claimed');
ok(wait_for(sub { my $q = queue(); @$q && $q->[0]{claimed_until} }, 10),
   'a sender waiting for the relay: easctl queue list --json shows the message claimed')
    or diag explain queue();
kill 'KILL', CrashTest::workers($t);
ok(CrashTest::wait_for_workers($t), '... its worker killed, new workers are up');
close $mute;
sink_start();
$q = queue();
my ($y, $mo, $d, $h, $mi, $s) = ($q->[0]{claimed_until} // '') =~ /^(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+)$/;
my $until = defined $s ? timegm($s, $mi, $h, $d, $mo - 1, $y) : 0;
ok($until > time + 5, '... the claim of the killed sender still stands for a while (until ' . ($q->[0]{claimed_until} // '?') . ')');
($rc, $out) = $t->easctl('queue', 'list');
like($out, qr/^\s+claimed by a sender until \Q$q->[0]{claimed_until}\E/m, '... and the table says so') or diag $out;
sleep 1.5;
is(scalar @{ received() }, 5, '... nothing goes out while it stands');
($rc, $out) = $t->easctl('queue', 'retry', $q->[0]{id});
is($rc, 0, 'easctl queue retry') or diag $out;
like($out, qr/claim .* cleared/, '... says the claim is cleared');
ok(wait_for(sub { @{ received() } == 6 }, 5), '... and the message goes out at once');
ok(time < $until, '... before the claim would have lapsed');
like(received()->[-1] // '', qr/^RCPT TO:<claimed\@elsewhere\.example>$/m, '... the claimed message');
ok(wait_for(sub { !@{ queue() } }, 5), '... and the queue is empty');

$t->stop(allow => qr/worker process \d+ exited on signal 9$/);
done_testing;
