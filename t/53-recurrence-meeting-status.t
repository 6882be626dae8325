# The rest of issue 11, point 2, on one calendar read by clients of 2.5,
# 12.1, 14.1 and 16.1:
# - Recurrence Type is required up to 14.1 and optional from 16.0 (MS-ASCAL
#   2.2.2.45). A series a 16.1 client wrote without it reaches every
#   reader with the Type its pattern has (from DayOfWeek, DayOfMonth,
#   WeekOfMonth, MonthOfYear), so the answers stay valid and older
#   clients show the series.
# - One occurrence's MeetingStatus (inside an Exception) is 14.1's on
#   (MS-ASCAL 2.2.2.28; Microsoft's MS-ASCAL test suite expects it from
#   14.1, not at 12.1 or 14.0): 14.1 and 16.1 read what the other wrote,
#   12.1 and 2.5 get the series' status only, and a 12.1 Change keeps it.
# Every Sync answer is checked with eas-validate (EasTest::sync_collection).
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret');
$t->start;

my $calendar = EasTest::folder_adds($t->folder_sync('0', device => 'FS', version => '14.1')->{xml})->{Calendar}{id};

my $sync_as = $t->syncer($calendar, {});
sub server_id {
    my ($xml, $client_id) = @_;
    return $xml =~ m{<ClientId>\Q$client_id\E</ClientId><ServerId>([^<]+)</ServerId>} ? $1 : undef;
}
# The Exception of $event for the occurrence $start (ExceptionStartTime
# up to 14.1, InstanceId from 16.0).
sub exception_at {
    my ($event, $start) = @_;
    for my $x ($event =~ m{<Exception>(.*?)</Exception>}gs) {
        return $x if $x =~ m{<(?:Exception_StartTime|InstanceId)>\Q$start\E<};
    }
    return '';
}

my $cal = 'xmlns="Calendar:"';
my @readers = (['R25', '2.5'], ['R12', '12.1'], ['R14', '14.1'], ['R16', '16.1']);
$sync_as->($_->[0], $_->[1]) for @readers;

# --- Recurrence without Type from 16.1 --------------------------------
# Each pattern as a 16.1 client may send it, and the Type it is.
my @patterns = (
    ['Daily standup',     '<Recurrence_Interval>1</Recurrence_Interval>', 0],
    ['Mondays and Wednesdays',
     '<Recurrence_Interval>1</Recurrence_Interval><Recurrence_DayOfWeek>10</Recurrence_DayOfWeek>', 1],
    ['Rent on the 15th',
     '<Recurrence_Interval>1</Recurrence_Interval><Recurrence_DayOfMonth>15</Recurrence_DayOfMonth>', 2],
    ['Second Tuesday',
     '<Recurrence_Interval>1</Recurrence_Interval><Recurrence_WeekOfMonth>2</Recurrence_WeekOfMonth>'
       . '<Recurrence_DayOfWeek>4</Recurrence_DayOfWeek>', 3],
    ['Christmas Eve',
     '<Recurrence_Interval>1</Recurrence_Interval><Recurrence_DayOfMonth>24</Recurrence_DayOfMonth>'
       . '<Recurrence_MonthOfYear>12</Recurrence_MonthOfYear>', 5],
    ['Last Monday of May',
     '<Recurrence_Interval>1</Recurrence_Interval><Recurrence_WeekOfMonth>5</Recurrence_WeekOfMonth>'
       . '<Recurrence_DayOfWeek>2</Recurrence_DayOfWeek><Recurrence_MonthOfYear>5</Recurrence_MonthOfYear>', 6],
);
my $adds = '';
for my $i (0 .. $#patterns) {
    my ($subject, $rule) = @{ $patterns[$i] };
    $adds .= "<Add><ClientId>r$i</ClientId><ApplicationData>"
          . "<StartTime $cal>20261214T080000Z</StartTime><EndTime $cal>20261214T083000Z</EndTime>"
          . "<Subject $cal>$subject</Subject><Recurrence $cal>$rule</Recurrence></ApplicationData></Add>";
}
my $xml = $sync_as->('W16', '16.1', $adds);
ok(server_id($xml, "r$_"), "16.1 adds '$patterns[$_][0]' without a Recurrence Type") for 0 .. $#patterns;

for my $reader (@readers) {
    my ($device, $version) = @$reader;
    my $all = $sync_as->($device, $version);
    for my $p (@patterns) {
        my ($subject, $rule, $type) = @$p;
        my $event = EasTest::event_in($all, $subject);
        ok($event, "$version reads '$subject'");
        like($event, qr{<Recurrence><Recurrence_Type>$type</Recurrence_Type>}, "$version: '$subject' is Type $type");
        (my $plain = $rule) =~ s/ xmlns="[^"]*"//g;
        like($event, qr{\Q$plain\E}, "$version: '$subject' keeps its pattern");
    }
}

# iCalendar export (and the invitations an organizer's series sends) reads
# the stored Recurrence too: each series has its RRULE.
my %rrule = (
    'Daily standup' => 'FREQ=DAILY', 'Mondays and Wednesdays' => 'FREQ=WEEKLY;BYDAY=MO,WE',
    'Rent on the 15th' => 'FREQ=MONTHLY;BYMONTHDAY=15', 'Second Tuesday' => 'FREQ=MONTHLY;BYDAY=2TU',
    'Christmas Eve' => 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24',
    'Last Monday of May' => 'FREQ=YEARLY;BYDAY=-1MO;BYMONTH=5',
);
my ($rc, $out) = $t->easctl('export', '--user', 'alice', '--folder', $calendar, '-o', $t->dir . '/out.ics');
is($rc, 0, 'easctl export of the calendar') or diag $out;
my %exported;
for my $vevent (split /BEGIN:VEVENT/, -e $t->dir . '/out.ics' ? EasTest::read_file($t->dir . '/out.ics') : '') {
    my ($summary) = $vevent =~ /^SUMMARY:(.*?)\r?$/m;
    my ($rule) = $vevent =~ /^RRULE:(.*?)\r?$/m;
    $exported{$summary} = join ';', sort split /;/, $rule if defined $summary && defined $rule;
}
for my $subject (sort keys %rrule) {
    is($exported{$subject}, join(';', sort split /;/, $rrule{$subject}), "export: '$subject' has its RRULE");
}

