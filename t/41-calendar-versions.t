# One calendar, clients of 16.1, 14.1 and 12.1 (issue 11, point 2): what
# each writes reaches the others in the elements of their own version.
# 16.x names the place with airsyncbase:Location and an exception's
# occurrence with InstanceId; up to 14.1 they are calendar:Location and
# ExceptionStartTime (MS-ASCAL 2.2.2.27, 2.2.2.23; MS-ASAIRS 2.2.2.28,
# 2.2.2.25). Attendees, reminders and all-day events are the same elements
# everywhere and arrive as written. Every answer is schema-valid.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret');
$t->start;

my $calendar = EasTest::folder_adds($t->folder_sync('0', device => 'P16', version => '16.1')->{xml})->{Calendar}{id};

sub sync { return $t->sync_collection(@_) }
my %key;
my $read = $t->syncer($calendar, \%key);

my $attendees = '<Attendees xmlns="Calendar:"><Attendee><Attendee_Email>bob@example.org</Attendee_Email>'
              . '<Attendee_Name>Bob</Attendee_Name><Attendee_Type>1</Attendee_Type></Attendee></Attendees>';
my $common = '<TimeZone xmlns="Calendar:">AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==</TimeZone>'
           . '<Organizer_Email xmlns="Calendar:">carol@example.org</Organizer_Email>'
           . '<Reminder xmlns="Calendar:">10</Reminder><AllDayEvent xmlns="Calendar:">0</AllDayEvent>' . $attendees
           . '<Recurrence xmlns="Calendar:"><Recurrence_Type>0</Recurrence_Type><Recurrence_Interval>1</Recurrence_Interval></Recurrence>';

# 16.1 writes a daily series in Room 1, then moves one occurrence to
# Room 2 and deletes another, by InstanceId.
my $k = EasTest::sync_key(sync('P16', $calendar, '0', version => '16.1'));
my $r = sync('P16', $calendar, $k, version => '16.1', commands =>
    '<Add><ClientId>s</ClientId><ApplicationData>' . $common
  . '<StartTime xmlns="Calendar:">20261214T080000Z</StartTime><EndTime xmlns="Calendar:">20261214T083000Z</EndTime>'
  . '<Subject xmlns="Calendar:">Daily sixteen</Subject>'
  . '<Location xmlns="AirSyncBase:"><DisplayName>Room 1</DisplayName></Location></ApplicationData></Add>');
my ($sid) = $r->{xml} =~ m{<ClientId>s</ClientId><ServerId>([^<]+)</ServerId>};
ok($sid, '16.1 adds the series');
$k = EasTest::sync_key($r);
$r = sync('P16', $calendar, $k, version => '16.1', commands =>
    "<Change><ServerId>$sid</ServerId><InstanceId xmlns=\"AirSyncBase:\">20261215T080000Z</InstanceId><ApplicationData>"
  . '<Subject xmlns="Calendar:">Daily, moved</Subject><StartTime xmlns="Calendar:">20261215T090000Z</StartTime>'
  . '<EndTime xmlns="Calendar:">20261215T093000Z</EndTime><Location xmlns="AirSyncBase:"><DisplayName>Room 2</DisplayName></Location>'
  . '</ApplicationData></Change>'
  . "<Delete><ServerId>$sid</ServerId><InstanceId xmlns=\"AirSyncBase:\">20261216T080000Z</InstanceId></Delete>");
unlike($r->{xml}, qr/<Status>[^1]/, '... and changes and deletes one occurrence each');
$k = EasTest::sync_key($r) // $k;

