# Killing the nginx workers while the outgoing queue is sending. Phones
# send mail to other domains (SendMail, each message its own recipient and
# Message-ID) through a real nginx whose eas_smtp_relay is the test's SMTP
# sink; the sink waits a little (at random) before it answers the end of
# DATA and before it answers the QUIT after it, and each round SIGKILLs
# both workers at a random moment after a send to it has begun. A phone
# whose SendMail got no answer sends it again with the same ClientId, as
# a real one does. The master starts new workers; the killed worker's
# claim lapses (three relay timeouts: timeout=2s here, so 7 s) and another
# worker sends the message. At the end:
#   - every acknowledged SendMail reached the sink, and nothing else did;
#   - a message reached the sink twice only when a kill landed after the
#     sink accepted the first copy and before its sender could record it:
#     from the sink's "accept" of that copy to a second after it closed the
#     connection (the record follows the close within milliseconds). A
#     second copy with no kill in that window fails, as does a message the
#     error log reports sent twice (two senders finished it, so two held
#     it at once). That window is what SMTP cannot rule out (RFC 1047: the
#     sender cannot know the 250 it did not read);
#   - Sent Items holds each message exactly once, `easctl check` is clean
#     and `easctl queue list` is empty.
# RELAY_CRASH_ROUNDS rounds (8), RELAY_CRASH_SEED for another sequence.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use CrashTest;
use SmtpSink;
use MIME::Base64 qw(encode_base64);
use POSIX ();
use Time::HiRes qw(sleep time);
use Test::More;

my $rounds = $ENV{RELAY_CRASH_ROUNDS} // 8;
my $seed = $ENV{RELAY_CRASH_SEED} // 20261207;
my $per_round = 3;     # phones sending at once
my $hold = 3 * 2 + 1;  # the claim of a killed sender, s (ClaimHold of timeout=2s)
my $after_close = 1.0; # s from the sink's close to its sender's record, at most
srand($seed);
my $t0 = time;

my $relay_port = EasTest::free_port();
my $t = EasTest->new(http => "eas_smtp_relay 127.0.0.1:$relay_port retry=1s timeout=2s;");
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;
my $dir = $t->dir;
my $sink = SmtpSink->new(port => $relay_port, dir => "$dir/sink", stall_ms => 250);
$sink->start;

my $sent_items = EasTest::folder_adds($t->folder_sync('0', device => 'SETUP')->{xml})->{'Sent Items'}{id};
ok($sent_items, "Sent Items is $sent_items");

sub mime {
    my ($id) = @_;
    return EasTest::crlf("From: alice\@example.org\nTo: far-$id\@elsewhere.example\n"
        . "Subject: relay crash $id\nMessage-ID: <relay-crash-$id\@example.org>\n\n"
        . "Body of relay crash $id.\n");
}

# One SendMail of message $id: 'ok' (200, empty body: 14.1's success),
# 'previously sent' (Status 118: the ClientId was used), or 'fail'.
sub send_once {
    my ($id) = @_;
    my $mime = encode_base64(mime($id), '');
    my $r = $t->request(cmd => 'SendMail', device => "PHONE$id", timeout => 10,
        xml => "<SendMail xmlns=\"ComposeMail:\"><ClientId>relay-crash-$id</ClientId>"
             . "<SaveInSentItems/><MIME>$mime</MIME></SendMail>");
    return ('fail') unless $r->{status} == 200;
    return ('ok') unless length $r->{body};
    my $status = EasTest::tag($r->{xml}, 'Status') // '';
    return $status eq '118' ? ('previously sent', $r->{body}) : ('fail');
}

