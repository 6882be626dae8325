#!/usr/bin/perl
# Measures held Pings (not part of make test or make bench; see README):
#
#   bench/ping-load.pl memory [N]    RSS of the (single) worker per held Ping,
#                                    next to nginx's own cost of a request it
#                                    holds (limit_req delay), N devices (5000)
#   bench/ping-load.pl latency [R] [K]  delay from a change committed by easctl
#                                    (another process) to the Ping's answer,
#                                    R rounds (50) while K other devices' Pings
#                                    are held (2000), two workers
#
# Needs `make build`, root or a high `ulimit -n` (N + 100 descriptors), and
# g++ for the seeding helper (bench/ping_seed.cpp).
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(sleep time);

my $top = abs_path(dirname(__FILE__) . '/..');
my $mode = shift // 'memory';
my $dir = tempdir('eas-pingload-XXXXXX', TMPDIR => 1, CLEANUP => !$ENV{EAS_KEEP});
my $ua = 'Apple-iPhone9C1/1602.92';
my $port;
my @nginx_pids;

END { kill 'QUIT', $_ for @nginx_pids; }

sub run { my $out = `@_ 2>&1`; die "@_: $out" if $?; return $out }

sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1);
    my $p = $s->sockport;
    close $s;
    return $p;
}

sub wbxml_of {
    my ($xml) = @_;
    open my $fh, '>', "$dir/req.xml" or die;
    print $fh qq{<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n$xml};
    close $fh;
    run("xml2wbxml -a -n -o $dir/req.wbxml $dir/req.xml");
    open $fh, '<:raw', "$dir/req.wbxml" or die;
    local $/;
    return scalar <$fh>;
}

sub start_nginx {
    my ($workers) = @_;
    $port = free_port();
    mkdir "$dir/tmp";
    my $user = $> == 0 ? 'user root root;' : '';
    open my $fh, '>', "$dir/nginx.conf" or die;
    print $fh <<"CONF";
load_module $top/build/ngx_http_eas_module.so;
$user
worker_processes $workers;
worker_rlimit_nofile 20000;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 19000; }
http {
    client_body_temp_path $dir/tmp;
    access_log off;
    eas_store $dir/store;
    limit_req_zone \$binary_remote_addr zone=slow:1m rate=1r/m;
    server {
        listen 127.0.0.1:$port;
        location /Microsoft-Server-ActiveSync { eas on; }
        location /held { limit_req zone=slow burst=30000; empty_gif; }
        location /status { stub_status; }
    }
}
CONF
    close $fh;
    run("/usr/sbin/nginx -p $dir -c $dir/nginx.conf");
    sleep 0.5;
    open $fh, '<', "$dir/nginx.pid" or die;
    chomp(my $master = <$fh>);
    push @nginx_pids, $master;
    return $master;
}

sub stop_nginx {
    my $master = pop @nginx_pids;
    kill 'QUIT', $master;
    sleep 0.1 while kill 0, $master;
}

sub workers_of {
    my ($master) = @_;
    open my $fh, '<', "/proc/$master/task/$master/children" or die;
    return split ' ', scalar <$fh>;
}

# Anonymous resident memory (heap, pools, stacks): what held requests cost.
# VmRSS would also count the store's pages the worker has read (LMDB maps
# the file; those pages are the page cache, shared, and not per request).
sub rss_kb {
    my ($pid) = @_;
    open my $fh, '<', "/proc/$pid/status" or die;
    while (<$fh>) { return $1 if /^RssAnon:\s+(\d+)/ }
    die "no RssAnon";
}

sub writing {
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port) or die;
    print $s "GET /status HTTP/1.0\r\n\r\n";
    local $/;
    my $r = <$s>;
    return $r =~ /Writing: (\d+)/ ? $1 : 0;
}

