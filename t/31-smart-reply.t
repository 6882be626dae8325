# SmartReply and SmartForward from a device, through the SMTP relay to a
# sink. dave (elsewhere) wrote to alice, Cc carol (here) and erin
# (elsewhere): plain text, HTML and a PDF. alice answers from her phone in
# the 14.1 and 16.1 WBXML forms and the 12.1 request-line form: a reply
# reaches dave with her text, the original quoted (plain "> " lines, HTML
# blockquote) and In-Reply-To/References; a forward carries the PDF byte
# for byte; with ReplaceMime nothing is added. A second device's Sync sees
# LastVerbExecuted change (reply, reply to all, forward). Sent Items keeps
# the copies; a resent ClientId is 118 and sends nothing; an id that is no
# message of alice's is 150 and sends nothing; the addresses alice wrote
# to are collected (easctl user collected). OPTIONS announces both.
use strict;
use warnings;
use utf8;
use lib 't/lib';
use EasTest;
use SmtpSink;
use MIME::Base64 qw(encode_base64 decode_base64);
use MIME::QuotedPrint qw(decode_qp);
use Test::More;
use Time::HiRes qw(sleep time);

my $relay_port = EasTest::free_port();
my $t = EasTest->new(http => "eas_smtp_relay 127.0.0.1:$relay_port retry=1s timeout=5s;");
my ($rc, $out) = $t->easctl('user', 'add', 'alice', '--password', 'secret',
                            '--email', 'alice@example.org', '--display-name', 'Alice Liddell');
die "easctl user add alice: $out" if $rc;
$t->add_user('bob', 'secret', 'bob@example.org');
$t->add_user('carol', 'secret', 'carol@example.org');
$t->start;

my $sink = SmtpSink->new(port => $relay_port, dir => $t->dir . '/sink');
$sink->start;
sub wait_for { my ($cond, $secs) = @_; my $end = time + $secs; until ($cond->()) { return 0 if time > $end; sleep 0.2 } 1 }
# The sink's messages once there are $n (undef when they do not come).
sub sink_has {
    my ($n) = @_;
    return wait_for(sub { @{ $sink->received } >= $n }, 15) ? $sink->received : undef;
}

# The body of each MIME leaf of a message whose Content-Type matches $type,
# its transfer encoding undone.
sub parts_of {
    my ($message, $type) = @_;
    my @found;
    for my $part (split /\r?\n--[^\r\n]+/, $message) {
        my ($head, $body) = split /\r?\n\r?\n/, $part, 2;
        next unless defined $body && $head =~ /^Content-Type:\s*\Q$type\E/mi;
        $body = decode_base64($body) if $head =~ /^Content-Transfer-Encoding:\s*base64/mi;
        $body = decode_qp($body) if $head =~ /^Content-Transfer-Encoding:\s*quoted-printable/mi;
        push @found, $body;
    }
    return @found;
}

my $pdf = "%PDF-1.4\n\x00\x01\x02\xff binary\n";
my $original = EasTest::crlf(<<"EOM");
From: Dave Remote <dave\@elsewhere.example>
To: Alice Liddell <alice\@example.org>
Cc: carol\@example.org, Erin <erin\@elsewhere.example>
Subject: Quarterly plans
Date: Mon, 03 Jun 2024 10:00:00 +0000
Message-ID: <orig-1\@elsewhere.example>
References: <thread-0\@elsewhere.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=outer

--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=utf-8

Numbers are due Friday.
Second line & more.
--inner
Content-Type: text/html; charset=utf-8

<html><head><style>p{}</style></head><body><p>Numbers are <b>due Friday</b>.</p></body></html>
--inner--
--outer
Content-Type: application/pdf; name=plan.pdf
Content-Disposition: attachment; filename=plan.pdf
Content-Transfer-Encoding: base64

@{[encode_base64($pdf)]}
--outer--
EOM
($rc, $out) = $t->deliver($original, '-d', 'alice');
is($rc, 0, 'the original is in alice\'s Inbox') or diag $out;

my $folders = EasTest::folder_adds($t->folder_sync(0)->{xml});
my ($inbox, $sent_items) = ($folders->{Inbox}{id}, $folders->{'Sent Items'}{id});