for my $reader (['R14', '14.1'], ['R12', '12.1']) {
    my ($device, $version) = @$reader;
    my $event = EasTest::event_in($read->($device, $version), 'Daily sixteen');
    ok($event, "$version reads the 16.1 series");
    like(EasTest::event_top($event), qr{<Location>Room 1</Location>}, "$version: the place as calendar:Location");
    unlike($event, qr{<Location><DisplayName>|<InstanceId>}, "$version: no 16.x Location or InstanceId");
    like($event, qr{<Exception>(?:(?!</Exception>).)*<Subject>Daily, moved</Subject>(?:(?!</Exception>).)*<Location>Room 2</Location>(?:(?!</Exception>).)*<Exception_StartTime>20261215T080000Z</Exception_StartTime></Exception>}s,
         "$version: the moved occurrence named by ExceptionStartTime, in Room 2");
    like($event, qr{<Exception><Exception_Deleted>1</Exception_Deleted><Exception_StartTime>20261216T080000Z</Exception_StartTime></Exception>},
         "$version: the deleted occurrence");
    like($event, qr{<Attendee_Email>bob\@example.org</Attendee_Email>}, "$version: the attendee");
    like($event, qr{<Reminder>10</Reminder>.*<AllDayEvent>0</AllDayEvent>}s, "$version: reminder and all-day flag");
}

# 14.1 writes a series in the Hall with an exception by ExceptionStartTime;
# 16.1 reads it with airsyncbase:Location and InstanceId.
$r = sync('R14', $calendar, $key{R14}, version => '14.1', commands =>
    '<Add><ClientId>f</ClientId><ApplicationData>' . $common
  . '<StartTime xmlns="Calendar:">20261214T150000Z</StartTime><EndTime xmlns="Calendar:">20261214T160000Z</EndTime>'
  . '<Subject xmlns="Calendar:">Daily fourteen</Subject><Location xmlns="Calendar:">Hall</Location>'
  . '<Exceptions xmlns="Calendar:"><Exception><Exception_StartTime>20261215T150000Z</Exception_StartTime>'
  . '<Subject>Fourteen, in the garden</Subject><Location>Garden</Location></Exception>'
  . '<Exception><Exception_Deleted>1</Exception_Deleted><Exception_StartTime>20261216T150000Z</Exception_StartTime></Exception></Exceptions>'
  . '</ApplicationData></Add>');
my ($sid14) = $r->{xml} =~ m{<ClientId>f</ClientId><ServerId>([^<]+)</ServerId>};
ok($sid14, '14.1 adds a series');
$key{R14} = EasTest::sync_key($r);
my $event = EasTest::event_in($read->('P16', '16.1'), 'Daily fourteen');
ok($event, '16.1 reads the 14.1 series');
like(EasTest::event_top($event), qr{<Location><DisplayName>Hall</DisplayName></Location>}, '16.1: the place as airsyncbase:Location');
unlike($event, qr{<Location>Hall|<Location>Garden|<Exception_StartTime>}, '16.1: no calendar:Location or ExceptionStartTime');
like($event, qr{<Exception><Subject>Fourteen, in the garden</Subject><Location><DisplayName>Garden</DisplayName></Location><InstanceId>20261215T150000Z</InstanceId></Exception>},
     '16.1: the changed occurrence named by InstanceId, in the garden');
like($event, qr{<Exception><Exception_Deleted>1</Exception_Deleted><InstanceId>20261216T150000Z</InstanceId></Exception>},
     '16.1: the deleted occurrence');
like($event, qr{<Attendee_Email>bob\@example.org</Attendee_Email>}, '16.1: the attendee');

# 16.1 changes the place of the 14.1 series (only that: 16.x leaves the
# rest); 14.1 and 12.1 see the new place and nothing else lost.
$r = sync('P16', $calendar, $key{P16}, version => '16.1', commands =>
    "<Change><ServerId>$sid14</ServerId><ApplicationData>"
  . '<Location xmlns="AirSyncBase:"><DisplayName>Aula</DisplayName></Location></ApplicationData></Change>');
$key{P16} = EasTest::sync_key($r) // $key{P16};
for my $reader (['R14', '14.1'], ['R12', '12.1']) {
    my ($device, $version) = @$reader;
    my $e = EasTest::event_in($read->($device, $version), 'Daily fourteen');
    like(EasTest::event_top($e), qr{<Location>Aula</Location>}, "$version: the place 16.1 set");
    unlike($e, qr{<Location>Hall</Location>}, "$version: ... not the old one");
    like($e, qr{<Exception_StartTime>20261215T150000Z</Exception_StartTime>}, "$version: the exception kept");
    like($e, qr{<Attendee_Email>bob\@example.org</Attendee_Email>}, "$version: the attendee kept");
}

$t->stop;
done_testing;

