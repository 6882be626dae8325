# ResolveRecipients (MS-ASCMD 2.2.1.15), as a phone uses it while a user
# writes a message or an invitation: names and addresses resolve against
# the users of this box (Type 1), the user's contacts and the addresses
# the user wrote to (Type 2); a name several people share is ambiguous
# (suggestions, MaxAmbiguousRecipients); an unknown one is not found;
# Availability gives a colleague's free/busy in 30-minute slots from the
# colleague's calendars (a series with a moved and a deleted instance,
# tentative, out of office, free); no certificates are kept; contact
# pictures come with Picture. Bad requests get Status 5.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use MIME::Base64 qw(encode_base64);
use Test::More;

my $t = EasTest->new;
for my $u (['alice', 'alice@example.org', 'Alice Archer'], ['bob', 'bob@example.org', 'Bob Baker'],
           ['bobby', 'bobby@example.org', 'Bobby Brown']) {
    my ($rc, $out) = $t->easctl('user', 'add', $u->[0], '--password', 'secret', '--email', $u->[1],
                                '--display-name', $u->[2]);
    die "easctl user add: $out" if $rc;
}
$t->start;
my $dir = $t->dir;

sub folder_id {
    my ($user, $name) = @_;
    my ($rc, $out) = $t->easctl('folder', 'list', '--user', $user, '--json');
    die "folder list: $out" if $rc;
    return ($out =~ /\{"id": "(\d+)", "type": "\d+", "kind": "\w+", "name": "\Q$name\E"/)[0];
}
sub import_ok {
    my ($user, $folder, $name, $text) = @_;
    EasTest::write_file("$dir/$name", EasTest::crlf($text));
    my ($rc, $out) = $t->easctl('import', '--user', $user, '--folder', folder_id($user, $folder), "$dir/$name");
    is($rc, 0, "easctl import $name into $user\'s $folder") or diag $out;
}

# Alice's address book: Dave (with a picture), Fay (with a picture), and a
# card for Bob, who is a user here: he is found once, as a user.
my $photo = encode_base64('not really a jpeg, but bytes all the same' x 3, '');
import_ok('alice', 'Contacts', 'contacts.vcf', <<"VCF");
BEGIN:VCARD
VERSION:3.0
N:Dent;Dave;;;
FN:Dave Dent
EMAIL;TYPE=INTERNET:dave\@elsewhere.example
PHOTO;ENCODING=b;TYPE=JPEG:$photo
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Fox;Fay;;;
FN:Fay Fox
EMAIL;TYPE=INTERNET:fay\@elsewhere.example
PHOTO;ENCODING=b;TYPE=JPEG:$photo
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Baker;Bob;;;
FN:Bob Baker
EMAIL;TYPE=INTERNET:bob\@example.org
END:VCARD
VCF

# Bob's calendar, on 2027-03-01 and 03-02 (UTC): a busy hour, a tentative
# half hour, a daily series whose 03-01 instance moved from 08:00 to 09:00
# and whose 03-02 instance was deleted, an hour out of office overlapping
# a busy hour, a free hour; and an all-day tentative series on Wednesdays
# (2027-03-03 is one). Alice's own event must not show in Bob's.
import_ok('bob', 'Calendar', 'bob.ics', <<'ICS');
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:busy-1
DTSTAMP:20270101T000000Z
DTSTART:20270301T100000Z
DTEND:20270301T110000Z
SUMMARY:Busy hour
END:VEVENT
BEGIN:VEVENT
UID:tentative-1
DTSTAMP:20270101T000000Z
DTSTART:20270301T140000Z
DTEND:20270301T143000Z
SUMMARY:Maybe
X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE
END:VEVENT
BEGIN:VEVENT
UID:daily-1
DTSTAMP:20270101T000000Z
DTSTART:20270225T080000Z
DTEND:20270225T083000Z
RRULE:FREQ=DAILY;COUNT=10
EXDATE:20270302T080000Z
SUMMARY:Stand-up
END:VEVENT
BEGIN:VEVENT
UID:daily-1
DTSTAMP:20270101T000000Z
RECURRENCE-ID:20270301T080000Z
DTSTART:20270301T090000Z
DTEND:20270301T093000Z
SUMMARY:Stand-up, later
END:VEVENT
BEGIN:VEVENT
UID:oof-1
DTSTAMP:20270101T000000Z
DTSTART:20270302T120000Z
DTEND:20270302T130000Z
SUMMARY:Dentist
X-MICROSOFT-CDO-BUSYSTATUS:OOF
END:VEVENT
BEGIN:VEVENT
UID:busy-2
DTSTAMP:20270101T000000Z
DTSTART:20270302T123000Z
DTEND:20270302T133000Z
SUMMARY:Overlapping
END:VEVENT
BEGIN:VEVENT
UID:weekly-allday
DTSTAMP:20270101T000000Z
DTSTART;VALUE=DATE:20270224
DTEND;VALUE=DATE:20270225
RRULE:FREQ=WEEKLY
X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE
SUMMARY:Wednesdays at home
END:VEVENT
BEGIN:VEVENT
UID:free-1
DTSTAMP:20270101T000000Z
DTSTART:20270302T150000Z
DTEND:20270302T160000Z
TRANSP:TRANSPARENT
SUMMARY:Reading
END:VEVENT
END:VCALENDAR
ICS
import_ok('alice', 'Calendar', 'alice.ics', <<'ICS');
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:alice-1
DTSTAMP:20270101T000000Z
DTSTART:20270301T200000Z
DTEND:20270301T210000Z
SUMMARY:Alice's evening
END:VEVENT
END:VCALENDAR
ICS

# Alice writes to Erin once: Erin is a collected address.
{
    my $mime = EasTest::crlf("From: alice\@example.org\nTo: Erin Eld <erin\@elsewhere.example>\nSubject: hi\n\nhello\n");
    my $r = $t->request(cmd => 'SendMail',
        xml => qq{<SendMail xmlns="ComposeMail:"><ClientId>rr-1</ClientId><MIME>${\ encode_base64($mime, '')}</MIME></SendMail>});
    is($r->{status}, 200, 'alice writes to erin');
}

sub resolve {
    my ($options, @to) = @_;
    my $xml = '<ResolveRecipients xmlns="ResolveRecipients:">' . join('', map { "<To>$_</To>" } @to)
            . ($options ? "<Options>$options</Options>" : '') . '</ResolveRecipients>';
    my $r = $t->request(cmd => 'ResolveRecipients', xml => $xml);
    is($r->{status}, 200, 'ResolveRecipients answers 200');
    $t->valid_ok('ResolveRecipients', $r);
    return $r;
}
# The Response elements of an answer: [{to, status, count, recipients => [{type, name, address, xml}]}].
sub responses {
    my ($xml) = @_;
    my @out;
    while ($xml =~ m{<Response>(.*?)</Response>}gs) {
        my $resp = $1;
        my %r = (to => EasTest::tag($resp, 'To'), status => EasTest::tag($resp, 'Status'),
                 count => EasTest::tag($resp, 'RecipientCount'), recipients => []);
        while ($resp =~ m{<Recipient>(.*?)</Recipient>}gs) {
            my $rec = $1;
            push @{ $r{recipients} }, { type => EasTest::tag($rec, 'Type'), name => EasTest::tag($rec, 'DisplayName'),
                                        address => EasTest::tag($rec, 'EmailAddress'), xml => $rec };
        }
        push @out, \%r;
    }
    return \@out;
}

my $r = $t->request(method => 'OPTIONS', query => '');
like($r->{headers}{'ms-asprotocolcommands'}, qr/\bResolveRecipients\b/, 'OPTIONS announces ResolveRecipients');

# --- resolving ---

$r = resolve('', 'bob@example.org', 'Bo', 'dave', 'erin@elsewhere.example', 'nobody@nowhere.example', 'DAVE@ELSEWHERE.EXAMPLE');
like($r->{xml}, qr{<ResolveRecipients[^>]*><Status>1</Status>}, 'the command succeeds');
my $resp = responses($r->{xml});
is(scalar @$resp, 6, 'one Response per To, in order');
is_deeply([$resp->[0]{status}, $resp->[0]{count}], [1, 1], 'bob@example.org: resolved, one recipient');
is_deeply([@{ $resp->[0]{recipients}[0] }{qw(type name address)}], [1, 'Bob Baker', 'bob@example.org'],
          '... the user Bob Baker from the GAL (Type 1), not also alice\'s card for him');
is($resp->[1]{status}, 2, '"Bo": ambiguous (Status 2)');
is($resp->[1]{count}, 2, '... two people');
is_deeply([sort map { $_->{address} } @{ $resp->[1]{recipients} }], ['bob@example.org', 'bobby@example.org'],
          '... both suggested');
is_deeply([@{ $resp->[2]{recipients}[0] }{qw(type name address)}], [2, 'Dave Dent', 'dave@elsewhere.example'],
          '"dave": alice\'s contact Dave Dent (Type 2)');
is_deeply([$resp->[3]{status}, @{ $resp->[3]{recipients}[0] }{qw(type name)}], [1, 2, 'Erin Eld'],
          'erin@elsewhere.example: from the addresses alice wrote to, with the name she used');
is_deeply([$resp->[4]{status}, $resp->[4]{count}, scalar @{ $resp->[4]{recipients} }], [4, 0, 0],
          'an unknown address: Status 4, no recipient');
is($resp->[5]{recipients}[0]{address} // '', 'dave@elsewhere.example', 'addresses match in any letter case');
unlike($r->{xml}, qr{<Availability>|<Certificates>|<Picture>}, 'nothing asked beyond the names');

$r = resolve('<MaxAmbiguousRecipients>1</MaxAmbiguousRecipients>', 'Bo');
$resp = responses($r->{xml});
is_deeply([$resp->[0]{status}, $resp->[0]{count}, scalar @{ $resp->[0]{recipients} }], [3, 2, 1],
          'MaxAmbiguousRecipients 1: Status 3 (partial), RecipientCount 2, one suggestion');

# --- free/busy ---

my $window = '<Availability><StartTime>2027-03-01T00:00:00.000Z</StartTime><EndTime>2027-03-03T00:00:00.000Z</EndTime></Availability>';
my @expected = ('0') x 96;
@expected[20, 21] = ('2', '2');        # busy 10:00-11:00
$expected[28] = '1';                    # tentative 14:00-14:30
$expected[18] = '2';                    # the series' 03-01 instance, moved to 09:00
$expected[48 + 16] = '0';               # its 03-02 instance, deleted
@expected[48 + 24, 48 + 25] = ('3', '3');  # out of office 12:00-13:00 wins over the busy 12:30
$expected[48 + 26] = '2';               # the busy hour's rest, 13:00-13:30
$r = resolve($window, 'bob@example.org', 'dave@elsewhere.example', 'Bo');
$resp = responses($r->{xml});
my ($fb) = $resp->[0]{recipients}[0]{xml} =~ m{<Availability><Status>1</Status><MergedFreeBusy>([0-9]*)</MergedFreeBusy></Availability>};
is($fb // '', join('', @expected), "Bob's free/busy: 96 half hours from his calendar");
like($resp->[1]{recipients}[0]{xml}, qr{<MergedFreeBusy>4{96}</MergedFreeBusy>}, 'a contact who is no user here: no data (4)');
unlike(join('', map { $_->{xml} } @{ $resp->[2]{recipients} }), qr{<Availability>}, 'an ambiguous name: no free/busy');

$r = resolve('<Availability><StartTime>2027-03-01T00:00:00.000Z</StartTime></Availability>', 'bob@example.org');
($fb) = $r->{xml} =~ m{<MergedFreeBusy>([0-9]*)</MergedFreeBusy>};
is(length($fb // ''), 7 * 48, 'no EndTime: seven days');
is(substr($fb // '', 0, 96), join('', @expected), '... the first two as before');
# Wednesday: tentative all day (the weekly all-day series) but for the
# daily stand-up at 08:00, which goes on until Saturday 03-06.
my $wednesday = '1' x 48;
substr($wednesday, 16, 1) = '2';
my $quiet = '0' x 48;
substr($quiet, 16, 1) = '2';
is(substr($fb // '', 96, 48), $wednesday, '... Wednesday: tentative all day (a weekly all-day series), busy at the stand-up');
is(substr($fb // '', 144), $quiet x 3 . '0' x 48, '... then only the stand-up until its last day');
for my $bad (['<Availability><EndTime>2027-03-03T00:00:00.000Z</EndTime></Availability>', 'no StartTime'],
             ['<Availability><StartTime>yesterday</StartTime></Availability>', 'a StartTime that is no time'],
             ['<Availability><StartTime>2027-03-01T00:00:00.000Z</StartTime><EndTime>2027-03-01T00:10:00.000Z</EndTime></Availability>', 'a window under 30 minutes'],
             ['<Availability><StartTime>2027-03-01T00:00:00.000Z</StartTime><EndTime>2027-06-01T00:00:00.000Z</EndTime></Availability>', 'a window over 42 days'],
             ['<CertificateRetrieval>9</CertificateRetrieval>', 'CertificateRetrieval 9']) {
    $r = resolve($bad->[0], 'bob@example.org');
    like($r->{xml}, qr{<ResolveRecipients[^>]*><Status>5</Status></ResolveRecipients>$}, "$bad->[1]: Status 5");
}
like($t->error_log, qr/ResolveRecipients: Availability window must be 30 minutes to 42 days \(Status 5\)/, '... logged with the reason');

# --- certificates and pictures ---

$r = resolve('<CertificateRetrieval>2</CertificateRetrieval>', 'bob@example.org');
like($r->{xml}, qr{<Certificates><Status>7</Status><CertificateCount>0</CertificateCount></Certificates>},
     'certificates asked for: none kept (Status 7)');
$r = resolve('<Picture/>', 'dave', 'bob@example.org');
$resp = responses($r->{xml});
like($resp->[0]{recipients}[0]{xml}, qr{<Picture><Status>1</Status><Data>\Q$photo\E</Data></Picture>}, 'Picture: Dave\'s photo');
like($resp->[1]{recipients}[0]{xml}, qr{<Picture><Status>173</Status></Picture>}, '... Bob has none (173)');
$r = resolve('<Picture><MaxSize>10</MaxSize></Picture>', 'dave');
like($r->{xml}, qr{<Picture><Status>174</Status></Picture>}, 'MaxSize 10: too large (174)');
$r = resolve('<Picture><MaxPictures>1</MaxPictures></Picture>', 'dave', 'fay');
$resp = responses($r->{xml});
like($resp->[0]{recipients}[0]{xml}, qr{<Picture><Status>1</Status>}, 'MaxPictures 1: the first picture');
like($resp->[1]{recipients}[0]{xml}, qr{<Picture><Status>175</Status></Picture>}, '... not the second (175)');

# --- bad requests ---

$r = resolve('');
like($r->{xml}, qr{<Status>5</Status></ResolveRecipients>$}, 'no To: Status 5');
$r = $t->request(cmd => 'ResolveRecipients', xml => '<Ping xmlns="Ping:"/>');
like($r->{xml}, qr{<Status>5</Status>}, 'another command\'s body: Status 5');

$t->stop;
unlike($t->error_log, qr/exited on signal/, 'no worker crashed');
done_testing;
