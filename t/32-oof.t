# Out of office (Settings Oof, MS-ASCMD 2.2.1.18) and the automatic reply
# at delivery (RFC 3834). Settings: Get before any Set, Set and Get of each
# state and of text and HTML messages (each answered in the type asked for),
# what the protocol refuses (Status 2 / 5, nothing changed). Delivery, by
# LMTP and by eas-deliver, to a user who is away: one reply per sender at
# the relay (a sink in this test), with the headers RFC 3834 asks for and a
# null envelope sender; none to the same sender again, to a list message,
# to automatic mail, to a null sender, to a user not in To/Cc, outside a
# time-based window, or when off; a sender on this box finds the reply in
# their Inbox (by LMTP and by SendMail); setting Oof again answers
# everyone once more. "None" is checked with a marker: a later message
# from a new sender whose reply arrives, alone, after the others would have.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use MIME::Base64 qw(decode_base64 encode_base64);
use SmtpSink;
use Test::More;
use Time::HiRes qw(sleep time);

my $relay_port = EasTest::free_port();
my $t = EasTest->new(lmtp => 1, http => "eas_smtp_relay 127.0.0.1:$relay_port retry=1s timeout=5s;");
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'secret', 'bob@example.org');
$t->start;
my $sink = SmtpSink->new(dir => $t->dir . '/sink', port => $relay_port);
$sink->start;

# --- Settings Oof ---

sub settings {
    my ($inner) = @_;
    my $r = $t->request(cmd => 'Settings', xml => qq{<Settings xmlns="Settings:"><Oof>$inner</Oof></Settings>});
    is($r->{status}, 200, 'Settings answers 200');
    $t->valid_ok('Settings', $r);
    return $r->{xml};
}
sub oof_status { my ($xml) = @_; $xml =~ m{<Oof><Status>(\d+)</Status>} ? $1 : 'none' }
sub oof_get { settings("<Get><BodyType>$_[0]</BodyType></Get>") }
sub oof_set { oof_status(settings("<Set>$_[0]</Set>")) }

# The OofMessage of one audience in a Get answer: {enabled, reply, type}.
sub message_for {
    my ($xml, $audience) = @_;
    for my $m ($xml =~ m{<OofMessage>(.*?)</OofMessage>}g) {
        next unless $m =~ m{<AppliesTo$audience/>};
        my %r = (enabled => EasTest::tag($m, 'Enabled'), type => EasTest::tag($m, 'BodyType'));
        $r{reply} = $m =~ m{<ReplyMessage>(.*?)</ReplyMessage>}s ? $1 : undef;
        return \%r;
    }
    return undef;
}

like(oof_get('Text'), qr{<Oof><Status>1</Status><Get><OofState>0</OofState></Get></Oof>},
     'Get before any Set: off, no messages');

my $messages =
      '<OofMessage><AppliesToInternal/><Enabled>1</Enabled>'
    . '<ReplyMessage>Away, colleague. Ask Bob.</ReplyMessage><BodyType>Text</BodyType></OofMessage>'
    . '<OofMessage><AppliesToExternalKnown/><Enabled>1</Enabled>'
    . '<ReplyMessage>&lt;p&gt;Away until &lt;b&gt;Monday&lt;/b&gt;.&lt;/p&gt;</ReplyMessage><BodyType>HTML</BodyType></OofMessage>'
    . '<OofMessage><AppliesToExternalUnknown/><Enabled>1</Enabled>'
    . '<ReplyMessage>&lt;p&gt;Away until &lt;b&gt;Monday&lt;/b&gt;.&lt;/p&gt;</ReplyMessage><BodyType>HTML</BodyType></OofMessage>';
is(oof_set("<OofState>1</OofState>$messages"), 1, 'Set global with three messages (text and HTML): Status 1');

