#!/usr/bin/perl
# Mail delivery: eas-deliver next to Dovecot's dovecot-lda, and nginx's LMTP
# (ngx_stream_eas_module) next to Dovecot's LMTP (dovecot-lmtpd) at 1, 4
# and 16 connections (and at 16 with 2-10 KB messages only), each handed
# the same messages for the same users, in alternating rounds. A process per
# message is started as Postfix's local(8)/pipe(8) would, two at a time
# (Postfix's default_destination_concurrency_limit for local delivery is
# 2); every delivery has a Message-ID of its own. Prints per target:
# messages/s and MB/s (median of the rounds), CPU per message (the
# delivery processes' user+sys from times(), plus the CPU of the daemons
# they talk to: Dovecot's auth and lmtp processes, read from /proc), the
# p50/p99 latency of a message (fork to exit, or MAIL FROM to the 250 after
# DATA), and the ratios eas-deliver / dovecot-lda and nginx LMTP / Dovecot
# LMTP at the same connections. Then the store size per
# raw byte delivered: the LMDB data file against Dovecot's Maildir.
#
# Dovecot runs from its own config in the work directory (its own base_dir,
# no inet listener, no system service touched); when the benchmark runs as
# root its mail is owned by nobody (Dovecot refuses uid 0 for mail).
#
# Usage: mail_deliver.pl BUILD_DIR WORK_DIR
# Environment: BENCH_DELIVER_MESSAGES (per target and round, 200),
# BENCH_DELIVER_ROUNDS (5), BENCH_DELIVER_USERS (10),
# BENCH_DELIVER_CONCURRENCY (2), BENCH_DELIVER_LMTP (1: the LMTP targets,
# nginx's and Dovecot's, too; 0: not), BENCH_DELIVER_SMALL (messages per
# round of the 2-10 KB LMTP targets at 16 connections, 2000),
# BENCH_DELIVER_ONLY (a Perl regex: only the targets whose names match,
# e.g. '2-10 KB' or '^(eas-deliver|dovecot-lda)$', for profiling one).
use strict;
use warnings;
use File::Find;
use File::Path qw(make_path remove_tree);
use File::Spec;
use POSIX qw(_exit);
use Time::HiRes qw(time sleep);
use FindBin;
use lib "$FindBin::Bin/lib";
use BenchMail qw(make_message with_message_id percentile median cpu_ns_of_tree children_cpu_s);
use BenchDovecot qw(start_dovecot);
use BenchLmtp qw(lmtp_session lmtp_send lmtp_quit);
use BenchNginx qw(start_nginx);

my ($build, $dir) = @ARGV;
die "usage: mail_deliver.pl BUILD_DIR WORK_DIR\n" unless $build && $dir;
my $messages = $ENV{BENCH_DELIVER_MESSAGES} || 200;
my $rounds = $ENV{BENCH_DELIVER_ROUNDS} || 5;
my $users = $ENV{BENCH_DELIVER_USERS} || 10;
my $concurrency = $ENV{BENCH_DELIVER_CONCURRENCY} || 2;
my $with_lmtp = $ENV{BENCH_DELIVER_LMTP} // 1;
my $small_messages = $ENV{BENCH_DELIVER_SMALL} || 2000;
my $seed = 13;
my $lda = '/usr/lib/dovecot/dovecot-lda';
my $sender = 'sender@example.com';

make_path($dir);
# The messages handed to a delivery process come from tmpfs: writing them
# to the disk under test would add its writeback to the deliveries' fsyncs.
my $queue = -d '/dev/shm' ? "/dev/shm/eas-bench-queue-$$" : "$dir/queue";
make_path($queue);
END { remove_tree($queue) if $queue }

sub user_of { sprintf 'user%02d', $_[0] % $users + 1 }

# --- the message pool: the same bytes for every target -------------------