# Opens one connection and sends the request; never reads (held).
sub send_request {
    my ($path, $body) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port) or die "connect: $!";
    my ($user) = $path =~ /User=(\w+)/;
    my $auth = encode_base64(($user // 'alice') . ':secret', '');
    print $s "POST $path HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic $auth\r\n"
           . "MS-ASProtocolVersion: 14.1\r\nUser-Agent: $ua\r\n"
           . "Content-Type: application/vnd.ms-sync.wbxml\r\nContent-Length: " . length($body) . "\r\n\r\n$body";
    return $s;
}

sub ping_path { "/Microsoft-Server-ActiveSync?Cmd=Ping&User=$_[1]&DeviceId=$_[0]&DeviceType=iPhone" }

sub wait_writing {
    my ($want) = @_;
    for (1 .. 600) {
        return if writing() >= $want;
        sleep 0.1;
    }
    die "only " . writing() . " of $want requests held";
}

sub read_answer {
    my ($s, $timeout) = @_;
    my $sel = IO::Select->new($s);
    my $buf = '';
    my $deadline = time + $timeout;
    for (;;) {
        my $left = $deadline - time;
        last if $left <= 0 || !$sel->can_read($left);
        last unless sysread($s, $buf, 65536, length $buf);
        if ($buf =~ /\r\n\r\n/s) {
            my ($len) = $buf =~ /^Content-Length: (\d+)/mi;
            last if length($buf) >= $+[0] + ($len // 0);
        }
    }
    return ($buf, time);
}

sub seed {
    my ($user, $prefix, $count, $folder) = @_;
    run("$dir/ping_seed $dir/store $user $prefix $count $folder 3540 '$ua'");
}

mkdir "$dir/store";
run("g++ -std=c++20 -O2 -I$top " . `pkg-config --cflags libwbxml2 | tr -d '\n'`
    . " $top/bench/ping_seed.cpp $top/build/libeas.a -lwbxml2 -llmdb -lcrypto -lpthread -o $dir/ping_seed");
run("$top/build/easctl --store $dir/store user add alice --password secret");
run("$top/build/easctl --store $dir/store user add bob --password secret");
# Default folders in creation order: alice's Contacts is 6, bob's 15.
my ($alice_contacts, $bob_contacts) = (6, 15);
my $ping_body = wbxml_of(qq{<Ping xmlns="Ping:"><HeartbeatInterval>3540</HeartbeatInterval><Folders><Folder><Id>$alice_contacts</Id><Class>Contacts</Class></Folder></Folders></Ping>});

if ($mode eq 'memory') {
    my $n = shift // 5000;
    my $warm = 200;
    seed('alice', 'DEV', $n + $warm, $alice_contacts);
    my %per;
    for my $what ('nginx limit_req delay', 'eas Ping') {
        my $master = start_nginx(1);
        my ($worker) = workers_of($master);
        my @socks;
        # One request first, alone: the password's slow hash (scrypt, large
        # buffers on a pool thread) then sits in the credential cache.
        my ($first) = read_answer(send_request(ping_path('WARMUP', 'alice'), $ping_body), 30);
        die "warm-up: $first" unless $first =~ /^HTTP\/1\.1 200/;
        my $req = $what eq 'eas Ping'
            ? sub { send_request(ping_path("DEV$_[0]", 'alice'), $ping_body) }
            : sub { send_request('/held', $ping_body) };
        push @socks, $req->($_) for 0 .. $warm - 1;
        wait_writing($warm);
        sleep 0.5;
        my $before = rss_kb($worker);
        push @socks, $req->($_) for $warm .. $warm + $n - 1;
        wait_writing($warm + $n);
        sleep 1;
        my $after = rss_kb($worker);
        $per{$what} = ($after - $before) * 1024 / $n;
        printf "%-22s %6d held: worker RssAnon %d -> %d KiB, %.0f bytes per held request\n",
            $what, $n, $before, $after, $per{$what};
        close $_ for @socks;
        stop_nginx();
    }
    printf "ratio eas Ping / nginx's own held request: %.2f\n",
        $per{'eas Ping'} / $per{'nginx limit_req delay'};

} elsif ($mode eq 'latency') {
    my $rounds = shift // 50;
    my $others = shift // 2000;
    seed('bob', 'BOB', $others, $bob_contacts);
    seed('alice', 'PHONE', 1, $alice_contacts);
    start_nginx(2);
    for my $who ('alice', 'bob') {  # the slow hash once, then cached
        my ($first) = read_answer(send_request(ping_path('WARMUP', $who), $ping_body), 30);
        die "warm-up: $first" unless $first =~ /^HTTP\/1\.1 200/;
    }
    my $bob_body = wbxml_of(qq{<Ping xmlns="Ping:"><HeartbeatInterval>3540</HeartbeatInterval><Folders><Folder><Id>$bob_contacts</Id><Class>Contacts</Class></Folder></Folders></Ping>});
    my @held = map { send_request(ping_path("BOB$_", 'bob'), $bob_body) } 0 .. $others - 1;
    wait_writing($others);
    my (@from_exit, @from_start);
    for my $round (1 .. $rounds) {
        my $s = send_request(ping_path('PHONE0', 'alice'), $ping_body);
        wait_writing($others + 1);
        sleep 0.05 + rand(0.25);  # start anywhere in the poll cycle
        my $t0 = time;
        run("$top/build/easctl --store $dir/store debug touch-folder $alice_contacts");
        my $t1 = time;
        my ($answer, $t2) = read_answer($s, 10);
        die "no Status 2: $answer" unless $answer =~ /^HTTP\/1\.1 200/ && length $answer;
        push @from_exit, $t2 - $t1;
        push @from_start, $t2 - $t0;
        close $s;
        run("$top/build/easctl --store $dir/store debug mark-synced alice PHONE0 $alice_contacts");
    }
    for my $set (['from easctl exit (commit done)', \@from_exit],
                 ['from easctl start', \@from_start]) {
        my @d = sort { $a <=> $b } @{ $set->[1] };
        my $pick = sub { $d[ int($_[0] * $#d + 0.5) ] * 1000 };
        printf "%-32s n=%d p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms\n",
            $set->[0], scalar @d, $pick->(0.5), $pick->(0.9), $pick->(0.99), $d[-1] * 1000;
    }
    print "(while $others Pings of another user were held)\n";
    close $_ for @held;
    stop_nginx();
} else {
    die "usage: $0 memory [N] | latency [ROUNDS] [OTHERS]\n";
}
