# Bodies of contacts and events under BodyPreference (MS-ASAIRS): a client
# that asks for 100 bytes gets at most 100 bytes of Data, cut on a UTF-8
# character boundary, with Truncated and EstimatedDataSize (the full size);
# AllOrNone leaves a too-big Data out; a body that fits comes whole; a
# client without BodyPreference gets the body as stored. Each answer is
# valid against the schema.
use strict;
use warnings;
use utf8;
use lib 't/lib';
use EasTest;
use Encode qw(encode_utf8 decode_utf8);
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret');
$t->start;

my $r = $t->folder_sync('0', device => 'WRITER');
my $folders = EasTest::folder_adds($r->{xml});
my ($contacts, $calendar) = ($folders->{Contacts}{id}, $folders->{Calendar}{id});

sub sync { return $t->sync_collection(@_) }

# A long body with a three-byte character (€) across byte 100 (no spaces:
# libwbxml trims a text's trailing blanks), and a short one.
my $long = ('abcdefghi-' x 9) . 'abcdefgh' . '€' . ('klmnopqrs-' x 100);  # € is bytes 99-101
my $long_bytes = length encode_utf8($long);
my $short = 'Short note';
sub contact_with {
    my ($name, $body) = @_;
    return qq{<ApplicationData><FirstName xmlns="Contacts:">$name</FirstName><Body xmlns="AirSyncBase:"><Type>1</Type><Data>$body</Data></Body></ApplicationData>};
}
my $k = EasTest::tag(sync('WRITER', $contacts, '0')->{xml}, 'SyncKey');
sync('WRITER', $contacts, $k, commands =>
     '<Add><ClientId>1</ClientId>' . contact_with('Long', $long) . '</Add>'
   . '<Add><ClientId>2</ClientId>' . contact_with('Short', $short) . '</Add>');
my $event_key = EasTest::tag(sync('WRITER', $calendar, '0')->{xml}, 'SyncKey');
sync('WRITER', $calendar, $event_key, commands => '<Add><ClientId>e1</ClientId><ApplicationData>'
   . qq{<Body xmlns="AirSyncBase:"><Type>1</Type><Data>$long</Data></Body>}
   . '<StartTime xmlns="Calendar:">20261210T100000Z</StartTime>'
   . '<EndTime xmlns="Calendar:">20261210T110000Z</EndTime><Subject xmlns="Calendar:">Planning</Subject>'
   . '</ApplicationData></Add>');

# The body of the contact named $name in an answer.
sub body_of {
    my ($xml, $name) = @_;
    $xml =~ s/ xmlns="[^"]*"//g;
    for my $add ($xml =~ m{<Add>(.*?)</Add>}gs) {
        next unless $add =~ m{<FirstName>\Q$name\E</FirstName>} || $add =~ m{<Subject>\Q$name\E</Subject>};
        my ($body) = $add =~ m{<Body>(.*?)</Body>}s;
        return $body;
    }
    return undef;
}

# 100 bytes, cut: the € does not fit whole, so Data ends before it.
my $key = EasTest::tag(sync('TRUNC', $contacts, '0', options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type><TruncationSize>100</TruncationSize></BodyPreference>')->{xml}, 'SyncKey');
$r = sync('TRUNC', $contacts, $key, options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type><TruncationSize>100</TruncationSize></BodyPreference>');
my $body = body_of($r->{xml}, 'Long');
ok($body, 'the long contact arrives with a Body');
my ($data) = ($body // '') =~ m{<Data>(.*?)</Data>}s;
my $bytes = encode_utf8(decode_utf8($data // ''));
ok(length($bytes) <= 100, 'Data is at most 100 bytes (' . length($bytes) . ')');
is(decode_utf8($data // ''), substr($long, 0, 98), '... cut before the three-byte character that does not fit');
like($body, qr{<EstimatedDataSize>$long_bytes</EstimatedDataSize>}, 'EstimatedDataSize is the full body size');
like($body, qr{<Truncated>1</Truncated>}, 'Truncated says so');
my $short_body = body_of($r->{xml}, 'Short');
like($short_body, qr{<Data>\Q$short\E</Data>}, 'a body that fits comes whole');
unlike($short_body, qr{<Truncated>}, '... not marked truncated');

# AllOrNone: too big means no Data at all.
my $opts = '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type><TruncationSize>100</TruncationSize><AllOrNone>1</AllOrNone></BodyPreference>';
$key = EasTest::tag(sync('ALLORNONE', $contacts, '0', options => $opts)->{xml}, 'SyncKey');
$r = sync('ALLORNONE', $contacts, $key, options => $opts);
$body = body_of($r->{xml}, 'Long');
unlike($body, qr{<Data>}, 'AllOrNone: a body over the size comes without Data');
like($body, qr{<Truncated>1</Truncated>}, '... marked truncated');
like(body_of($r->{xml}, 'Short'), qr{<Data>\Q$short\E</Data>}, '... and one within it whole');

# No BodyPreference: as stored.
$key = EasTest::tag(sync('PLAIN', $contacts, '0')->{xml}, 'SyncKey');
$r = sync('PLAIN', $contacts, $key);
is(decode_utf8((body_of($r->{xml}, 'Long') // '') =~ m{<Data>(.*?)</Data>}s ? $1 : ''), $long,
   'without BodyPreference the whole body');

# Events the same.
$opts = '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type><TruncationSize>50</TruncationSize></BodyPreference>';
$key = EasTest::tag(sync('TRUNC', $calendar, '0', options => $opts)->{xml}, 'SyncKey');
$r = sync('TRUNC', $calendar, $key, options => $opts);
$body = body_of($r->{xml}, 'Planning');
($data) = ($body // '') =~ m{<Data>(.*?)</Data>}s;
is(length(encode_utf8(decode_utf8($data // ''))), 50, 'an event body cut at 50 bytes');
like($body, qr{<Truncated>1</Truncated>.*<Data>}s, '... Truncated before Data, as the schema orders');

$t->stop;
done_testing;
