# easctl import of mail (a migration) and the FilterType window on mail:
# a Maildir (cur/ and new/, flag S read) and an mbox (From-line dates,
# Status: RO read, >From unquoted) go into the Inbox keeping received dates;
# importing again stores nothing twice; a device with FilterType 3 days
# gets only the recent ones and GetItemEstimate counts the same window;
# a device without a filter gets everything.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use File::Path qw(make_path);
use POSIX qw(strftime);
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

my $now = time;
my $md = $t->dir . '/Maildir';
make_path("$md/cur", "$md/new", "$md/tmp");
sub message {
    my ($subject, $id, $extra) = @_;
    return EasTest::crlf("From: Sender <s\@example.com>\nTo: alice\@example.org\nSubject: $subject\n"
        . "Message-ID: <$id\@example.com>\n" . ($extra // '') . "\nBody of $subject.\n");
}
my %age = ('Old news' => 40, 'Last week' => 6, 'Yesterday' => 1);
my $n = 0;
for my $subject (sort keys %age) {
    my $file = $subject eq 'Yesterday' ? "$md/new/" . (++$n) . '.host' : "$md/cur/" . (++$n) . '.host:2,S';
    EasTest::write_file($file, message($subject, "md$n"));
    my $t0 = $now - $age{$subject} * 86400;
    utime $t0, $t0, $file;
}
my $from_day = strftime('%a %b %e %H:%M:%S %Y', gmtime($now - 2 * 86400));
my $old_day = strftime('%a %b %e %H:%M:%S %Y', gmtime($now - 20 * 86400));
EasTest::write_file($t->dir . '/archive.mbox',
    "From s\@example.com $old_day\n" . message('Archived', 'mb1', "Status: RO\n") . "\n"
  . "From s\@example.com $from_day\n" . message('Quoted', 'mb2') . ">From the start, quoted.\n\n");

my ($rc, $out) = $t->easctl('import', '--user', 'alice', $md);
is($rc, 0, 'easctl import of a Maildir') or diag $out;
like($out, qr/imported 3 messages into folder \d+ \(Inbox\)/, '... three messages into the Inbox');
($rc, $out) = $t->easctl('import', '--user', 'alice', $t->dir . '/archive.mbox');
is($rc, 0, 'easctl import of an mbox') or diag $out;
like($out, qr/imported 2 messages/, '... two messages');
($rc, $out) = $t->easctl('import', '--user', 'alice', $md);
like($out, qr/imported 0 messages .*\(3 already there\)/, 'importing again stores nothing twice');
($rc, $out) = $t->easctl('import', '--user', 'alice', '--folder', '6', $t->dir . '/archive.mbox');
isnt($rc, 0, 'mail into a contacts folder is refused');
like($out, qr/does not take mail/, '... saying why');

my $inbox = EasTest::folder_adds($t->folder_sync('0', device => 'PHONE')->{xml})->{Inbox}{id};

sub subjects {
    my ($xml) = @_;
    return [ sort map { /<Subject[^>]*>([^<]*)</ ? $1 : () } $xml =~ m{<Add>(.*?)</Add>}gs ];
}

# Everything, for a device without a filter.
my $key = EasTest::tag($t->sync_collection('ALL', $inbox, '0')->{xml}, 'SyncKey');
my $r = $t->sync_collection('ALL', $inbox, $key, options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>');
is_deeply(subjects($r->{xml}), ['Archived', 'Last week', 'Old news', 'Quoted', 'Yesterday'], 'no filter: every message');
is_deeply([ map { /<Subject[^>]*>([^<]*)</ ? $1 : () } $r->{xml} =~ m{<Add>(.*?)</Add>}gs ],
          ['Yesterday', 'Quoted', 'Last week', 'Archived', 'Old news'], '... newest first');
my $x = $r->{xml}; $x =~ s/ xmlns="[^"]*"//g;
my %add = map { (/<Subject>([^<]*)</)[0] => $_ } $x =~ m{<Add>(.*?)</Add>}gs;
like($add{'Old news'}, qr{<Read>1</Read>}, 'a Maildir message flagged S is read');
like($add{'Yesterday'}, qr{<Read>0</Read>}, 'one in new/ is not');
like($add{'Archived'}, qr{<Read>1</Read>}, 'an mbox message with Status: RO is read');
my $received = strftime('%Y-%m-%dT', gmtime($now - 20 * 86400));
like($add{'Archived'}, qr{<DateReceived>$received}, '... received on its From line date');
my $old = strftime('%Y-%m-%dT', gmtime($now - 40 * 86400));
like($add{'Old news'}, qr{<DateReceived>$old}, 'a Maildir message keeps its file date');
like($add{'Quoted'}, qr{\nFrom the start, quoted\.}, 'mbox >From quoting undone');

# Three days back.
my $opts = '<FilterType>2</FilterType><BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>';
$key = EasTest::tag($t->sync_collection('RECENT', $inbox, '0', options => $opts)->{xml}, 'SyncKey');
$r = $t->request(cmd => 'GetItemEstimate', device => 'RECENT',
    xml => qq{<GetItemEstimate xmlns="GetItemEstimate:"><Collections><Collection><SyncKey xmlns="AirSync:">$key</SyncKey><CollectionId>$inbox</CollectionId><Options xmlns="AirSync:"><FilterType>2</FilterType></Options></Collection></Collections></GetItemEstimate>});
$t->valid_ok('GetItemEstimate', $r);
is(EasTest::tag($r->{xml}, 'Estimate'), 2, 'GetItemEstimate with FilterType 3 days: 2');
$r = $t->sync_collection('RECENT', $inbox, $key, options => $opts);
is_deeply(subjects($r->{xml}), ['Quoted', 'Yesterday'], 'FilterType 3 days: only the last three days');

# A message that arrives outside the device's window (an import of old
# mail) is passed over, and the device's position moves past it: its Ping
# is not woken again and again for a change it never gets.
$key = EasTest::tag($r->{xml}, 'SyncKey');
$r = $t->sync_collection('RECENT', $inbox, $key, options => $opts);  # nothing new; the same request follows
make_path($t->dir . '/Old/cur');
my $old_file = $t->dir . '/Old/cur/9.host:2,S';
EasTest::write_file($old_file, message('Very old', 'old9'));
utime $now - 90 * 86400, $now - 90 * 86400, $old_file;
($rc, $out) = $t->easctl('import', '--user', 'alice', $t->dir . '/Old');
is($rc, 0, 'an old message is imported') or diag $out;
$r = $t->sync_collection('RECENT', $inbox, $key, options => $opts);
is($r->{body}, '', 'the filtered device gets nothing for it');
$t->folder_sync('0', device => 'RECENT');  # a Ping needs the device's folder hierarchy
my $ping = $t->ping_start(device => 'RECENT', xml => '<Ping xmlns="Ping:"><HeartbeatInterval>60</HeartbeatInterval>'
    . "<Folders><Folder><Id>$inbox</Id><Class>Email</Class></Folder></Folders></Ping>");
my $pinged = $t->ping_finish($ping, 2);
is($pinged->{status}, 0, '... and its Ping is held, not told of a change it will never get') or diag $pinged->{xml};

# Options are sticky (MS-ASCMD 2.2.3.125.6): sent with SyncKey 0 only, the
# FilterType and the BodyPreference still hold for the Syncs after it.
$key = EasTest::tag($t->sync_collection('STICKY', $inbox, '0', options =>
    '<FilterType>2</FilterType><BodyPreference xmlns="AirSyncBase:"><Type>1</Type><TruncationSize>4</TruncationSize></BodyPreference>')->{xml}, 'SyncKey');
$r = $t->sync_collection('STICKY', $inbox, $key);
is_deeply(subjects($r->{xml}), ['Quoted', 'Yesterday'], 'a Sync without Options keeps the FilterType sent before');
$x = $r->{xml}; $x =~ s/ xmlns="[^"]*"//g;
like($x, qr{<Body><Type>1</Type><EstimatedDataSize>\d+</EstimatedDataSize><Truncated>1</Truncated><Data>Body</Data>},
     '... and the BodyPreference (4 bytes of plain text)');

# A second SyncKey 0 while the first initial sync is still paging: the new
# one starts over and ends, each message once, no loop.
sub page {
    my ($device, $key, $window) = @_;
    return $t->request(cmd => 'Sync', device => $device,
        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$key</SyncKey><CollectionId>$inbox</CollectionId><GetChanges/><WindowSize>$window</WindowSize></Collection></Collections></Sync>});
}
$key = EasTest::tag($t->sync_collection('RESTART', $inbox, '0')->{xml}, 'SyncKey');
$r = page('RESTART', $key, 2);
like($r->{xml}, qr{<MoreAvailable/>}, 'paging the initial sync two at a time');
$key = EasTest::tag($t->sync_collection('RESTART', $inbox, '0')->{xml}, 'SyncKey');
my @seen;
for (1 .. 10) {
    $r = page('RESTART', $key, 2);
    $t->valid_ok('Sync', $r);
    push @seen, map { /<Subject[^>]*>([^<]*)</ ? $1 : () } $r->{xml} =~ m{<Add>(.*?)</Add>}gs;
    $key = EasTest::tag($r->{xml}, 'SyncKey');
    last unless $r->{xml} =~ /<MoreAvailable/;
}
is_deeply([ sort @seen ], ['Archived', 'Last week', 'Old news', 'Quoted', 'Very old', 'Yesterday'],
          'SyncKey 0 again mid-way: the restarted sync sends each message once and ends');

$t->stop;
done_testing;
