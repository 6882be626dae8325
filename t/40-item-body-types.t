# Bodies of contacts, events and tasks in the type and shape each client
# asks for (MS-ASAIRS BodyPreference; MS-ASCMD 2.2.3.185 Truncation for
# 2.5). A 16.1 phone writes long HTML bodies; a client asking for plain
# text cut at 20 bytes gets the text (no markup) cut on a UTF-8 character
# boundary, Truncated, and EstimatedDataSize the whole text's size; one
# asking for HTML gets the HTML as written; one asking only for RTF gets
# plain text (there is no RTF to send); ItemOperations Fetch the same as
# Sync; a 2.5 client the class's own Body as plain text, cut to its
# Truncation with BodyTruncated (and BodySize where the class has one).
# A body a 2.5 client writes reaches a 16.1 phone as airsyncbase:Body.
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

my $folders = EasTest::folder_adds($t->folder_sync('0', device => 'WRITER', version => '16.1')->{xml});
my %folder = map { $_ => $folders->{$_}{id} } qw(Contacts Calendar Tasks);

sub sync { return $t->sync_collection(@_) }

# "Köln" puts the two bytes of ö at bytes 20 and 21 of the text.
my $html = '<html><body><p>Liebe Grüße aus <b>Köln</b></p><p>'
         . ('Wir sehen uns bald &amp; bringen Kuchen mit. ' x 40) . '</p></body></html>';
my $html_xml = $html;
$html_xml =~ s/&/&amp;/g;
$html_xml =~ s/</&lt;/g;
$html_xml =~ s/>/&gt;/g;
my $body_xml = qq{<Body xmlns="AirSyncBase:"><Type>2</Type><Data>$html_xml</Data></Body>};
my %add = (
    Contacts => qq{<FirstName xmlns="Contacts:">Lena</FirstName>$body_xml},
    Calendar => '<StartTime xmlns="Calendar:">20261215T090000Z</StartTime><EndTime xmlns="Calendar:">20261215T100000Z</EndTime>'
              . qq{<Subject xmlns="Calendar:">Kaffee</Subject>$body_xml},
    Tasks => qq{<Subject xmlns="Tasks:">Kuchen backen</Subject>$body_xml},
);
my %sid;
for my $class (sort keys %add) {
    my $key = EasTest::sync_key(sync('WRITER', $folder{$class}, '0', version => '16.1'));
    my $r = sync('WRITER', $folder{$class}, $key, version => '16.1',
                 commands => "<Add><ClientId>1</ClientId><ApplicationData>$add{$class}</ApplicationData></Add>");
    ($sid{$class}) = $r->{xml} =~ m{<ServerId>([^<]+)</ServerId>};
    ok($sid{$class}, "the $class item is added");
}

# The first item of an answer: its ApplicationData (or Properties), namespaces dropped.
sub item_of {
    my ($xml) = @_;
    $xml =~ s/ xmlns="[^"]*"//g;
    return $xml =~ m{<(ApplicationData|Properties)>(.*?)</\1>}s ? $2 : '';
}
sub body_of { my ($item) = @_; return $item =~ m{<Body>(.*?)</Body>}s ? $1 : undef }
sub data_of { my ($body) = @_; return defined $body && $body =~ m{<Data>(.*?)</Data>}s ? unescape($1) : undef }
sub unescape {
    my ($s) = @_;
    $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&apos;/'/g; $s =~ s/&amp;/&/g;
    return decode_utf8($s);
}
sub bytes { return length encode_utf8($_[0]) }

# A new device's first read of a folder with these Options.
sub first_read {
    my ($device, $class, $version, $options) = @_;
    my $key = EasTest::sync_key(sync($device, $folder{$class}, '0', version => $version, options => $options));
    return item_of(sync($device, $folder{$class}, $key, version => $version, options => $options)->{xml});
}

my $pref = sub {
    my ($type, $size) = @_;
    return qq{<BodyPreference xmlns="AirSyncBase:"><Type>$type</Type>}
         . (defined $size ? "<TruncationSize>$size</TruncationSize>" : '') . '</BodyPreference>';
};