# The tablet holds the Inbox, to see the verbs come as changes.
my $r = $t->sync_collection('TABLET', $inbox, 0);
$r = $t->sync_collection('TABLET', $inbox, EasTest::tag($r->{xml}, 'SyncKey'));
my $tablet_key = EasTest::tag($r->{xml}, 'SyncKey');
my $source = EasTest::tag($r->{xml}, 'ServerId');
ok($source, 'the tablet has the original');
sub tablet_verb {
    my $r = $t->sync_collection('TABLET', $inbox, $tablet_key);
    $tablet_key = EasTest::tag($r->{xml}, 'SyncKey') // $tablet_key;
    return undef unless $r->{xml} =~ m{<Change>.*?<ServerId>\Q$source\E</ServerId>(.*?)</Change>}s;
    my $change = $1;
    my ($verb) = $change =~ m{<LastVerbExecuted[^>]*>(\d+)<};
    my ($when) = $change =~ m{<LastVerbExecutionTime[^>]*>([^<]+)<};
    return [$verb, $when];
}

sub mime_text { my ($s) = @_; utf8::encode($s) if utf8::is_utf8($s); encode_base64($s, '') }

sub smart {
    my ($cmd, %o) = @_;
    my $src = '<Source>' . (exists $o{folder} ? (defined $o{folder} ? "<FolderId>$o{folder}</FolderId>" : '') : "<FolderId>$inbox</FolderId>")
            . '<ItemId>' . ($o{item} // $source) . '</ItemId></Source>';
    my $xml = qq{<$cmd xmlns="ComposeMail:"><ClientId>$o{client_id}</ClientId>$src}
            . ($o{save} ? '<SaveInSentItems/>' : '') . ($o{replace} ? '<ReplaceMime/>' : '')
            . '<MIME>' . mime_text($o{mime}) . "</MIME></$cmd>";
    my $r = $t->request(cmd => $cmd, version => $o{version} // '14.1', xml => $xml);
    is($r->{status}, 200, "$cmd $o{client_id}: HTTP 200");
    $t->valid_ok($cmd, $r, "$cmd $o{client_id}: the answer is valid against the schema")
        if length $r->{body};
    return $r;
}

# --- SmartReply, 14.1, to the sender: the original quoted ---

my $reply = EasTest::crlf(<<'EOM');
To: Dave Remote <dave@elsewhere.example>
Subject: Re: Quarterly plans
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary=a

--a
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Caf=E9 at nine, then.
--a
Content-Type: text/html; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

<html><body><p>Caf=E9 at nine, then.</p></body></html>
--a--
EOM
$r = smart('SmartReply', client_id => 'r-1', save => 1, mime => $reply);
is($r->{body}, '', '... without a body: sent');
my $got = sink_has(1);
ok($got, 'the reply reaches the relay');
my $m = $got->[0] // '';
like($m, qr/^MAIL FROM:<alice\@example\.org>\nRCPT TO:<dave\@elsewhere\.example>\n/, '... from alice to dave');
like($m, qr/^In-Reply-To: <orig-1\@elsewhere\.example>\r$/m, '... In-Reply-To the original');
like($m, qr/^References: <thread-0\@elsewhere\.example> <orig-1\@elsewhere\.example>\r$/m,
     '... References: the thread, then the original');
my ($plain) = parts_of($m, 'text/plain');
$plain //= '';
utf8::decode($plain) if $m =~ /text\/plain; charset=(?:"?utf-8)/i;
like($plain, qr/^Café at nine, then\.\r?\n\r?\nOn Mon, 3 Jun 2024 at 10:00 UTC, Dave Remote <dave\@elsewhere\.example> wrote:\r?\n> Numbers are due Friday\.\r?\n> Second line & more\.\s*$/,
     '... plain text: alice\'s text (now UTF-8), the intro and the original in "> " lines');
my ($html) = parts_of($m, 'text/html');
like($html // '', qr{<p>Caf\S+ at nine, then\.</p><div><br></div><div>On Mon, 3 Jun 2024 at 10:00 UTC, Dave Remote &lt;dave\@elsewhere\.example&gt; wrote:</div><blockquote type="cite"[^>]*><p>Numbers are <b>due Friday</b>\.</p></blockquote></body>},
     '... HTML: the original\'s body in a blockquote under alice\'s');
unlike($html // '', qr/<style>/, '... without the original\'s head');
ok(!parts_of($m, 'application/pdf'), '... and a reply carries no attachment');

my $verb = tablet_verb();
is($verb->[0], '1', 'the tablet\'s Sync: LastVerbExecuted 1 (reply to sender)');
like($verb->[1] // '', qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, '... with LastVerbExecutionTime');
like($t->error_log, qr/SmartReply from alice .*\Q$source\E marked replied to the sender/, '... the log says so');

# --- the same ClientId again: 118, nothing twice ---

$r = smart('SmartReply', client_id => 'r-1', save => 1, mime => $reply);
is(EasTest::tag($r->{xml}, 'Status'), '118', 'a resent ClientId: Status 118');
sleep 1.5;
is(scalar @{ $sink->received }, 1, '... and the relay got one copy');

# --- SmartForward, 16.1: the original's attachment goes along ---

my $forward = EasTest::crlf(<<'EOM');
To: Erin <erin@elsewhere.example>
Subject: Fw: Quarterly plans
Content-Type: text/plain; charset=utf-8

Erin, see below.
EOM
$r = smart('SmartForward', client_id => 'f-1', version => '16.1', save => 1, mime => $forward);
is($r->{body}, '', 'SmartForward 16.1: sent');
$got = sink_has(2);
$m = $got ? $got->[1] : '';
like($m, qr/^RCPT TO:<erin\@elsewhere\.example>\n/m, '... to erin');
my ($attached) = parts_of($m, 'application/pdf');
is($attached, $pdf, '... with the original\'s PDF, byte for byte');
like($m, qr/filename="?plan\.pdf"?/, '... under its name');
($plain) = parts_of($m, 'text/plain');
like($plain // '', qr/^Erin, see below\.\r?\n\r?\nOn Mon, 3 Jun 2024 .*wrote:\r?\n> Numbers are due Friday\./,
     '... and the original quoted under erin\'s note');
like($m, qr/^References: <thread-0\@elsewhere\.example> <orig-1\@elsewhere\.example>\r$/m, '... References the original');
is(tablet_verb()->[0], '3', 'the tablet sees LastVerbExecuted 3 (forward)');

# --- ReplaceMime: the client sent everything, nothing is added ---

my $whole = EasTest::crlf(<<'EOM');
To: dave@elsewhere.example, erin@elsewhere.example
Subject: Re: Quarterly plans
Content-Type: text/plain; charset=utf-8

My whole message, quoting nothing.
EOM
$r = smart('SmartReply', client_id => 'r-2', replace => 1, mime => $whole);
is($r->{body}, '', 'SmartReply with ReplaceMime: sent');
$got = sink_has(3);
$m = $got ? $got->[2] : '';
like($m, qr/\r\n\r\nMy whole message, quoting nothing\.\r\n$/, '... the body exactly as the client wrote it');
unlike($m, qr/wrote:|Numbers are due/, '... no quote');
unlike($m, qr/multipart/i, '... and nothing attached');
is(tablet_verb()->[0], '2', 'the tablet sees LastVerbExecuted 2 (reply to all: erin was on the original)');

# --- 12.1: the message in the body, the source in the request line ---

my $legacy = EasTest::crlf(<<'EOM');
To: erin@elsewhere.example
Subject: Fw: the old way

Forwarded the old way.
EOM
$r = $t->request(cmd => 'SmartForward', version => '12.1', content_type => 'message/rfc822',
    query => "Cmd=SmartForward&User=alice&DeviceId=OLDPHONE&DeviceType=SmartPhone&ItemId=$source&CollectionId=$inbox&SaveInSent=T",
    body => $legacy);
is($r->{status}, 200, 'SmartForward 12.1 (ItemId, CollectionId, SaveInSent=T): HTTP 200');
$got = sink_has(4);
$m = $got ? $got->[3] : '';
like($m, qr/Forwarded the old way\./, '... the sink has the device\'s text');
like($m, qr/> Numbers are due Friday\./, '... the original quoted (no ReplaceMime before 14.0)');
is((parts_of($m, 'application/pdf'))[0], $pdf, '... and its attachment');

$r = $t->request(cmd => 'SmartReply', version => '12.1', content_type => 'message/rfc822',
    query => "Cmd=SmartReply&User=alice&DeviceId=OLDPHONE&DeviceType=SmartPhone&ItemId=$source&CollectionId=$inbox",
    body => EasTest::crlf("To: dave\@elsewhere.example\nSubject: Re: old\n\nOld reply.\n"));
is($r->{status}, 200, 'SmartReply 12.1 without SaveInSent: HTTP 200');
$got = sink_has(5);
like($got ? $got->[4] : '', qr/^In-Reply-To: <orig-1\@elsewhere\.example>\r$/m, '... In-Reply-To the original');

# --- Sent Items: the copies asked for ---

$r = $t->sync_collection('SENTREADER', $sent_items, 0);
$r = $t->sync_collection('SENTREADER', $sent_items, EasTest::tag($r->{xml}, 'SyncKey'),
    options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>');
my @subjects = $r->{xml} =~ m{<Subject[^>]*>([^<]*)</Subject>}g;
is_deeply([sort @subjects], ['Fw: Quarterly plans', 'Fw: the old way', 'Re: Quarterly plans'],
          'Sent Items has the three sent with SaveInSentItems / SaveInSent=T, once each');
like($r->{xml}, qr/&gt; Numbers are due Friday\./, '... the copies as sent, quote included');

# --- a source that is no message of alice's: 150, nothing sent ---

my $bob_folders = EasTest::folder_adds($t->folder_sync(0, user => 'bob')->{xml});
($rc, $out) = $t->deliver(EasTest::crlf("From: x\@elsewhere.example\nTo: bob\@example.org\nSubject: bob's own\n\nprivate\n"), '-d', 'bob');
my $br = $t->sync_collection('BOBPHONE', $bob_folders->{Inbox}{id}, 0, user => 'bob');
$br = $t->sync_collection('BOBPHONE', $bob_folders->{Inbox}{id}, EasTest::tag($br->{xml}, 'SyncKey'), user => 'bob');
my $bobs = EasTest::tag($br->{xml}, 'ServerId');
ok($bobs, 'bob has a message of his own');

for my $case (['no such item', "$inbox:99999", $inbox],
              ['bob\'s message', $bobs, undef],
              ['a FolderId that is not the item\'s', $source, $sent_items],
              ['no id of ours', 'garbage', $inbox]) {
    my ($what, $item, $folder) = @$case;
    $r = smart('SmartReply', client_id => "bad-$what", item => $item, folder => $folder,
               mime => EasTest::crlf("To: dave\@elsewhere.example\nSubject: bad\n\nnope\n"));
    is(EasTest::tag($r->{xml}, 'Status'), '150', "source $what: Status 150 (ItemNotFound)");
}
like($t->error_log, qr/SmartReply from alice .*refused \(Status 150\): source \Q$bobs\E: no such folder for this user/,
     '... the log says why');
$r = $t->request(cmd => 'SmartForward', version => '12.1', content_type => 'message/rfc822',
    query => "Cmd=SmartForward&User=alice&DeviceId=OLDPHONE&DeviceType=SmartPhone&ItemId=$bobs",
    body => $legacy);
is($r->{status}, 400, 'SmartForward 12.1 of bob\'s message: HTTP 400');
sleep 1.5;
is(scalar @{ $sink->received }, 5, '... none of them reached the relay');

# --- collected addresses ---

($rc, $out) = $t->easctl('user', 'collected', 'alice', '--json');
is($rc, 0, 'easctl user collected alice') or diag $out;
my %collected = map { my %e = /"(\w+)": "((?:[^"\\]|\\.)*)"/g; ($e{address} => \%e) } $out =~ /\{[^}]*\}/g;
is($collected{'dave@elsewhere.example'}{count}, 3, 'dave: written to three times (the 118 resend and refusals not counted)');
is($collected{'dave@elsewhere.example'}{name}, 'Dave Remote', '... with the name alice\'s phone wrote');
is($collected{'erin@elsewhere.example'}{count}, 3, 'erin: three times');
is($collected{'erin@elsewhere.example'}{name}, 'Erin', '... named');
is(scalar keys %collected, 2, 'nobody else');
($rc, $out) = $t->easctl('user', 'collected', 'alice');
like($out, qr/^ADDRESS\s+COUNT\s+LAST USED \(UTC\)\s+NAME\n\S+elsewhere\.example\s+3 /, '... and as a table');
my $fs = $t->folder_sync(0, device => 'NEWPHONE');
unlike($fs->{xml}, qr/Collected Addresses/, 'a device is never offered the Collected Addresses folder');

# --- OPTIONS ---

$r = $t->request(method => 'OPTIONS', query => '');
my %announced = map { $_ => 1 } split /,/, $r->{headers}{'ms-asprotocolcommands'} // '';
ok($announced{SmartReply} && $announced{SmartForward}, 'OPTIONS announces SmartReply and SmartForward');

done_testing;
