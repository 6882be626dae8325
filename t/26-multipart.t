# Attachments and bodies as raw bytes: ItemOperations Fetch answered as
# application/vnd.ms-sync.multipart (MS-ASCMD 2.2.1.10.1) when the client
# sends MS-ASAcceptMultiPart: T or the AcceptMultiPart flag of the request
# line, with Range; and GetAttachment (MS-ASCMD 2.2.1.7) for 12.1 and older
# clients, refused from 14.0 on. Every WBXML part is schema-valid.
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

# Binary with NUL, 0xFF, CR and LF bytes, and a 3 MB one that crosses
# every nginx buffer.
my $pdf = "%PDF-1.4\n" . join('', map { chr($_ % 256) } 0 .. 4999) . "\r\n%%EOF\n";
my $big = join('', map { chr(($_ * 7 + 3) % 256) } 0 .. 65535) x 48;
my $html = "<html><body><p>Caf\xc3\xa9 <b>report</b> attached.</p></body></html>";
my $message = EasTest::crlf(<<"EOM");
From: Bob <bob\@example.org>
To: Alice <alice\@example.org>
Subject: Figures
Message-ID: <figures-1\@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: text/html; charset=utf-8

$html
--m
Content-Type: application/pdf; name="figures.pdf"
Content-Disposition: attachment; filename="figures.pdf"
Content-Transfer-Encoding: base64

@{[encode_base64($pdf)]}
--m
Content-Type: text/plain; charset=utf-8; name="notes.txt"
Content-Disposition: attachment; filename="notes.txt"
Content-Transfer-Encoding: quoted-printable

Caf=C3=A9 =3D coffee
--m
Content-Type: application/octet-stream; name="big.bin"
Content-Disposition: attachment; filename="big.bin"
Content-Transfer-Encoding: base64

@{[encode_base64($big)]}
--m--
EOM
my ($rc, $out) = $t->deliver($message, '-d', 'alice');
is($rc, 0, 'a message with three attachments is delivered') or diag $out;

my $r = $t->request(method => 'OPTIONS', query => '');
like($r->{headers}{'ms-asprotocolcommands'}, qr/(^|,)GetAttachment(,|$)/, 'OPTIONS announces GetAttachment');

my $folders = EasTest::folder_adds($t->folder_sync('0', device => 'PHONE')->{xml});
my $inbox = $folders->{Inbox}{id};
my $key = EasTest::tag($t->sync_collection('PHONE', $inbox, '0')->{xml}, 'SyncKey');
$r = $t->sync_collection('PHONE', $inbox, $key);
my $x = $r->{xml}; $x =~ s/ xmlns="[^"]*"//g;
my $server_id = EasTest::tag($x, 'ServerId');
my %ref;
while ($x =~ m{<Attachment><DisplayName>([^<]+)</DisplayName><FileReference>([^<]+)</FileReference>}g) { $ref{$1} = $2 }
ok($ref{'figures.pdf'} && $ref{'notes.txt'} && $ref{'big.bin'}, 'Sync lists the attachments');

# The parts of a multipart body, cut out by its own metadata: PartsCount,
# then (offset, length) pairs, 32-bit little-endian (MS-ASCMD 2.2.1.10.1.1).
sub split_multipart {
    my ($body) = @_;
    return undef if length($body) < 4;
    my $count = unpack('V', $body);
    return undef if length($body) < 4 + 8 * $count;
    my @parts;
    for my $i (0 .. $count - 1) {
        my ($offset, $length) = unpack('V V', substr($body, 4 + 8 * $i, 8));
        return undef if $offset + $length > length $body;
        push @parts, substr($body, $offset, $length);
    }
    return \@parts;
}

