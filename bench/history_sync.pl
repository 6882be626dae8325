#!/usr/bin/perl
# A new device's sync of a folder with a long history against one of a
# folder that only ever had its live items: user "hist" adds N + 10
# contacts from one device, a second device syncs them all (so it holds
# them and the deletes that follow leave tombstones for it), then the
# first deletes N; user "fresh" adds the same 10. Then, alternating, a
# brand-new device does SyncKey 0 and one Sync (WindowSize 512) of each
# folder, R times: both must answer 10 Adds in one window without
# MoreAvailable, and the times should match: the wall time (a write Sync,
# so its fsync is in it) and the worker's CPU time (/proc/PID/schedstat,
# nanoseconds) of that one Sync.
# Usage: history_sync.pl URL WORKER_PID [N] [R]
use strict;
use warnings;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(time);
use FindBin;
use lib "$FindBin::Bin/lib";
use BenchHttp qw(http_client);
use BenchWbxml qw(wbxml xml sync_xml);

my ($url, $worker, $n, $rounds) = @ARGV;
$n ||= 10000;
$rounds ||= 300;
my $http = http_client(keep_alive => 1, timeout => 120);

sub post {
    my ($user, $cmd, $dev, $body) = @_;
    my %h = ('Authorization' => 'Basic ' . encode_base64("$user:bench", ''),
             'MS-ASProtocolVersion' => '14.1', 'Content-Type' => 'application/vnd.ms-sync.wbxml');
    my $r = $http->request('POST', "$url?Cmd=$cmd&User=$user&DeviceId=$dev&DeviceType=iPhone",
                           { headers => \%h, content => $body });
    die "$cmd: $r->{status}" unless $r->{status} == 200;
    return $r->{content};
}
sub cpu_ns {
    open my $fh, '<', "/proc/$worker/schedstat" or die "schedstat of $worker: $!";
    return (split ' ', scalar <$fh>)[0];
}
sub contact { my ($i) = @_;
    qq{<ApplicationData><FileAs xmlns="Contacts:">Person$i, Test</FileAs><FirstName xmlns="Contacts:">Test</FirstName><LastName xmlns="Contacts:">Person$i</LastName><Email1Address xmlns="Contacts:">person$i\@example.org</Email1Address></ApplicationData>} }

# Sync with commands (or none) until quiet; returns the new key.
sub converse {
    my ($user, $dev, $coll, $key, $commands) = @_;
    my $x = xml(post($user, 'Sync', $dev, wbxml(sync_xml($key, $coll,
        '<GetChanges/><WindowSize>512</WindowSize>' . ($commands ? "<Commands>$commands</Commands>" : '')))));
    ($key) = $x =~ m{<SyncKey>([^<]+)} if $x =~ m{<SyncKey>};
    return ($key, $x);
}

sub contacts_of {
    my ($user) = @_;
    my $fs = xml(post($user, 'FolderSync', 'LOADER', wbxml('<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>')));
    return ($fs =~ m{<ServerId>(\d+)</ServerId><ParentId>0</ParentId><DisplayName>Contacts</DisplayName>})[0];
}

my %coll = (hist => contacts_of('hist'), fresh => contacts_of('fresh'));

# hist: a holder device, N + 10 adds, the holder syncs them all, N deletes.
my $hold = (xml(post('hist', 'Sync', 'HOLDER', wbxml(sync_xml('0', $coll{hist}, '')))) =~ m{<SyncKey>([^<]+)})[0];
my $key = (xml(post('hist', 'Sync', 'LOADER', wbxml(sync_xml('0', $coll{hist}, '')))) =~ m{<SyncKey>([^<]+)})[0];
my @ids;
for (my $i = 0; $i < $n + 10; $i += 500) {
    my $last = $i + 500 > $n + 10 ? $n + 10 : $i + 500;
    my $x;
    ($key, $x) = converse('hist', 'LOADER', $coll{hist}, $key,
                          join '', map { "<Add><ClientId>c$_</ClientId>" . contact($_) . '</Add>' } $i + 1 .. $last);
    push @ids, $x =~ m{<ClientId>[^<]+</ClientId><ServerId>([^<]+)</ServerId>}g;
}
die "added " . scalar(@ids) . "\n" unless @ids == $n + 10;
for (;;) {
    my $x;
    ($hold, $x) = converse('hist', 'HOLDER', $coll{hist}, $hold);
    last unless $x =~ /MoreAvailable/;
}
for (my $i = 0; $i < $n; $i += 500) {
    my $last = $i + 500 > $n ? $n : $i + 500;
    ($key) = converse('hist', 'LOADER', $coll{hist}, $key,
                      join '', map { "<Delete><ServerId>$ids[$_]</ServerId></Delete>" } $i .. $last - 1);
}
# fresh: the same 10 live contacts and nothing else.
$key = (xml(post('fresh', 'Sync', 'LOADER', wbxml(sync_xml('0', $coll{fresh}, '')))) =~ m{<SyncKey>([^<]+)})[0];
converse('fresh', 'LOADER', $coll{fresh}, $key,
         join '', map { "<Add><ClientId>c$_</ClientId>" . contact($_) . '</Add>' } $n + 1 .. $n + 10);

# A new device's SyncKey 0 answer carries key 1, so the bodies are fixed.
my %body0 = map { $_ => wbxml(sync_xml('0', $coll{$_}, '')) } keys %coll;
my %body1 = map { $_ => wbxml(sync_xml('1', $coll{$_}, '<GetChanges/><WindowSize>512</WindowSize>')) } keys %coll;
my (%took, %cpu);
for my $round (1 .. $rounds) {
    for my $which (qw(hist fresh)) {
        my $dev = "NEW$round";
        post($which, 'Sync', $dev, $body0{$which});
        my ($t0, $c0) = (time, cpu_ns());
        my $answer = post($which, 'Sync', $dev, $body1{$which});
        push @{ $took{$which} }, time - $t0;
        push @{ $cpu{$which} }, cpu_ns() - $c0;
        if ($round == 1) {
            my $x = xml($answer);
            my $adds = () = $x =~ /<Add>/g;
            die "$which: a new device got $adds Adds\n" unless $adds == 10;
            die "$which: MoreAvailable or Delete\n" if $x =~ /MoreAvailable|<Delete>/;
        }
    }
}
sub median { my @s = sort { $a <=> $b } @_; return $s[@s / 2] }
my ($h, $f) = (median(@{ $took{hist} }), median(@{ $took{fresh} }));
my ($hc, $fc) = (median(@{ $cpu{hist} }), median(@{ $cpu{fresh} }));
printf "new device, one Sync of 10 live contacts (WindowSize 512), median of %d alternating rounds:\n", $rounds;
printf "  folder with %d deleted (tombstones held for another device): %6.0f us wall, %5.0f us worker CPU\n", $n, $h * 1e6, $hc / 1e3;
printf "  folder that only ever had the 10:                            %6.0f us wall, %5.0f us worker CPU\n", $f * 1e6, $fc / 1e3;
printf "  history / fresh: %.2f wall, %.2f worker CPU\n", $h / $f, $hc / $fc;
