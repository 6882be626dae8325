# The search index is kept up to date in the background (issue 15: "a
# search index maintained at delivery ... never hold up delivery"): mail
# that arrives by any way in (easctl import here, LMTP inside nginx) is
# indexed by the first worker within seconds, in bounded rounds, with no
# search asked for; a search then finds its work done (the index needs no
# catching up at search time, which after a large import used to take a
# minute for the first search); a reload indexes nothing twice.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use POSIX qw(strftime);
use Test::More;
use Time::HiRes qw(sleep time);

my $t = EasTest->new(lmtp => 1);
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

# What the background indexer logged: (messages indexed, rounds, rounds
# that stopped at their budget), from the error log's lines after $from.
sub indexed_since {
    my ($from) = @_;
    my $log = substr($t->error_log, $from);
    my ($added, $rounds, $bounded) = (0, 0, 0);
    while ($log =~ /search index: indexed (\d+) messages, removed \d+ \(\d+ users\)(, more to come)?/g) {
        $added += $1;
        ++$rounds;
        ++$bounded if $2;
    }
    return ($added, $rounds, $bounded);
}

# Waits up to $timeout seconds until the indexer logged $want messages
# since $from; returns what it logged by then.
sub wait_indexed {
    my ($from, $want, $timeout) = @_;
    my $deadline = time + $timeout;
    my @seen;
    while (1) {
        @seen = indexed_since($from);
        last if $seen[0] >= $want || time > $deadline;
        sleep 0.2;
    }
    return @seen;
}

sub search {
    my ($text) = @_;
    my $r = $t->request(cmd => 'Search', device => 'PHONE',
        xml => qq{<Search xmlns="Search:"><Store><Name>Mailbox</Name><Query><And>}
             . qq{<Class xmlns="AirSync:">Email</Class><FreeText>$text</FreeText></And></Query>}
             . qq{<Options><Range>0-9</Range></Options></Store></Search>});
    is($r->{status}, 200, "Search for $text answers 200");
    $t->valid_ok('Search', $r);
    return $r;
}

# --- 1,500 messages imported while nginx runs ------------------------------

my $count = 1500;
my $mbox = '';
for my $i (0 .. $count - 1) {
    my $when = 1704067200 + $i * 3600;
    my $fruit = $i % 2 ? 'kiwi' : 'mango';
    $mbox .= 'From sender@example.org ' . strftime('%a %b %e %H:%M:%S %Y', gmtime $when) . "\n"
        . "From: Sender <sender\@example.org>\nTo: alice\@example.org\nSubject: Report $i\n"
        . "Message-ID: <idx$i\@example.org>\nDate: " . strftime('%a, %d %b %Y %H:%M:%S +0000', gmtime $when)
        . "\n\nToday's fruit is $fruit, number $i.\n\n";
}
EasTest::write_file($t->dir . '/archive.mbox', $mbox);
my $from = length $t->error_log;
my ($rc, $out) = $t->easctl('import', '--user', 'alice', $t->dir . '/archive.mbox');
like($out, qr/imported $count messages/, "easctl imports $count messages") or diag $out;

my ($added, $rounds, $bounded) = wait_indexed($from, $count, 60);
is($added, $count, "the background indexer indexed all $count messages, no search asked");
cmp_ok($bounded, '>=', 1, "in bounded rounds ($rounds rounds, $bounded stopped at their budget)");

my $before_search = length $t->error_log;
my $r = search('kiwi');
is(EasTest::tag($r->{xml}, 'Total'), $count / 2, 'a search finds every kiwi message');
my $results = () = $r->{xml} =~ /<Result>/g;
is($results, 10, '... and answers the page asked for');
unlike(substr($t->error_log, $before_search), qr/search index: caught up/,
       '... without catching up: the index was up to date');

# --- one message by LMTP --------------------------------------------------

$from = length $t->error_log;
my $c = $t->lmtp_connect;
$t->lmtp_send($c, "LHLO client.example.org\r\n");
$t->lmtp_read($c, 1);
$t->lmtp_send($c, "MAIL FROM:<bob\@example.com>\r\nRCPT TO:<alice\@example.org>\r\nDATA\r\n");
my $replies = $t->lmtp_read($c, 3);
like($replies->[2] // '', qr/^354/, 'LMTP takes the data');
$t->lmtp_send($c, EasTest::crlf("From: Bob <bob\@example.com>\nTo: alice\@example.org\n"
    . "Subject: Tropical\nMessage-ID: <papaya\@example.com>\n\nA papaya for you.\n") . ".\r\n");
like($t->lmtp_read($c, 1)->[0] // '', qr/^250/, 'LMTP delivers it');
$t->lmtp_send($c, "QUIT\r\n");
($added) = wait_indexed($from, 1, 20);
is($added, 1, 'the delivered message is indexed in the background');
$before_search = length $t->error_log;
$r = search('papaya');
is(EasTest::tag($r->{xml}, 'Total'), 1, 'a search finds it');
unlike(substr($t->error_log, $before_search), qr/search index: caught up/, '... with nothing to catch up');

# --- a reload indexes nothing twice ---------------------------------------

$from = length $t->error_log;
$t->reload;
sleep 2.5;  # the new first worker's first rounds (one a second)
($added, $rounds) = indexed_since($from);
is($added, 0, 'after a reload the new worker indexes nothing again');
$r = search('mango');
is(EasTest::tag($r->{xml}, 'Total'), $count / 2, 'and a search still finds every mango message');

$t->stop;
done_testing;
