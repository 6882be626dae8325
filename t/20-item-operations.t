# ItemOperations (MS-ASCMD 2.2.1.10) on delivered mail: an attachment's
# bytes by FileReference (base64 in Data, decoded from the message's
# transfer encoding), a Range slice with Range and Total, a whole message
# by ServerId or LongId under BodyPreference (the original MIME), the
# statuses for what is not there or not ours, EmptyFolderContents, and
# OPTIONS announcing the command. Every answer is schema-valid.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use MIME::Base64 qw(decode_base64 encode_base64);
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'secret', 'bob@example.org');
$t->start;

my $pdf = "%PDF-1.4\n" . join('', map { chr($_ % 256) } 0 .. 2999) . "\n%%EOF\n";
my $pdf64 = encode_base64($pdf);
my $message = EasTest::crlf(<<"EOM");
From: Bob <bob\@example.org>
To: Alice <alice\@example.org>
Subject: Report
Message-ID: <report-1\@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: text/plain; charset=utf-8

The report and my notes are attached.
--m
Content-Type: application/pdf; name="report.pdf"
Content-Disposition: attachment; filename="report.pdf"
Content-Transfer-Encoding: base64

$pdf64
--m
Content-Type: text/plain; charset=utf-8; name="notes.txt"
Content-Disposition: attachment; filename="notes.txt"
Content-Transfer-Encoding: quoted-printable

Caf=C3=A9 =3D coffee
line two
--m--
EOM
my ($rc, $out) = $t->deliver($message, '-d', 'alice');
is($rc, 0, 'a message with two attachments is delivered') or diag $out;
($rc, $out) = $t->deliver(EasTest::crlf("From: x\@example.org\nSubject: Bob's own\nMessage-ID: <b1\@example.org>\n\nHi\n"), '-d', 'bob');
is($rc, 0, 'and one to bob');

my $r = $t->request(method => 'OPTIONS', query => '');
like($r->{headers}{'ms-asprotocolcommands'}, qr/\bItemOperations\b/, 'OPTIONS announces ItemOperations');

my $folders = EasTest::folder_adds($t->folder_sync('0', device => 'PHONE')->{xml});
my ($inbox, $trash) = ($folders->{Inbox}{id}, $folders->{'Deleted Items'}{id});
my $key = EasTest::tag($t->sync_collection('PHONE', $inbox, '0')->{xml}, 'SyncKey');
$r = $t->sync_collection('PHONE', $inbox, $key);
my $x = $r->{xml}; $x =~ s/ xmlns="[^"]*"//g;
my $server_id = EasTest::tag($x, 'ServerId');
my %ref;
while ($x =~ m{<Attachment><DisplayName>([^<]+)</DisplayName><FileReference>([^<]+)</FileReference>}g) { $ref{$1} = $2 }
ok($ref{'report.pdf'} && $ref{'notes.txt'}, 'Sync lists both attachments with a FileReference');

sub item_ops {
    my ($inner, %o) = @_;
    my $r = $t->request(cmd => 'ItemOperations', device => 'PHONE', user => $o{user},
        xml => qq{<ItemOperations xmlns="ItemOperations:">$inner</ItemOperations>});
    is($r->{status}, 200, 'ItemOperations answers 200');
    $t->valid_ok('ItemOperations', $r);
    my $xml = $r->{xml};
    $xml =~ s/ xmlns="[^"]*"//g;
    return $xml;
}
sub fetch_ref {
    my ($ref, $options, %o) = @_;
    return item_ops(qq{<Fetch><Store>Mailbox</Store><FileReference xmlns="AirSyncBase:">$ref</FileReference>}
        . ($options ? "<Options>$options</Options>" : '') . '</Fetch>', %o);
}
sub fetch_status { my ($xml) = @_; return $xml =~ m{<Fetch><Status>(\d+)</Status>} ? $1 : '' }