my $xml = oof_get('Text');
like($xml, qr{<Get><OofState>1</OofState><OofMessage>}, 'Get: global, no times');
is_deeply(message_for($xml, 'Internal'), { enabled => 1, type => 'Text', reply => 'Away, colleague. Ask Bob.' },
          'Get Text: the internal message as it was set');
my $external = message_for($xml, 'ExternalUnknown');
is($external->{type}, 'Text', 'Get Text: the HTML message comes as text');
like($external->{reply} // '', qr/^Away until Monday\.\s*$/, '... its markup gone');
ok(message_for($xml, 'ExternalKnown'), '... and the known-external message is there too');

$xml = oof_get('HTML');
$external = message_for($xml, 'ExternalUnknown');
is($external->{reply}, '&lt;p&gt;Away until &lt;b&gt;Monday&lt;/b&gt;.&lt;/p&gt;', 'Get HTML: the HTML message as it was set');
like(message_for($xml, 'Internal')->{reply} // '', qr/Away, colleague\. Ask Bob\./, 'Get HTML: the text message made HTML');
is(message_for($xml, 'Internal')->{type}, 'HTML', '... and said to be HTML');

is(oof_set('<OofState>2</OofState><StartTime>2099-01-01T00:00:00.000Z</StartTime><EndTime>2099-01-15T12:30:00.000Z</EndTime>'),
   1, 'Set time-based with a window: Status 1');
$xml = oof_get('Text');
like($xml, qr{<OofState>2</OofState><StartTime>2099-01-01T00:00:00.000Z</StartTime><EndTime>2099-01-15T12:30:00.000Z</EndTime>},
     'Get: time-based with its window');
is(message_for($xml, 'Internal')->{reply}, 'Away, colleague. Ask Bob.', '... the messages kept from before');

is(oof_set('<OofState>0</OofState>'), 1, 'Set disabled: Status 1');
like(oof_get('Text'), qr{<Get><OofState>0</OofState><OofMessage>}, 'Get: off, the messages kept for next time');

# What the protocol refuses, and nothing changes.
is(oof_set('<OofState>3</OofState>'), 2, 'OofState 3: Status 2');
is(oof_set('<OofState>2</OofState><StartTime>2099-01-01T00:00:00.000Z</StartTime>'), 2, 'StartTime without EndTime: Status 2');
is(oof_set('<OofState>2</OofState><StartTime>2099-02-01T00:00:00.000Z</StartTime><EndTime>2099-01-01T00:00:00.000Z</EndTime>'),
   5, 'EndTime before StartTime: Status 5');
is(oof_set('<OofState>2</OofState><StartTime>soon</StartTime><EndTime>later</EndTime>'), 2, 'dates that do not parse: Status 2');
is(oof_set('<OofMessage><AppliesToInternal/><ReplyMessage>x</ReplyMessage></OofMessage>'), 2, 'ReplyMessage without BodyType: Status 2');
is(oof_status(settings('<Get/>')), 2, 'Get without BodyType: Status 2');
is(oof_status(settings('<Get><BodyType>RTF</BodyType></Get>')), 2, 'Get with BodyType RTF: Status 2');
like(oof_get('Text'), qr{<Get><OofState>0</OofState>}, 'after all that: still off');
like($t->error_log, qr/Settings Oof: Set refused \(5\): EndTime not after StartTime/, 'the error log says why');

# --- delivery while away ---

my $n = 0;
sub message {
    my ($from, %o) = @_;
    $n++;
    my $to = $o{to} // 'Alice <alice@example.org>';
    my $extra = $o{headers} // '';
    return EasTest::crlf("From: $from\nTo: $to\nSubject: Question $n\nMessage-ID: <q$n\@elsewhere.example>\n"
                         . "Date: Mon, 1 Jan 2024 10:00:00 +0000\n${extra}\nCan we talk?\n");
}

sub lmtp_deliver {
    my ($envelope_from, $message) = @_;
    my $c = $t->lmtp_connect;
    $t->lmtp_send($c, "LHLO test.example\r\nMAIL FROM:<$envelope_from>\r\nRCPT TO:<alice\@example.org>\r\nDATA\r\n");
    my $r = $t->lmtp_read($c, 4);
    $t->lmtp_send($c, "$message.\r\nQUIT\r\n");
    $r = $t->lmtp_read($c, 1);
    like($r->[0] // '', qr/^250/, "LMTP from <$envelope_from>: delivered");
}

sub replies { $sink->received }
sub wait_replies {
    my ($count) = @_;
    my $end = time + 15;
    until (@{ replies() } >= $count) { return 0 if time > $end; sleep 0.2 }
    return 1;
}

is(oof_set("<OofState>1</OofState>"), 1, 'Oof on (global)');
lmtp_deliver('far@elsewhere.example', message('Far Away <far@elsewhere.example>'));
ok(wait_replies(1), 'an outside sender gets an automatic reply at the relay');
my $reply = replies()->[0] // '';
like($reply, qr/^MAIL FROM:<>\nRCPT TO:<far\@elsewhere\.example>\n/, '... from the null sender, to the envelope sender');
like($reply, qr/^Auto-Submitted: auto-replied\r$/m, '... marked Auto-Submitted: auto-replied');
like($reply, qr/^Subject: Auto: Question 1\r$/m, '... Subject "Auto: " and the original');
like($reply, qr/^In-Reply-To: <q1\@elsewhere\.example>\r$/m, '... In-Reply-To the original');
like($reply, qr/^References:\s+<q1\@elsewhere\.example>\r$/m, '... and References');
like($reply, qr/^From: "alice" <alice\@example\.org>\r$/m, '... From alice, with her display name');
like($reply, qr/^To: <far\@elsewhere\.example>\r$/m, '... To the sender');
like($reply, qr{^Content-Type: text/html; charset=utf-8\r$}m, '... the external message, HTML');
my ($body) = $reply =~ /\r\n\r\n(.*)\z/s;
like(decode_base64($body // ''), qr{<p>Away until <b>Monday</b>\.</p>}, '... its text');
like($t->error_log, qr/lmtp: out of office: alice: reply to <far\@elsewhere\.example> queued/, 'the log says so');

# None of these gets a reply.
lmtp_deliver('far@elsewhere.example', message('Far Away <far@elsewhere.example>'));
lmtp_deliver('cooks-bounces@lists.example', message('Cook <cook@elsewhere.example>', headers => "List-Id: Cooks <cooks.lists.example>\n"));
lmtp_deliver('list@lists.example', message('News <list@lists.example>', headers => "List-Unsubscribe: <mailto:leave\@lists.example>\n"));
lmtp_deliver('shop@elsewhere.example', message('Shop <shop@elsewhere.example>', headers => "Precedence: bulk\n"));
lmtp_deliver('robot@elsewhere.example', message('Robot <robot@elsewhere.example>', headers => "Auto-Submitted: auto-generated\n"));
lmtp_deliver('', message('Nobody <nobody@elsewhere.example>'));
lmtp_deliver('bcc@elsewhere.example', message('Bcc <bcc@elsewhere.example>', to => 'team@example.org'));
# eas-deliver, Return-Path from the message (as Postfix's local(8) writes it).
my ($rc, $out) = $t->deliver("Return-Path: <marker1\@elsewhere.example>\r\n" . message('Marker <marker1@elsewhere.example>'), '-d', 'alice');
is($rc, 0, 'eas-deliver: delivered') or diag $out;
like($out, qr/out of office: alice: reply to <marker1\@elsewhere\.example> queued/, '... and says it queued a reply');
ok(wait_replies(2), 'the marker\'s reply arrives');
sleep 1.5;
my @got = @{ replies() };
is(scalar @got, 2, 'none for the same sender again, a list, bulk mail, Auto-Submitted mail, a null sender, a Bcc');
like($got[1] // '', qr/^MAIL FROM:<>\nRCPT TO:<marker1\@elsewhere\.example>\n/, '... only the eas-deliver sender\'s');
my $log = $t->error_log;
like($log, qr/no reply to <cooks-bounces\@lists\.example>: a mail system or list address/, 'the log: a list\'s bounce address');
like($log, qr/no reply to <list\@lists\.example>: a mailing list/, 'the log: a mailing list');
like($log, qr/no reply to <shop\@elsewhere\.example>: bulk mail/, 'the log: bulk mail');
like($log, qr/no reply to <robot\@elsewhere\.example>: automatic mail/, 'the log: automatic mail');
like($log, qr/no reply to <>: a null sender/, 'the log: a null sender');
like($log, qr/no reply to <bcc\@elsewhere\.example>: mail not addressed to the user/, 'the log: not in To or Cc');
like($log, qr/<far\@elsewhere\.example> was answered already/, 'the log: answered already');

# A sender on this box: the internal message, in bob's Inbox.
lmtp_deliver('bob@example.org', message('Bob <bob@example.org>'));
my $folders = EasTest::folder_adds($t->folder_sync(0, user => 'bob', device => 'BOBPHONE')->{xml});
my $inbox = $folders->{Inbox}{id};
my $r = $t->sync_collection('BOBPHONE', $inbox, 0, user => 'bob');
$r = $t->sync_collection('BOBPHONE', $inbox, EasTest::tag($r->{xml}, 'SyncKey'), user => 'bob',
    options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>');
like($r->{xml}, qr{<Subject[^>]*>Auto: Question \d+</Subject>}, 'a local sender finds the reply in their Inbox');
like($r->{xml}, qr{Away, colleague\. Ask Bob\.}, '... with the internal message');

# Time-based outside its window, then off: nothing; set again: answered again.
is(oof_set('<OofState>2</OofState><StartTime>2099-01-01T00:00:00.000Z</StartTime><EndTime>2099-01-15T00:00:00.000Z</EndTime>'), 1,
   'Oof time-based, in the future');
lmtp_deliver('early@elsewhere.example', message('Early <early@elsewhere.example>'));
is(oof_set('<OofState>0</OofState>'), 1, 'Oof off');
lmtp_deliver('off@elsewhere.example', message('Off <off@elsewhere.example>'));
is(oof_set('<OofState>1</OofState>'), 1, 'Oof on again');
lmtp_deliver('far@elsewhere.example', message('Far Away <far@elsewhere.example>'));
ok(wait_replies(3), 'set again: the first sender is answered once more');
sleep 1.5;
@got = @{ replies() };
is(scalar @got, 3, '... and nobody was answered outside the window or while off');
like($got[2] // '', qr/^MAIL FROM:<>\nRCPT TO:<far\@elsewhere\.example>\n/, '... that reply is far\'s');
is(scalar(() = $t->error_log =~ /null sender, no bounce/g), 0, 'the relay took every reply');

# A colleague writing from the phone (SendMail, delivered here directly).
my $bob_key = EasTest::tag($r->{xml}, 'SyncKey');
my $mime = encode_base64(EasTest::crlf("To: alice\@example.org\nSubject: From the phone\n\nAre you in?\n"), '');
my $sent = $t->request(cmd => 'SendMail', user => 'bob', device => 'BOBPHONE',
    xml => qq{<SendMail xmlns="ComposeMail:"><ClientId>oof-1</ClientId><MIME>$mime</MIME></SendMail>});
is($sent->{status}, 200, 'bob sends alice a message from his phone');
is($sent->{body}, '', '... success');
$r = $t->sync_collection('BOBPHONE', $inbox, $bob_key, user => 'bob');
like($r->{xml}, qr{<Subject[^>]*>Auto: From the phone</Subject>}, '... and finds her reply in his Inbox at once');

$sink->stop;
$t->stop;
done_testing;
