# SendMail from a device: the 14.1 WBXML form (ComposeMail: ClientId,
# SaveInSentItems, Mime — libwbxml's xml2wbxml reads the Mime element's
# text as base64 and writes the bytes as OPAQUE) and the 12.1 raw form (message/rfc822, SaveInSent=T in the plain
# and the base64 request line). alice writes to bob (To), a remote address
# (Cc) and carol (Bcc): bob's and carol's Inbox Sync show it at once with
# Date, Message-ID and From filled in, 8-bit headers encoded and no Bcc
# header; alice's Sent Items copy keeps Bcc; the remote recipient waits in
# the outgoing queue (no relay configured here: t/30-smtp-relay.t). A resent
# ClientId is answered 118 and bob keeps one copy; a From of a colleague
# is sent as alice (and logged); malformed MIME, no
# recipients, a request without ClientId and broken WBXML get their
# statuses.
use strict;
use warnings;
use utf8;
use lib 't/lib';
use EasTest;
use MIME::Base64 qw(encode_base64);
use Test::More;

my $t = EasTest->new;
my ($rc, $out) = $t->easctl('user', 'add', 'alice', '--password', 'secret',
                            '--email', 'alice@example.org', '--display-name', 'Alice Liddell');
die "easctl user add alice: $out" if $rc;
$t->add_user('bob', 'secret', 'bob@example.org');
$t->add_user('carol', 'secret', 'carol@example.org');
$t->start;

my %folders;
sub folder_id {
    my ($user, $name) = @_;
    $folders{$user} //= EasTest::folder_adds($t->folder_sync(0, user => $user)->{xml});
    return $folders{$user}{$name}{id};
}

# Every message in a folder as MIME (a new device each time: an initial
# sync), schema-checked: a list of the decoded messages.
my $devices = 0;
sub messages {
    my ($user, $folder) = @_;
    my $id = folder_id($user, $folder);
    my $device = 'READER' . ++$devices;
    my $r = $t->sync_collection($device, $id, 0, user => $user);
    my $key = EasTest::tag($r->{xml}, 'SyncKey');
    $r = $t->sync_collection($device, $id, $key, user => $user,
        options => '<MIMESupport>2</MIMESupport><BodyPreference xmlns="AirSyncBase:"><Type>4</Type></BodyPreference>');
    my @mime;
    while ($r->{xml} =~ m{<Add>.*?<Data>([^<]*)</Data>.*?</Add>}gs) {
        my $m = $1;
        $m =~ s/&lt;/</g; $m =~ s/&gt;/>/g; $m =~ s/&quot;/"/g; $m =~ s/&#13;/\r/g; $m =~ s/&amp;/&/g;
        push @mime, $m;
    }
    return \@mime;
}

# The Mime element's text: libwbxml's xml2wbxml takes base64 there and
# writes the bytes as OPAQUE, CRs included (as wbxml2xml shows them back).
sub mime_text {
    my ($s) = @_;
    utf8::encode($s) if utf8::is_utf8($s);
    return encode_base64($s, '');
}

