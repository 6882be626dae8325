# Postfix for real: Debian's Postfix, run from its own config and queue
# directories (t/lib/PostfixTest.pm), takes mail by SMTP on loopback and
# hands it to the store the two ways README's "Postfix" section shows:
#   1. a pipe(8) transport running eas-deliver as www-data
#      (virtual_transport = eas), and
#   2. LMTP to nginx's eas_lmtp listener (virtual_transport = lmtp:inet:...).
# Each way: a message reaches alice's Inbox and her phone's Sync shows its
# subject and body; a message for an unknown recipient is not stored but
# bounced to its sender (bob, whose own Inbox gets the bounce); a store
# that cannot be reached for a while (store not openable for eas-deliver,
# nginx down for LMTP) leaves the message queued as deferred, no bounce,
# and `postqueue -f` delivers it once the store is back.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use PostfixTest;
use File::Copy qw(copy);
use Test::More;

plan skip_all => "Postfix's master runs as root only" unless $> == 0;
die "Postfix is not installed (make test-deps installs it)\n" unless -x $PostfixTest::POSTFIX;

my $t = EasTest->new(lmtp => 1);
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'secret', 'bob@example.org');
$t->start;

# pipe(8) runs no command as root: eas-deliver runs as www-data, the nginx
# worker user of a real set-up, so the store belongs to www-data (nginx
# runs as root in the tests and reads it all the same), the way to it can
# be walked, and the program is copied where www-data can run it (in
# fresh-check's chroot the checkout is under /root).
my ($www_uid, $www_gid) = (getpwnam 'www-data')[2, 3];
defined $www_uid or die "no www-data user\n";
chmod 0711, $t->dir or die "chmod: $!";
system('chown', '-R', "$www_uid:$www_gid", $t->store) == 0 or die "chown of the store failed\n";

my $pf = PostfixTest->new;
my $deliver = $pf->dir . '/bin/eas-deliver';
copy("$EasTest::BUILD/eas-deliver", $deliver) or die "copy eas-deliver: $!";
chmod 0755, $deliver or die "chmod: $!";
my $store = $t->store;
$pf->configure(master => <<"MASTER");
eas       unix  -       n       n       -       2       pipe
  flags=DRhu user=www-data argv=$deliver --store $store -d \${recipient}
MASTER

sub inbox_sync { $t->inbox_adds($_[0]) }
sub wait_for_mail { $t->wait_for_inbox(@_) }

sub adds_matching {
    my ($user, $re) = @_;
    return scalar grep { $_->{xml} =~ $re } @{ inbox_sync($user) };
}

sub message {
    my ($subject, $to, $body) = @_;
    (my $id = lc $subject) =~ s/\W+/-/g;
    return EasTest::crlf("From: Bob <bob\@example.org>\nTo: $to\nSubject: $subject\n"
        . "Message-ID: <$id\@example.org>\nContent-Type: text/plain; charset=us-ascii\n\n$body");
}

# Sends by SMTP and checks Postfix took it for every recipient: its queue id.
sub send_ok {
    my ($subject, $to, $body) = @_;
    my $sent = $pf->smtp_send('bob@example.org', $to, message($subject, join(', ', @$to), $body));
    is_deeply($sent->{rcpt}, [('250') x @$to], "smtpd takes \"$subject\" for @$to")
        or diag join "\n", @{ $sent->{replies} };
    ok($sent->{queue_id}, '... and queues it') or diag join "\n", @{ $sent->{replies} };
    return $sent->{queue_id} // 'none';
}