for my $class (sort keys %add) {
    # The whole text first: what EstimatedDataSize must say.
    my $full_body = body_of(first_read("TEXT$class", $class, '14.1', $pref->(1)));
    my $text = data_of($full_body) // '';
    like($full_body // '', qr{<Type>1</Type>}, "$class: Type 1 asked, plain text sent");
    like($text, qr/^Liebe Grüße aus Köln/, "$class: the text of the HTML");
    unlike($text, qr/[<>]/, "$class: ... without markup");
    like($text, qr/Kuchen mit\. .*& bringen/s, "$class: ... entities decoded");
    unlike($full_body, qr/<Truncated>/, "$class: ... whole");

    my $cut_body = body_of(first_read("CUT$class", $class, '16.1', $pref->(1, 20)));
    my $cut = data_of($cut_body) // '';
    is($cut, 'Liebe Grüße aus K', "$class: cut at 20 bytes before the two-byte ö");
    ok(bytes($cut) <= 20, "$class: ... at most 20 bytes (" . bytes($cut) . ')');
    like($cut_body // '', qr{<Truncated>1</Truncated>}, "$class: ... marked Truncated");
    my ($estimated) = ($cut_body // '') =~ m{<EstimatedDataSize>(\d+)</EstimatedDataSize>};
    is($estimated, bytes($text), "$class: EstimatedDataSize is the whole text's size");

    my $html_body = body_of(first_read("HTML$class", $class, '14.1', $pref->(2) . $pref->(1)));
    like($html_body // '', qr{<Type>2</Type>}, "$class: HTML asked, HTML sent");
    is(data_of($html_body), $html, "$class: ... exactly as written");
    unlike($html_body // '', qr/<Truncated>/, "$class: ... whole");

    my $rtf_body = body_of(first_read("RTF$class", $class, '14.1', $pref->(3)));
    like($rtf_body // '', qr{<Type>1</Type>}, "$class: only RTF asked: plain text (no RTF to send)");

    # ItemOperations Fetch with the same BodyPreference.
    my $r = $t->request(cmd => 'ItemOperations', device => "CUT$class", version => '14.1',
        xml => qq{<ItemOperations xmlns="ItemOperations:"><Fetch><Store>Mailbox</Store>}
             . qq{<CollectionId xmlns="AirSync:">$folder{$class}</CollectionId><ServerId xmlns="AirSync:">$sid{$class}</ServerId>}
             . '<Options>' . $pref->(1, 20) . '</Options></Fetch></ItemOperations>');
    $t->valid_ok('ItemOperations', $r);
    my $fetched = body_of(item_of($r->{xml}));
    is(data_of($fetched), 'Liebe Grüße aus K', "$class: ItemOperations Fetch cuts the same");
    like($fetched // '', qr{<EstimatedDataSize>\Q$estimated\E</EstimatedDataSize>.*<Truncated>1</Truncated>}s,
         "$class: ... with the same EstimatedDataSize and Truncated");
}

# 2.5: the class's own Body, plain text; Truncation 1 is 512 characters.
my %legacy_size = (Contacts => 1, Calendar => 0, Tasks => 1);  # Calendar has no BodySize
for my $class (sort keys %add) {
    my $item = first_read("OLD$class", $class, '2.5', '<Truncation>1</Truncation>');
    unlike($item, qr{<Body><Type>}, "$class, 2.5: no AirSyncBase Body");
    my ($text) = $item =~ m{<Body>([^<]*)</Body>};
    $text = unescape($text // '');
    like($text, qr/^Liebe Grüße aus Köln/, "$class, 2.5: the body as plain text");
    is(length($text), 512, "$class, 2.5: cut to 512 characters");
    like($item, qr{<BodyTruncated>1</BodyTruncated>}, "$class, 2.5: BodyTruncated 1");
    if ($legacy_size{$class}) {
        my ($size) = $item =~ m{<BodySize>(\d+)</BodySize>};
        ok($size && $size > 512, "$class, 2.5: BodySize is the whole text's length ($size)");
    } else {
        unlike($item, qr{<BodySize>}, "$class, 2.5: no BodySize (MS-ASCAL has none)");
    }
}

# A 2.5 client writes a contact with its Body; a 16.1 phone reads it as
# airsyncbase:Body, plain text.
my $old_key = EasTest::sync_key(sync('OLDWRITER', $folder{Contacts}, '0', version => '2.5'));
$old_key = EasTest::sync_key(sync('OLDWRITER', $folder{Contacts}, $old_key, version => '2.5'));
my $r = sync('OLDWRITER', $folder{Contacts}, $old_key, version => '2.5', commands =>
    '<Add><ClientId>old1</ClientId><ApplicationData><FirstName xmlns="Contacts:">Otto</FirstName>'
  . '<Body xmlns="Contacts:">Kennt den Weg zum Dom</Body></ApplicationData></Add>');
my $new_key = EasTest::sync_key(sync('NEWREADER', $folder{Contacts}, '0', version => '16.1'));
$r = sync('NEWREADER', $folder{Contacts}, $new_key, version => '16.1');
(my $xml = $r->{xml}) =~ s/ xmlns="[^"]*"//g;
my ($otto) = $xml =~ m{<ApplicationData>((?:(?!</ApplicationData>).)*<FirstName>Otto</FirstName>.*?)</ApplicationData>}s;
like($otto // '', qr{<Body><Type>1</Type>.*<Data>Kennt den Weg zum Dom</Data></Body>}s,
     'a 2.5 client\'s Body reaches a 16.1 phone as AirSyncBase Body');
unlike($otto // '', qr{<BodyTruncated>}, '... without the 2.5 elements');

$t->stop;
done_testing;