sub send_mail {
    my (%o) = @_;
    my $xml = '<SendMail xmlns="ComposeMail:">'
        . (defined $o{client_id} ? "<ClientId>$o{client_id}</ClientId>" : '')
        . ($o{save} ? '<SaveInSentItems/>' : '')
        . '<MIME>' . mime_text($o{mime}) . '</MIME></SendMail>';
    return $t->request(cmd => 'SendMail', user => $o{user} // 'alice', xml => $xml);
}

sub status_of {
    my ($r, $what) = @_;
    is($r->{status}, 200, "$what: HTTP 200");
    $t->valid_ok('SendMail', $r, "$what: the answer is valid against the schema");
    return EasTest::tag($r->{xml}, 'Status') // '';
}

# --- alice writes: bob in To, someone elsewhere in Cc, carol in Bcc ---

my $first = EasTest::crlf(<<'EOM');
To: Bob <bob@example.org>
Cc: "Someone Else" <someone@elsewhere.example>
Bcc: carol@example.org
Subject: Grüße aus dem Büro
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hello Bob, the numbers are in.
EOM
my $r = send_mail(client_id => 'c-1', save => 1, mime => $first);
is($r->{status}, 200, 'SendMail answers HTTP 200');
is($r->{body}, '', '... without a body: sent');

my $bob = messages('bob', 'Inbox');
is(scalar @$bob, 1, "bob's Inbox Sync shows the message");
my $m = $bob->[0] // '';
unlike($m, qr/^Bcc:/mi, "... without a Bcc header");
like($m, qr/^Date: \S.*\d{4}/m, '... with a Date the server added');
like($m, qr/^Message-Id: <[0-9a-f]{32}\@example\.org>/mi, '... a Message-ID the server made, in alice\'s domain');
like($m, qr/^From: "?Alice Liddell"? <alice\@example\.org>/m, '... From: alice\'s name and address');
like($m, qr/^Subject: =\?utf-8\?[bq]\?/mi, '... the 8-bit Subject RFC 2047-encoded');
like($m, qr/^Cc: "Someone Else" <someone\@elsewhere\.example>/m, '... Cc as written');
like($m, qr/Hello Bob, the numbers are in\./, '... and the body');
unlike($m, qr/[^\r]\n/, '... with CRLF line ends');

my $carol = messages('carol', 'Inbox');
is(scalar @$carol, 1, 'carol, a Bcc recipient, has it too');
unlike($carol->[0] // '', qr/^Bcc:/mi, '... also without the Bcc header');

my $sent = messages('alice', 'Sent Items');
is(scalar @$sent, 1, "alice's Sent Items has the copy");
like($sent->[0] // '', qr/^Bcc: carol\@example\.org/mi, '... which keeps Bcc');
my ($msgid) = $m =~ /^Message-Id: (<[^>]+>)/mi;
like($sent->[0] // '', qr/^Message-Id: \Q$msgid\E/mi, '... with the same Message-ID');

like($t->error_log, qr/SendMail from alice .*for someone\@elsewhere\.example kept in the outgoing queue \(entry \d+\) for the SMTP relay/,
     'the remote recipient waits in the outgoing queue for the relay (t/30-smtp-relay.t sends it)');

# --- the same ClientId again: 118, nothing twice ---

$r = send_mail(client_id => 'c-1', save => 1, mime => $first);
is(status_of($r, 'a resent ClientId'), '118', '... Status 118 (MessagePreviouslySent)');
is(scalar @{ messages('bob', 'Inbox') }, 1, '... and bob still has one copy');
is(scalar @{ messages('alice', 'Sent Items') }, 1, '... and Sent Items one');
like($t->error_log, qr/ClientId c-1 was sent already/, '... the log says so');

# Another device may use the same ClientId: ids are per device.
$r = $t->request(cmd => 'SendMail', device => 'OTHERPHONE',
    xml => '<SendMail xmlns="ComposeMail:"><ClientId>c-1</ClientId><MIME>'
         . mime_text(EasTest::crlf("To: bob\@example.org\nSubject: From the tablet\n\nhi\n")) . '</MIME></SendMail>');
is($r->{status}, 200, 'the same ClientId from another device is a new message');
is($r->{body}, '', '... sent');
is(scalar @{ messages('bob', 'Inbox') }, 2, '... bob has it');
is(scalar @{ messages('alice', 'Sent Items') }, 1, '... no SaveInSentItems: no copy in Sent Items');

# --- 12.1: the message itself, SaveInSent=T in the request line ---

my $legacy = EasTest::crlf(<<'EOM');
From: alice
To: bob@example.org
Subject: The old way
Date: Mon, 2 Jan 2023 10:00:00 +0000
Message-ID: <legacy-1@example.org>

Sent as message/rfc822.
EOM
$r = $t->request(cmd => 'SendMail', version => '12.1', content_type => 'message/rfc822',
                 query => 'Cmd=SendMail&User=alice&DeviceId=OLDPHONE&DeviceType=SmartPhone&SaveInSent=T',
                 body => $legacy);
is($r->{status}, 200, '12.1 raw form with SaveInSent=T: HTTP 200');
$bob = messages('bob', 'Inbox');
my ($old) = grep { /The old way/ } @$bob;
ok($old, '... bob has it');
like($old // '', qr/^From: alice <alice\@example\.org>|^From: "?Alice Liddell"? <alice\@example\.org>/m,
     '... a From without a domain made alice\'s address');
like($old // '', qr/^Message-ID: <legacy-1\@example\.org>/mi, '... the client\'s Message-ID kept');
like($old // '', qr/^Date: Mon, 2 Jan 2023 10:00:00 \+0000/m, '... and its Date');
ok((grep { /The old way/ } @{ messages('alice', 'Sent Items') }), '... and Sent Items has the copy');

(my $nosave = $legacy) =~ s/legacy-1/legacy-2/;
$nosave =~ s/The old way/Not kept/;
$r = $t->request(cmd => 'SendMail', version => '12.1', content_type => 'message/rfc822',
                 query => 'Cmd=SendMail&User=alice&DeviceId=OLDPHONE&DeviceType=SmartPhone',
                 body => $nosave);
is($r->{status}, 200, '12.1 raw form without SaveInSent: HTTP 200');
ok((grep { /Not kept/ } @{ messages('bob', 'Inbox') }), '... bob has it');
ok(!(grep { /Not kept/ } @{ messages('alice', 'Sent Items') }), '... Sent Items does not');

# The base64 request line: version 12.1, SendMail (1), options SaveInSent.
(my $b64msg = $legacy) =~ s/legacy-1/legacy-3/;
$b64msg =~ s/The old way/Base64 line/;
my $q = pack('C C v', 121, 1, 0x0409) . pack('C', 8) . 'B64PHONE' . pack('C', 0)
      . pack('C', 10) . 'SmartPhone' . pack('C C', 8, 5) . 'alice' . pack('C C C', 7, 1, 1);
$r = $t->request(query => encode_base64($q, ''), content_type => 'message/rfc822', body => $b64msg,
                 headers => { 'MS-ASProtocolVersion' => undef });
is($r->{status}, 200, 'base64 request line with SaveInSent: HTTP 200');
ok((grep { /Base64 line/ } @{ messages('alice', 'Sent Items') }), '... Sent Items has the copy');

# --- alice writing as carol (a colleague) is sent as alice ---

$r = send_mail(client_id => 'as-carol', mime => EasTest::crlf(
    "From: \"Carol (boss)\" <carol\@example.org>\nTo: bob\@example.org\nSubject: Please pay this invoice\n\nUrgent.\n"));
is($r->{status}, 200, 'a From of someone else: HTTP 200');
is($r->{body}, '', '... sent');
my ($invoice) = grep { /Please pay this invoice/ } @{ messages('bob', 'Inbox') };
like($invoice // '', qr/^From: Alice Liddell <alice\@example\.org>\r?$/m, '... bob sees it from alice');
unlike($invoice // '', qr/carol\@example\.org/, '... and nothing of carol');
like($t->error_log, qr/SendMail from alice .*sent as <alice\@example\.org>: its From \("Carol \(boss\)" <carol\@example\.org>\) is not an address of alice/,
     '... the log says whose address it was');

# --- what is refused ---

$r = send_mail(client_id => 'bad-1', mime => "just some words, no header at all\r\n");
is(status_of($r, 'malformed MIME'), '107', '... Status 107 (InvalidMIME)');
like($t->error_log, qr/SendMail from alice .*refused \(Status 107\): invalid MIME/, '... and a log line');

$r = $t->request(cmd => 'SendMail', version => '12.1', content_type => 'message/rfc822',
                 query => 'Cmd=SendMail&User=alice&DeviceId=OLDPHONE&DeviceType=SmartPhone',
                 body => "just some words, no header at all\r\n");
is($r->{status}, 400, 'malformed MIME at 12.1: HTTP 400');

$r = send_mail(client_id => 'bad-2', mime => EasTest::crlf("Subject: to nobody\n\nhello\n"));
is(status_of($r, 'no recipients'), '119', '... Status 119 (MessageHasNoRecipient)');

$r = send_mail(mime => EasTest::crlf("To: bob\@example.org\nSubject: no id\n\nhello\n"));
is(status_of($r, 'no ClientId'), '103', '... Status 103 (InvalidXML)');

$r = $t->request(cmd => 'SendMail', body => "\x03\x01\x6a\x00\x00\x15\x45\x51\x03abc");
is(status_of($r, 'truncated WBXML'), '102', '... Status 102 (InvalidWBXML)');

my $before = scalar @{ messages('bob', 'Inbox') };
is($before, 6, 'none of the refused messages reached bob');

done_testing;
