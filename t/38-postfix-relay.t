# Mail out through a real relay: eas_smtp_relay names Debian's Postfix on
# loopback (t/lib/PostfixTest.pm), which relays to a small SMTP sink the
# test reads (t/lib/SmtpSink.pm) and delivers its own bounces back to us
# over LMTP, as an appliance with Postfix as its MTA does.
#   - sent: the sink gets the message once, through Postfix, without Bcc;
#   - Postfix down: the phone is told the message was accepted, easctl
#     queue list shows it deferred, and it goes out once Postfix is back;
#   - Postfix refuses a recipient (5xx at RCPT): a non-delivery report from
#     us in the sender's Inbox, naming the recipient and Postfix's reason;
#   - the next hop refuses after Postfix took the message: Postfix's own
#     bounce reaches the sender's Inbox over LMTP;
#   - the next hop says "later" (451): Postfix keeps it and delivers it once.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use PostfixTest;
use SmtpSink;
use MIME::Base64 qw(encode_base64);
use Test::More;
use Time::HiRes qw(sleep time);

if (my $why = PostfixTest::unavailable()) { plan skip_all => $why }

my $pf = PostfixTest->new;
my $t = EasTest->new(lmtp => 1,
                     http => "eas_smtp_relay 127.0.0.1:${\ $pf->port} retry=1s timeout=5s;");
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'secret', 'bob@example.org');
$t->start;

my $sink_port = EasTest::free_port();
my $sink = SmtpSink->new(port => $sink_port, dir => $t->dir . '/sink');
$sink->start;
my $lmtp_port = $t->lmtp_port;
$pf->configure(main => <<"MAIN", master => <<'MASTER');
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$sink_port
smtpd_recipient_restrictions = check_recipient_access inline:{ {refused\@elsewhere.example = 550 5.1.1 mailbox unknown at the relay} }, permit_mynetworks, reject_unauth_destination
virtual_mailbox_domains = example.org
virtual_transport = lmtp:inet:127.0.0.1:$lmtp_port
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
smtp_connect_timeout = 2s
MAIN
smtp      unix  -       -       n       -       -       smtp
MASTER
$pf->start;

sub wait_for { my ($cond, $secs) = @_; PostfixTest::wait_until($secs, $cond) }

sub queue { $t->outgoing_queue }

my $n = 0;
sub send_mail {
    my ($to, $subject) = @_;
    $n++;
    my $mime = EasTest::crlf("From: alice\@example.org\nTo: $to\nBcc: bob\@example.org\n"
                             . "Subject: $subject\n\nbody of $subject\n");
    my $r = $t->request(cmd => 'SendMail',
        xml => qq{<SendMail xmlns="ComposeMail:"><ClientId>pf-$n</ClientId><SaveInSentItems/>}
             . qq{<MIME>${\ encode_base64($mime, '')}</MIME></SendMail>});
    is($r->{status}, 200, "SendMail '$subject': HTTP 200");
    is($r->{body}, '', '... accepted (an empty answer is success)');
}

# --- sent through Postfix ---

$t->inbox_adds($_) for qw(alice bob);
send_mail('far@elsewhere.example', 'Through Postfix');
my $got = $sink->message(1);
like($got, qr/^MAIL FROM:<alice\@example\.org>\nRCPT TO:<far\@elsewhere\.example>\n/,
     'the next hop gets the message from alice to the remote recipient');
like($got, qr/^Received: from .*\r?\n\s+by mx\.postfix-test\.example \(Postfix\)/m,
     '... by way of Postfix');
unlike($got, qr/^Bcc:/mi, '... without the Bcc header');
like($got, qr/^Subject: Through Postfix\r$/m, '... with its subject');
like($got, qr/body of Through Postfix/, '... and its body');
ok($t->wait_for_inbox('bob', qr{<Subject>Through Postfix</Subject>}, 15),
   'bob (Bcc, on this box) got his copy directly');
ok(wait_for(sub { !@{ queue() } }, 10), 'the outgoing queue is empty');
like($pf->log, qr/to=<far\@elsewhere\.example>, relay=127\.0\.0\.1\[127\.0\.0\.1\]:$sink_port, .*status=sent/,
     "Postfix's log says it relayed the message");

# --- Postfix down: accepted, kept, sent once it is back ---

$pf->stop;
send_mail('later@elsewhere.example', 'While Postfix is down');
ok(wait_for(sub { my $q = queue(); @$q && $q->[0]{attempts} >= 1 }, 10),
   'Postfix down: easctl queue list shows the message after an attempt');
like(queue()->[0]{last_error} // '', qr/connect|refused/i, '... with the reason');
$pf->start;
my $second = $sink->message(2);
like($second, qr/^Subject: While Postfix is down\r$/m, 'Postfix back: the message goes out by itself');
ok(wait_for(sub { !@{ queue() } }, 10), '... and leaves our queue');
sleep 2.5;
is($sink->count, 2, '... once');

# --- Postfix refuses the recipient: our non-delivery report ---

send_mail('refused@elsewhere.example', 'Refused at RCPT');
ok(wait_for(sub { !@{ queue() } }, 15), '5xx at RCPT: the message leaves the queue');
my $ndr = $t->wait_for_inbox('alice', qr{<Subject>Undelivered Mail Returned to Sender</Subject>.*refused\@elsewhere\.example}s, 15);
ok($ndr, "... and a non-delivery report is in alice's Inbox");
like($ndr->{xml} // '', qr/mailbox unknown at the relay/, "... with Postfix's reason");
is($sink->count, 2, '... nothing reached the next hop');

# --- the next hop refuses after Postfix took it: Postfix's bounce, over LMTP ---

$sink->mode('550');
send_mail('gone@elsewhere.example', 'Refused further on');
ok(wait_for(sub { !@{ queue() } }, 10), 'Postfix takes the message: it leaves our queue');
ok(wait_for(sub { $pf->log =~ /to=<gone\@elsewhere\.example>.*status=bounced/ }, 30),
   'the next hop refuses it: Postfix bounces it') or diag $pf->log;
my $bounce = $t->wait_for_inbox('alice', qr{<Subject>Undelivered Mail Returned to Sender</Subject>.*gone\@elsewhere\.example}s);
ok($bounce, "... and Postfix's bounce reaches alice's Inbox over LMTP");
like($bounce->{xml} // '', qr/no such user here/, "... saying what the next hop answered");

# --- the next hop says "later": Postfix keeps it, then delivers it once ---

$sink->mode('451');
send_mail('greylisted@elsewhere.example', 'Greylisted further on');
ok(wait_for(sub { $pf->log =~ /to=<greylisted\@elsewhere\.example>.*status=deferred/ }, 30),
   '451 from the next hop: Postfix defers') or diag $pf->log;
ok(wait_for(sub { !@{ queue() } }, 5), '... our queue is empty (Postfix has it)');
$sink->mode('250');
$pf->flush;
like($sink->message(3), qr/^Subject: Greylisted further on\r$/m, '... and delivers it when the next hop takes it');
sleep 2.5;
is($sink->count, 3, '... once');

$t->stop;
$pf->stop;
$sink->stop;
unlike($t->error_log, qr/exited on signal/, 'no worker crashed');
done_testing;
