# Provisioning (MS-ASPROV): the two-phase handshake, the policy key checked
# on every command (body Status 142/143/144 for 14.0+, HTTP 449 before),
# only version-valid policy elements, and a policy change forcing a refresh.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $policy = "eas on;\neas_provisioning required;\neas_policy_password on;\neas_policy_password_min_length 6;\n"
           . "eas_policy_max_inactivity 5m;\neas_policy_allow_camera off;\n";
my $t = EasTest->new(location => $policy);
$t->add_user('alice', 'secret');
$t->start;

my $fs = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>';
sub fs { my (%o) = @_; $t->request(cmd => 'FolderSync', xml => $fs, %o) }

my $r = $t->request(method => 'OPTIONS', query => '');
is($r->{status}, 200, 'OPTIONS needs no policy key');
like($r->{headers}{'ms-asprotocolcommands'}, qr/\bProvision\b/, 'OPTIONS announces Provision');

$r = fs();
is($r->{status}, 200, '14.1 without a policy key: HTTP 200 ...');
like($r->{xml}, qr{<FolderSync[^>]*><Status>142</Status></FolderSync>}, '... with Status 142 (not provisioned)');
$t->valid_ok('FolderSync', $r);

sub provision {
    my ($inner, %o) = @_;
    my $r = $t->request(cmd => 'Provision', %o, xml => qq{<Provision xmlns="Provision:">$inner</Provision>});
    $t->valid_ok('Provision', $r);
    return $r;
}
my $ask = '<Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies>';
$r = provision(qq{<DeviceInformation xmlns="Settings:"><Set><Model>iPhone15,2</Model></Set></DeviceInformation>$ask});
like($r->{xml}, qr{<DeviceInformation xmlns="Settings:"><Status>1</Status></DeviceInformation>}, 'phase 1: DeviceInformation stored');
my $temp = EasTest::tag($r->{xml}, 'PolicyKey');
ok($temp && $temp ne '0', 'phase 1: a temporary policy key, never 0');
like($r->{xml}, qr{<DevicePasswordEnabled>1</DevicePasswordEnabled>}, 'the policy asks for a password');
like($r->{xml}, qr{<MinDevicePasswordLength>6</MinDevicePasswordLength>}, '... of 6 characters');
like($r->{xml}, qr{<MaxInactivityTimeDeviceLock>300</MaxInactivityTimeDeviceLock>}, '... locking after 5 minutes');
like($r->{xml}, qr{<AllowCamera>0</AllowCamera>}, '14.1 gets the 12.1+ elements (camera off)');

$r = fs(headers => { 'X-MS-PolicyKey' => $temp });
like($r->{xml}, qr{<Status>142</Status>}, 'the temporary key does not open the door');

my $ack = sub { qq{<Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><PolicyKey>$_[0]</PolicyKey><Status>1</Status></Policy></Policies>} };
$r = provision($ack->('12345'));
like($r->{xml}, qr{<Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><Status>5</Status></Policy>}, 'acknowledging a wrong key: Policy Status 5');
$r = provision($ack->($temp));
my $final = EasTest::tag($r->{xml}, 'PolicyKey');
ok($final && $final ne '0' && $final ne $temp, 'phase 2: the final policy key');

$r = fs(headers => { 'X-MS-PolicyKey' => $final });
like($r->{xml}, qr{<Status>1</Status>}, 'with the final key FolderSync works');
$r = fs(headers => { 'X-MS-PolicyKey' => $final + 1 });
like($r->{xml}, qr{<Status>144</Status>}, 'another key: Status 144 (invalid policy key)');

# 12.1: HTTP 449, and no 12.1-only elements for a 12.0 client.
$r = fs(version => '12.1', device => 'OLDPHONE');
is($r->{status}, 449, '12.1 without a key: HTTP 449');
$r = provision($ask, version => '12.0', device => 'OLDPHONE');
unlike($r->{xml}, qr{AllowCamera|AllowStorageCard|RequireDeviceEncryption}, '12.0 gets only 12.0 policy elements');
like($r->{xml}, qr{<MinDevicePasswordLength>6</MinDevicePasswordLength>}, '... with the password rules');
my $old_temp = EasTest::tag($r->{xml}, 'PolicyKey');
$r = provision($ack->($old_temp), version => '12.0', device => 'OLDPHONE');
my $old_final = EasTest::tag($r->{xml}, 'PolicyKey');
is(fs(version => '12.0', device => 'OLDPHONE', headers => { 'X-MS-PolicyKey' => $old_final })->{status}, 200,
   '12.0 with its final key: 200');

