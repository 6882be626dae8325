#!/usr/bin/perl
# A crowd of first logins: CROWD_PHONES phones of CROWD_USERS users (new
# devices, nothing cached) send their first FolderSync at the same moment,
# as after an outage or at the start of a working day, in CROWD_ROUNDS
# rounds (a fresh server each). Reports the latency of those requests
# (p50/p99/max) and the largest RssAnon any worker reached, sampled every
# 5 ms; next to it, in the same run, one login alone (the cost of one
# password hash) as the reference.
#   perl bench/login_crowd.pl
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib", "$FindBin::Bin/../t/lib";
use EasTest;
use CrashTest;
use BenchMail qw(median percentile);
use POSIX ();
use Test::More;
use Time::HiRes qw(time sleep);

my $phones = $ENV{CROWD_PHONES} // 64;
my $user_count = $ENV{CROWD_USERS} // 16;
my $rounds = $ENV{CROWD_ROUNDS} // 3;

sub rss_anon {
    my ($pid) = @_;
    open my $fh, '<', "/proc/$pid/status" or return 0;
    while (my $line = <$fh>) { return $1 if $line =~ /^RssAnon:\s+(\d+)/ }
    return 0;
}

sub round {
    my $t = EasTest->new;
    my @users = map { sprintf 'crowd%02d', $_ } 1 .. $user_count;
    $t->add_user($_, "pw-$_", "$_\@example.org") for @users;
    $t->start;
    my @workers = CrashTest::workers($t);
    # One login alone first: the reference.
    my $alone = $t->request(cmd => 'FolderSync', user => 'crowd01', password => 'pw-crowd01', device => 'ALONE',
        xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
    die "FolderSync: $alone->{status}" unless $alone->{status} == 200;
    # The crowd: each phone waits for the go file, then asks once. A
    # different user than the reference's, so nothing is cached.
    my $go = $t->dir . '/go';
    my @pids;
    for my $n (1 .. $phones) {
        my $user = $users[$n % @users];
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            sleep 0.001 until -e $go;
            my $r = $t->request(cmd => 'FolderSync', user => $user, password => "pw-$user", device => "CROWD$n",
                xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
            EasTest::write_file($t->dir . "/phone-$n", "$r->{status} $r->{elapsed}\n");
            POSIX::_exit(0);
        }
        push @pids, $pid;
    }
    sleep 0.5;  # every phone forked and waiting
    my $most = 0;
    $most = $_ > $most ? $_ : $most for map { rss_anon($_) } @workers;
    my $before = $most;
    EasTest::write_file($go, '');
    my $left = @pids;
    while ($left) {
        $most = $_ > $most ? $_ : $most for map { rss_anon($_) } @workers;
        $left-- while $left && waitpid(-1, POSIX::WNOHANG()) > 0;
        sleep 0.005;
    }
    my (@ms, @bad);
    for my $n (1 .. $phones) {
        my ($status, $elapsed) = split ' ', EasTest::read_file($t->dir . "/phone-$n");
        push @bad, $status if $status != 200;
        push @ms, $elapsed * 1000;
    }
    $t->stop;
    return { alone => $alone->{elapsed} * 1000, ms => \@ms, bad => \@bad, rss_before => $before, rss_most => $most };
}

note "$phones phones of $user_count users, first FolderSync at once; $rounds rounds";
for my $i (1 .. $rounds) {
    my $r = round();
    is("@{ $r->{bad} }", '', "round $i: every phone answered 200");
    my @ms = sort { $a <=> $b } @{ $r->{ms} };
    note sprintf "  round %d: one login alone %.0f ms; the crowd p50 %.0f ms, p99 %.0f ms, max %.0f ms (%.1fx / %.1fx the login alone); "
        . "worker RssAnon %d KB before, %d KB at most",
        $i, $r->{alone}, median(@ms), percentile(99, @ms), $ms[-1], median(@ms) / $r->{alone}, $ms[-1] / $r->{alone},
        $r->{rss_before}, $r->{rss_most};
}
done_testing;
