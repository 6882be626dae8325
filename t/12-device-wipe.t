# Remote wipe (MS-ASPROV 3.1.5.1.2, 3.2.5.1.2): `easctl device wipe` makes
# the next command answer Status 140 (HTTP 449 before 14.0), Provision then
# carries <RemoteWipe/>, the device's acknowledgement marks it done and the
# device stays blocked until `easctl device remove`. Account-only wipe
# (16.1, token 0x3B that libwbxml lacks: its bytes are written by hand
# here). And eas_max_devices: the next new device gets Status 177.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $t = EasTest->new(location => "eas on;\neas_max_devices 3;\n");
$t->add_user($_, 'secret') for qw(alice bob);
$t->start;

my $fs_xml = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>';
sub fs {
    my (%o) = @_;
    my $r = $t->request(cmd => 'FolderSync', xml => $fs_xml, %o);
    $t->valid_ok('FolderSync', $r, "FolderSync answer is valid ($r->{status})") if length $r->{body};
    return $r;
}
sub provision {
    my ($xml, %o) = @_;
    my $r = $t->request(cmd => 'Provision', xml => $xml, %o);
    $t->valid_ok('Provision', $r, "Provision answer is valid ($r->{status})") if length $r->{body};
    return $r;
}
sub status_of { EasTest::tag($_[0]{xml}, 'Status') // "HTTP $_[0]{status}" }

# Full wipe, 14.1.
is(status_of(fs(device => 'WIPEME')), 1, 'WIPEME syncs');
my ($rc, $out) = $t->easctl('device', 'wipe', 'alice', 'WIPEME');
is($rc, 0, 'easctl device wipe') or diag $out;
is(status_of(fs(device => 'WIPEME')), 140, 'next command: Status 140 (RemoteWipeRequested)');
my $r = provision('<Provision xmlns="Provision:"/>', device => 'WIPEME');
like($r->{xml}, qr{<Provision xmlns="Provision:"><Status>1</Status><RemoteWipe/></Provision>$},
     'Provision carries <RemoteWipe/> and no policy');
$r = provision('<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>',
               device => 'WIPEME');
like($r->{xml}, qr{<RemoteWipe/>}, '... whatever the Provision request asks for');
$r = provision('<Provision xmlns="Provision:"><RemoteWipe><Status>2</Status></RemoteWipe></Provision>', device => 'WIPEME');
like($r->{xml}, qr{<Status>2</Status><RemoteWipe/>}, 'a reported failure: Status 2 and the directive again');
is(status_of(fs(device => 'WIPEME')), 140, '... still pending');
$r = provision('<Provision xmlns="Provision:"><RemoteWipe><Status>1</Status></RemoteWipe></Provision>', device => 'WIPEME');
like($r->{xml}, qr{<Provision xmlns="Provision:"><Status>1</Status></Provision>$}, 'acknowledged: Status 1');
like($t->error_log, qr/remote wipe of device "WIPEME" of user "alice": acknowledged by the device, done/, 'the wipe is logged');
is(status_of(fs(device => 'WIPEME')), 129, 'afterwards the device is blocked (129)');
is(status_of(provision('<Provision xmlns="Provision:"/>', device => 'WIPEME')), 129, '... Provision too');
is(fs(device => 'WIPEME', version => '12.1')->{status}, 403, '... and HTTP 403 for 12.1');
($rc, $out) = $t->easctl('device', 'show', 'alice', 'WIPEME');
like($out, qr/^state\s+wiped$/m, 'easctl device show: wiped');
($rc, $out) = $t->easctl('device', 'approve', 'alice', 'WIPEME');
is(status_of(fs(device => 'WIPEME')), 129, 'approving a wiped device does not let it back in');
($rc, $out) = $t->easctl('device', 'remove', 'alice', 'WIPEME');
is($rc, 0, 'easctl device remove') or diag $out;
is(status_of(fs(device => 'WIPEME')), 1, 'removed: it starts again as a new device');

# Full wipe, 12.1: HTTP 449 sends the device to Provision.
is(fs(device => 'OLDWIPE', version => '12.1')->{status}, 200, 'OLDWIPE (12.1) syncs');
$t->easctl('device', 'wipe', 'alice', 'OLDWIPE');
is(fs(device => 'OLDWIPE', version => '12.1')->{status}, 449, '12.1: HTTP 449');
$r = provision('<Provision xmlns="Provision:"/>', device => 'OLDWIPE', version => '12.1');
like($r->{xml}, qr{<RemoteWipe/>}, 'Provision carries <RemoteWipe/>');
provision('<Provision xmlns="Provision:"><RemoteWipe><Status>1</Status></RemoteWipe></Provision>', device => 'OLDWIPE', version => '12.1');
is(fs(device => 'OLDWIPE', version => '12.1')->{status}, 403, 'wiped 12.1 device: HTTP 403');
$t->easctl('device', 'remove', 'alice', 'OLDWIPE');

# Account-only wipe, 16.1. xml2wbxml cannot encode AccountOnlyRemoteWipe
# (libwbxml 0.11 lacks Provision token 0x3B), so the acknowledgement is
# written byte by byte, and answers holding the token are checked by bytes.
is(status_of(fs(device => 'ACCT1', version => '16.1')), 1, 'ACCT1 (16.1) syncs');
is(status_of(fs(device => 'ACCT14', version => '14.1')), 1, 'ACCT14 (14.1) syncs');
($rc, $out) = $t->easctl('device', 'wipe', 'alice', 'ACCT14', '--account-only');
isnt($rc, 0, 'an account-only wipe of a 14.1 device is refused ...');
like($out, qr/needs protocol 16\.1/, '... saying why');
($rc, $out) = $t->easctl('device', 'wipe', 'alice', 'ACCT1', '--account-only');
is($rc, 0, 'easctl device wipe --account-only') or diag $out;
($rc, $out) = $t->easctl('device', 'show', 'alice', 'ACCT1');
like($out, qr/^state\s+account-wipe-pending$/m, 'device show: account-wipe-pending');
is(status_of(fs(device => 'ACCT1', version => '16.1')), 140, 'next command: Status 140');
$r = $t->request(cmd => 'Provision', xml => '<Provision xmlns="Provision:"/>', device => 'ACCT1', version => '16.1');
is($r->{status}, 200, 'Provision answers 200');
my $header = "\x03\x01\x6a\x00";
is(unpack('H*', $r->{body}), unpack('H*', "$header\x00\x0e\x45\x4b\x031\x00\x01\x3b\x01"),
   'the answer is <Provision><Status>1</Status><AccountOnlyRemoteWipe/></Provision>: token 0x3B on page 14');
my $ack = "$header\x00\x0e\x45\x7b\x4b\x031\x00\x01\x01\x01";   # <Provision><AccountOnlyRemoteWipe><Status>1</Status></AccountOnlyRemoteWipe></Provision>
$r = $t->request(cmd => 'Provision', body => $ack, device => 'ACCT1', version => '16.1');
$t->valid_ok('Provision', $r);
like($r->{xml}, qr{<Provision xmlns="Provision:"><Status>1</Status></Provision>$}, 'acknowledged: Status 1');
like($t->error_log, qr/account-only remote wipe of device "ACCT1" of user "alice": acknowledged/, 'logged');
is(status_of(fs(device => 'ACCT1', version => '16.1')), 129, 'afterwards blocked');
$t->easctl('device', 'remove', 'alice', 'ACCT1');
$t->easctl('device', 'remove', 'alice', 'ACCT14');

# eas_max_devices 3: alice has TESTDEVICE1... let the count start clean.
($rc, $out) = $t->easctl('device', 'list', '--user', 'alice', '--json');
my @ids = $out =~ /"device_id": "([^"]+)"/g;
$t->easctl('device', 'remove', 'alice', $_) for @ids;
is(status_of(fs(device => "D$_")), 1, "device $_ of 3 is let in") for 1 .. 3;
$r = fs(device => 'D4');
is(status_of($r), 177, 'the fourth new device: Status 177 (MaximumDevicesReached)');
is(fs(device => 'D4', version => '12.1')->{status}, 403, '... HTTP 403 for 12.1');
like($t->error_log, qr/device "D4" of user "alice" refused: limit by eas_max_devices 3 \(Status 177\)/, '... logged');
($rc, $out) = $t->easctl('device', 'list', '--user', 'alice');
unlike($out, qr/\bD4\b/, 'D4 was not stored');
is(status_of(fs(device => 'D1')), 1, 'known devices keep working');
is(status_of(fs(user => 'bob', device => 'D4')), 1, 'the limit is per user');
$t->easctl('device', 'remove', 'alice', 'D1');
is(status_of(fs(device => 'D4')), 1, 'after easctl device remove, D4 gets the free place');
$t->stop;

done_testing;