# EAS 2.5 (Thunderbird's TbSync set to 2.5, old phones): PolicyType
# MS-WAP-Provisioning-XML, whose Data is a string holding a Windows Mobile
# provisioning document (MS-ASPROV 2.2.2.24.2), and the same key exchange.
# The schema eas-validate uses knows only the 12.0+ EASProvisionDoc inside
# Data, so the phase-1 answer is checked by parsing the document itself.
my $wap = '<Policies><Policy><PolicyType>MS-WAP-Provisioning-XML</PolicyType></Policy></Policies>';
my $wap_ack = sub { qq{<Policies><Policy><PolicyType>MS-WAP-Provisioning-XML</PolicyType><PolicyKey>$_[0]</PolicyKey><Status>1</Status></Policy></Policies>} };
is(fs(version => '2.5', device => 'TBSYNC25')->{status}, 449, '2.5 without a key: HTTP 449');
$r = $t->request(cmd => 'Provision', version => '2.5', device => 'TBSYNC25',
                 xml => qq{<Provision xmlns="Provision:">$wap</Provision>});
like($r->{xml}, qr{<PolicyType>MS-WAP-Provisioning-XML</PolicyType><Status>1</Status>},
     '2.5 phase 1: the WAP policy type is served (Policy Status 1)');
my $wap_temp = EasTest::tag($r->{xml}, 'PolicyKey');
ok($wap_temp && $wap_temp ne '0', '... with a temporary key');
my ($doc) = $r->{xml} =~ m{<Data>(.*?)</Data>}s;
$doc //= '';
for ($doc) { s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/'/g; s/&amp;/&/g; }
EasTest::write_file($t->dir . '/wap.xml', $doc);
my $lint = `xmllint --noout ${\ $t->dir}/wap.xml 2>&1`;
is($?, 0, 'Data holds a well-formed XML document') or diag "$lint\n$doc";
like($doc, qr{^<wap-provisioningdoc><characteristic type="SecurityPolicy"><parm name="4131" value="0"/>},
     '... a wap-provisioningdoc that requires a password (4131 = 0)');
like($doc, qr{<characteristic type="HKLM\\Comm\\Security\\Policy\\LASSD\\LAP\\lap_pw"><parm name="MinimumPasswordLength" value="6"/></characteristic>},
     '... of at least 6 characters');
like($doc, qr{<parm name="AEFrequencyType" value="1"/><parm name="AEFrequencyValue" value="5"/>},
     '... locking after 5 minutes of inactivity');
unlike($doc, qr/EASProvisionDoc|AllowCamera/, '... and nothing of the 12.0+ document');
$r = provision($wap_ack->('999'), version => '2.5', device => 'TBSYNC25');
like($r->{xml}, qr{<Status>5</Status>}, '2.5: acknowledging a wrong key: Policy Status 5');
$r = provision($wap_ack->($wap_temp), version => '2.5', device => 'TBSYNC25');
my $wap_final = EasTest::tag($r->{xml}, 'PolicyKey');
ok($wap_final && $wap_final ne $wap_temp, '2.5 phase 2: the final key');
unlike($r->{xml}, qr{<Data>}, '... and no document');
is(fs(version => '2.5', device => 'TBSYNC25', headers => { 'X-MS-PolicyKey' => $wap_final })->{status}, 200,
   '2.5 with its final key: FolderSync 200');
$r = provision('<Policies><Policy><PolicyType>MS-Unknown-Policy</PolicyType></Policy></Policies>', device => 'TBSYNC25');
like($r->{xml}, qr{<PolicyType>MS-Unknown-Policy</PolicyType><Status>3</Status>}, 'an unknown PolicyType: Policy Status 3');
like($t->error_log, qr/Provision: unknown PolicyType "MS-Unknown-Policy"/, '... logged');

# The administrator changes the policy: devices must provision again.
$t->{location} = $policy . "eas_policy_password_min_length 8;\n";
$t->{location} =~ s/eas_policy_password_min_length 6;\n//;
$t->reload;
$r = fs(headers => { 'X-MS-PolicyKey' => $final });
like($r->{xml}, qr{<Status>143</Status>}, 'after a policy change: Status 143 (policy refresh)');
is(fs(version => '12.0', device => 'OLDPHONE', headers => { 'X-MS-PolicyKey' => $old_final })->{status}, 449,
   '... and HTTP 449 for the 12.0 device');
$r = provision($ask);
like($r->{xml}, qr{<MinDevicePasswordLength>8</MinDevicePasswordLength>}, 'the new policy is handed out');
$r = provision($ack->(EasTest::tag($r->{xml}, 'PolicyKey')));
$r = fs(headers => { 'X-MS-PolicyKey' => EasTest::tag($r->{xml}, 'PolicyKey') });
like($r->{xml}, qr{<Status>1</Status>}, 'and the device is back in');
$t->stop;

# Optional: devices that never provision are served.
my $o = EasTest->new(location => "eas on;\neas_provisioning optional;\n");
$o->add_user('alice', 'secret');
$o->start;
$r = $o->request(cmd => 'FolderSync', xml => $fs);
like($r->{xml}, qr{<Status>1</Status>}, 'eas_provisioning optional: no key needed');
$o->stop;

done_testing;
