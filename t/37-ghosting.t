# Ghosted properties (MS-ASCMD 2.2.3.179 Supported, MS-ASCAL 3.1.5.3,
# MS-ASCNTC 3.1.5.4): one client must not erase what another wrote.
# A client that names properties in Supported in its first Sync of a folder
# owns only those: its Change keeps every other property as stored, and one
# it names but leaves out is deleted. A client without Supported owns every
# ghostable property (what its Change lacks is deleted), but never the body
# it did not send. A 16.x client's calendar Change leaves whatever it does
# not carry. Tasks have no ghostable property: only their body is kept.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret');
$t->start;

my $folders = EasTest::folder_adds($t->folder_sync('0', device => 'PHONEA', version => '16.1')->{xml});
my ($contacts, $calendar, $tasks) = map { $folders->{$_}{id} } qw(Contacts Calendar Tasks);

sub sync { return $t->sync_collection(@_) }

# The top-level properties of an ApplicationData (decoded XML, namespaces
# dropped) as name => its whole element text, so two items compare
# whatever order their properties come in.
sub props {
    my ($app) = @_;
    $app =~ s/ xmlns="[^"]*"//g;
    $app =~ s{^<ApplicationData>|</ApplicationData>$}{}g;
    my %p;
    my ($depth, $start, $name) = (0, 0, undef);
    while ($app =~ m{<(/?)([A-Za-z0-9_]+)(/?)>}g) {
        my ($close, $tag, $empty) = ($1, $2, $3);
        my $end = pos $app;
        if (!$close && $depth == 0) { ($start, $name) = ($end - length($&), $tag) }
        if ($empty) { $p{$name} = substr($app, $start, $end - $start) if $depth == 0; next }
        $depth += $close ? -1 : 1;
        $p{$name} = substr($app, $start, $end - $start) if $depth == 0;
    }
    return \%p;
}

# The ApplicationData of the Add or Change of $sid in an answer.
sub item_in {
    my ($xml, $sid) = @_;
    return $xml =~ m{<(?:Add|Change)><ServerId>\Q$sid\E</ServerId>(<ApplicationData>.*?</ApplicationData>)</(?:Add|Change)>}s
        ? $1 : undef;
}

# What A wrote, as the request's own XML decodes (the oracle for "as stored").
sub as_decoded {
    my ($app) = @_;
    my $x = $t->xml($t->wbxml(qq{<Sync xmlns="AirSync:">$app</Sync>}));
    $x =~ s{.*<Sync[^>]*>}{}s;
    $x =~ s{</Sync>.*}{}s;
    return props($x);
}

# ---- Contacts -------------------------------------------------------------