my @pool = map { make_message($seed, $_, to => user_of($_) . '@example.org') } 1 .. $messages;
my $pool_bytes = 0;
$pool_bytes += length for @pool;
my %class;
$class{ BenchMail::size_class($seed, $_) }++ for 1 .. $messages;

# --- eas-deliver: its own store -------------------------------------------

my $store = "$dir/eas-store";
for my $u (map { user_of($_) } 0 .. $users - 1) {
    my $out = `'$build/easctl' --store '$store' user add $u --password bench --email $u\@example.org 2>&1`;
    die "easctl user add $u: $out" if $?;
}

# --- Dovecot (bench/lib/BenchDovecot.pm) ----------------------------------

my $dovecot = start_dovecot();
warn "the Dovecot targets are skipped\n" unless $dovecot;

# --- the targets -----------------------------------------------------------
#
# kind 'process': a process per message, argv from the user, the message on
# stdin; kind 'lmtp': `connections` LMTP sessions to `connect` (a unix
# socket path or host:port). `daemon`: the pid whose process tree's CPU
# counts too. `store`: which store's size the deliveries grow.

my @targets = ({
    name => 'eas-deliver', kind => 'process', store => 'eas',
    argv => sub { ("$build/eas-deliver", '--store', $store, '-d', $_[0], '-f', $sender) },
});
push @targets, {
    name => 'dovecot-lda', kind => 'process', store => 'dovecot', daemon => $dovecot->{master},
    argv => sub { ($lda, '-c', $dovecot->{conf}, '-d', $_[0], '-f', $sender) },
} if $dovecot;

# nginx's LMTP (ngx_stream_eas_module): one nginx, 2 workers, Debian's
# stream module and ours, a stream server with `eas_lmtp on` on the eas
# store above (the one eas-deliver writes: the same users, as Dovecot's LDA
# and LMTP share its Maildir), from a prefix of its own in the work
# directory. Targets at 1, 4 and 16 connections; CPU is nginx's process
# tree (master and workers, every thread of each: the thread pool parses
# and commits). The ratios below pair each with Dovecot's LMTP at the same
# number of connections (the pairs in @ratios).
sub nginx_lmtp_targets {
    return () unless $with_lmtp;
    my $nginx = start_nginx("$dir/nginx-lmtp", $build, $store)
        or do { warn "the nginx LMTP targets are skipped\n"; return () };
    return map { { name => "nginx LMTP, $_ conn", kind => 'lmtp', store => 'eas',
                   connect => $nginx->{lmtp}, connections => $_, daemon => $nginx->{master} } } 1, 4, 16;
}

sub dovecot_lmtp_targets {
    return () unless $dovecot && $with_lmtp && -S $dovecot->{lmtp};
    return map { { name => "Dovecot LMTP, $_ conn", kind => 'lmtp', store => 'dovecot',
                   connect => $dovecot->{lmtp}, connections => $_, daemon => $dovecot->{master} } } 1, 4, 16;
}
push @targets, nginx_lmtp_targets(), dovecot_lmtp_targets();

# Small mail by LMTP: only messages of 2-10 KB (the 85 % of the mix), more
# of them per round (BENCH_DELIVER_SMALL) so that a round at thousands a
# second still lasts a fraction of a second, at 16 connections.
my @small_pool;
if (my @lmtp = grep { $_->{kind} eq 'lmtp' && $_->{connections} == 16 } @targets) {
    @small_pool = map { make_message($seed, $_, class => 'small', to => user_of($_) . '@example.org') } 1 .. $small_messages;
    push @targets, map { { %$_, name => "$_->{name}, 2-10 KB", pool => \@small_pool } } @lmtp;
}

if (defined(my $only = $ENV{BENCH_DELIVER_ONLY})) {
    @targets = grep { $_->{name} =~ /$only/ } @targets;
    die "BENCH_DELIVER_ONLY=$only names no target\n" unless @targets;
}

