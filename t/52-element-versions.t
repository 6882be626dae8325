# Every element a version defines, and none it does not (issue 11, point
# 2): one contact, one event and one task carry every field some client
# wrote, and clients of 2.5, 12.1, 14.1 and 16.1 each read them with only
# the elements of their own version (the "Protocol Versions" tables of
# MS-ASCAL, MS-ASCNTC, MS-ASTASK and MS-ASAIRS 2.2.2). A client's Change
# keeps what its version could not see. Every answer is schema-valid.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use MIME::Base64 qw(encode_base64);
use Test::More;

my $t = EasTest->new;
$t->add_user($_, 'secret') for qw(alice bob);
$t->start;

my %folder;
for my $user (qw(alice bob)) {
    my $folders = EasTest::folder_adds($t->request(cmd => 'FolderSync', user => $user, device => 'FS',
        xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>')->{xml});
    $folder{$user}{$_} = $folders->{$_}{id} for qw(Contacts Calendar Tasks);
}

sub sync { return $t->sync_collection(@_) }
my %key;
# Syncs $class as $device speaking $version (with $commands; as $user,
# alice by default): the decoded answer without namespaces.
sub sync_as {
    my ($device, $version, $class, $commands, $user) = @_;
    $user //= 'alice';
    my $k = "$user/$device/$class";
    my $id = $folder{$user}{$class};
    $key{$k} //= EasTest::sync_key(sync($device, $id, '0', version => $version, user => $user));
    my $r = sync($device, $id, $key{$k}, version => $version, user => $user,
                 $commands ? (commands => $commands) : ());
    $key{$k} = EasTest::sync_key($r) // $key{$k};
    (my $xml = $r->{xml}) =~ s/ xmlns="[^"]*"//g;
    return $xml;
}
# The ApplicationData of the item whose text has $marker.
sub item_in {
    my ($xml, $marker) = @_;
    for my $app ($xml =~ m{<ApplicationData>(.*?)</ApplicationData>}gs) {
        return $app if index($app, $marker) >= 0;
    }
    return '';
}
sub server_id {
    my ($xml, $client_id) = @_;
    return $xml =~ m{<ClientId>\Q$client_id\E</ClientId><ServerId>([^<]+)</ServerId>} ? $1 : undef;
}

# A 14.1 client writes an event with every 14.x element (those a server
# alone sets too, as an invitation or meeting answer would have stored
# them), a contact with the 14.0 Alias and WeightedRank, and a task with
# every recurrence element.
my $cal = 'xmlns="Calendar:"';
my $zone = "<TimeZone $cal>" . encode_base64("\0" x 172, '') . '</TimeZone>';
my $event = $zone
  . "<AllDayEvent $cal>0</AllDayEvent><BusyStatus $cal>2</BusyStatus>"
  . "<Organizer_Name $cal>Carol</Organizer_Name><Organizer_Email $cal>carol\@example.org</Organizer_Email>"
  . "<DTStamp $cal>20261201T100000Z</DTStamp><StartTime $cal>20261214T080000Z</StartTime>"
  . "<EndTime $cal>20261214T083000Z</EndTime><Location $cal>Hall</Location><Reminder $cal>15</Reminder>"
  . "<Sensitivity $cal>0</Sensitivity><Subject $cal>Every field</Subject><UID $cal>uid-every-field</UID>"
  . "<MeetingStatus $cal>3</MeetingStatus>"
  . "<Attendees $cal><Attendee><Attendee_Email>bob\@example.org</Attendee_Email><Attendee_Name>Bob</Attendee_Name>"
  . '<Attendee_Status>3</Attendee_Status><Attendee_Type>1</Attendee_Type></Attendee></Attendees>'
  . "<Categories $cal><Category>Work</Category></Categories>"
  . "<Recurrence $cal><Recurrence_Type>0</Recurrence_Type><Recurrence_Interval>1</Recurrence_Interval>"
  . '<CalendarType>1</CalendarType><IsLeapMonth>0</IsLeapMonth><FirstDayOfWeek>1</FirstDayOfWeek></Recurrence>'
  . "<Exceptions $cal><Exception><Exception_StartTime>20261215T080000Z</Exception_StartTime>"
  . '<Subject>Every field, moved</Subject><Reminder></Reminder>'
  . '<Attendees><Attendee><Attendee_Email>dave@example.org</Attendee_Email><Attendee_Name>Dave</Attendee_Name>'
  . '<Attendee_Type>2</Attendee_Type></Attendee></Attendees>'
  . '<AppointmentReplyTime>20261202T090000Z</AppointmentReplyTime><ResponseType>3</ResponseType>'
  . '<OnlineMeetingExternalLink>https://meet.example.org/moved</OnlineMeetingExternalLink></Exception></Exceptions>'
  . "<ResponseRequested $cal>1</ResponseRequested><DisallowNewTimeProposal $cal>1</DisallowNewTimeProposal>"
  . "<AppointmentReplyTime $cal>20261202T090000Z</AppointmentReplyTime><ResponseType $cal>3</ResponseType>"
  . "<OnlineMeetingConfLink $cal>sip:conf\@example.org</OnlineMeetingConfLink>"
  . "<OnlineMeetingExternalLink $cal>https://meet.example.org/x</OnlineMeetingExternalLink>";
my $contact = '<FirstName xmlns="Contacts:">Erika</FirstName><LastName xmlns="Contacts:">Every</LastName>'
  . '<Email1Address xmlns="Contacts:">erika@example.org</Email1Address>'
  . '<Alias xmlns="Contacts:">erika</Alias><WeightedRank xmlns="Contacts:">7</WeightedRank>'
  . '<NickName xmlns="Contacts2:">Rika</NickName><IMAddress xmlns="Contacts2:">erika@im.example.org</IMAddress>';
my $tsk = 'xmlns="Tasks:"';
my $task = "<Subject $tsk>Every task field</Subject><Importance $tsk>1</Importance>"
  . "<UTCStartDate $tsk>2026-12-14T08:00:00.000Z</UTCStartDate><StartDate $tsk>2026-12-14T08:00:00.000Z</StartDate>"
  . "<UTCDueDate $tsk>2026-12-20T08:00:00.000Z</UTCDueDate><DueDate $tsk>2026-12-20T08:00:00.000Z</DueDate>"
  . "<Complete $tsk>0</Complete><Sensitivity $tsk>0</Sensitivity><ReminderSet $tsk>0</ReminderSet>"
  . "<Recurrence $tsk><Recurrence_Type>1</Recurrence_Type><Recurrence_Start>2026-12-14T08:00:00.000Z</Recurrence_Start>"
  . '<Recurrence_Interval>1</Recurrence_Interval><Recurrence_DayOfWeek>2</Recurrence_DayOfWeek>'
  . '<CalendarType>1</CalendarType><IsLeapMonth>0</IsLeapMonth><FirstDayOfWeek>1</FirstDayOfWeek></Recurrence>'
  . "<OrdinalDate $tsk>2026-12-14T08:00:00.000Z</OrdinalDate><SubOrdinalDate $tsk>5</SubOrdinalDate>";
my %sid;
for (['Calendar', $event], ['Contacts', $contact], ['Tasks', $task]) {
    my ($class, $data) = @$_;
    sync_as('W14', '14.1', $class);
    my $xml = sync_as('W14', '14.1', $class, "<Add><ClientId>c1</ClientId><ApplicationData>$data</ApplicationData></Add>");
    $sid{$class} = server_id($xml, 'c1');
    ok($sid{$class}, "14.1 adds the $class item");
}

# A 16.1 client sets the 16.x elements on the event (only those: 16.x
# keeps what a Change does not carry): a place with an address, and
# ClientUid (which no answer carries).
my $xml = sync_as('W16', '16.1', 'Calendar');
ok(item_in($xml, 'Every field'), '16.1 reads the event');
$xml = sync_as('W16', '16.1', 'Calendar', "<Change><ServerId>$sid{Calendar}</ServerId><ApplicationData>"
  . "<ClientUid $cal>client-uid-1</ClientUid>"
  . '<Location xmlns="AirSyncBase:"><DisplayName>Hall</DisplayName><City>Koeln</City></Location>'
  . '</ApplicationData></Change>');
unlike($xml, qr{<Status>[^1]}, '16.1 sets ClientUid and the place');
# Bob's 16.1 client adds an event where he works elsewhere (BusyStatus
# 4, 16.0's value; the schema copy, older, stops at 3: no 16.1 client
# reads it back here).
sync_as('BOB16', '16.1', 'Calendar', undef, 'bob');
$xml = sync_as('BOB16', '16.1', 'Calendar', '<Add><ClientId>e1</ClientId><ApplicationData>'
  . "<StartTime $cal>20261216T120000Z</StartTime><EndTime $cal>20261216T130000Z</EndTime>"
  . "<Subject $cal>Working elsewhere</Subject><BusyStatus $cal>4</BusyStatus>"
  . '</ApplicationData></Add>', 'bob');
ok(server_id($xml, 'e1'), '16.1 adds an event with BusyStatus 4');

# What each version may and may not be sent (element => first version, or
# [first, last]); the 14.1 writer's own items are read by a second 14.1
# device.
my %since = (
    Attendee_Status => '12.0', Attendee_Type => '12.0', DisallowNewTimeProposal => '14.0',
    ResponseRequested => '14.0', AppointmentReplyTime => '14.0', ResponseType => '14.0',
    CalendarType => '14.0', IsLeapMonth => '14.0', FirstDayOfWeek => '14.1',
    OnlineMeetingConfLink => '14.1', OnlineMeetingExternalLink => '14.1',
    Alias => '14.0', WeightedRank => '14.0', OrdinalDate => '12.0', SubOrdinalDate => '12.0',
);
my %has = (
    Calendar => [qw(Attendee_Status Attendee_Type DisallowNewTimeProposal ResponseRequested
                    AppointmentReplyTime ResponseType CalendarType IsLeapMonth FirstDayOfWeek
                    OnlineMeetingConfLink OnlineMeetingExternalLink)],
    Contacts => [qw(Alias WeightedRank)],
    Tasks    => [qw(OrdinalDate SubOrdinalDate CalendarType IsLeapMonth FirstDayOfWeek)],
);
my %marker = (Calendar => 'Every field', Contacts => 'Erika', Tasks => 'Every task field');
for my $version (qw(2.5 12.1 14.1 16.1)) {
    (my $device = "R$version") =~ s/\.//;
    for my $class (qw(Calendar Contacts Tasks)) {
        my $all = sync_as($device, $version, $class);
        my $item = item_in($all, $marker{$class});
        ok($item, "$version reads the $class item");
        for my $name (@{ $has{$class} }) {
            if ($version >= $since{$name}) {
                like($item, qr{<$name>}, "$version, $class: $name ($since{$name} on)");
            } else {
                unlike($item, qr{<$name>}, "$version, $class: no $name (only from $since{$name})");
            }
        }
        next unless $class eq 'Calendar';
        # MS-ASCAL 2.2.2.13: a request's element only (the server matches a
        # repeated Add by it); no version is sent it.
        unlike($item, qr{<ClientUid>}, "$version: no ClientUid");
        my ($exception) = $item =~ m{<Exception>(.*?)</Exception>}s;
        ok($exception, "$version, Calendar: the exception");
        $exception //= '';
        if ($version >= 14.0) {
            like($exception, qr{<Attendee_Email>dave\@example.org</Attendee_Email>}, "$version: the exception's attendees");
        } else {
            unlike($exception, qr{<Attendees>}, "$version: no Attendees in an Exception (only from 14.0)");
        }
        if ($version >= 14.1) {
            like($exception, qr{<Reminder/>|<Reminder></Reminder>}, "$version: the exception's empty Reminder");
        } else {
            unlike($exception, qr{<Reminder}, "$version: no empty Reminder (only from 14.1)");
        }
        if ($version >= 16.0) {
            like($item, qr{<Location><DisplayName>Hall</DisplayName><City>Koeln</City></Location>}, "$version: the 16.x place");
        } else {
            like($item, qr{<Location>Hall</Location>}, "$version: the place as calendar:Location");
            unlike($item, qr{<City>|<InstanceId>}, "$version: nothing of AirSyncBase's 16.x elements");
            my $elsewhere = item_in(sync_as($device, $version, 'Calendar', undef, 'bob'), 'Working elsewhere');
            ok($elsewhere, "$version reads the 16.1 event");
            unlike($elsewhere, qr{<BusyStatus>}, "$version: no BusyStatus 4 (16.0's value)");
        }
    }
}

# A 12.1 client moves the event and a 2.5 client renames the task and the
# contact, each sending what it was sent; 16.1 and 14.1 still see every
# element those versions could not.
my $event12 = $zone
  . "<AllDayEvent $cal>0</AllDayEvent><BusyStatus $cal>2</BusyStatus>"
  . "<StartTime $cal>20261214T083000Z</StartTime><EndTime $cal>20261214T090000Z</EndTime>"
  . "<Location $cal>Hall</Location><Reminder $cal>15</Reminder><Subject $cal>Every field, later</Subject>"
  . "<UID $cal>uid-every-field</UID><MeetingStatus $cal>3</MeetingStatus>"
  . "<Attendees $cal><Attendee><Attendee_Email>bob\@example.org</Attendee_Email><Attendee_Name>Bob</Attendee_Name>"
  . '<Attendee_Status>3</Attendee_Status><Attendee_Type>1</Attendee_Type></Attendee></Attendees>'
  . "<Recurrence $cal><Recurrence_Type>0</Recurrence_Type><Recurrence_Interval>1</Recurrence_Interval></Recurrence>"
  . "<Exceptions $cal><Exception><Exception_StartTime>20261215T080000Z</Exception_StartTime>"
  . '<Subject>Every field, moved</Subject></Exception></Exceptions>';
$xml = sync_as('R121', '12.1', 'Calendar', "<Change><ServerId>$sid{Calendar}</ServerId><ApplicationData>$event12</ApplicationData></Change>");
unlike($xml, qr{<Status>[^1]}, '12.1 changes the event');
sync_as('R25', '2.5', 'Tasks', "<Change><ServerId>$sid{Tasks}</ServerId><ApplicationData>"
  . "<Subject $tsk>Every task field, renamed</Subject><Importance $tsk>1</Importance>"
  . "<UTCStartDate $tsk>2026-12-14T08:00:00.000Z</UTCStartDate><StartDate $tsk>2026-12-14T08:00:00.000Z</StartDate>"
  . "<UTCDueDate $tsk>2026-12-20T08:00:00.000Z</UTCDueDate><DueDate $tsk>2026-12-20T08:00:00.000Z</DueDate>"
  . "<Complete $tsk>0</Complete><Sensitivity $tsk>0</Sensitivity><ReminderSet $tsk>0</ReminderSet>"
  . "<Recurrence $tsk><Recurrence_Type>1</Recurrence_Type><Recurrence_Start>2026-12-14T08:00:00.000Z</Recurrence_Start>"
  . '<Recurrence_Interval>1</Recurrence_Interval><Recurrence_DayOfWeek>2</Recurrence_DayOfWeek></Recurrence>'
  . '</ApplicationData></Change>');
sync_as('R121', '12.1', 'Contacts', "<Change><ServerId>$sid{Contacts}</ServerId><ApplicationData>"
  . '<FirstName xmlns="Contacts:">Erika</FirstName><LastName xmlns="Contacts:">Everyone</LastName>'
  . '<Email1Address xmlns="Contacts:">erika@example.org</Email1Address>'
  . '<NickName xmlns="Contacts2:">Rika</NickName><IMAddress xmlns="Contacts2:">erika@im.example.org</IMAddress>'
  . '</ApplicationData></Change>');

my $e16 = item_in(sync_as('R161', '16.1', 'Calendar'), 'Every field, later');
ok($e16, "16.1 reads 12.1's change");
for my $name (@{ $has{Calendar} }) {
    like($e16, qr{<$name>}, "16.1 after 12.1's change: $name kept");
}
like($e16, qr{<Exception>(?:(?!</Exception>).)*<Attendee_Email>dave\@example.org</Attendee_Email>}s,
     "16.1 after 12.1's change: the exception's attendees kept");
like($e16, qr{<Exception>(?:(?!</Exception>).)*<Reminder(?:/>|></Reminder>)}s,
     "16.1 after 12.1's change: the exception's empty Reminder kept");
like($e16, qr{<StartTime>20261214T083000Z</StartTime>}, '... and the new time');
my $t14 = item_in(sync_as('R141', '14.1', 'Tasks'), 'Every task field, renamed');
ok($t14, "14.1 reads 2.5's change of the task");
like($t14, qr{<$_>}, "14.1 after 2.5's change: $_ kept") for @{ $has{Tasks} };
my $c14 = item_in(sync_as('R141', '14.1', 'Contacts'), 'Everyone');
ok($c14, "14.1 reads 12.1's change of the contact");
like($c14, qr{<$_>}, "14.1 after 12.1's change: $_ kept") for @{ $has{Contacts} };

# An all-day event from 14.1 in Berlin time: 16.x reads its dates with no
# TimeZone (MS-ASCAL 2.2.2.1), and a 16.x change of its dates reaches 14.1
# as Berlin midnights again.
my $berlin = encode_base64(pack('l< a64 v8 l< a64 v8 l<', -60, '', 0, 10, 0, 5, 3, 0, 0, 0, 0,
                                '', 0, 3, 0, 5, 2, 0, 0, 0, -60), '');
$xml = sync_as('W14', '14.1', 'Calendar', '<Add><ClientId>h1</ClientId><ApplicationData>'
  . "<TimeZone $cal>$berlin</TimeZone><AllDayEvent $cal>1</AllDayEvent>"
  . "<StartTime $cal>20261213T230000Z</StartTime><EndTime $cal>20261214T230000Z</EndTime>"
  . "<Subject $cal>Holiday</Subject></ApplicationData></Add>");
my $holiday = server_id($xml, 'h1');
ok($holiday, '14.1 adds an all-day event in Berlin time');
my $h16 = item_in(sync_as('R161', '16.1', 'Calendar'), 'Holiday');
unlike($h16, qr{<TimeZone>}, '16.1: no TimeZone with an all-day event');
like($h16, qr{<StartTime>20261214T000000Z</StartTime><EndTime>20261215T000000Z</EndTime>}, '16.1: its date');
my $h14 = item_in(sync_as('R141', '14.1', 'Calendar'), 'Holiday');
like($h14, qr{<TimeZone>\Q$berlin\E</TimeZone>}, '14.1: the TimeZone');
like($h14, qr{<StartTime>20261213T230000Z</StartTime>}, '14.1: the Berlin midnight');
sync_as('R161', '16.1', 'Calendar', "<Change><ServerId>$holiday</ServerId><ApplicationData>"
  . "<StartTime $cal>20261215T000000Z</StartTime><EndTime $cal>20261216T000000Z</EndTime>"
  . '</ApplicationData></Change>');
$h14 = item_in(sync_as('R141', '14.1', 'Calendar'), 'Holiday');
like($h14, qr{<StartTime>20261214T230000Z</StartTime><EndTime>20261215T230000Z</EndTime>},
     "14.1: 16.1's new date as Berlin midnights");

# An all-day event from 16.1 has no TimeZone and UTC midnights; 14.1 gets
# UTC's zone with it (up to 14.1 the times are midnights of TimeZone), so
# it keeps its date there.
$xml = sync_as('W16', '16.1', 'Calendar', '<Add><ClientId>f1</ClientId><ApplicationData>'
  . "<AllDayEvent $cal>1</AllDayEvent>"
  . "<StartTime $cal>20261220T000000Z</StartTime><EndTime $cal>20261221T000000Z</EndTime>"
  . "<Subject $cal>Feast</Subject></ApplicationData></Add>");
ok(server_id($xml, 'f1'), '16.1 adds an all-day event, no TimeZone');
my $f14 = item_in(sync_as('R141', '14.1', 'Calendar'), 'Feast');
my ($f14_zone) = ($f14 // '') =~ m{<TimeZone>([^<]*)</TimeZone>};
ok(defined $f14_zone && MIME::Base64::decode_base64($f14_zone) eq "\0" x 172, "14.1: UTC's TimeZone with it");
like($f14, qr{<StartTime>20261220T000000Z</StartTime><EndTime>20261221T000000Z</EndTime>}, '14.1: its date');
unlike(item_in(sync_as('R161', '16.1', 'Calendar'), 'Feast'), qr{<TimeZone>}, '16.1: still no TimeZone');

$t->stop;
done_testing;
