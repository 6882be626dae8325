# Device access together with provisioning, for old (12.1) and new (16.1)
# clients: access is decided before the policy key (a quarantined device
# hears 129/403, not 142/449), eas_provisioning_exempt lets devices that
# never provision (Outlook desktop) in without a key; and `nginx -t` names
# bad access directives.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $conf = "eas on;\neas_provisioning required;\neas_policy_password on;\n"
         . "eas_device_rule quarantine user=bob;\n"
         . "eas_provisioning_exempt agent=~^Outlook/;\n";
my $t = EasTest->new(location => $conf);
$t->add_user($_, 'secret') for qw(alice bob);
$t->start;

my $fs_xml = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>';
sub fs {
    my (%o) = @_;
    my $r = $t->request(cmd => 'FolderSync', xml => $fs_xml, %o);
    $t->valid_ok('FolderSync', $r, "FolderSync answer is valid ($r->{status})") if length $r->{body};
    return $r;
}
sub status_of { EasTest::tag($_[0]{xml}, 'Status') // "HTTP $_[0]{status}" }
my $ask = '<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>';
sub ack { qq{<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><PolicyKey>$_[0]</PolicyKey><Status>1</Status></Policy></Policies></Provision>} }

# Provisioning is asked of allowed devices, old and new.
is(status_of(fs(version => '16.1', device => 'NEW1')), 142, 'allowed 16.1 device without a key: 142');
is(fs(version => '12.1', device => 'OLD1')->{status}, 449, 'allowed 12.1 device without a key: HTTP 449');
for my $v ('16.1', '12.1') {
    my $dev = $v eq '16.1' ? 'NEW1' : 'OLD1';
    my $r = $t->request(cmd => 'Provision', xml => $ask, version => $v, device => $dev);
    $t->valid_ok('Provision', $r);
    $r = $t->request(cmd => 'Provision', xml => ack(EasTest::tag($r->{xml}, 'PolicyKey')), version => $v, device => $dev);
    $t->valid_ok('Provision', $r);
    my $key = EasTest::tag($r->{xml}, 'PolicyKey');
    my $res = fs(version => $v, device => $dev, headers => { 'X-MS-PolicyKey' => $key });
    is($res->{status}, 200, "$v provisioned: HTTP 200");
    is(status_of($res), 1, "$v provisioned: FolderSync works") if $v eq '16.1';
}

# Access comes first: a quarantined device learns that, not "provision".
is(status_of(fs(user => 'bob', version => '16.1', device => 'BOB16')), 129, 'quarantined 16.1 device: 129, not 142');
is(fs(user => 'bob', version => '12.1', device => 'BOB12')->{status}, 403, 'quarantined 12.1 device: HTTP 403, not 449');
my $r = $t->request(cmd => 'Provision', xml => $ask, user => 'bob', version => '16.1', device => 'BOB16');
$t->valid_ok('Provision', $r);
my $temp = EasTest::tag($r->{xml}, 'PolicyKey');
ok($temp, 'a quarantined device may provision');
$r = $t->request(cmd => 'Provision', xml => ack($temp), user => 'bob', version => '16.1', device => 'BOB16');
my $bob_key = EasTest::tag($r->{xml}, 'PolicyKey');
is(status_of(fs(user => 'bob', version => '16.1', device => 'BOB16', headers => { 'X-MS-PolicyKey' => $bob_key })), 129,
   '... but with its key it still sees nothing');
$t->easctl('device', 'approve', 'bob', 'BOB16');
is(status_of(fs(user => 'bob', version => '16.1', device => 'BOB16', headers => { 'X-MS-PolicyKey' => $bob_key })), 1,
   'approved and provisioned: in');
is(status_of(fs(user => 'bob', version => '16.1', device => 'BOB16')), 142, 'approved, without its key: 142');

# A device exempt from provisioning (Outlook desktop never provisions).
is(status_of(fs(version => '14.1', device => 'OUTLOOK1', agent => 'Outlook/16.0 (16.0.17928; MSI; x64)')), 1,
   'eas_provisioning_exempt: Outlook needs no policy key');
is(status_of(fs(version => '14.1', device => 'OUTLOOK2', agent => 'Outlook-iOS/2.0')), 142, '... other agents do');
is(status_of(fs(user => 'bob', version => '14.1', device => 'BOBOUT', agent => 'Outlook/16.0')), 129,
   'the exemption lets no refused device in');

# Optional provisioning with the same rules.
$t->{location} = $conf;
$t->{location} =~ s/eas_provisioning required/eas_provisioning optional/;
$t->reload;
is(status_of(fs(version => '16.1', device => 'OPT16')), 1, 'optional: 16.1 without a key is served');
is(fs(version => '12.1', device => 'OPT12')->{status}, 200, 'optional: 12.1 without a key is served');
is(status_of(fs(user => 'bob', version => '16.1', device => 'BOBOPT')), 129, 'optional: bob still quarantined');
is(fs(user => 'bob', version => '12.1', device => 'BOBOPT12')->{status}, 403, '... 403 for 12.1');
$t->stop;

# nginx -t refuses bad access directives with a clear message.
my @cases = (
    ["eas on;\neas_device_rule deny user=bob;\n", qr/invalid value "deny" in "eas_device_rule" directive, it must be "allow", "block" or "quarantine"/],
    ["eas on;\neas_device_rule block model=x;\n", qr/"eas_device_rule" directive: unknown field "model" in "model=x": it must be user, type, agent or device/],
    ["eas on;\neas_device_rule block agent=~(Outlook;\n", qr/"eas_device_rule" directive: bad regular expression in "agent=~\(Outlook"/],
    ["eas on;\neas_device_rule block;\n", qr/invalid number of arguments in "eas_device_rule" directive/],
    ["eas on;\neas_device_default maybe;\n", qr/invalid value "maybe" in "eas_device_default" directive, it must be "allow", "block" or "quarantine"/],
    ["eas on;\neas_device_access deny;\n", qr/invalid value "deny" in "eas_device_access" directive, it must be "allow", "block", "quarantine" or hold a variable/],
    ["eas on;\neas_max_protocol_version 15.0;\n", qr/invalid value "15.0" in "eas_max_protocol_version" directive, it must be a protocol version/],
    ["eas on;\neas_max_devices many;\n", qr/"eas_max_devices" directive invalid number/],
    ["eas on;\neas_provisioning_exempt agent~Outlook;\n", qr/"eas_provisioning_exempt" directive: "agent~Outlook" is not FIELD=VALUE or FIELD=~REGEX/],
);
for my $c (@cases) {
    my $x = EasTest->new(location => $c->[0]);
    my ($rc, $out) = $x->check_conf;
    isnt($rc, 0, "nginx -t refuses: $c->[0]");
    like($out, $c->[1], '... saying why') or diag $out;
}
my $good = EasTest->new(location => "eas on;\neas_device_rule block type=~^Android agent=~Outlook;\n"
    . "eas_device_rule quarantine user=bob;\neas_device_default allow;\neas_device_access \$http_x_access;\n"
    . "eas_provisioning_exempt agent=~^Outlook/;\neas_max_devices 5;\neas_max_protocol_version 14.1;\n");
my ($rc, $out) = $good->check_conf;
is($rc, 0, 'a good configuration passes nginx -t') or diag $out;

done_testing;
