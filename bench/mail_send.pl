#!/usr/bin/perl
# Mail out: SendMail (14.1 WBXML, ClientId, SaveInSentItems) of 2-10 KB
# messages, in alternating rounds of three loads posted by the same client
# at the same concurrency:
#   bare    the same request bodies to nginx's `return 200` (the reference);
#   local   SendMail to a user of this box: delivered into the recipient's
#           store and copied to Sent Items before the answer, so the time
#           until the message is in the recipient's store is the request's;
#   relay   SendMail to another domain: queued durably in the store, then
#           sent by the worker's thread pool to eas_smtp_relay, a sink in
#           this script that notes when each message's final dot arrived.
# Per load: messages/s (median of the rounds), the request's p50/p99, the
# nginx worker's CPU per message (all threads, from /proc); for relay also
# the p50/p99 time from the request's start, and from its answer (the
# moment the phone is told the message is taken), until the message is at
# the sink; and local / bare, relay / bare in messages/s within each round.
# The relay opens one SMTP connection per message (core/mail/smtp_client).
#
# Usage: mail_send.pl URL BARE_URL WORKER_PID EASCTL STORE SINK_PORT
# Environment: BENCH_SEND_MESSAGES (per load and round, 200),
# BENCH_SEND_ROUNDS (3), BENCH_SEND_CONCURRENCY (4).
use strict;
use warnings;
use IO::Socket::INET;
use MIME::Base64 qw(encode_base64);
use POSIX qw(_exit);
use Time::HiRes qw(time sleep);
use FindBin;
use lib "$FindBin::Bin/lib";
use BenchWbxml qw(wbxml);
use BenchMail qw(make_message with_message_id median percentile thread_cpu_ns);

my ($url, $bare, $worker, $easctl, $store, $sink_port) = @ARGV;
die "usage: mail_send.pl URL BARE_URL WORKER_PID EASCTL STORE SINK_PORT\n" unless $sink_port;
my $messages = $ENV{BENCH_SEND_MESSAGES} || 200;
my $rounds = $ENV{BENCH_SEND_ROUNDS} || 3;
my $concurrency = $ENV{BENCH_SEND_CONCURRENCY} || 4;
my $seed = 29;
my $work = "/tmp/eas-bench-send-$$";
mkdir $work or die "mkdir $work: $!";

for my $u (['sender', 'sender@example.org'], map { [sprintf('rcpt%02d', $_), sprintf('rcpt%02d@example.org', $_)] } 1 .. 10) {
    my $out = `'$easctl' --store '$store' user add $u->[0] --password bench --email $u->[1] 2>&1`;
    die "easctl user add $u->[0]: $out" if $?;
}

# --- the sink: four processes taking connections (forked before, so that
# no fork per connection slows the relay down), "subject<TAB>time" per
# message ---

my $arrivals = "$work/arrivals";
my $listen = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $sink_port, Listen => 64,
                                   ReuseAddr => 1) or die "sink: $!";
my @sinks;
for (1 .. 4) {
    my $pid = fork // die "fork: $!";
    if ($pid) { push @sinks, $pid; next }
    while (my $c = $listen->accept) {
        {
            $c->autoflush(1);
            print $c "220 sink ESMTP\r\n";
            while (defined(my $line = <$c>)) {
                if ($line =~ /^EHLO/i) { print $c "250-sink\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n" }
                elsif ($line =~ /^DATA/i) {
                    print $c "354 go\r\n";
                    my $subject = '';
                    while (defined(my $l = <$c>)) {
                        last if $l eq ".\r\n";
                        $subject = $1 if !$subject && $l =~ /^Subject: (.*?)\r?$/;
                    }
                    my $at = time;
                    open my $fh, '>>', $arrivals or die;
                    syswrite $fh, "$subject\t$at\n";
                    close $fh;
                    print $c "250 2.0.0 taken\r\n";
                }
                elsif ($line =~ /^QUIT/i) { print $c "221 bye\r\n"; last }
                else { print $c "250 ok\r\n" }
            }
        }
        close $c;
    }
    _exit(0);
}
close $listen;
END { kill 'KILL', @sinks if @sinks; system('rm', '-rf', $work) if $work }

