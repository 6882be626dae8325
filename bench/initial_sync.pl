#!/usr/bin/perl
# Initial sync of N contacts (default 10,000): one device adds them in
# batches, a second device pulls them with WindowSize 512. Prints items/s
# (wall clock on the client side, and per second of the worker's own CPU
# time, read from /proc). Usage: initial_sync.pl URL WORKER_PID [N]
use strict;
use warnings;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(time);
use FindBin;
use lib "$FindBin::Bin/lib";
use BenchHttp qw(http_client);
use BenchWbxml qw(wbxml xml sync_xml);

my ($url, $worker, $n) = @ARGV;
$n ||= 10000;
my $http = http_client(keep_alive => 1, timeout => 120);
my %h = ('Authorization' => 'Basic ' . encode_base64('bench:bench', ''),
         'MS-ASProtocolVersion' => '14.1', 'Content-Type' => 'application/vnd.ms-sync.wbxml');

sub post {
    my ($cmd, $dev, $body) = @_;
    my $r = $http->request('POST', "$url?Cmd=$cmd&User=bench&DeviceId=$dev&DeviceType=iPhone",
                           { headers => \%h, content => $body });
    die "$cmd: $r->{status}" unless $r->{status} == 200;
    return $r->{content};
}
sub cpu {
    open my $fh, '<', "/proc/$worker/stat" or return 0;
    my @f = split ' ', <$fh>;
    return ($f[13] + $f[14]) / 100;   # utime + stime, clock ticks at 100 Hz
}

my $fs = xml(post('FolderSync', 'LOADER', wbxml('<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>')));
my ($contacts) = $fs =~ m{<ServerId>(\d+)</ServerId><ParentId>0</ParentId><DisplayName>Contacts</DisplayName>};

# Load: batches of 500 Adds from one device.
my $key = (xml(post('Sync', 'LOADER', wbxml(sync_xml('0', $contacts, '')))) =~ m{<SyncKey>([^<]+)})[0];
for (my $i = 0; $i < $n; $i += 500) {
    my $adds = join '', map {
        qq{<Add><ClientId>c$_</ClientId><ApplicationData><FileAs xmlns="Contacts:">Person$_, Test</FileAs><FirstName xmlns="Contacts:">Test</FirstName><LastName xmlns="Contacts:">Person$_</LastName><Email1Address xmlns="Contacts:">person$_\@example.org</Email1Address><MobilePhoneNumber xmlns="Contacts:">+1555$_</MobilePhoneNumber><CompanyName xmlns="Contacts:">Example Inc</CompanyName><JobTitle xmlns="Contacts:">Engineer</JobTitle></ApplicationData></Add>}
    } $i + 1 .. ($i + 500 > $n ? $n : $i + 500);
    my $resp = xml(post('Sync', 'LOADER', wbxml(sync_xml($key, $contacts, "<Commands>$adds</Commands>"))));
    ($key) = $resp =~ m{<SyncKey>([^<]+)};
}

# Pull: a new device, WindowSize 512, until no MoreAvailable.
my $pull = 'PULLER';
my $k = (xml(post('Sync', $pull, wbxml(sync_xml('0', $contacts, '')))) =~ m{<SyncKey>([^<]+)})[0];
# Keys count up by one per answer: encode every request before timing.
my @bodies = map { wbxml(sync_xml($k + $_, $contacts, '<GetChanges/><WindowSize>512</WindowSize>')) }
             0 .. int(($n + 511) / 512);
my @responses;
my ($t0, $c0) = (time, cpu());
push @responses, post('Sync', $pull, $_) for @bodies;
my ($t1, $c1) = (time, cpu());
my $requests = @responses;
my $items = 0;
for my $r (@responses) { my $x = xml($r); $items += () = $x =~ /<Add>/g; }
die "pulled $items of $n contacts\n" unless $items == $n;
printf "initial sync of %d contacts: %d requests, %.3f s wall, %.3f s worker CPU\n",
    $items, $requests, $t1 - $t0, $c1 - $c0;
printf "  %.0f items/s (client wall clock), %.0f items/s per worker CPU second\n",
    $items / ($t1 - $t0), ($c1 - $c0) > 0 ? $items / ($c1 - $c0) : 0;