my $picture = '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==';
my %contact = (
    FileAs => '<FileAs xmlns="Contacts:">Lovelace, Ada</FileAs>',
    FirstName => '<FirstName xmlns="Contacts:">Ada</FirstName>',
    LastName => '<LastName xmlns="Contacts:">Lovelace</LastName>',
    MiddleName => '<MiddleName xmlns="Contacts:">King</MiddleName>',
    Title => '<Title xmlns="Contacts:">Countess</Title>',
    CompanyName => '<CompanyName xmlns="Contacts:">Analytical Engines</CompanyName>',
    JobTitle => '<JobTitle xmlns="Contacts:">Programmer</JobTitle>',
    Email1Address => '<Email1Address xmlns="Contacts:">ada@example.org</Email1Address>',
    Email2Address => '<Email2Address xmlns="Contacts:">ada@work.example</Email2Address>',
    MobilePhoneNumber => '<MobilePhoneNumber xmlns="Contacts:">+44 7700 900001</MobilePhoneNumber>',
    HomePhoneNumber => '<HomePhoneNumber xmlns="Contacts:">+44 20 7946 0001</HomePhoneNumber>',
    BusinessStreet => '<BusinessStreet xmlns="Contacts:">1 St James Sq</BusinessStreet>',
    BusinessCity => '<BusinessCity xmlns="Contacts:">London</BusinessCity>',
    HomeCity => '<HomeCity xmlns="Contacts:">Ockham</HomeCity>',
    WebPage => '<WebPage xmlns="Contacts:">https://ada.example</WebPage>',
    Birthday => '<Birthday xmlns="Contacts:">1815-12-10T00:00:00.000Z</Birthday>',
    Anniversary => '<Anniversary xmlns="Contacts:">1835-07-08T00:00:00.000Z</Anniversary>',
    Spouse => '<Spouse xmlns="Contacts:">William</Spouse>',
    Picture => "<Picture xmlns=\"Contacts:\">$picture</Picture>",
    Children => '<Children xmlns="Contacts:"><Child>Byron</Child><Child>Anne</Child><Child>Ralph</Child></Children>',
    Categories => '<Categories xmlns="Contacts:"><Category>Family</Category><Category>Science</Category></Categories>',
    NickName => '<NickName xmlns="Contacts2:">Enchantress</NickName>',
    IMAddress => '<IMAddress xmlns="Contacts2:">ada@jabber.example</IMAddress>',
    IMAddress2 => '<IMAddress2 xmlns="Contacts2:">ada@matrix.example</IMAddress2>',
    ManagerName => '<ManagerName xmlns="Contacts2:">Babbage</ManagerName>',
    CustomerId => '<CustomerId xmlns="Contacts2:">C-1815</CustomerId>',
    Body => '<Body xmlns="AirSyncBase:"><Type>1</Type><Data>Notes on the Analytical Engine</Data></Body>',
);
my $rich = '<ApplicationData>' . join('', map { $contact{$_} } sort keys %contact) . '</ApplicationData>';

# A (16.1) adds the contact with every field the contact class stores.
my $a_key = EasTest::sync_key(sync('PHONEA', $contacts, '0', version => '16.1'));
my $r = sync('PHONEA', $contacts, $a_key, version => '16.1',
             commands => "<Add><ClientId>ada</ClientId>$rich</Add>");
my ($sid) = $r->{xml} =~ m{<Add><ClientId>ada</ClientId><ServerId>([^<]+)</ServerId>};
ok($sid, 'A adds the contact');
$a_key = EasTest::sync_key($r);

# B (14.1) declares a small Supported set and syncs the contact in.
my $supported_b = '<FirstName xmlns="Contacts:"/><LastName xmlns="Contacts:"/>'
                . '<MobilePhoneNumber xmlns="Contacts:"/><Email1Address xmlns="Contacts:"/>';
my $b_key = EasTest::sync_key(sync('PHONEB', $contacts, '0', version => '14.1', supported => $supported_b));
$r = sync('PHONEB', $contacts, $b_key, version => '14.1');
ok(item_in($r->{xml}, $sid), 'B gets the contact');
$b_key = EasTest::sync_key($r);

# B changes the mobile number and clears the e-mail address (it owns both):
# its Change carries the properties it knows, without Email1Address.
$r = sync('PHONEB', $contacts, $b_key, version => '14.1', commands =>
    "<Change><ServerId>$sid</ServerId><ApplicationData>"
  . '<FirstName xmlns="Contacts:">Ada</FirstName><LastName xmlns="Contacts:">Lovelace</LastName>'
  . '<MobilePhoneNumber xmlns="Contacts:">+44 7700 900999</MobilePhoneNumber>'
  . '</ApplicationData></Change>');
unlike($r->{xml}, qr/<Status>[^1]/, 'B\'s Change is accepted');
$b_key = EasTest::sync_key($r);

