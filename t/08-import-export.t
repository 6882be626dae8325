# easctl import and export: vCard and iCalendar files into a store and out
# again, the meaningful fields intact; broken entries reported by line and
# skipped; a big file in several transactions; a second round trip gives
# the same export; access rules (owner, read-only share, folder kind).
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'anna@example.org');
$t->add_user('bob', 'hunter2', 'bob@example.org');
my $data = "$EasTest::TOP/t/data";
my $dir = $t->dir;

sub folders {
    my ($user) = @_;
    my ($rc, $out) = $t->easctl('folder', 'list', '--user', $user, '--json');
    die "folder list: $out" if $rc;
    my %f;
    while ($out =~ /\{"id": "(\d+)", "type": "(\d+)", "kind": "(\w+)", "name": "([^"]*)"/g) {
        $f{$4} = { id => $1, type => $2, kind => $3 };
    }
    return \%f;
}

# Unfolded content lines of a vCard or iCalendar text.
sub lines {
    my ($text) = @_;
    $text =~ s/\r\n/\n/g;
    $text =~ s/\n[ \t]//g;
    return split /\n/, $text;
}

sub read_text { my $s = EasTest::read_file($_[0]); utf8::decode($s); return $s }

my $alice = folders('alice');
my $contacts = $alice->{Contacts}{id};
my $calendar = $alice->{Calendar}{id};
ok($alice->{'Collected Addresses'}, 'every user has a Collected Addresses folder');

# --- vCard ------------------------------------------------------------------
my ($rc, $out) = $t->easctl('import', '--user', 'alice', '--folder', $contacts,
                            "$data/contacts.vcf");
is($rc, 1, 'import with a broken card exits 1');
like($out, qr/imported 2 contacts into folder $contacts \(Contacts\) of alice; skipped 1/,
     'two contacts imported, one skipped');
like($out, qr{contacts\.vcf: line 21: skipped: line 24: a content line without ':'},
     'the broken card is reported with its lines');

($rc, $out) = $t->easctl('export', '--user', 'alice', '--folder', $contacts,
                         '-o', "$dir/out.vcf");
is($rc, 0, 'export of the address book');
like($out, qr/exported 2 contacts/, '... counts two contacts');
my $vcf = read_text("$dir/out.vcf");
my @v = lines($vcf);
is(scalar(grep { $_ eq 'BEGIN:VCARD' } @v), 2, 'two vCards out');
is(scalar(grep { $_ eq 'VERSION:3.0' } @v), 2, 'vCard 3.0 by default');
for my $want ('FN:Anna Smith', 'N:Smith;Anna;Maria;Dr.;', 'ORG:Example\, Inc.;Research',
              'TITLE:Chief Scientist', 'EMAIL;TYPE=INTERNET,PREF:anna@example.org',
              'EMAIL;TYPE=INTERNET:anna@work.example', 'TEL;TYPE=CELL:+49 170 1234567',
              'TEL;TYPE=HOME,VOICE:+49 30 111', 'TEL;TYPE=WORK,FAX:+49 30 223',
              'ADR;TYPE=WORK:;;Main Street 1;Berlin;BE;10115;Germany',
              'URL:https://example.org/anna', 'BDAY:1980-05-17', 'CATEGORIES:Friends,Work',
              'NOTE:Met at the conference in Berlin\, where she gave the keynote on analytical engines.\nLikes tea\, not coffee.', 'X-MS-SPOUSE:Bob Smith',
              'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQEASABIAAA=',
              "FN:J\x{fc}rgen M\x{fc}ller", 'EMAIL;TYPE=INTERNET,PREF:juergen@example.de',
              'TEL;TYPE=CELL:+49 171 555',
              'ADR;TYPE=HOME:;;Elbchaussee 12;Hamburg;;22763;Germany',
              'BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29', 'X-ANNIVERSARY:2010-06-12',
              "NICKNAME:J\x{fc}", 'X-MS-SPOUSE:Gisela', 'IMPP:xmpp:juergen@example.de') {
    ok((grep { $_ eq $want } @v), "exported: $want");
}
my $raw = EasTest::read_file("$dir/out.vcf");
ok(!(grep { length($_) > 75 } split /\r\n/, $raw), 'folded: no line over 75 octets');
ok(!($raw =~ /[^\r]\n/), 'CRLF line ends');

($rc, $out) = $t->easctl('export', '--user', 'alice', '--folder', $contacts, '--vcard4');
like($out, qr/^VERSION:4\.0\r$/m, '--vcard4 writes vCard 4.0');
like($out, qr/^BDAY:--0229\r$/m, '... with a year-less birthday as --MMDD');

# A second round trip through another address book exports the same cards.
($rc, $out) = $t->easctl('folder', 'add', '--user', 'alice', '--type', 'contacts', 'Copy');
is($rc, 0, 'folder add contacts');
my $copy = folders('alice')->{Copy};
is($copy->{type}, '14', 'a user-created address book has type 14');
($rc, $out) = $t->easctl('import', '--user', 'alice', '--folder', $copy->{id}, "$dir/out.vcf");
is($rc, 0, 'the export imports without complaint');
($rc, $out) = $t->easctl('export', '--user', 'alice', '--folder', $copy->{id}, '-o', "$dir/again.vcf");
my $strip = sub { join "\n", grep { !/^UID:/ } lines(read_text($_[0])) };
is($strip->("$dir/again.vcf"), $strip->("$dir/out.vcf"), 'export → import → export is stable');