# A phone in a child: sends message $id once, writes what it heard.
sub phone {
    my ($id) = @_;
    my $pid = fork // die "fork: $!";
    return $pid if $pid;
    my ($answer) = eval { send_once($id) };
    EasTest::write_file("$dir/phone-$id", $answer // 'fail');
    POSIX::_exit(0);
}

sub opened { scalar grep { $_->[1] eq 'open' } @{ $sink->journal } }

my @kills;         # times of the kills, as the sink's journal keeps them
my %acknowledged;  # message id => 1
my ($cut, $retried, $answers_118) = (0, 0, 0);
my @to_validate;

for my $round (1 .. $rounds) {
    my @ids = map { "$round-$_" } 1 .. $per_round;
    my $before = opened();
    my @pids = map { phone($_) } @ids;
    if (rand() < 0.25) {
        # Now and then while the phones are still sending: a SendMail cut
        # off after its commit is answered 118 when the phone tries again,
        # and its message goes out once all the same.
        sleep rand(0.15);
    } else {
        # A send under way (a connection to the sink), then a moment into
        # it: before the end of DATA, during either wait, or after.
        my $end = time + 5;
        sleep 0.01 until opened() > $before || time > $end;
        sleep rand(0.6);
    }
    push @kills, time;
    kill 'KILL', CrashTest::workers($t);
    waitpid($_, 0) for @pids;
    CrashTest::wait_for_workers($t);
    for my $id (@ids) {
        my $answer = -e "$dir/phone-$id" ? EasTest::read_file("$dir/phone-$id") : 'fail';
        fail("message $id: the first SendMail answered 118") if $answer eq 'previously sent';
        if ($answer eq 'fail') {
            $cut++;
            for (1 .. 10) {
                my ($again, $body) = send_once($id);
                $retried++;
                $answer = $again;
                $answers_118++, push @to_validate, $body if $again eq 'previously sent';
                last if $again ne 'fail';
                CrashTest::wait_for_workers($t);
            }
            fail("message $id: not acknowledged after 10 tries") if $answer eq 'fail';
        }
        $acknowledged{$id} = 1 if $answer ne 'fail';
    }
}
is(scalar keys %acknowledged, $rounds * $per_round, 'every SendMail acknowledged (some after a retry)');

# The killed senders' claims lapse; the queue empties.
my $drain_end = time + $hold + 20;
sleep 0.25 until !@{ $t->outgoing_queue } || time > $drain_end;
is(scalar @{ $t->outgoing_queue }, 0, 'easctl queue list: the queue is empty once the claims lapsed')
    or diag explain $t->outgoing_queue;
sleep $after_close + 0.5;  # a last copy still being written

# --- what the sink took ---

my $journal = $sink->journal;
my (%close, %copies, %dropped, %in_data);
for my $e (@$journal) {
    my ($when, $event, $conn, $arg) = @$e;
    $close{$conn} = $when if $event eq 'close';
    push @{ $copies{$1} }, { at => $when, conn => $conn } if $event eq 'accept' && $arg =~ /^relay-crash-(\S+)\@/;
    $dropped{$conn} = 1 if $event eq 'drop';
    $in_data{$conn} = 1 if $event eq 'cut';
}
my %at_sink;
for my $m (@{ $sink->received }) {
    my ($id) = $m =~ /^Message-ID: <relay-crash-(\S+)\@example\.org>/mi or next;
    $at_sink{$id}++;
    like($m, qr/^MAIL FROM:<alice\@example\.org>\nRCPT TO:<far-\Q$id\E\@elsewhere\.example>\n/, "message $id: its envelope")
        if $at_sink{$id} == 1;
}
my @lost = grep { !$at_sink{$_} } sort keys %acknowledged;
is("@lost", '', 'every acknowledged message reached the sink');
my @unasked = grep { !$acknowledged{$_} } sort keys %at_sink;
is("@unasked", '', '... and no other');
is(scalar @{ $sink->received }, scalar(map { @$_ } values %copies), "the sink's journal accounts for every copy");

# A copy followed by another: the kill that explains it, or a failure.
my ($twice, @unexplained, @explained) = (0);
for my $id (sort keys %copies) {
    my @c = sort { $a->{at} <=> $b->{at} } @{ $copies{$id} };
    for my $copy (@c[0 .. $#c - 1]) {
        $twice++;
        my $from = $copy->{at} - 0.05;  # the kill's time is taken just before it
        my $to = ($close{ $copy->{conn} } // $copy->{at}) + $after_close;
        my ($kill) = grep { $_ >= $from && $_ <= $to } @kills;
        if (defined $kill) {
            push @explained, sprintf 'message %s: accepted, killed %+.3f s later, connection closed %+.3f s after the accept',
                $id, $kill - $copy->{at}, ($close{ $copy->{conn} } // $copy->{at}) - $copy->{at};
            next;
        }
        push @unexplained, sprintf 'message %s: accepted at %.3f on connection %s (closed %.3f), sent again with no kill in between',
            $id, $copy->{at}, $copy->{conn}, $close{ $copy->{conn} } // -1;
    }
}
is(join("\n", @unexplained), '', "a second copy only where a kill cut its sender after the sink accepted it ($twice such)");
note($_) for @explained;

# Two records of success for one message would mean two senders held it.
my %logged_sent;
my $log = $t->error_log;
$logged_sent{$1}++ while $log =~ /smtp: outgoing \d+ from <alice\@example\.org> to <far-(\S+)\@elsewhere\.example> sent/g;
my @twice_logged = grep { $logged_sent{$_} > 1 } sort keys %logged_sent;
is("@twice_logged", '', 'no message is recorded as sent by two senders');

# The kills must land while the queue sends, not only between sends.
my $cut_sends = keys(%dropped) + keys(%in_data) + $twice;
ok($cut_sends >= $rounds / 4, "kills cut $cut_sends sends short: "
   . keys(%dropped) . ' before the sink\'s 250, ' . keys(%in_data) . " in DATA, $twice after it");

# --- the sender's view and the store ---

my $in_sent = $t->subject_counts('LOOK', $sent_items, qr/^relay crash (\S+)$/);
my @not_once = grep { ($in_sent->{$_} // 0) != 1 } sort keys %acknowledged;
is(join(' ', map { "$_ x" . ($in_sent->{$_} // 0) } @not_once), '', 'Sent Items holds each message exactly once');
is(scalar keys %$in_sent, scalar keys %acknowledged, '... and nothing else');
CrashTest::store_check_ok($t);

for my $body (@to_validate[0 .. ($#to_validate < 2 ? $#to_validate : 2)]) {
    my ($ok, $msg) = $t->validate('SendMail', $body);
    ok($ok, 'an answer 118 is valid against the schema') or diag $msg;
}

diag(sprintf '%d rounds, %d messages, %d SendMails cut off (%d retries, %d answered 118), '
     . '%d sends cut short, %d second copies at the sink, %.1f s (seed %d)',
     $rounds, scalar keys %acknowledged, $cut, $retried, $answers_118, $cut_sends, $twice, time - $t0, $seed);

$t->stop(allow => qr/worker process \d+ exited on signal 9$/);
done_testing;