# --- attachments ---
$x = fetch_ref($ref{'report.pdf'});
is(fetch_status($x), 1, 'the PDF: Status 1');
like($x, qr{<ContentType>application/pdf</ContentType>}, '... its content type');
my ($data) = $x =~ m{<Data>([^<]*)</Data>};
is(decode_base64($data // ''), $pdf, '... and exactly its bytes, base64 decoded from the message');
unlike($x, qr{<Range>|<Total>}, '... without Range or Total when none was asked');

$x = fetch_ref($ref{'notes.txt'});
is(decode_base64(($x =~ m{<Data>([^<]*)</Data>})[0] // ''), "Caf\xc3\xa9 = coffee\r\nline two",
   'the quoted-printable text attachment, decoded (the last line break is the boundary\'s)');

$x = fetch_ref($ref{'report.pdf'}, '<Range>0-9</Range>');
my $total = length $pdf;
like($x, qr{<Range>0-9</Range><Total>$total</Total>}, 'a Range: Range and the Total size');
is(decode_base64(($x =~ m{<Data>([^<]*)</Data>})[0] // ''), substr($pdf, 0, 10), '... and those 10 bytes');
$x = fetch_ref($ref{'report.pdf'}, '<Range>3000-999999</Range>');
is(decode_base64(($x =~ m{<Data>([^<]*)</Data>})[0] // ''), substr($pdf, 3000), 'a Range past the end: the rest');
is(fetch_status(fetch_ref($ref{'report.pdf'}, '<Range>999999-1000000</Range>')), 8, 'a Range beyond the attachment: Status 8');
is(fetch_status(fetch_ref('not-a-reference')), 15, 'a FileReference that is none of ours: Status 15');
(my $missing = $ref{'report.pdf'}) =~ s/:(\d+)$/:99/;
is(fetch_status(fetch_ref($missing)), 15, 'a part the message does not have: Status 15');
is(fetch_status(fetch_ref($ref{'report.pdf'}, '', user => 'bob')), 15, "bob asking for alice's attachment: Status 15");

# --- whole messages ---
my $mime_opts = '<MIMESupport xmlns="AirSync:">2</MIMESupport><BodyPreference xmlns="AirSyncBase:"><Type>4</Type></BodyPreference>';
$x = item_ops(qq{<Fetch><Store>Mailbox</Store><CollectionId xmlns="AirSync:">$inbox</CollectionId><ServerId xmlns="AirSync:">$server_id</ServerId><Options>$mime_opts</Options></Fetch>});
is(fetch_status($x), 1, 'a message by ServerId: Status 1');
like($x, qr{<Class>Email</Class><Properties>.*<Subject>Report</Subject>}s, '... its properties, class Email');
like($x, qr{<Body><Type>4</Type>.*Message-ID: &lt;report-1\@example.org&gt;}s, '... with the original MIME, as asked');
$x = item_ops(qq{<Fetch><Store>Mailbox</Store><LongId xmlns="Search:">$server_id</LongId><Options><BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference></Options></Fetch>});
like($x, qr{<Status>1</Status><LongId>\Q$server_id\E</LongId><Class>Email</Class>.*<Type>1</Type><EstimatedDataSize>\d+</EstimatedDataSize><Data>The report}s,
     'a message by LongId, no CollectionId: plain text');
is(fetch_status(item_ops(qq{<Fetch><Store>Mailbox</Store><CollectionId xmlns="AirSync:">$inbox</CollectionId><ServerId xmlns="AirSync:">$inbox:999</ServerId></Fetch>})),
   6, 'an item that is not there: Status 6');
is(fetch_status(item_ops(qq{<Fetch><Store>Mailbox</Store><ServerId xmlns="AirSync:">$server_id</ServerId></Fetch>}, user => 'bob')),
   6, "bob fetching alice's message: Status 6");
is(fetch_status(item_ops(qq{<Fetch><Store>DocumentLibrary</Store><LinkId xmlns="DocumentLibrary:">\\\\srv\\x</LinkId></Fetch>})),
   9, 'a document library: Status 9 (not supported)');

# --- an invitation: a meeting request, its calendar part not listed ---
($rc, $out) = $t->deliver(EasTest::read_file("$EasTest::TOP/demo/data/mail/07-invitation.eml"), '-d', 'alice');
is($rc, 0, 'an invitation is delivered');
$r = $t->sync_collection('PHONE', $inbox, EasTest::tag($r->{xml}, 'SyncKey'));
$x = $r->{xml}; $x =~ s/ xmlns="[^"]*"//g;
like($x, qr{<MessageClass>IPM.Schedule.Meeting.Request</MessageClass><MeetingRequest>}, 'it is a meeting request, with its MeetingRequest');
unlike($x, qr{invite\.ics}, '... and its calendar part is not offered as an attachment');

# --- an invitation whose iCalendar cannot be read opens as invite.ics ---
(my $unreadable = EasTest::read_file("$EasTest::TOP/demo/data/mail/07-invitation.eml")) =~ s/^DTSTART:.*$/DTSTART:soon/m;
$unreadable =~ s/invite-review\@/invite-unreadable\@/;
($rc, $out) = $t->deliver($unreadable, '-d', 'alice');
is($rc, 0, 'an invitation with an unreadable DTSTART is delivered');
$r = $t->sync_collection('PHONE', $inbox, EasTest::tag($r->{xml}, 'SyncKey'));
$x = $r->{xml}; $x =~ s/ xmlns="[^"]*"//g;
like($x, qr{<MessageClass>IPM.Note</MessageClass>}, 'it is an ordinary message');
my ($ics_ref) = $x =~ m{<DisplayName>invite.ics</DisplayName><FileReference>([^<]+)</FileReference>};
ok($ics_ref, '... with its calendar part as the attachment invite.ics');
like(decode_base64((fetch_ref($ics_ref) =~ m{<Data>([^<]*)</Data>})[0] // ''), qr{BEGIN:VCALENDAR.*METHOD:REQUEST}s,
     '... which opens as the iCalendar invitation');

# --- two operations in one request, in order ---
$x = item_ops(qq{<Fetch><Store>Mailbox</Store><FileReference xmlns="AirSyncBase:">$ref{'notes.txt'}</FileReference></Fetch>}
    . qq{<Fetch><Store>Mailbox</Store><FileReference xmlns="AirSyncBase:">nope</FileReference></Fetch>});
like($x, qr{<Response><Fetch><Status>1</Status>.*</Fetch><Fetch><Status>15</Status><FileReference>nope</FileReference></Fetch></Response>}s,
     'two fetches answered in order, each with its status');

# --- EmptyFolderContents ---
$r = $t->sync_collection('PHONE', $inbox, EasTest::tag($r->{xml}, 'SyncKey'), commands => "<Delete><ServerId>$server_id</ServerId></Delete>");
my $tkey = EasTest::tag($t->sync_collection('PHONE', $trash, '0')->{xml}, 'SyncKey');
$r = $t->sync_collection('PHONE', $trash, $tkey);
like($r->{xml}, qr{<Subject[^>]*>Report</Subject>}, 'the deleted message is in Deleted Items');
$tkey = EasTest::tag($r->{xml}, 'SyncKey');
$x = item_ops(qq{<EmptyFolderContents><CollectionId xmlns="AirSync:">$trash</CollectionId></EmptyFolderContents>});
like($x, qr{<EmptyFolderContents><Status>1</Status><CollectionId>\Q$trash\E</CollectionId></EmptyFolderContents>}, 'EmptyFolderContents of Deleted Items: Status 1');
$r = $t->sync_collection('PHONE', $trash, $tkey);
like($r->{xml}, qr{<Delete><ServerId>\Q$trash\E:}, '... and the device is told its message went');
is(fetch_status(fetch_ref($ref{'report.pdf'})), 15, 'the attachment of a message deleted for good is gone');
$x = item_ops(qq{<EmptyFolderContents><CollectionId xmlns="AirSync:">999</CollectionId></EmptyFolderContents>});
like($x, qr{<EmptyFolderContents><Status>6</Status>}, 'EmptyFolderContents of no folder: Status 6');

# --- malformed ---
$x = item_ops('');
like($x, qr{^.*<ItemOperations><Status>2</Status></ItemOperations>}s, 'an empty ItemOperations: Status 2 (protocol error)');

$t->stop;
done_testing;