# [numerator, denominator] target names whose ratios are printed.
my @ratios = (['eas-deliver', 'dovecot-lda'],
              (map { ["nginx LMTP, $_ conn", "Dovecot LMTP, $_ conn"] } 1, 4, 16),
              ['nginx LMTP, 16 conn, 2-10 KB', 'Dovecot LMTP, 16 conn, 2-10 KB']);

# --- running one round of one target ---------------------------------------

# Delivers @$jobs (each {user, file, data, bytes}); returns the round's
# figures {n, bytes, wall, cpu (s), lat [s...], small [s...] (of the
# 2-10 KB messages)}.
sub run_round {
    my ($t, $jobs, $round) = @_;
    my $errors = "$dir/$t->{name}.stderr";
    $errors =~ s/[ ,]+/-/g;
    my $c0 = children_cpu_s();
    my $d0 = $t->{daemon} ? cpu_ns_of_tree($t->{daemon}) : 0;
    my (@lat, @small, $failed);
    my $t0 = time;
    if ($t->{kind} eq 'process') {
        my %started;
        my @todo = @$jobs;
        my $running = 0;
        while (@todo || $running) {
            while (@todo && $running < $concurrency) {
                my $job = shift @todo;
                my $ts = time;
                my $pid = fork // die "fork: $!";
                if (!$pid) {
                    open STDIN, '<', $job->{file} or _exit(126);
                    open STDOUT, '>', '/dev/null';
                    open STDERR, '>>', $errors;
                    exec $t->{argv}->($job->{user}) or _exit(127);
                }
                $started{$pid} = [$ts, $job];
                $running++;
            }
            my $pid = waitpid(-1, 0);
            last if $pid <= 0;
            my ($ts, $job) = @{ $started{$pid} };
            push @lat, time - $ts;
            push @small, $lat[-1] if $job->{small};
            $failed++ if $?;
            $running--;
        }
    } else {
        my @kids;
        for my $k (0 .. $t->{connections} - 1) {
            my $pid = fork // die "fork: $!";
            if (!$pid) {
                open my $out, '>', "$dir/lmtp.$k" or _exit(1);
                my $s = lmtp_session($t->{connect}) or _exit(2);
                for (my $i = $k; $i < @$jobs; $i += $t->{connections}) {
                    my $job = $jobs->[$i];
                    my $ts = time;
                    lmtp_send($s, $sender, $job->{user}, $job->{data}) or _exit(5);
                    printf $out "%.6f %d\n", time - $ts, $job->{small} ? 1 : 0;
                }
                lmtp_quit($s);
                close $out;
                _exit(0);
            }
            push @kids, $pid;
        }
        for my $pid (@kids) { waitpid($pid, 0); $failed++ if $? }
        for my $k (0 .. $t->{connections} - 1) {
            open my $in, '<', "$dir/lmtp.$k" or next;
            for (<$in>) {
                my ($l, $small) = split;
                push @lat, $l;
                push @small, $l if $small;
            }
        }
    }
    my $wall = time - $t0;
    # A delivery process's CPU counts; the LMTP clients are ours, not the
    # server's: theirs does not.
    my $cpu = $t->{kind} eq 'process' ? children_cpu_s() - $c0 : 0;
    $cpu += (cpu_ns_of_tree($t->{daemon}) - $d0) / 1e9 if $t->{daemon};
    if ($failed || @lat != @$jobs) {
        my $err = -e $errors ? `tail -5 '$errors'` : '';
        die "$t->{name}, round $round: " . ($failed // 0) . " deliveries failed, "
          . scalar(@lat) . " of " . scalar(@$jobs) . " done\n$err";
    }
    my $bytes = 0;
    $bytes += $_->{bytes} for @$jobs;
    return { n => scalar @$jobs, bytes => $bytes, wall => $wall, cpu => $cpu, lat => \@lat, small => \@small };
}

# The jobs of one round for one target: a Message-ID of their own; on
# tmpfs for a process, dot-stuffed in memory for LMTP. $count limits them.
# From the target's own pool if it has one (all small), else the mix.
sub jobs {
    my ($t, $round, $count) = @_;
    my @jobs;
    (my $tag = $t->{name}) =~ s/[^a-z0-9]+/-/gi;
    my $pool = $t->{pool} // \@pool;
    for my $i (1 .. ($count // scalar @$pool)) {
        my $msg = with_message_id($pool->[$i - 1], "r$round.$tag.$i\@bench.example.org");
        my $job = { user => user_of($i), bytes => length $msg,
                    small => $t->{pool} ? 1 : BenchMail::size_class($seed, $i) eq 'small' };
        if ($t->{kind} eq 'process') {
            $job->{file} = "$queue/$i.eml";
            open my $fh, '>:raw', $job->{file} or die "$job->{file}: $!";
            print $fh $msg;
            close $fh;
        } else {
            $msg =~ s/^\./../mg;
            $job->{data} = $msg;
        }
        push @jobs, $job;
    }
    return \@jobs;
}

sub clear_queue { unlink glob "$queue/*.eml" }

# Allocated bytes of a file or of all files below a directory.
sub allocated {
    my ($path) = @_;
    my $bytes = 0;
    find({ no_chdir => 1, wanted => sub { my @s = lstat $_; $bytes += $s[12] * 512 if @s && -f _ } }, $path);
    return $bytes;
}
# LMDB pages in use (the high-water mark less the free pages), in bytes.
sub lmdb_used {
    my ($env) = @_;
    my $out = `mdb_stat -ef '$env' 2>/dev/null`;
    my ($page) = $out =~ /Page size: (\d+)/;
    my ($used) = $out =~ /Number of pages used: (\d+)/;
    my ($free) = $out =~ /Free pages: (\d+)/;
    return $page && $used ? ($used - ($free // 0)) * $page : 0;
}

# --- the rounds ------------------------------------------------------------

my %size0 = (eas => allocated("$store/data.mdb"), eas_used => lmdb_used($store));
# Warm-up: binaries and Dovecot's auth and lmtp processes in place.
for my $t (@targets) {
    run_round($t, jobs($t, 0, 10), 0);
    clear_queue();
}
$size0{eas} = allocated("$store/data.mdb");
$size0{eas_used} = lmdb_used($store);
$size0{dovecot} = $dovecot ? allocated("$dovecot->{dir}/mail") : 0;
my %raw = (eas => 0, dovecot => 0);
my %count = (eas => 0, dovecot => 0);

my %res;  # name -> [round figures]
for my $round (1 .. $rounds) {
    my @order = $round % 2 ? @targets : reverse @targets;
    for my $t (@order) {
        my $jobs = jobs($t, $round);
        my $r = run_round($t, $jobs, $round);
        clear_queue();
        push @{ $res{ $t->{name} } }, $r;
        $raw{ $t->{store} } += $r->{bytes};
        $count{ $t->{store} } += $r->{n};
    }
}

# --- the figures -----------------------------------------------------------

printf "delivery of %d messages per target and round (%s; %.1f MB, %.0f KB mean), %d users,\n"
     . "%d alternating rounds; a process per message %d at a time, LMTP sessions pipelined\n",
    $messages, join(', ', map { "$class{$_} $_" } grep { $class{$_} } qw(small attachment large)),
    $pool_bytes / 1e6, $pool_bytes / $messages / 1024, $users, $rounds, $concurrency;
if (@small_pool) {
    my $b = 0;
    $b += length for @small_pool;
    printf "(the \"2-10 KB\" targets: %d messages of 2-10 KB only per round, %.1f MB, %.1f KB mean)\n",
        scalar @small_pool, $b / 1e6, $b / @small_pool / 1024;
}
printf "  %-22s %7s %6s %11s %7s %7s %12s   %s\n", '', 'msg/s', 'MB/s', 'CPU ms/msg', 'p50 ms', 'p99 ms',
    'p99 2-10 KB', 'msg/s of the rounds';
my %fig;
for my $t (@targets) {
    my $rs = $res{ $t->{name} } or next;
    my ($n, $cpu) = (0, 0);
    my (@lat, @small);
    for my $r (@$rs) { $n += $r->{n}; $cpu += $r->{cpu}; push @lat, @{ $r->{lat} }; push @small, @{ $r->{small} } }
    my @mps = map { $_->{n} / $_->{wall} } @$rs;
    my @mbs = map { $_->{bytes} / $_->{wall} / 1e6 } @$rs;
    my %f = (mps => median(@mps), mps_min => (sort { $a <=> $b } @mps)[0], mps_max => (sort { $a <=> $b } @mps)[-1],
             mbs => median(@mbs), cpu => $cpu / $n * 1e3,
             p50 => percentile(50, @lat) * 1e3, p99 => percentile(99, @lat) * 1e3,
             p99s => percentile(99, @small) * 1e3);
    $fig{ $t->{name} } = \%f;
    printf "  %-22s %7.1f %6.2f %11.2f %7.1f %7.1f %12.1f   %.1f..%.1f\n", $t->{name},
        $f{mps}, $f{mbs}, $f{cpu}, $f{p50}, $f{p99}, $f{p99s}, $f{mps_min}, $f{mps_max};
}
for my $pair (@ratios) {
    my ($x, $y) = @$pair;
    next unless $res{$x} && $res{$y};
    # Within each round, then the median of the rounds.
    my @r = sort { $a <=> $b } map { ($res{$x}[$_]{n} / $res{$x}[$_]{wall}) / ($res{$y}[$_]{n} / $res{$y}[$_]{wall}) }
            0 .. $#{ $res{$x} };
    printf "  %s / %s: msg/s %.2f x (median of the rounds' ratios, %.2f..%.2f), CPU per msg %.2f x,\n"
         . "    p99 %.2f x, p99 of the 2-10 KB messages %.2f x\n",
        $x, $y, median(@r), $r[0], $r[-1], $fig{$x}{cpu} / $fig{$y}{cpu}, $fig{$x}{p99} / $fig{$y}{p99},
        $fig{$x}{p99s} / $fig{$y}{p99s};
}
print "  CPU: a delivery process's user+sys, with Dovecot's daemons' (auth) for dovecot-lda; for LMTP\n"
    . "  the server's processes only (not the benchmark's clients): Dovecot's master and its children,\n"
    . "  nginx's master and its 2 workers, every thread (schedstat)\n";
print "  (LMTP into nginx: not yet; see nginx_lmtp_targets in bench/mail_deliver.pl)\n"
    unless grep { $_->{name} =~ /^nginx/ } @targets;

# Store size per raw byte delivered.
my $eas_grew = allocated("$store/data.mdb") - $size0{eas};
my $eas_used = lmdb_used($store) - $size0{eas_used};
printf "store growth per raw byte delivered (%d messages, %.1f MB into eas; %d, %.1f MB into Dovecot):\n",
    $count{eas}, $raw{eas} / 1e6, $count{dovecot}, $raw{dovecot} / 1e6;
printf "  eas LMDB data.mdb: %.2f x allocated, %.2f x in pages in use (%.1f KB per message)\n",
    $eas_grew / $raw{eas}, $eas_used / $raw{eas}, $eas_grew / $count{eas} / 1024;
if ($dovecot && $raw{dovecot}) {
    my $dv = allocated("$dovecot->{dir}/mail") - $size0{dovecot};
    printf "  Dovecot Maildir (files and indexes): %.2f x allocated (%.1f KB per message)\n",
        $dv / $raw{dovecot}, $dv / $count{dovecot} / 1024;
    printf "  eas / Dovecot: %.2f x\n", ($eas_grew / $raw{eas}) / ($dv / $raw{dovecot});
}