# ItemOperations; options: multipart (header value), query (raw request
# line), user. Returns (parts, xml of part 0) for a multipart answer, after
# checking its type and schema; (undef, xml) for an inline one.
sub item_ops {
    my ($inner, %o) = @_;
    my %headers;
    $headers{'MS-ASAcceptMultiPart'} = $o{multipart} if defined $o{multipart};
    $headers{'MS-ASProtocolVersion'} = undef if $o{base64};
    my $r = $t->request(cmd => 'ItemOperations', device => 'PHONE', user => $o{user},
        query => $o{query}, headers => \%headers,
        xml => qq{<ItemOperations xmlns="ItemOperations:">$inner</ItemOperations>});
    is($r->{status}, 200, 'ItemOperations answers 200');
    my $type = $r->{headers}{'content-type'} // '';
    if ($type ne 'application/vnd.ms-sync.multipart') {
        $t->valid_ok('ItemOperations', $r);
        (my $xml = $r->{xml}) =~ s/ xmlns="[^"]*"//g;
        return (undef, $xml, $type);
    }
    my $parts = split_multipart($r->{body});
    ok($parts && @$parts >= 1, 'the multipart body splits into its parts by its metadata') or return ([], '', $type);
    $t->valid_ok('ItemOperations', { body => $parts->[0], xml => $t->xml($parts->[0]) },
                 'its first part is a schema-valid ItemOperations WBXML answer');
    (my $xml = $t->xml($parts->[0])) =~ s/ xmlns="[^"]*"//g;
    return ($parts, $xml, $type);
}
sub fetch_ref_xml {
    my ($ref, $options) = @_;
    return qq{<Fetch><Store>Mailbox</Store><FileReference xmlns="AirSyncBase:">$ref</FileReference>}
        . ($options ? "<Options>$options</Options>" : '') . '</Fetch>';
}
sub fetch_item_xml {
    my ($options) = @_;
    return qq{<Fetch><Store>Mailbox</Store><CollectionId xmlns="AirSync:">$inbox</CollectionId><ServerId xmlns="AirSync:">$server_id</ServerId><Options>$options</Options></Fetch>};
}

