# Reloads (nginx -s reload, as logrotate and every config change do) while
# LMTP clients deliver without pause: each old worker finishes every
# message it took before it exits. Every message whose final dot was sent
# gets its reply (250, or a 4xx the MTA retries), a session the old worker
# no longer serves is closed with 421, no socket is left open by an
# exiting worker ("open socket left in connection"), and every
# acknowledged message is in the Inbox exactly once. The same for phones
# sending mail (SendMail, written on the thread pool) during reloads:
# every request gets its answer, every accepted message arrives once.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use POSIX ();
use Test::More;
use Time::HiRes qw(sleep time);

my $t = EasTest->new(lmtp => 1, stream => 'eas_lmtp_max_size 64m;');
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'secret', 'bob@example.org');
$t->start;

my $clients = 4;
my $reloads = 4;

# Some big and many-parted, so a worker is often parsing or committing
# one when its reload comes.
sub message {
    my ($id) = @_;
    my $lines = $id =~ /(\d+)$/ && $1 % 2 ? 10_000 : 10;
    my $part = ('z' x 76 . "\r\n") x $lines;
    my $parts = join '', map {
        "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"p$_.txt\"\r\n\r\n$part"
    } 1 .. 4;
    return EasTest::crlf("From: s\@example.com\nTo: alice\@example.org\nSubject: lmtp reload $id\n"
        . "Message-ID: <lmtp-reload-$id\@example.com>\nMIME-Version: 1.0\n"
        . "Content-Type: multipart/mixed; boundary=b\n\n")
        . $parts . "--b--\r\n";
}

# A client delivering message after message until $stop exists; it
# reports each message as "ok", "deferred" (a 4xx) or "silent" (no reply
# to its dot), and a session closed by 421 between messages as "closed".
# After a 421 or a lost connection it connects again.
sub client {
    my ($n, $out, $stop) = @_;
    my ($c, $i) = (undef, 0);
    while (!-e $stop) {
        if (!$c) {
            $c = eval { $t->lmtp_connect };
            if (!$c || $c->{greeting} !~ /^220/) { undef $c; sleep 0.05; next }
            $t->lmtp_send($c, "LHLO test\r\n");
            my ($r) = @{ $t->lmtp_read($c, 1) };
            if (!defined $r || $r !~ /^250/) { print $out "closed\n"; undef $c; next }
        }
        my $id = "$n-" . ++$i;
        my $r = eval {
            $t->lmtp_send($c, "MAIL FROM:<s\@example.com>\r\nRCPT TO:<alice\@example.org>\r\nDATA\r\n");
            $t->lmtp_read($c, 3, 20);
        } // [];
        if (@$r < 3 || $r->[2] !~ /^354/) {  # closed between messages
            print $out "closed\n" if grep { /^421/ } @$r;
            undef $c;
            next;
        }
        my $done = eval { $t->lmtp_send($c, message($id) . ".\r\n"); $t->lmtp_read($c, 1, 60) } // [];
        my $word = !@$done ? 'silent' : $done->[0] =~ /^250/ ? 'ok' : $done->[0] =~ /^4/ ? 'deferred' : 'silent';
        print $out "$word $id\n";
        undef $c if $word ne 'ok';
    }
}

# Runs $clients processes of `run` (each given its number, its report
# file handle and the stop file), reloads nginx $reloads times a second
# apart, then stops them and waits for them; the reports are NAME-N in the
# test directory.
sub through_reloads {
    my ($run, $name) = @_;
    my $stop = $t->dir . "/$name-stop";
    my @pids;
    for my $n (1 .. $clients) {
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            open my $out, '>', $t->dir . "/$name-$n" or POSIX::_exit(1);
            $out->autoflush(1);
            $run->($n, $out, $stop);
            POSIX::_exit(0);
        }
        push @pids, $pid;
    }
    for (1 .. $reloads) {
        sleep 1;
        kill 'HUP', $t->pid;
    }
    sleep 1;
    EasTest::write_file($stop, '');
    waitpid($_, 0) for @pids;
}

through_reloads(\&client, 'lmtp');

my (%word, %ids);
for my $n (1 .. $clients) {
    for (EasTest::read_file($t->dir . "/lmtp-$n") =~ /^(.*)$/mg) {
        my ($w, $id) = split ' ';
        $word{$w}++;
        push @{ $ids{$w} }, $id if defined $id;
    }
}
note join ', ', map { "$_ $word{$_}" } sort keys %word;
ok(($word{ok} // 0) > 8, ($word{ok} // 0) . ' messages acknowledged during the reloads');
is("@{ $ids{silent} // [] }", '', 'every message dotted got its reply');
unlike($t->error_log, qr/open socket #\d+ left in connection/,
       'no exiting worker leaves an LMTP socket open');

my $inbox = EasTest::folder_adds($t->folder_sync('0', device => 'CHECK')->{xml})->{Inbox}{id};
my $count = $t->subject_counts('CHECK1', $inbox, qr/^lmtp reload (\S+)$/);
my @lost = grep { !$count->{$_} } @{ $ids{ok} // [] };
is("@lost", '', 'every acknowledged message is in the Inbox');
my @twice = grep { $count->{$_} > 1 } sort keys %$count;
is("@twice", '', 'none is there twice');

# --- phones sending mail through reloads ---

# A phone sending message after message (the 12.1 raw form) until $stop
# exists; it reports each as "ok" (200) or "failed STATUS".
sub phone {
    my ($n, $out, $stop) = @_;
    my $i = 0;
    while (!-e $stop) {
        my $id = "$n-" . ++$i;
        my $message = EasTest::crlf("From: alice\nTo: bob\@example.org\nSubject: sent reload $id\n"
            . "Message-ID: <sent-reload-$id\@example.org>\n\n") . ("Words of message $id.\r\n" x 2000);
        my $r = $t->request(cmd => 'SendMail', version => '12.1', content_type => 'message/rfc822',
            query => "Cmd=SendMail&User=alice&DeviceId=RELOAD$n&DeviceType=SmartPhone&SaveInSent=T",
            body => $message);
        print $out($r->{status} == 200 ? "ok $id\n" : "failed $id $r->{status}\n");
    }
}

through_reloads(\&phone, 'phone');
my (@sent, @failed);
for my $n (1 .. $clients) {
    for (EasTest::read_file($t->dir . "/phone-$n") =~ /^(.*)$/mg) {
        push @sent, $1 if /^ok (\S+)/;
        push @failed, $_ if /^failed/;
    }
}
ok(@sent > 8, scalar(@sent) . ' messages sent during the reloads');
is("@failed", '', 'every SendMail got its answer');
my $bob_inbox = EasTest::folder_adds($t->folder_sync('0', device => 'BOBCHECK', user => 'bob')->{xml})->{Inbox}{id};
$count = $t->subject_counts('BOBCHECK', $bob_inbox, qr/^sent reload (\S+)$/, user => 'bob', pages => 200);
@lost = grep { !$count->{$_} } @sent;
is("@lost", '', 'bob has every message the phones were told was sent');
@twice = grep { $count->{$_} > 1 } sort keys %$count;
is("@twice", '', '... each once');
unlike($t->error_log, qr/open socket #\d+ left in connection/, 'no exiting worker leaves a phone\'s socket open');

$t->stop;
done_testing;