sub wait_deferred {
    my ($queue_id, $why) = @_;
    my $line = PostfixTest::wait_until(60, sub { ($pf->log_of($queue_id) =~ /^(.*status=deferred.*)$/m)[0] });
    like($line // '', $why, "Postfix defers $queue_id") or diag $pf->log;
    my ($queued) = grep { $_->{queue_id} eq $queue_id } @{ $pf->queue };
    is($queued->{queue_name} // '', 'deferred', '... and keeps it in its deferred queue');
}

# The unknown recipient bounced, for $reason (a pattern of the log line and
# of the bounce's text), and the bounce is in the sender's Inbox.
sub check_bounce {
    my ($queue_id, $reason, $name) = @_;
    my $line = PostfixTest::wait_until(60, sub { ($pf->log_of($queue_id) =~ /^(.*to=<nobody\@example.org>.*status=bounced.*)$/m)[0] });
    like($line // '', $reason, "$name: Postfix bounces the unknown recipient") or diag $pf->log;
    my $bounce = wait_for_mail('bob', qr{<Subject>Undelivered Mail Returned to Sender</Subject>.*<Data>[^<]*$reason}s);
    ok($bounce, "... and the bounce reaches the sender bob's Inbox")
        or diag explain [map { $_->{xml} } @{ inbox_sync('bob') }];
    like($bounce->{xml} // '', qr{&lt;nobody\@example.org&gt;:}, '... naming the recipient');
}

sub check_delivered {
    my ($subject, $body, $name) = @_;
    my $add = wait_for_mail('alice', qr{<Subject>\Q$subject\E</Subject>});
    ok($add, "$name: alice's phone syncs \"$subject\"");
    like($add->{xml} // '', qr{<Data>[^<]*\Q$body\E}, '... with its body');
    $t->valid_ok('Sync', $add->{response}) if $add;
}

# --- 1. a pipe(8) transport running eas-deliver ---

$pf->configure(main => <<'MAIN');
virtual_mailbox_domains = example.org
virtual_transport = eas
eas_destination_recipient_limit = 1
MAIN
$pf->start;
inbox_sync($_) for qw(alice bob);
is(scalar @{ inbox_sync('alice') }, 0, "alice's Inbox starts empty");

my $id = send_ok('Through the pipe', ['alice@example.org'], "Delivered by eas-deliver.\n");
check_delivered('Through the pipe', 'Delivered by eas-deliver.', 'eas-deliver');
like($pf->log_of($id), qr/to=<alice\@example.org>.*relay=eas.*status=sent/, '... and the Postfix log says sent by the eas transport');

$id = send_ok('For nobody', ['nobody@example.org'], "Nobody reads this.\n");
check_bounce($id, qr/unknown user/, 'eas-deliver (exit 67)');

my $mode = (stat $store)[2] & 07777;
chmod 0, $store or die "chmod: $!";  # eas-deliver (www-data) cannot open it now
$id = send_ok('While the store is closed', ['alice@example.org'], "Kept in the queue.\n");
wait_deferred($id, qr/status=deferred.*store/);
is(adds_matching('alice', qr{While the store is closed}), 0, '... while the store has no copy');
chmod $mode, $store or die "chmod: $!";
$pf->flush;
check_delivered('While the store is closed', 'Kept in the queue.', 'the store back, postqueue -f');

$pf->stop;

# --- 2. LMTP to nginx's eas_lmtp listener ---

my $lmtp = '127.0.0.1:' . $t->lmtp_port;
$pf->configure(main => <<"MAIN");
virtual_mailbox_domains = example.org
virtual_transport = lmtp:inet:$lmtp
MAIN
$pf->start;

$id = send_ok('Through LMTP', ['alice@example.org', 'nobody@example.org'], "Delivered by nginx.\n");
check_delivered('Through LMTP', 'Delivered by nginx.', 'LMTP');
my $relay = '127.0.0.1[127.0.0.1]:' . $t->lmtp_port;
like($pf->log_of($id), qr/to=<alice\@example.org>.*relay=\Q$relay\E.*status=sent/, '... and the Postfix log says sent to nginx');
check_bounce($id, qr/said: 550 5\.1\.1/, 'LMTP (550 at RCPT)');

$t->stop;  # nginx is down: no LMTP listener
$id = send_ok('While nginx is down', ['alice@example.org'], "Kept in the queue too.\n");
wait_deferred($id, qr/status=deferred.*(?:refused|suspended)/);
$t->start;
$pf->flush;
check_delivered('While nginx is down', 'Kept in the queue too.', 'nginx back, postqueue -f');

is(adds_matching('alice', qr{<Subject>For nobody</Subject>}), 0, 'no message for nobody went into alice\'s Inbox');
is(adds_matching('bob', qr{<Subject>Undelivered Mail}), 2, 'bob got two bounces, none for the deferred messages');
is(scalar @{ $pf->queue }, 0, "Postfix's queue is empty at the end");

$pf->stop;
$t->stop;
done_testing;