# --- an attachment as a part ---
my ($parts, $xml, $type) = item_ops(fetch_ref_xml($ref{'figures.pdf'}), multipart => 'T');
is($type, 'application/vnd.ms-sync.multipart', 'MS-ASAcceptMultiPart: T: a multipart answer');
is(scalar @{ $parts // [] }, 2, '... of two parts: the WBXML and the attachment');
like($xml, qr{<Fetch><Status>1</Status><FileReference>[^<]+</FileReference><Properties><ContentType>application/pdf</ContentType><Part>1</Part></Properties></Fetch>},
     '... whose WBXML names part 1 in Properties');
unlike($xml, qr{<Data>}, '... and carries no inline Data');
ok(defined $parts->[1] && $parts->[1] eq $pdf, '... part 1 is exactly the attachment\'s bytes, raw');

($parts, $xml) = item_ops(fetch_ref_xml($ref{'big.bin'}), multipart => 'T');
ok(defined $parts->[1] && $parts->[1] eq $big, 'a 3 MB attachment comes whole as its part');

# --- with a Range ---
($parts, $xml) = item_ops(fetch_ref_xml($ref{'figures.pdf'}, '<Range>5-104</Range>'), multipart => 'T');
my $total = length $pdf;
like($xml, qr{<Range>5-104</Range><Total>$total</Total><Part>1</Part>}, 'a Range: Range, Total and the part');
ok(defined $parts->[1] && $parts->[1] eq substr($pdf, 5, 100), '... the part holds exactly bytes 5 to 104');
($parts, $xml) = item_ops(fetch_ref_xml($ref{'figures.pdf'}, '<Range>5000-999999</Range>'), multipart => 'T');
ok(defined $parts->[1] && $parts->[1] eq substr($pdf, 5000), 'a Range past the end: the rest');
($parts, $xml) = item_ops(fetch_ref_xml($ref{'figures.pdf'}, '<Range>999999-1000000</Range>'), multipart => 'T');
like($xml, qr{<Fetch><Status>8</Status>}, 'a Range beyond the attachment: Status 8');
is(scalar @$parts, 1, '... and no part but the WBXML');

# --- a body as a part ---
my ($inline_parts, $inline) = item_ops(fetch_item_xml('<BodyPreference xmlns="AirSyncBase:"><Type>2</Type></BodyPreference>'));
ok(!defined $inline_parts, 'without the header the answer stays inline');
my ($inline_html) = $inline =~ m{<Body><Type>2</Type><EstimatedDataSize>\d+</EstimatedDataSize><Data>(.*?)</Data>}s;
($parts, $xml) = item_ops(fetch_item_xml('<BodyPreference xmlns="AirSyncBase:"><Type>2</Type></BodyPreference>'), multipart => 'T');
like($xml, qr{<Class>Email</Class><Properties>.*<Subject>Figures</Subject>.*<Body><Type>2</Type><EstimatedDataSize>(\d+)</EstimatedDataSize><Part>1</Part></Body>}s,
     'a message fetched multipart: its Body names part 1 instead of Data');
unlike($xml, qr{<Data>}, '... no inline Data');
like($parts->[1] // '', qr{^<html><body><p>Caf\xc3\xa9 <b>report</b> attached\.</p></body></html>}, '... part 1 is the HTML body as UTF-8 bytes');
(my $decoded = $inline_html // '') =~ s/&lt;/</g; $decoded =~ s/&gt;/>/g; $decoded =~ s/&amp;/&/g;
is($parts->[1], $decoded, '... the same bytes the inline answer carries in Data');
my ($size) = $xml =~ m{<EstimatedDataSize>(\d+)</EstimatedDataSize><Part>};
is(length $parts->[1], $size, '... of the size EstimatedDataSize says');

($parts, $xml) = item_ops(fetch_item_xml('<MIMESupport xmlns="AirSync:">2</MIMESupport><BodyPreference xmlns="AirSyncBase:"><Type>4</Type></BodyPreference>'), multipart => 'T');
like($xml, qr{<Body><Type>4</Type><EstimatedDataSize>\d+</EstimatedDataSize><Part>1</Part></Body>}, 'the MIME body as a part');
ok(defined $parts->[1] && $parts->[1] eq $message, '... is the message exactly as delivered');

($parts, $xml) = item_ops(fetch_item_xml('<BodyPreference xmlns="AirSyncBase:"><Type>2</Type><TruncationSize>10</TruncationSize></BodyPreference>'), multipart => 'T');
like($xml, qr{<Truncated>1</Truncated><Part>1</Part>}, 'a truncated body: Truncated and its part');
is($parts->[1], '<html>', '... cut where the inline answer cuts it (never inside a tag)');

# --- several fetches in one answer, numbered in order ---
($parts, $xml) = item_ops(fetch_ref_xml($ref{'notes.txt'}) . fetch_ref_xml('nope')
    . fetch_item_xml('<BodyPreference xmlns="AirSyncBase:"><Type>2</Type></BodyPreference>')
    . fetch_ref_xml($ref{'figures.pdf'}, '<Range>0-9</Range>'), multipart => 'T');
is(scalar @$parts, 4, 'four fetches, one failing: the WBXML and three parts');
like($xml, qr{<Fetch><Status>1</Status>.*?<Part>1</Part>.*?</Fetch><Fetch><Status>15</Status><FileReference>nope</FileReference></Fetch><Fetch><Status>1</Status>.*?<Part>2</Part>.*?</Fetch><Fetch><Status>1</Status>.*?<Part>3</Part>}s,
     '... each success naming its own part, the failure none');
is($parts->[1], "Caf\xc3\xa9 = coffee", '... part 1 the text attachment, decoded from quoted-printable');
like($parts->[2], qr{^<html>}, '... part 2 the body');
is($parts->[3], substr($pdf, 0, 10), '... part 3 the range of the PDF');

# --- the other ways to ask, and not asking ---
($parts, $xml, $type) = item_ops(fetch_ref_xml($ref{'figures.pdf'}), multipart => 'F');
is($type, 'application/vnd.ms-sync.wbxml', 'MS-ASAcceptMultiPart: F: inline WBXML');
is(decode_base64(($xml =~ m{<Data>([^<]*)</Data>})[0] // ''), $pdf, '... with the bytes base64 in Data');
($parts, $xml) = item_ops(fetch_ref_xml($ref{'figures.pdf'}),
    query => 'Cmd=ItemOperations&User=alice&DeviceId=PHONE&DeviceType=iPhone&AcceptMultiPart=T');
ok(defined $parts && $parts->[1] eq $pdf, 'AcceptMultiPart=T in the plain request line: multipart');
sub b64_query {
    my (%o) = @_;
    my $q = pack('C C v', $o{version}, $o{cmd}, 0x0409);
    $q .= pack('C', length 'PHONE') . 'PHONE' . pack('C', 0) . pack('C', length 'iPhone') . 'iPhone';
    $q .= pack('C C', 8, length 'alice') . 'alice';
    $q .= pack('C C', 0, length $o{attachment}) . $o{attachment} if defined $o{attachment};
    $q .= pack('C C C', 7, 1, $o{options}) if defined $o{options};
    return encode_base64($q, '');
}
($parts, $xml) = item_ops(fetch_ref_xml($ref{'figures.pdf'}),
    query => b64_query(version => 141, cmd => 19, options => 0x02), base64 => 1);
ok(defined $parts && $parts->[1] eq $pdf, 'the AcceptMultiPart flag of the base64 request line: multipart');

# --- GetAttachment (12.1 and older) ---
sub get_attachment {
    my ($name, %o) = @_;
    my $query = $o{query} // "Cmd=GetAttachment&AttachmentName=$name&User=" . ($o{user} // 'alice') . "&DeviceId=OLDPHONE&DeviceType=PocketPC";
    return $t->request(query => $query, user => $o{user}, version => $o{version} // '12.1',
        body => '', headers => $o{headers} // {});
}
$r = get_attachment($ref{'figures.pdf'});
is($r->{status}, 200, 'GetAttachment at 12.1 answers 200');
is($r->{headers}{'content-type'}, 'application/pdf', '... with the attachment\'s Content-Type');
ok($r->{body} eq $pdf, '... and exactly its bytes as the body');
$r = get_attachment($ref{'notes.txt'}, version => '2.5');
is($r->{headers}{'content-type'}, 'text/plain; charset=utf-8', 'a text attachment at 2.5: its type with its charset');
is($r->{body}, "Caf\xc3\xa9 = coffee", '... its decoded bytes');
$r = get_attachment($ref{'big.bin'}, version => '12.0');
ok($r->{status} == 200 && $r->{body} eq $big, 'the 3 MB attachment, whole, at 12.0');
$r = get_attachment(undef, query => b64_query(version => 121, cmd => 4, attachment => $ref{'figures.pdf'}),
                    headers => { 'MS-ASProtocolVersion' => undef });
ok($r->{status} == 200 && $r->{body} eq $pdf, 'GetAttachment with the base64 request line (AttachmentName parameter)');

$r = get_attachment($ref{'figures.pdf'}, version => '14.1');
is($r->{status}, 400, 'GetAttachment at 14.1 is refused');
is($r->{body}, '', '... without the attachment');
like($t->error_log, qr/GetAttachment: not in protocol 14\.1 \(removed in 14\.0/, '... and the log says why');
$r = get_attachment($ref{'figures.pdf'}, version => '16.1');
is($r->{status}, 400, '... as at 16.1');

$r = get_attachment('nope');
is($r->{status}, 500, 'GetAttachment of a malformed reference: HTTP 500');
like($t->error_log, qr/GetAttachment nope: not a FileReference of ours for alice/, '... logged');
(my $missing = $ref{'figures.pdf'}) =~ s/:(\d+)$/:99/;
is(get_attachment($missing)->{status}, 500, 'a part the message does not have: 500');
(my $gone = $ref{'figures.pdf'}) =~ s/^(\d+):(\d+):/$1:999:/;
is(get_attachment($gone)->{status}, 500, 'a message that is not there: 500');
$r = get_attachment($ref{'figures.pdf'}, user => 'bob');
is($r->{status}, 500, "bob asking for alice's attachment: 500");
is($r->{body}, '', '... and none of its bytes');
like($t->error_log, qr/GetAttachment \Q$ref{'figures.pdf'}\E: no such folder for this user for bob/, '... logged');
$r = get_attachment('', query => 'Cmd=GetAttachment&User=alice&DeviceId=OLDPHONE&DeviceType=PocketPC');
is($r->{status}, 400, 'GetAttachment without AttachmentName: 400');
like($t->error_log, qr/GetAttachment: no AttachmentName in the request line/, '... logged');

$t->stop;
done_testing;
