#!/usr/bin/perl
# Mailbox search: our Search (Store Mailbox, through a real nginx, WBXML
# requests as a phone sends them: Inbox, Class Email, FreeText, Range
# 0-49, BodyPreference HTML cut to 512 bytes) next to Dovecot's IMAP
# `SEARCH TEXT` (no FTS plugin: it reads the messages) over the same
# messages in Maildir, in the same run.
#
# BENCH_SEARCH_MESSAGES messages (100,000) of the benchmarks' mix
# (bench/lib/BenchMail.pm; its 2 % of 2-6 MB messages are made 50-300 KB
# ones, which only spares Dovecot reading them) are delivered by LMTP to
# one user, into nginx's store (ngx_stream_eas_module) and into Dovecot's
# Maildir (dovecot-lmtpd). Each message's text part also gets a line of 5
# words drawn from a Zipf vocabulary of 50,000 made-up words ("x" and 3
# syllables, none a prefix of another): a mailbox's long tail of names,
# codes and rare words, which the fixed vocabulary of the mix lacks.
#
# Then, timed:
#  - indexing: nginx's first worker indexes in the background while the
#    messages arrive (core/search/background_index.hpp: delivery never
#    waits for the index); how long after the last delivery the index
#    had every message (from the indexer's lines in error.log). Then the
#    index is removed and the first search builds it again by itself:
#    messages/s into the index alone, next to the LMTP delivery rate of
#    the same messages; the index file over the raw mail bytes;
#  - latency, p50/p99 per kind of query, in alternating rounds: single
#    rare words (made-up words of about 20, 8, 3 and 1 expected
#    messages), single common words (in ~99 % of the messages), two-word
#    phrases (~2 %), prefixes (two of common words, two of 90 made-up
#    words each). Each of ours BENCH_SEARCH_REPEAT times per query and
#    round (a phone asks again as the user types), Dovecot's once.
#    Ratios: Dovecot / ours, p50 and p99, per kind.
# The matches each side counts are printed: Dovecot's TEXT is a
# substring search, ours whole words and prefixes, so a few may differ.
#
# Usage: mail_search.pl BUILD_DIR WORK_DIR
# Environment: BENCH_SEARCH_MESSAGES (100000), BENCH_SEARCH_ROUNDS (2: at
# 100,000 each of Dovecot's searches takes 20-40 s, its LMTP delivery ~25 min),
# BENCH_SEARCH_REPEAT (3), BENCH_SEARCH_CONNECTIONS (LMTP sessions, 8),
# BENCH_SEARCH_DOVECOT (1; 0: ours alone, no ratios, for a quick look).
use strict;
use warnings;
use File::Find;
use File::Path qw(make_path remove_tree);
use IO::Socket::INET;
use MIME::Base64 qw(encode_base64);
use POSIX qw(_exit);
use Socket qw(IPPROTO_TCP TCP_NODELAY);
use Time::HiRes qw(time);
use FindBin;
use lib "$FindBin::Bin/lib";
use BenchMail qw(make_message size_class percentile);
use BenchDovecot qw(start_dovecot);
use BenchHttp qw(http_client);
use BenchLmtp qw(lmtp_session lmtp_send lmtp_quit);
use BenchNginx qw(start_nginx);
use BenchWbxml qw(wbxml xml);

# Stopped by a signal, it still stops its nginx and Dovecot (END blocks).
$SIG{$_} = sub { exit 1 } for qw(INT TERM HUP);

my ($build, $dir) = @ARGV;
die "usage: mail_search.pl BUILD_DIR WORK_DIR\n" unless $build && $dir;
my $n = $ENV{BENCH_SEARCH_MESSAGES} || 100000;
my $rounds = $ENV{BENCH_SEARCH_ROUNDS} || 2;
my $repeat = $ENV{BENCH_SEARCH_REPEAT} || 3;
my $connections = $ENV{BENCH_SEARCH_CONNECTIONS} || 8;
my $with_dovecot = $ENV{BENCH_SEARCH_DOVECOT} // 1;
my $seed = 31;
my $user = 'search';
my $sender = 'sender@example.com';
make_path($dir);

# --- the made-up vocabulary: rank r's word, and Zipf draws -----------------

