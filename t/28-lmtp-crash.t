# nginx workers killed (SIGKILL, as a crash or an OOM kill would) while
# several LMTP connections deliver: every message that got its 250 is in
# the store exactly once; the client's retry of each message that did not
# brings the mailbox to exactly one copy of each; the master's new workers
# take LMTP and ActiveSync at once (no stale lock or reader slot left by a
# killed worker stops them); easctl check finds the store consistent.
# Set CRASH_ROUNDS / CRASH_SEED for a longer run.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use CrashTest;
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep usleep time);
use Test::More;

my $rounds = $ENV{CRASH_ROUNDS} // 12;
my $per_connection = 8;   # messages each connection sends in a round
my $connections = 3;      # at once, so group commits are cut too
srand($ENV{CRASH_SEED} // 20261207);

my $t = EasTest->new(lmtp => 1);
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

sub message {
    my ($i) = @_;
    # Some big ones, so a kill lands while one is parsed or written.
    my $body = $i % 3 == 0 ? ('y' x 76 . "\r\n") x (4000 + 300 * ($i % 7)) : "Message $i.\r\n";
    return EasTest::crlf("From: s\@example.com\nTo: alice\@example.org\nSubject: lmtp crash $i\n"
        . "Message-ID: <lmtp-crash-$i\@example.com>\n\n") . $body;
}

my (%acknowledged, %failed);
my $next = 1;
my $kills = 0;
for my $round (1 .. $rounds) {
    my @clients;
    for (1 .. $connections) {
        my @ids = ($next .. $next + $per_connection - 1);
        $next += $per_connection;
        my $report = $t->dir . "/report-$round-$ids[0]";
        push @clients, [CrashTest::lmtp_client($t, $report, \&message, 'alice@example.org', @ids), $report];
    }
    # 0-30 ms in: before, during or after a group commit.
    usleep(int(rand(30_000)));
    if ($round % 3 != 0) {  # every third round runs to its end
        my @w = CrashTest::workers($t);
        $kills += kill 'KILL', @w;
    }
    for my $c (@clients) {
        waitpid($c->[0], 0);
        CrashTest::lmtp_report($c->[1], \%acknowledged, \%failed);
    }
    # The master starts new workers; wait until LMTP answers again.
    CrashTest::wait_for_workers($t);
}
my $total = $next - 1;
ok($kills > 0, "$kills workers killed in $rounds rounds");
ok(keys(%acknowledged) >= $total / 4, scalar(keys %acknowledged) . " of $total messages acknowledged, "
   . scalar(keys %failed) . ' cut off');
is(scalar(keys %acknowledged) + scalar(keys %failed), $total, 'every message was either acknowledged or cut off');

my $inbox = EasTest::folder_adds($t->folder_sync('0', device => 'CHECK')->{xml})->{Inbox}{id};
sub inbox_counts { $t->subject_counts($_[0], $inbox, qr/^lmtp crash (\d+)$/) }
my $count = inbox_counts('CHECK1');
my @lost = grep { !$count->{$_} } sort { $a <=> $b } keys %acknowledged;
is("@lost", '', 'every acknowledged message is in the store');
my @twice = grep { $count->{$_} > 1 } sort { $a <=> $b } keys %$count;
is("@twice", '', 'no message is there twice');

# The sender retries what was not acknowledged, over the new workers.
my @retry = sort { $a <=> $b } keys %failed;
if (@retry) {
    my $report = $t->dir . '/report-retry';
    waitpid(CrashTest::lmtp_client($t, $report, \&message, 'alice@example.org', @retry), 0);
    my @not = grep { !/^ok/ } EasTest::read_file($report) =~ /^(.*)$/mg;
    is("@not", '', 'every retry is acknowledged');
}
$count = inbox_counts('CHECK2');
is(scalar(grep { ($count->{$_} // 0) == 1 } 1 .. $total), $total,
   "after the retries: each of the $total messages exactly once");
unlike($t->error_log, qr/\[(alert|emerg)\].*(lmdb|store|MDB_)/i, 'no store alert in the error log')
    or diag $t->error_log;

CrashTest::store_check_ok($t, 'easctl check: the store is consistent after the kills');

$t->stop(allow => qr/worker process \d+ exited on signal 9$/);
done_testing;