# --- iCalendar --------------------------------------------------------------
($rc, $out) = $t->easctl('import', '--user', 'alice', '--folder', $calendar, "$data/calendar.ics");
is($rc, 1, 'import with a broken event exits 1');
like($out, qr/imported 4 events into folder $calendar \(Calendar\) of alice; skipped 1/,
     'four events imported (the override joins its master), one skipped');
like($out, qr/calendar\.ics: line 94: skipped: no usable DTSTART/, 'the broken event by line');

($rc, $out) = $t->easctl('export', '--user', 'alice', '--folder', $calendar, '-o', "$dir/out.ics");
is($rc, 0, 'export of the calendar');
my @c = lines(read_text("$dir/out.ics"));
is(scalar(grep { $_ eq 'BEGIN:VCALENDAR' } @c), 1, 'one VCALENDAR');
is(scalar(grep { $_ eq 'BEGIN:VEVENT' } @c), 5, 'five VEVENTs (one is the moved instance)');
for my $want ('TZID:Europe/Berlin', 'TZID:America/New_York', 'X-WR-TIMEZONE:Europe/Berlin',
              'DTSTART;TZID=Europe/Berlin:20261124T101500',
              'DTEND;TZID=Europe/Berlin:20261124T113000',
              'SUMMARY:Budget review\, Q4', 'LOCATION:Room 1',
              'DESCRIPTION:Bring numbers.\nAnd coffee.',
              'ORGANIZER;CN=Anna Smith:mailto:anna@example.org',
              'ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob@example.org',
              'CLASS:CONFIDENTIAL', 'X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE', 'TRIGGER:-PT15M',
              'DTSTART;TZID=America/New_York:20261105T140000', 'TRANSP:TRANSPARENT',
              'RRULE:FREQ=WEEKLY;UNTIL=20260731T070000Z;BYDAY=MO,WE',
              'EXDATE;TZID=Europe/Berlin:20260603T090000',
              'RECURRENCE-ID;TZID=Europe/Berlin:20260608T090000',
              'DTSTART;TZID=Europe/Berlin:20260608T110000', 'SUMMARY:Standup (moved)',
              'DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261226',
              'RRULE:FREQ=YEARLY;BYMONTHDAY=24;BYMONTH=12') {
    ok((grep { $_ eq $want } @c), "exported: $want");
}
is(scalar(grep { $_ eq 'TZID:Europe/Berlin' } @c), 1, 'each VTIMEZONE once');

($rc, $out) = $t->easctl('folder', 'add', '--user', 'alice', '--type', 'calendar', 'Copy');
like($out, qr/already has a folder named Copy/, 'folder names are unique per user');
$t->easctl('folder', 'add', '--user', 'alice', '--type', 'calendar', 'Calendar copy');
my $cal_copy = folders('alice')->{'Calendar copy'};
is($cal_copy->{type}, '13', 'a user-created calendar has type 13');
my $cal_copy_id = $cal_copy->{id};
($rc, $out) = $t->easctl('import', '--user', 'alice', '--folder', $cal_copy_id, "$dir/out.ics");
is($rc, 0, 'the calendar export imports without complaint') or diag($out);
$t->easctl('export', '--user', 'alice', '--folder', $cal_copy_id, '-o', "$dir/again.ics");
is(read_text("$dir/again.ics"), read_text("$dir/out.ics"), 'export → import → export is identical');

# --- access and kinds -------------------------------------------------------
($rc, $out) = $t->easctl('import', '--user', 'alice', '--folder', $contacts, "$data/calendar.ics");
is($rc, 1, 'events do not go into an address book');
like($out, qr/holds events; folder Contacts does not take them/, '... and easctl says why');
($rc, $out) = $t->easctl('export', '--user', 'bob', '--folder', $contacts);
is($rc, 1, "bob cannot export alice's address book");
($rc, $out) = $t->easctl('share', $contacts, '--with', 'bob', '--read-only');
is($rc, 0, 'share read-only');
($rc, $out) = $t->easctl('export', '--user', 'bob', '--folder', $contacts);
like($out, qr/FN:Anna Smith/, 'a read-only sharee may export');
($rc, $out) = $t->easctl('import', '--user', 'bob', '--folder', $contacts, "$data/contacts.vcf");
like($out, qr/shared read-only/, '... but not import');
$t->easctl('share', $contacts, '--with', 'bob', '--read-write');
($rc, $out) = $t->easctl('import', '--user', 'bob', '--folder', $contacts, "$data/contacts.vcf");
like($out, qr/imported 2 contacts/, 'a read-write sharee may import');

# --- a big file: several write transactions --------------------------------
my $big = '';
$big .= "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person $_\r\nEMAIL:p$_\@example.org\r\nEND:VCARD\r\n"
    for 1 .. 1234;
EasTest::write_file("$dir/big.vcf", $big);
$t->easctl('folder', 'add', '--user', 'bob', '--type', 'contacts', 'Big');
my $bigf = folders('bob')->{Big}{id};
($rc, $out) = $t->easctl('import', '--user', 'bob', '--folder', $bigf, "$dir/big.vcf");
is($rc, 0, 'a big import');
like($out, qr/imported 1234 contacts/, '... brings every card');
($rc, $out) = $t->easctl('export', '--user', 'bob', '--folder', $bigf);
is(scalar(() = $out =~ /^BEGIN:VCARD\r$/mg), 1234, '... and exports every card');
like($out, qr/FN:Person 1\r\n.*FN:Person 1234\r\n/s, '... in the order they came');

done_testing;
