package CrashTest;

# What the crash tests (t/28-lmtp-crash.t, t/45-crash.t) share: finding the
# nginx workers to kill, an LMTP client that runs in a child of its own and
# reports what got its 250, waiting for the new workers, and the store
# check (easctl check) every round ends with. Core Perl modules only.

use strict;
use warnings;

use IO::Socket::INET;
use POSIX ();
use Test::More;
use Time::HiRes qw(sleep);

# The pids of the nginx master's children (the workers).
sub workers {
    my ($t) = @_;
    my $master = $t->pid;
    my @pids;
    for my $stat (glob '/proc/[0-9]*/stat') {
        open my $fh, '<', $stat or next;
        my $line = <$fh> // next;
        # pid (comm) state ppid ...
        push @pids, $1 if $line =~ /^(\d+) \(.*\) \S+ (\d+)/ && $2 == $master;
    }
    return @pids;
}

# A child delivering messages @ids (each $message->($id)) to $rcpt over one
# LMTP connection, one transaction each; it writes "ok ID" to $report for
# each 250, "fail ID" for anything else, and stops at the first failure
# (the connection is gone). It leaves by _exit: a plain exit would run the
# test object's DESTROY, stopping nginx. Returns its pid.
sub lmtp_client {
    my ($t, $report, $message, $rcpt, @ids) = @_;
    my $pid = fork // die "fork: $!";
    return $pid if $pid;
    open my $out, '>', $report or POSIX::_exit(1);
    $out->autoflush(1);
    my $c = eval { $t->lmtp_connect };
    if (!$c || $c->{greeting} !~ /^220/) {
        print $out "fail $_\n" for @ids;
        POSIX::_exit(0);
    }
    $t->lmtp_send($c, "LHLO test\r\n");
    $t->lmtp_read($c, 1);
    for my $i (@ids) {
        my $ok = eval {
            $t->lmtp_send($c, "MAIL FROM:<s\@example.com>\r\nRCPT TO:<$rcpt>\r\nDATA\r\n");
            my $r = $t->lmtp_read($c, 3, 20);
            die "no DATA go-ahead\n" unless @$r == 3 && $r->[2] =~ /^354/;
            $t->lmtp_send($c, $message->($i) . ".\r\n");
            my $done = $t->lmtp_read($c, 1, 30);
            @$done == 1 && $done->[0] =~ /^250/;
        };
        print $out(($ok ? 'ok' : 'fail') . " $i\n");
        if (!$ok) {
            print $out "fail $_\n" for grep { $_ > $i } @ids;
            POSIX::_exit(0);
        }
    }
    POSIX::_exit(0);
}

# The ids a client's report acknowledged and those it did not.
sub lmtp_report {
    my ($report, $acknowledged, $failed) = @_;
    open my $fh, '<', $report or return;
    while (<$fh>) {
        $acknowledged->{$1} = 1 if /^ok (\d+)/;
        $failed->{$1} = 1 if /^fail (\d+)/;
    }
}

# Waits (up to 5 s) until the master's new workers answer LMTP, or HTTP
# when the test has no LMTP.
sub wait_for_workers {
    my ($t) = @_;
    for (1 .. 100) {
        if ($t->lmtp_port) {
            my $c = eval { $t->lmtp_connect };
            return 1 if $c && $c->{greeting} =~ /^220/;
        } else {
            my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $t->port);
            return 1 if $s;
        }
        sleep 0.05;
    }
    return 0;
}

# easctl check on the test's store, as a test of its own: exit 0 and the
# summary line; the problems it names otherwise.
sub store_check_ok {
    my ($t, $name) = @_;
    my ($rc, $out) = $t->easctl('check');
    ok($rc == 0 && $out =~ /^store is consistent: 0 problem/m, $name // 'easctl check finds the store consistent')
        or diag "exit $rc\n$out";
    return $rc == 0;
}

1;