my $vocabulary = 50000;
my $words_per_message = 5;
my @consonants = split //, 'bcdfghjklmnprstvwz';
my @vowels = split //, 'aeiou';
my $syllables = @consonants * @vowels;  # 90
sub word_of {
    my ($r) = @_;
    my $w = 'x';
    for my $k (2, 1, 0) {
        my $s = int($r / $syllables ** $k) % $syllables;
        $w .= $consonants[int($s / @vowels)] . $vowels[$s % @vowels];
    }
    return $w;
}
my @cumulative;
{
    my $sum = 0;
    push @cumulative, $sum += 1 / $_ for 1 .. $vocabulary;
    $_ /= $sum for @cumulative;
}
sub zipf_rank {
    my $x = rand();
    my ($lo, $hi) = (0, $#cumulative);
    while ($lo < $hi) {
        my $mid = int(($lo + $hi) / 2);
        if ($cumulative[$mid] < $x) { $lo = $mid + 1 } else { $hi = $mid }
    }
    return $lo + 1;
}
my $harmonic = log($vocabulary) + 0.5772;
# The rank whose word is expected in about $hits messages.
sub rank_for_hits { my ($hits) = @_; int($words_per_message * $n / ($harmonic * $hits)) }

# Message i: the mix (large made attachment-sized), the tail words added
# at the top of its text/plain part (every message of the mix has one).
sub message {
    my ($i) = @_;
    my $class = size_class($seed, $i);
    my $msg = make_message($seed, $i, to => "$user\@example.org",
                           class => $class eq 'large' ? 'attachment' : $class);
    BenchMail::reseed($seed, $i, 'tail');
    my $tail = join(' ', map { word_of(zipf_rank()) } 1 .. $words_per_message) . ".\r\n";
    $msg =~ s{(Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n)}{$1$tail}
        or die "message $i has no text/plain part\n";
    return $msg;
}

# --- the servers -------------------------------------------------------------

my $store = "$dir/eas-store";
{
    my $out = `'$build/easctl' --store '$store' user add $user --password bench --email $user\@example.org 2>&1`;
    die "easctl user add $user: $out" if $?;
}
my $nginx = start_nginx("$dir/nginx-search", $build, $store, http => 1, log_level => 'info')
    or die "nginx did not start\n";
my $dovecot;
if ($with_dovecot) {
    $dovecot = start_dovecot(imap => 1) or die "Dovecot (dovecot-imapd, dovecot-lmtpd) did not start\n";
}

# --- the messages: made once into a spool per connection (tmpfs) -------------

my $spool = -d '/dev/shm' ? "/dev/shm/eas-bench-search-$$" : "$dir/spool";
make_path($spool);
END { remove_tree($spool) if $spool }  # the forked makers and senders leave by _exit

# Runs $code->($k) in $connections processes at once; dies if one fails.
sub in_parallel {
    my ($what, $code) = @_;
    my @kids;
    for my $k (0 .. $connections - 1) {
        my $pid = fork // die "fork: $!";
        if (!$pid) { my $ok = eval { $code->($k); 1 }; print STDERR $@ unless $ok; _exit($ok ? 0 : 1) }
        push @kids, $pid;
    }
    my $failed = 0;
    for (@kids) { waitpid($_, 0); $failed++ if $? }
    die "$what: $failed of $connections processes failed\n" if $failed;
}

my $t0 = time;
in_parallel('making the messages', sub {
    my ($k) = @_;
    open my $out, '>:raw', "$spool/$k" or die "$spool/$k: $!";
    my $bytes = 0;
    for (my $i = 1 + $k; $i <= $n; $i += $connections) {
        my $data = message($i);
        $bytes += length $data;
        $data =~ s/^\./../mg;
        print $out length($data), "\n", $data;
    }
    close $out or die "$spool/$k: $!";
    open my $b, '>', "$spool/$k.bytes" or die;
    print $b $bytes;
});
my $make_seconds = time - $t0;
my $raw_bytes = 0;
for my $k (0 .. $connections - 1) {
    open my $b, '<', "$spool/$k.bytes" or die;
    $raw_bytes += <$b>;
}

# Delivers the spool over $connections LMTP sessions to $where; seconds.
sub deliver {
    my ($where, $rcpt) = @_;
    my $t = time;
    in_parallel("LMTP to $where", sub {
        my ($k) = @_;
        my $s = lmtp_session($where) or die "LMTP to $where: no session\n";
        open my $in, '<:raw', "$spool/$k" or die;
        while (defined(my $len = <$in>)) {
            read($in, my $data, $len) == $len or die "short spool\n";
            lmtp_send($s, $sender, $rcpt, $data) or die "LMTP to $where: a message was refused\n";
        }
        lmtp_quit($s);
    });
    return time - $t;
}
my $eas_deliver_s = deliver($nginx->{lmtp}, $user);

# Messages the background indexer has logged as indexed so far.
sub indexed {
    open my $e, '<', "$nginx->{prefix}/error.log" or return 0;
    my $sum = 0;
    while (my $line = <$e>) { $sum += $1 if $line =~ /search index: indexed (\d+) messages/ }
    return $sum;
}
my $t_delivered = time;
sleep 0.2 while indexed() < $n && time - $t_delivered < 3600;
my $index_lag_s = time - $t_delivered;
my $indexed_in_background = indexed();
my $dovecot_deliver_s = $dovecot ? deliver($dovecot->{lmtp}, $user) : 0;
remove_tree($spool);

# --- the clients -------------------------------------------------------------

my $http = http_client(keep_alive => 1, timeout => 3600);
sub post {
    my ($cmd, $body) = @_;
    my %h = ('Authorization' => 'Basic ' . encode_base64("$user:bench", ''),
             'MS-ASProtocolVersion' => '14.1', 'Content-Type' => 'application/vnd.ms-sync.wbxml');
    my $r = $http->request('POST', "$nginx->{url}?Cmd=$cmd&User=$user&DeviceId=SEARCH1&DeviceType=iPhone",
                           { headers => \%h, content => $body });
    die "$cmd: $r->{status} $r->{reason}\n" unless $r->{status} == 200;
    return $r->{content};
}
my $fs = xml(post('FolderSync', wbxml('<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>')));
my ($inbox) = $fs =~ m{<ServerId>([^<]+)</ServerId><ParentId>0</ParentId><DisplayName>[^<]*</DisplayName><Type>2</Type>};
die "no Inbox\n" unless $inbox;

sub xml_escape { my ($s) = @_; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/"/&quot;/g; return $s }
my %request;  # FreeText -> WBXML
# Our search: (seconds, Total, results on the page).
sub eas_search {
    my ($text) = @_;
    my $body = $request{$text} //= wbxml(
        '<Search xmlns="Search:"><Store><Name>Mailbox</Name><Query><And><Class xmlns="AirSync:">Email</Class>'
      . qq{<CollectionId xmlns="AirSync:">$inbox</CollectionId><FreeText>} . xml_escape($text) . '</FreeText>'
      . '</And></Query><Options><RebuildResults/><Range>0-49</Range>'
      . '<BodyPreference xmlns="AirSyncBase:"><Type>2</Type><TruncationSize>512</TruncationSize></BodyPreference>'
      . '</Options></Store></Search>');
    my $t = time;
    my $answer = post('Search', $body);
    my $s = time - $t;
    my $x = xml($answer);
    my ($status) = $x =~ m{<Store><Status>(\d+)</Status>};
    die "Search \"$text\": Store Status " . ($status // 'none') . "\n" unless ($status // '') eq '1';
    my ($total) = $x =~ m{<Total>(\d+)</Total>};
    my $results = () = $x =~ m{<LongId>}g;
    return ($s, $total // 0, $results);
}

my $imap;
if ($dovecot) {
    $imap = IO::Socket::INET->new(PeerAddr => $dovecot->{imap}) or die "IMAP: $!\n";
    setsockopt($imap, IPPROTO_TCP, TCP_NODELAY, 1);  # as the HTTP client (bench/lib/BenchHttp.pm)
}
my $tag = 0;
# An IMAP command; its untagged lines (dies unless OK).
sub imap {
    my ($command) = @_;
    my $t = 'a' . ++$tag;
    print $imap "$t $command\r\n";
    my @lines;
    while (defined(my $line = <$imap>)) {
        return @lines if $line =~ /^\Q$t\E OK/;
        die "IMAP $command: $line" if $line =~ /^\Q$t\E /;
        push @lines, $line;
    }
    die "IMAP: connection closed\n";
}
if ($imap) {
    <$imap> =~ /^\* OK/ or die "no IMAP greeting\n";
    imap("LOGIN $user bench");
    imap('SELECT INBOX');
}
sub dovecot_search {
    my ($text) = @_;
    my $t = time;
    my @lines = imap(qq{SEARCH TEXT "$text"});
    my $s = time - $t;
    my ($hits) = map { my @ids = split ' ', substr($_, 8); scalar @ids } grep { /^\* SEARCH/ } @lines;
    return ($s, $hits // 0);
}

# --- indexing alone: without its index, the first search builds it again -----

my @queries = (
    [rare => map { word_of(rank_for_hits($_)) } 20, 8, 3, 1],
    [common => qw(meeting budget invoice customer)],
    [phrase => '"quarter report"', '"project review"', '"budget meeting"', '"contract offer"'],
    [prefix => 'budg', 'sched', substr(word_of(500), 0, 5), substr(word_of(5000), 0, 5)],
);
my $index_file = "$store/search-index.sqlite";
unlink $index_file, "$index_file-wal", "$index_file-shm";
my ($index_s) = eas_search($queries[0][1]);
sub allocated {
    my ($path) = @_;
    my $bytes = 0;
    find({ no_chdir => 1, wanted => sub { my @s = lstat $_; $bytes += $s[12] * 512 if @s && -f _ } }, $path);
    return $bytes;
}
my %size = (index => allocated($index_file), wal => -e "$index_file-wal" ? allocated("$index_file-wal") : 0,
            store => allocated("$store/data.mdb"), maildir => $dovecot ? allocated("$dovecot->{dir}/mail") : 0);
dovecot_search('warmup') if $dovecot;  # Dovecot reads its new Maildir's file list once

# --- latency -----------------------------------------------------------------

my (%ours, %theirs, %hits);  # kind -> [seconds]; "kind/text" -> [ours, Dovecot]
for my $round (1 .. $rounds) {
    for my $q ($round % 2 ? @queries : reverse @queries) {
        my ($kind, @texts) = @$q;
        for my $text (@texts) {
            (my $imap_text = $text) =~ s/"//g;
            my @order = !$dovecot ? ('ours') : $round % 2 ? ('ours', 'theirs') : ('theirs', 'ours');
            for my $who (@order) {
                if ($who eq 'ours') {
                    for (1 .. $repeat) {
                        my ($s, $total, $page) = eas_search($text);
                        push @{ $ours{$kind} }, $s;
                        $hits{"$kind/$text"}[0] = $total;
                    }
                } else {
                    my ($s, $count) = dovecot_search($imap_text);
                    push @{ $theirs{$kind} }, $s;
                    $hits{"$kind/$text"}[1] = $count;
                }
            }
        }
    }
}

# --- the figures -------------------------------------------------------------

my %class;
$class{ size_class($seed, $_) }++ for 1 .. $n;
printf "search over %d messages (%d small, %d with attachments; %.0f MB raw, %.1f KB mean) of one user,\n"
     . "made in %.0f s, delivered by LMTP over %d sessions: nginx %.0f msg/s, Dovecot %.0f msg/s\n",
    $n, $class{small} // 0, ($class{attachment} // 0) + ($class{large} // 0), $raw_bytes / 1e6,
    $raw_bytes / $n / 1024, $make_seconds, $connections, $n / $eas_deliver_s,
    $dovecot_deliver_s ? $n / $dovecot_deliver_s : 0;
printf "indexing in the background, during delivery: %d of %d messages indexed %.1f s after the last delivery\n",
    $indexed_in_background, $n, $index_lag_s;
printf "indexing alone (index removed, the first search builds it): %d messages in %.1f s: %.0f msg/s,\n"
     . "  %.2f x nginx's LMTP delivery rate of the same messages\n",
    $n, $index_s, $n / $index_s, ($n / $index_s) / ($n / $eas_deliver_s);
printf "sizes over the raw mail: index %.3f x (%.1f MB; its WAL another %.1f MB), eas store %.2f x,"
     . " Dovecot Maildir %.2f x\n",
    $size{index} / $raw_bytes, $size{index} / 1e6, $size{wal} / 1e6, $size{store} / $raw_bytes,
    $size{maildir} / $raw_bytes;
printf "latency, %d alternating rounds; ours: Search through nginx (Inbox, Range 0-49, BodyPreference 2/512),\n"
     . "%d times per query and round; Dovecot 2.3 IMAP SEARCH TEXT, Maildir, no FTS plugin, once:\n", $rounds, $repeat;
printf "  %-7s %9s %9s %12s %12s %11s %11s\n", 'kind', 'p50 ms', 'p99 ms', 'Dovecot p50', 'Dovecot p99',
    'p50 ratio', 'p99 ratio';
for my $q (@queries) {
    my $kind = $q->[0];
    my ($o50, $o99) = (percentile(50, @{ $ours{$kind} }), percentile(99, @{ $ours{$kind} }));
    my ($d50, $d99) = $dovecot ? (percentile(50, @{ $theirs{$kind} }), percentile(99, @{ $theirs{$kind} }))
                               : (0, 0);
    printf "  %-7s %9.1f %9.1f %12.1f %12.1f %10.1fx %10.1fx\n", $kind, $o50 * 1e3, $o99 * 1e3,
        $d50 * 1e3, $d99 * 1e3, $d50 / $o50, $d99 / $o99;
}
print "  (ratio: Dovecot's time over ours; p99 of Dovecot's " . $rounds * 4 . " searches per kind is their slowest)\n";
print "matches per query (our Total / Dovecot's count):\n";
for my $q (@queries) {
    my ($kind, @texts) = @$q;
    printf "  %-7s %s\n", $kind, join(', ', map { "$_ " . join('/', @{ $hits{"$kind/$_"} }) } @texts);
}
if (my @bad = grep { /\[(alert|crit|emerg)\]/ } do { open my $e, '<', "$nginx->{prefix}/error.log"; <$e> }) {
    print @bad;
    exit 1;
}
