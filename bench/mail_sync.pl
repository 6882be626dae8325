#!/usr/bin/perl
# A new device's initial sync of an Inbox, in alternating rounds of three
# loads, each by a brand-new device (SyncKey 0, then GetChanges pages of
# WindowSize 512 until no MoreAvailable), BodyPreference Type 2 (HTML)
# with TruncationSize 512:
#   recent   a folder of 1,000 messages, all received within the last
#            2.5 days, FilterType 2 (3 days): all 1,000 are sent;
#   filtered a folder of 100,000: 99,000 received 4 days to 2 years ago
#            and the same 1,000 recent ones, FilterType 2: the same 1,000
#            are sent, the 99,000 must cost (close to) nothing;
#   inbox    a folder of 10,000 messages, no FilterType: all are sent.
# Per load: items/s on the client (the sum of the requests' wall times)
# and items per second of the nginx worker's CPU (all its threads, from
# /proc/PID/task/*/schedstat, read before and after each request); then
# per item, filtered / recent and inbox / recent within each round.
#
# Messages are the benchmark's mix (bench/lib/BenchMail.pm), stored with
# the received times above by bench/mail_seed.cpp (the delivery code of
# eas-deliver, but with a given received time) into the store of the
# running nginx, once per run. The 99,000 old messages are of the 2-10 KB
# kind (cycling through 1,000 generated bodies, each with a Message-ID of
# its own): what a FilterType walk would read of them is their record.
#
# Usage: mail_sync.pl URL WORKER_PID STORE MAIL_SEED EASCTL
# Environment: BENCH_MAIL_MESSAGES (the inbox, 10000), BENCH_MAIL_OLD (the
# filtered folder's old messages, 99000), BENCH_MAIL_RECENT (1000),
# BENCH_MAIL_ROUNDS (3).
use strict;
use warnings;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(time);
use FindBin;
use lib "$FindBin::Bin/lib";
use BenchHttp qw(http_client);
use BenchWbxml qw(wbxml xml sync_xml);
use BenchMail qw(make_message with_message_id median thread_cpu_ns);

my ($url, $worker, $store, $seeder, $easctl) = @ARGV;
die "usage: mail_sync.pl URL WORKER_PID STORE MAIL_SEED EASCTL\n" unless $easctl;
my $n_inbox = $ENV{BENCH_MAIL_MESSAGES} || 10000;
my $n_old = $ENV{BENCH_MAIL_OLD} // 99000;
my $n_recent = $ENV{BENCH_MAIL_RECENT} || 1000;
my $rounds = $ENV{BENCH_MAIL_ROUNDS} || 3;
my $day = 86400;
my $now = time;

my $http = http_client(keep_alive => 1, timeout => 300);
sub post {
    my ($user, $cmd, $dev, $body) = @_;
    my %h = ('Authorization' => 'Basic ' . encode_base64("$user:bench", ''),
             'MS-ASProtocolVersion' => '14.1', 'Content-Type' => 'application/vnd.ms-sync.wbxml');
    my $r = $http->request('POST', "$url?Cmd=$cmd&User=$user&DeviceId=$dev&DeviceType=iPhone",
                           { headers => \%h, content => $body });
    die "$cmd for $user: $r->{status} $r->{reason}\n" unless $r->{status} == 200;
    return $r->{content};
}

sub allocated { my @s = stat "$store/data.mdb"; return @s ? $s[12] * 512 : 0 }

# --- the folders, built once per run ---------------------------------------

my %users = (recent => 'mailrecent', filtered => 'mailold', inbox => 'mailinbox');
for my $u (values %users) {
    my $out = `'$easctl' --store '$store' user add $u --password bench 2>&1`;
    die "easctl user add $u: $out" if $?;
}

# Stores [received, bytes] pairs, from a generator called until it gives
# nothing, into the user's Inbox; returns (count, raw bytes, store growth).
sub seed {
    my ($user, $next) = @_;
    my $before = allocated();
    open my $p, '|-', "'$seeder' '$store' '$user' >/dev/null" or die "$seeder: $!";
    binmode $p;
    my ($count, $bytes) = (0, 0);
    while (my ($when, $msg) = $next->()) {
        print $p int($when), ' ', length($msg), "\n", $msg;
        $count++;
        $bytes += length $msg;
    }
    close $p or die "mail_seed for $user failed\n";
    return ($count, $bytes, allocated() - $before);
}

my $t0 = time;
my %built;
# The recent 1,000: received from 2.5 days ago to a minute ago.
my @recent = map { [$now - 2.5 * $day + ($_ - 1) * (2.5 * $day - 60) / $n_recent,
                    make_message(22, $_, to => 'user@example.org')] } 1 .. $n_recent;
my $recent_bytes = 0;
$recent_bytes += length $_->[1] for @recent;
{
    my $i = 0;
    $built{recent} = [seed($users{recent}, sub { $i < @recent ? @{ $recent[$i++] } : () })];
}
{
    # 99,000 old ones, oldest first, 4 days to ~2 years old; then the recent.
    my @bodies = map { make_message(23, $_, class => 'small') } 1 .. 1000;
    my ($k, $i) = (0, 0);
    my $step = $n_old ? int(2 * 365 * $day / $n_old) || 1 : 1;
    $built{filtered} = [seed($users{filtered}, sub {
        if ($k < $n_old) {
            my $when = $now - 4 * $day - ($n_old - $k) * $step;
            my $msg = with_message_id($bodies[$k % @bodies], "old-$k\@bench.example.org");
            $k++;
            return ($when, $msg);
        }
        return $i < @recent ? @{ $recent[$i++] } : ();
    })];
}
{
    my $i = 0;
    $built{inbox} = [seed($users{inbox}, sub {
        return () if $i >= $n_inbox;
        $i++;
        return ($now - ($n_inbox - $i + 1) * 600, make_message(21, $i, to => 'user@example.org'));
    })];
}
my $build_seconds = time - $t0;