$r = sync('PHONEA', $contacts, $a_key, version => '16.1');
my $app = item_in($r->{xml}, $sid);
ok($app, 'A gets B\'s change');
$a_key = EasTest::sync_key($r);
my $got = props($app // '');
my $want = as_decoded($rich);
$want->{MobilePhoneNumber} = '<MobilePhoneNumber>+44 7700 900999</MobilePhoneNumber>';
delete $want->{Email1Address};
is($got->{MobilePhoneNumber}, $want->{MobilePhoneNumber}, 'A sees the new mobile number');
ok(!exists $got->{Email1Address}, 'the e-mail address B named in Supported and left out is deleted');
for my $name (sort keys %$want) {
    next if $name eq 'MobilePhoneNumber';
    is($got->{$name}, $want->{$name}, "$name is exactly as A wrote it");
}
is_deeply([sort keys %$got], [sort keys %$want], 'no property more, none less');

# C (14.1) sends no Supported: every ghostable property is its own
# (MS-ASCMD 2.2.3.179), so what its Change lacks goes, except the body
# (MS-ASCNTC 3.1.5.4: no Body in the request, the notes stay).
my $c_key = EasTest::sync_key(sync('PHONEC', $contacts, '0', version => '14.1'));
$r = sync('PHONEC', $contacts, $c_key, version => '14.1');
$c_key = EasTest::sync_key($r);
$r = sync('PHONEC', $contacts, $c_key, version => '14.1', commands =>
    "<Change><ServerId>$sid</ServerId><ApplicationData>"
  . '<FirstName xmlns="Contacts:">Augusta Ada</FirstName><LastName xmlns="Contacts:">King</LastName>'
  . '<MobilePhoneNumber xmlns="Contacts:">+44 7700 900999</MobilePhoneNumber>'
  . '</ApplicationData></Change>');
$r = sync('PHONEA', $contacts, $a_key, version => '16.1');
$got = props(item_in($r->{xml}, $sid) // '');
$a_key = EasTest::sync_key($r);
is($got->{FirstName}, '<FirstName>Augusta Ada</FirstName>', 'A sees C\'s new name');
is_deeply([sort keys %$got], [qw(Body FirstName LastName MobilePhoneNumber)],
          'without Supported, C\'s Change leaves only what it sent and the body');
is($got->{Body}, $want->{Body}, '... the body exactly as A wrote it');

# A picture over 48 KB of base64 (MS-ASCNTC 2.2.2.58) is refused with
# Status 6, in an Add and in a Change, and the stored contact stays.
my $big = 'A' x (48 * 1024 + 4);
$r = sync('PHONEB', $contacts, $b_key, version => '14.1', commands =>
    '<Add><ClientId>big</ClientId><ApplicationData><FirstName xmlns="Contacts:">Big</FirstName>'
  . "<Picture xmlns=\"Contacts:\">$big</Picture></ApplicationData></Add>"
  . "<Change><ServerId>$sid</ServerId><ApplicationData><FirstName xmlns=\"Contacts:\">Ada</FirstName>"
  . "<Picture xmlns=\"Contacts:\">$big</Picture></ApplicationData></Change>");
like($r->{xml}, qr{<Add><ClientId>big</ClientId><Status>6</Status></Add>}, 'an Add with a picture over 48 KB: Status 6, no item');
like($r->{xml}, qr{<Change><ServerId>\Q$sid\E</ServerId><Status>6</Status></Change>}, 'a Change with one: Status 6');
like($t->error_log, qr/Change of \Q$sid\E refused \(Status 6\): its Picture is 49156 bytes/, '... and a log line says why');
$b_key = EasTest::sync_key($r) // $b_key;
$r = sync('PHONEA', $contacts, $a_key, version => '16.1');
unlike($r->{xml}, qr{<Picture>A{100}}, 'A is sent neither');
unlike($r->{xml}, qr{<FirstName>Big</FirstName>}, '... nor the refused contact');

# ---- Calendar -------------------------------------------------------------

# W (14.1) adds a weekly meeting it was invited to (not its own: no
# invitations go out) with attendees, an exception, categories and a body.
my %event = (
    TimeZone => '<TimeZone xmlns="Calendar:">AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==</TimeZone>',
    StartTime => '<StartTime xmlns="Calendar:">20261214T100000Z</StartTime>',
    EndTime => '<EndTime xmlns="Calendar:">20261214T110000Z</EndTime>',
    Subject => '<Subject xmlns="Calendar:">Engine review</Subject>',
    Location => '<Location xmlns="Calendar:">Library</Location>',
    UID => '<UID xmlns="Calendar:">engine-review-1@example.org</UID>',
    Organizer_Name => '<Organizer_Name xmlns="Calendar:">Charles Babbage</Organizer_Name>',
    Organizer_Email => '<Organizer_Email xmlns="Calendar:">charles@example.org</Organizer_Email>',
    BusyStatus => '<BusyStatus xmlns="Calendar:">2</BusyStatus>',
    Sensitivity => '<Sensitivity xmlns="Calendar:">0</Sensitivity>',
    Reminder => '<Reminder xmlns="Calendar:">15</Reminder>',
    MeetingStatus => '<MeetingStatus xmlns="Calendar:">3</MeetingStatus>',
    Attendees => '<Attendees xmlns="Calendar:"><Attendee><Attendee_Email>alice@example.org</Attendee_Email><Attendee_Name>Alice</Attendee_Name><Attendee_Type>1</Attendee_Type></Attendee>'
               . '<Attendee><Attendee_Email>mary@example.org</Attendee_Email><Attendee_Name>Mary</Attendee_Name><Attendee_Type>2</Attendee_Type></Attendee></Attendees>',
    Categories => '<Categories xmlns="Calendar:"><Category>Work</Category></Categories>',
    Recurrence => '<Recurrence xmlns="Calendar:"><Recurrence_Type>1</Recurrence_Type><Recurrence_Interval>1</Recurrence_Interval><Recurrence_DayOfWeek>2</Recurrence_DayOfWeek></Recurrence>',
    Exceptions => '<Exceptions xmlns="Calendar:"><Exception><Exception_Deleted>1</Exception_Deleted><Exception_StartTime>20261221T100000Z</Exception_StartTime></Exception></Exceptions>',
    Body => '<Body xmlns="AirSyncBase:"><Type>1</Type><Data>Bring the punched cards</Data></Body>',
);
my $meeting = '<ApplicationData>' . join('', map { $event{$_} } sort keys %event) . '</ApplicationData>';
my $w_key = EasTest::sync_key(sync('WRITER', $calendar, '0', version => '14.1'));
$r = sync('WRITER', $calendar, $w_key, version => '14.1',
          commands => "<Add><ClientId>ev</ClientId>$meeting</Add>");
my ($eid) = $r->{xml} =~ m{<Add><ClientId>ev</ClientId><ServerId>([^<]+)</ServerId>};
ok($eid, 'W adds the meeting');
$w_key = EasTest::sync_key($r);

# B (14.1) declares the properties its calendar shows and changes the subject.
my $supported_cal = join '', map { "<$_ xmlns=\"Calendar:\"/>" }
    qw(TimeZone StartTime EndTime Subject Location AllDayEvent BusyStatus Reminder);
my $bc_key = EasTest::sync_key(sync('PHONEB', $calendar, '0', version => '14.1', supported => $supported_cal));
$r = sync('PHONEB', $calendar, $bc_key, version => '14.1');
$bc_key = EasTest::sync_key($r);
my %b_sends = map { $_ => $event{$_} } qw(TimeZone StartTime EndTime Location BusyStatus Reminder);
$b_sends{Subject} = '<Subject xmlns="Calendar:">Engine review (moved to the study)</Subject>';
$r = sync('PHONEB', $calendar, $bc_key, version => '14.1', commands =>
    "<Change><ServerId>$eid</ServerId><ApplicationData>" . join('', map { $b_sends{$_} } sort keys %b_sends)
  . '</ApplicationData></Change>');

# A (16.1) changes only the place: from 16.0 whatever a Change does not
# carry stays (MS-ASCAL 3.1.5.3), so B's subject and W's attendees survive
# it. (How a 16.x Location reads in 14.1 is issue 11's point 2.)
my $ac_key = EasTest::sync_key(sync('PHONEA', $calendar, '0', version => '16.1'));
$r = sync('PHONEA', $calendar, $ac_key, version => '16.1');
$ac_key = EasTest::sync_key($r);
$r = sync('PHONEA', $calendar, $ac_key, version => '16.1', commands =>
    "<Change><ServerId>$eid</ServerId><ApplicationData>"
  . '<Location xmlns="AirSyncBase:"><DisplayName>Study</DisplayName></Location>'
  . '</ApplicationData></Change>');

$r = sync('WRITER', $calendar, $w_key, version => '14.1');
$got = props(item_in($r->{xml}, $eid) // '');
$w_key = EasTest::sync_key($r);
$want = as_decoded($meeting);
is($got->{Subject}, '<Subject>Engine review (moved to the study)</Subject>', 'W sees B\'s new subject');
for my $name (qw(Attendees Exceptions Recurrence Categories UID Organizer_Email Organizer_Name MeetingStatus Sensitivity Body)) {
    is($got->{$name}, $want->{$name}, "$name is kept exactly as W wrote it");
}

# C (14.1, no Supported) changes the subject: the ghostable properties it
# does not send go (attendees, exceptions, recurrence...), the body stays.
my $cc_key = EasTest::sync_key(sync('PHONEC', $calendar, '0', version => '14.1'));
$r = sync('PHONEC', $calendar, $cc_key, version => '14.1');
$cc_key = EasTest::sync_key($r);
$r = sync('PHONEC', $calendar, $cc_key, version => '14.1', commands =>
    "<Change><ServerId>$eid</ServerId><ApplicationData>"
  . join('', map { $event{$_} } qw(TimeZone StartTime EndTime))
  . '<Subject xmlns="Calendar:">Engine review, short</Subject></ApplicationData></Change>');
$r = sync('WRITER', $calendar, $w_key, version => '14.1');
$got = props(item_in($r->{xml}, $eid) // '');
is_deeply([sort keys %$got], [sort qw(Body EndTime StartTime Subject TimeZone)],
          'without Supported the event keeps only what C sent and the body');

# ---- Tasks ----------------------------------------------------------------

my $tw_key = EasTest::sync_key(sync('WRITER', $tasks, '0', version => '14.1'));
$r = sync('WRITER', $tasks, $tw_key, version => '14.1', commands =>
    '<Add><ClientId>t1</ClientId><ApplicationData><Subject xmlns="Tasks:">Translate the memoir</Subject>'
  . '<Importance xmlns="Tasks:">2</Importance><Complete xmlns="Tasks:">0</Complete>'
  . '<Body xmlns="AirSyncBase:"><Type>1</Type><Data>Add the notes A to G</Data></Body></ApplicationData></Add>');
my ($tid) = $r->{xml} =~ m{<Add><ClientId>t1</ClientId><ServerId>([^<]+)</ServerId>};
$tw_key = EasTest::sync_key($r);
my $tb_key = EasTest::sync_key(sync('PHONEB', $tasks, '0', version => '14.1'));
$tb_key = EasTest::sync_key(sync('PHONEB', $tasks, $tb_key, version => '14.1'));
sync('PHONEB', $tasks, $tb_key, version => '14.1', commands =>
    "<Change><ServerId>$tid</ServerId><ApplicationData><Subject xmlns=\"Tasks:\">Translate the memoir</Subject>"
  . '<Complete xmlns="Tasks:">1</Complete></ApplicationData></Change>');
$r = sync('WRITER', $tasks, $tw_key, version => '14.1');
$got = props(item_in($r->{xml}, $tid) // '');
is($got->{Complete}, '<Complete>1</Complete>', 'the task is done');
ok(!exists $got->{Importance}, 'tasks ghost nothing: the importance B left out is gone');
like($got->{Body} // '', qr{<Data>Add the notes A to G</Data>}, '... but the body B did not send stays');

$t->stop;
done_testing;