# --- the requests, made before any round: the same sizes for every load ---

my $n = 0;
sub request_body {
    my ($i, $to, $subject) = @_;
    my $mime = with_message_id(make_message($seed, $i, class => 'small', to => $to), "send-" . ++$n . "\@bench.example");
    $mime =~ s/^Subject: [^\r\n]*/Subject: $subject/m;
    $mime =~ s/^From: [^\r\n]*/From: sender\@example.org/m;
    return wbxml(qq{<SendMail xmlns="ComposeMail:"><ClientId>bench-$n</ClientId><SaveInSentItems/>}
                 . '<MIME>' . encode_base64($mime, '') . '</MIME></SendMail>');
}
my %bodies;
for my $r (1 .. $rounds) {
    for my $i (1 .. $messages) {
        $bodies{local}[$r][$i - 1] = request_body($i, sprintf('rcpt%02d@example.org', $i % 10 + 1), "local $r/$i");
        $bodies{relay}[$r][$i - 1] = request_body($i, 'far@elsewhere.example', "relay $r/$i");
    }
    $bodies{bare}[$r] = $bodies{local}[$r];
}

# --- one load: $concurrency clients, each taking every n-th request --------

my $send_url = "$url?Cmd=SendMail&User=sender&DeviceId=BENCHSEND&DeviceType=iPhone";
my $head = "Authorization: Basic " . encode_base64('sender:bench', '') . "\r\n"
         . "MS-ASProtocolVersion: 14.1\r\nContent-Type: application/vnd.ms-sync.wbxml\r\n";

# POSTs $body on keep-alive connection $c ({sock, buf}) to $target (an
# http://host:port/path URL): status and body of the answer. Headers and
# body leave in one write, as a phone's HTTP stack sends them: two small
# writes would add Nagle's wait for the server's delayed ACK (40 ms) to
# every request that has to read its body.
sub http_post {
    my ($c, $target, $body) = @_;
    my ($hostport, $path) = $target =~ m{^http://([^/]+)(/.*)$} or die "bad URL $target\n";
    $c->{sock} //= IO::Socket::INET->new(PeerAddr => $hostport) or die "connect $hostport: $!\n";
    my $req = "POST $path HTTP/1.1\r\nHost: $hostport\r\n$head"
            . "Content-Length: " . length($body) . "\r\n\r\n$body";
    for (my $off = 0; $off < length $req;) {
        my $n = syswrite($c->{sock}, $req, length($req) - $off, $off) // die "write: $!\n";
        $off += $n;
    }
    my $buf = '';
    while (1) {
        if ($buf =~ /^HTTP\/1\.1 (\d+)[^\r]*\r\n(.*?)\r\n\r\n/s) {
            my ($status, $headers, $start) = ($1, $2, $+[0]);
            my ($len) = $headers =~ /^Content-Length: (\d+)/mi;
            $len //= 0;
            if (length($buf) >= $start + $len) {
                return ($status, substr($buf, $start, $len));
            }
        }
        sysread($c->{sock}, $buf, 65536, length $buf) or die "connection closed\n";
    }
}

# Returns {rate (messages/s), lat (request seconds), cpu_ms (per message),
# sent (subject => [time the request started, time it was answered])}.
sub run_load {
    my ($load, $round) = @_;
    my $list = $bodies{$load}[$round];
    my $target = $load eq 'bare' ? $bare : $send_url;
    my $cpu0 = thread_cpu_ns($worker);
    my $t0 = time;
    my @kids;
    for my $k (0 .. $concurrency - 1) {
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            my $conn = {};
            open my $out, '>', "$work/lat.$k" or die;
            for (my $i = $k; $i < @$list; $i += $concurrency) {
                my $start = time;
                my ($status, $content) = http_post($conn, $target, $list->[$i]);
                my $end = time;
                die "$load: HTTP $status\n" unless $status == 200 && ($load eq 'bare' || $content eq '');
                printf $out "%s/%d\t%.6f\t%.6f\n", $load, $i + 1, $start, $end - $start;
            }
            close $out;
            _exit(0);
        }
        push @kids, $pid;
    }
    for (@kids) { waitpid $_, 0; die "a $load client failed\n" if $? }
    my $wall = time - $t0;
    my $cpu = thread_cpu_ns($worker) - $cpu0;
    my (@lat, %sent);
    for my $k (0 .. $concurrency - 1) {
        open my $in, '<', "$work/lat.$k" or die;
        while (<$in>) {
            my ($what, $start, $secs) = split /\t/;
            push @lat, $secs;
            my ($i) = $what =~ m{/(\d+)$};
            $sent{"$load $round/$i"} = [$start, $start + $secs];
        }
    }
    return { rate => @$list / $wall, lat => \@lat, cpu_ms => $cpu / 1e6 / @$list, sent => \%sent };
}