# --- the rounds ------------------------------------------------------------

my %inbox_of;
for my $load (keys %users) {
    my $fs = xml(post($users{$load}, 'FolderSync', 'LOOKUP',
                      wbxml('<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>')));
    ($inbox_of{$load}) = $fs =~ m{<ServerId>([^<]+)</ServerId><ParentId>0</ParentId><DisplayName>[^<]*</DisplayName><Type>2</Type>};
    die "no Inbox for $users{$load}\n" unless $inbox_of{$load};
}
my %filter = (recent => 2, filtered => 2, inbox => 0);
my %expect = (recent => $n_recent, filtered => $n_recent, inbox => $n_inbox);

# One initial sync by a new device: {items, requests, wall, cpu (s)}.
sub initial_sync {
    my ($load, $device) = @_;
    my ($user, $coll) = ($users{$load}, $inbox_of{$load});
    my $options = '<Options>' . ($filter{$load} ? "<FilterType>$filter{$load}</FilterType>" : '')
                . '<BodyPreference xmlns="AirSyncBase:"><Type>2</Type><TruncationSize>512</TruncationSize></BodyPreference></Options>';
    my %r = (items => 0, requests => 0, wall => 0, cpu => 0);
    my $body = wbxml(sync_xml('0', $coll, $options));
    for (;;) {
        my ($w0, $c0) = (time, thread_cpu_ns($worker));
        my $answer = post($user, 'Sync', $device, $body);
        $r{wall} += time - $w0;
        $r{cpu} += (thread_cpu_ns($worker) - $c0) / 1e9;
        $r{requests}++;
        my $x = xml($answer);
        my ($status) = $x =~ m{<Status>(\d+)</Status>};
        die "$load: Sync Status $status\n" if defined $status && $status ne '1';
        $r{items} += () = $x =~ /<Add>/g;
        my ($key) = $x =~ m{<SyncKey>([^<]+)</SyncKey>};
        die "$load: no SyncKey in the answer\n" unless defined $key;
        last if $r{requests} > 1 && $x !~ /<MoreAvailable/;
        $body = wbxml(sync_xml($key, $coll, "<GetChanges/><WindowSize>512</WindowSize>$options"));
    }
    die "$load: a new device got $r{items} of $expect{$load} messages\n" unless $r{items} == $expect{$load};
    return \%r;
}

my @loads = qw(recent filtered inbox);
my %res;
initial_sync($_, 'WARMUP') for @loads;
for my $round (1 .. $rounds) {
    for my $load ($round % 2 ? @loads : reverse @loads) {
        push @{ $res{$load} }, initial_sync($load, "NEW$round");
    }
}

# --- the figures -----------------------------------------------------------

printf "mail folders built once in %.0f s (bench/mail_seed, received times set), store growth per raw byte:\n",
    $build_seconds;
my %what = (recent => sprintf('%d recent', $n_recent),
            filtered => sprintf('%d old + %d recent', $n_old, $n_recent),
            inbox => sprintf('%d (the mix)', $n_inbox));
printf "  %-26s %7d messages, %7.1f MB raw, %.2f x in data.mdb\n", $what{$_}, $built{$_}[0],
    $built{$_}[1] / 1e6, $built{$_}[2] / $built{$_}[1] for @loads;
printf "initial Inbox sync by a new device, WindowSize 512, BodyPreference 2 / TruncationSize 512,\n"
     . "median of %d alternating rounds (one nginx worker):\n", $rounds;
my %label = (recent => "$n_recent recent, FilterType 2",
             filtered => sprintf('%d-message folder, FilterType 2', $n_old + $n_recent),
             inbox => "$n_inbox messages, no filter");
for my $load (@loads) {
    my $rs = $res{$load};
    my $items = $rs->[0]{items};
    my $wall = median(map { $_->{wall} } @$rs);
    my $cpu = median(map { $_->{cpu} } @$rs);
    printf "  %-38s %5d items %3d requests: %7.0f items/s (client), %7.0f items per worker CPU s, %6.1f us CPU/item\n",
        $label{$load}, $items, $rs->[0]{requests}, $items / $wall, $cpu > 0 ? $items / $cpu : 0, $cpu / $items * 1e6;
}
for my $pair (['filtered', 'recent'], ['inbox', 'recent']) {
    my ($x, $y) = @$pair;
    my (@wall, @cpu);
    for my $i (0 .. $rounds - 1) {
        my ($p, $q) = ($res{$x}[$i], $res{$y}[$i]);
        push @wall, ($p->{wall} / $p->{items}) / ($q->{wall} / $q->{items});
        push @cpu, ($p->{cpu} / $p->{items}) / ($q->{cpu} / $q->{items}) if $q->{cpu} > 0;
    }
    @wall = sort { $a <=> $b } @wall;
    @cpu = sort { $a <=> $b } @cpu;
    printf "  per item, %s / %s: wall %.2f x (%.2f..%.2f), worker CPU %.2f x (%.2f..%.2f)\n",
        $label{$x}, $label{$y}, median(@wall), $wall[0], $wall[-1], median(@cpu), $cpu[0], $cpu[-1];
}
