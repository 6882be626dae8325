# The hanging Sync (HeartbeatInterval / Wait): held in the worker like a
# Ping, answered at once when another device changes the collection, with
# the empty "nothing new" at the heartbeat, and Status 14 out of range.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;
use Time::HiRes qw(time sleep);

my $t = EasTest->new(location => "eas on;\neas_ping_min 1s;\neas_ping_max 10m;\n");
$t->add_user('alice', 'secret');
$t->start;

my $r = $t->request(cmd => 'FolderSync', xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
my ($contacts) = $r->{xml} =~ m{<ServerId>(\d+)</ServerId><ParentId>0</ParentId><DisplayName>Contacts</DisplayName>};

sub sync_xml {
    my ($key, $extra, $top) = @_;
    $top //= "";
    return qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$key</SyncKey><CollectionId>$contacts</CollectionId>$extra</Collection></Collections>$top</Sync>};
}
my %b = (device => 'PHONEB');
my $bkey = EasTest::tag($t->request(cmd => 'Sync', %b, xml => sync_xml('0', ''))->{xml}, 'SyncKey');
my $akey = EasTest::tag($t->request(cmd => 'Sync', xml => sync_xml('0', ''))->{xml}, 'SyncKey');

# Nothing happens: the empty answer at the heartbeat, not before.
$r = $t->request(cmd => 'Sync', %b, xml => sync_xml($bkey, '<GetChanges/>', '<HeartbeatInterval>2</HeartbeatInterval>'));
is($r->{status}, 200, 'a hanging Sync with nothing new answers 200 ...');
is($r->{body}, '', '... with the empty Sync answer');
cmp_ok($r->{elapsed}, '>=', 1.8, '... after the heartbeat, not before');

# Device A adds a contact while B hangs: B gets it at once.
my $out = $t->dir . '/hanging.out';
my $pid = fork // die;
if ($pid == 0) {
    my $h = $t->request(cmd => 'Sync', %b, timeout => 60,
                        xml => sync_xml($bkey, '<GetChanges/>', '<HeartbeatInterval>30</HeartbeatInterval>'));
    EasTest::write_file($out, sprintf("%d %.3f\n%s", $h->{status}, $h->{elapsed}, $h->{xml}));
    $t->{running} = 0;   # the parent owns nginx
    exit 0;
}
sleep 1;
my $t0 = time;
$r = $t->request(cmd => 'Sync', xml => sync_xml($akey, '<Commands><Add><ClientId>x1</ClientId><ApplicationData><FileAs xmlns="Contacts:">Pushed, Paula</FileAs></ApplicationData></Add></Commands>', ''));
like($r->{xml}, qr{<Status>1</Status></Add>}, 'device A adds a contact');
waitpid($pid, 0);
my $woken = time - $t0;
my ($status, $elapsed, $xml) = EasTest::read_file($out) =~ /^(\d+) ([\d.]+)\n(.*)/s;
is($status, 200, 'the hanging Sync of device B answers');
like($xml // '', qr{<Add><ServerId>[^<]+</ServerId><ApplicationData><FileAs[^>]*>Pushed, Paula</FileAs>}, '... with the new contact');
cmp_ok($woken, '<', 5, "... within seconds of the change (took ${\ sprintf '%.2f', $woken} s), not at its 30 s heartbeat");

# Out of range: Status 14 with the limit.
$r = $t->request(cmd => 'Sync', %b, xml => sync_xml(EasTest::tag($xml, 'SyncKey'), '<GetChanges/>', '<HeartbeatInterval>5000</HeartbeatInterval>'));
$t->valid_ok('Sync', $r);
like($r->{xml}, qr{<Status>14</Status><Limit>600</Limit>}, 'a heartbeat over eas_ping_max: Status 14 with the limit');

# A reload while a Sync hangs answers it promptly.
$pid = fork // die;
if ($pid == 0) {
    my $h = $t->request(cmd => 'Sync', %b, timeout => 60,
                        xml => sync_xml(EasTest::tag($xml, 'SyncKey'), '<GetChanges/>', '<HeartbeatInterval>30</HeartbeatInterval>'));
    EasTest::write_file($out, sprintf("%d %.3f\n%s", $h->{status}, $h->{elapsed}, $h->{xml}));
    $t->{running} = 0;
    exit 0;
}
sleep 1;
$t0 = time;
$t->reload;
waitpid($pid, 0);
($status) = EasTest::read_file($out) =~ /^(\d+)/;
is($status, 200, 'a reload answers the hanging Sync');
cmp_ok(time - $t0, '<', 5, '... promptly');
is($t->request(cmd => 'FolderSync', xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>')->{status}, 200,
   'and the new workers serve');

$t->stop;
done_testing;