# Waits (up to a minute) for every message of a relay round at the sink:
# the seconds from each request's start to its arrival, and from its
# answer ([[...], [...]]).
sub sink_delays {
    my ($sent) = @_;
    my $deadline = time + 60;
    my %at;
    while (1) {
        %at = ();
        if (open my $in, '<', $arrivals) {
            while (<$in>) { chomp; my ($s, $t) = split /\t/; $at{$s} = $t if exists $sent->{$s} }
        }
        last if keys %at == keys %$sent || time > $deadline;
        sleep 0.1;
    }
    die sprintf("only %d of %d relayed messages reached the sink in a minute\n", scalar keys %at, scalar keys %$sent)
        unless keys %at == keys %$sent;
    return [[map { $at{$_} - $sent->{$_}[0] } keys %$sent], [map { $at{$_} - $sent->{$_}[1] } keys %$sent]];
}

# A first request before measuring: the password check of a user's first
# request (a deliberately slow hash, then cached) is no part of sending.
my ($warm_status) = http_post({}, $send_url, request_body(1, 'rcpt01@example.org', 'warm-up'));
die "warm-up SendMail: HTTP $warm_status\n" unless $warm_status == 200;

my %result;
for my $r (1 .. $rounds) {
    my @order = $r % 2 ? qw(bare local relay) : qw(relay local bare);
    for my $load (@order) {
        my $got = run_load($load, $r);
        $got->{sink} = sink_delays($got->{sent}) if $load eq 'relay';
        push @{ $result{$load} }, $got;
    }
}

printf "SendMail, 14.1 WBXML, 2-10 KB messages, %d clients, %d per load and round, %d rounds, alternating\n",
    $concurrency, $messages, $rounds;
my %name = (bare => "bare nginx 'return 200' (same bodies)", local => 'SendMail to a local user',
            relay => 'SendMail to the relay');
for my $load (qw(bare local relay)) {
    my @runs = @{ $result{$load} };
    my @lat = map { @{ $_->{lat} } } @runs;
    my @rates = map { $_->{rate} } @runs;
    printf "%-40s %7.0f msg/s median (%.0f..%.0f), request p50 %.1f ms p99 %.1f ms, worker CPU %.2f ms/msg\n",
        $name{$load}, median(@rates), (sort { $a <=> $b } @rates)[0, -1],
        1000 * percentile(50, @lat), 1000 * percentile(99, @lat), median(map { $_->{cpu_ms} } @runs);
}
my @sink = map { @{ $_->{sink}[0] } } @{ $result{relay} };
my @after = map { @{ $_->{sink}[1] } } @{ $result{relay} };
printf "%-40s p50 %.1f ms p99 %.1f ms from the request to the sink\n", 'relay: at the next hop',
    1000 * percentile(50, @sink), 1000 * percentile(99, @sink);
printf "%-40s p50 %.1f ms p99 %.1f ms from the answer to the sink\n", '',
    1000 * percentile(50, @after), 1000 * percentile(99, @after);
for my $load (qw(local relay)) {
    my @ratios = sort { $a <=> $b } map { $result{$load}[$_]{rate} / $result{bare}[$_]{rate} } 0 .. $rounds - 1;
    printf "%-40s %7.3f x median (%.3f..%.3f)\n", "$load / bare, msg/s", median(@ratios), @ratios[0, -1];
}