# --- MeetingStatus of one occurrence ----------------------------------
my $series = "<Organizer_Email $cal>carol\@example.org</Organizer_Email>"
  . "<Attendees $cal><Attendee><Attendee_Email>bob\@example.org</Attendee_Email><Attendee_Name>Bob</Attendee_Name>"
  . '<Attendee_Type>1</Attendee_Type></Attendee></Attendees>'
  . "<Recurrence $cal><Recurrence_Type>0</Recurrence_Type><Recurrence_Interval>1</Recurrence_Interval></Recurrence>";

# Carol's daily meeting (MeetingStatus 3: received) as 14.1 writes it,
# with one occurrence cancelled (7 in its Exception).
$xml = $sync_as->('W14', '14.1', '<Add><ClientId>m14</ClientId><ApplicationData>' . $series
  . "<StartTime $cal>20261214T100000Z</StartTime><EndTime $cal>20261214T110000Z</EndTime>"
  . "<Subject $cal>Fourteen meeting</Subject><MeetingStatus $cal>3</MeetingStatus>"
  . "<Exceptions $cal><Exception><Exception_StartTime>20261215T100000Z</Exception_StartTime>"
  . '<Subject>Fourteen, cancelled</Subject><MeetingStatus>7</MeetingStatus></Exception></Exceptions>'
  . '</ApplicationData></Add>');
my $m14 = server_id($xml, 'm14');
ok($m14, '14.1 adds a meeting with a cancelled occurrence');

# Another as 16.1 writes it, then one occurrence cancelled by InstanceId.
$xml = $sync_as->('W16', '16.1', '<Add><ClientId>m16</ClientId><ApplicationData>' . $series
  . "<StartTime $cal>20261214T130000Z</StartTime><EndTime $cal>20261214T140000Z</EndTime>"
  . "<Subject $cal>Sixteen meeting</Subject><MeetingStatus $cal>3</MeetingStatus>"
  . '</ApplicationData></Add>');
my $m16 = server_id($xml, 'm16');
ok($m16, '16.1 adds a meeting');
$xml = $sync_as->('W16', '16.1', "<Change><ServerId>$m16</ServerId><InstanceId xmlns=\"AirSyncBase:\">20261215T130000Z</InstanceId>"
  . "<ApplicationData><Subject $cal>Sixteen, cancelled</Subject><MeetingStatus $cal>7</MeetingStatus></ApplicationData></Change>");
unlike($xml, qr{<Status>[^1]}, '16.1 cancels one occurrence by InstanceId');

my %occurrence = ('Fourteen meeting' => '20261215T100000Z', 'Sixteen meeting' => '20261215T130000Z');
for my $reader (@readers) {
    my ($device, $version) = @$reader;
    my $all = $sync_as->($device, $version);
    for my $subject (sort keys %occurrence) {
        my $event = EasTest::event_in($all, $subject);
        ok($event, "$version reads '$subject'");
        like(EasTest::event_top($event), qr{<MeetingStatus>3</MeetingStatus>}, "$version, '$subject': the series' MeetingStatus");
        my $x = exception_at($event, $occurrence{$subject});
        like($x, qr{<Subject>\w+, cancelled</Subject>}, "$version, '$subject': the changed occurrence");
        if ($version >= 14.1) {
            like($x, qr{<MeetingStatus>7</MeetingStatus>}, "$version, '$subject': the occurrence's MeetingStatus");
        } else {
            unlike($x, qr{<MeetingStatus>}, "$version, '$subject': no MeetingStatus in an Exception (only from 14.1)");
        }
    }
}

# 12.1 moves the 14.1 meeting, sending what it was sent (its exception
# without MeetingStatus); 14.1 and 16.1 still see the occurrence cancelled.
$xml = $sync_as->('R12', '12.1', "<Change><ServerId>$m14</ServerId><ApplicationData>" . $series
  . "<StartTime $cal>20261214T103000Z</StartTime><EndTime $cal>20261214T113000Z</EndTime>"
  . "<Subject $cal>Fourteen meeting</Subject><MeetingStatus $cal>3</MeetingStatus>"
  . "<Exceptions $cal><Exception><Exception_StartTime>20261215T100000Z</Exception_StartTime>"
  . '<Subject>Fourteen, cancelled</Subject></Exception></Exceptions>'
  . '</ApplicationData></Change>');
unlike($xml, qr{<Status>[^1]}, '12.1 changes the 14.1 meeting');
for my $reader (['R14', '14.1'], ['R16', '16.1']) {
    my ($device, $version) = @$reader;
    my $event = EasTest::event_in($sync_as->($device, $version), 'Fourteen meeting');
    like(EasTest::event_top($event), qr{<StartTime>20261214T103000Z</StartTime>}, "$version: 12.1's new time");
    like(exception_at($event, '20261215T100000Z'), qr{<MeetingStatus>7</MeetingStatus>},
         "$version: the occurrence's MeetingStatus kept through 12.1's change");
}

$t->stop;
done_testing;
