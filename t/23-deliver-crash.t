# eas-deliver killed at random points (SIGKILL, as a crash or an OOM kill
# would): every message it acknowledged (exit 0) is in the store exactly
# once, none is there twice, and Postfix's retry of each message that was
# not acknowledged brings the mailbox to exactly one copy of each. The
# store stays readable throughout (a fresh device syncs it). Set
# CRASH_ROUNDS for a longer run.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep usleep);
use Test::More;

my $rounds = $ENV{CRASH_ROUNDS} // 40;
srand($ENV{CRASH_SEED} // 20261207);

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

sub message {
    my ($i) = @_;
    # Some big ones, so a kill lands while the record is made or written.
    my $body = $i % 5 == 0 ? ('x' x 76 . "\r\n") x (1500 + 500 * ($i % 7)) : "Message $i.\r\n";
    return EasTest::crlf("From: s\@example.com\nTo: alice\@example.org\nSubject: crash $i\n"
        . "Message-ID: <crash-$i\@example.com>\n\n") . $body;
}

my $deliver = "$EasTest::BUILD/eas-deliver";
sub start_delivery {
    my ($i) = @_;
    my $file = $t->dir . "/m$i.eml";
    EasTest::write_file($file, message($i));
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDIN, '<', $file or die;
        open STDERR, '>', '/dev/null';
        exec $deliver, '--store', $t->store, '-d', 'alice';
        exit 127;
    }
    return $pid;
}

my (%acknowledged, %killed);
for my $i (1 .. $rounds) {
    my $pid = start_delivery($i);
    usleep(int(rand(40_000)));  # 0-40 ms: before, during or after the commit
    kill 'KILL', $pid if $i % 4 != 0;  # every fourth runs to its end
    waitpid($pid, 0);
    if (WIFEXITED($?) && WEXITSTATUS($?) == 0) { $acknowledged{$i} = 1 } else { $killed{$i} = 1 }
}
ok(scalar(keys %acknowledged) >= $rounds / 4, scalar(keys %acknowledged) . ' deliveries acknowledged, '
   . scalar(keys %killed) . ' killed');

my $inbox = EasTest::folder_adds($t->folder_sync('0', device => 'CHECK')->{xml})->{Inbox}{id};
sub inbox_counts { $t->subject_counts($_[0], $inbox, qr/^crash (\d+)$/) }
my $count = inbox_counts('CHECK1');
my @lost = grep { !$count->{$_} } sort { $a <=> $b } keys %acknowledged;
is("@lost", '', 'every acknowledged message is in the store');
my @twice = grep { $count->{$_} > 1 } keys %$count;
is("@twice", '', 'no message is there twice');

# The MTA retries what was not acknowledged.
for my $i (sort { $a <=> $b } keys %killed) {
    my $pid = start_delivery($i);
    waitpid($pid, 0);
    is($? >> 8, 0, "retry of message $i: exit 0") unless $? == 0;
}
$count = inbox_counts('CHECK2');
is(scalar(grep { $count->{$_} == 1 } 1 .. $rounds), $rounds, "after the retries: each of the $rounds messages exactly once");

$t->stop;
done_testing;
