# Device access rules (eas_device_rule, eas_device_default, eas_device_access
# with a map), in order, first match wins; reload changing outcomes for known
# devices; an administrator's approve/block beating the rules; quarantine
# seen with `easctl device list --pending` and approved; devices keyed by
# (user, device id). Refusals: Status 129 in the body (14.0+), HTTP 403
# before; every WBXML answer validated against the MS-ASCMD schemas.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $rules = <<'RULES';
eas on;
eas_device_rule allow user=carol device=CAROLOK;
eas_device_rule block type=~^Android agent=~Outlook;
eas_device_rule quarantine user=bob;
eas_device_rule block device=~^EVIL[0-9]+$;
eas_device_rule quarantine agent=~*blackberry;
eas_device_default allow;
RULES

my $t = EasTest->new(location => $rules);
$t->{http} = "log_format acc '\$eas_user|\$eas_device_id|\$eas_device_access|\$status';\n"
           . "access_log " . $t->dir . "/acc.log acc;";
$t->add_user($_, 'secret') for qw(alice bob carol);
$t->start;

my $fs_xml = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>';
sub fs {
    my ($t, %o) = @_;
    my $r = $t->request(cmd => 'FolderSync', xml => $fs_xml, %o);
    $t->valid_ok('FolderSync', $r, "FolderSync answer is valid ($r->{status})") if length $r->{body};
    return $r;
}
sub status_of { EasTest::tag($_[0]{xml}, 'Status') // "HTTP $_[0]{status}" }
sub acc_log { my $t = shift; open my $fh, '<', $t->dir . '/acc.log' or return ''; local $/; <$fh> }

# The default, and each rule kind.
is(status_of(fs($t)), 1, 'no rule matches: eas_device_default allow');
my $r = fs($t, type => 'Android', agent => 'Outlook-Android/2.0', device => 'ANDR1');
is($r->{status}, 200, 'type and agent rule: HTTP 200 ...');
is(status_of($r), 129, '... with Status 129 (DeviceIsBlockedForThisUser)');
is(status_of(fs($t, type => 'Android', agent => 'Android-Mail/7.1', device => 'ANDR2')), 1,
   'a rule needs all its conditions: another Android app is allowed');
is(status_of(fs($t, user => 'bob', device => 'BOBPHONE')), 129, 'user rule: bob is quarantined');
is(status_of(fs($t, user => 'carol', device => 'CAROLOK', type => 'Android', agent => 'Outlook-Android/2.0')), 1,
   'order: the earlier allow rule wins over the later block');
is(status_of(fs($t, user => 'carol', device => 'CAROL2', type => 'Android', agent => 'Outlook-Android/2.0')), 129,
   '... for its device only');
is(status_of(fs($t, device => 'EVIL42')), 129, 'device id regex blocks');
is(status_of(fs($t, device => 'EVIL42X')), 1, '... anchored as written');
is(status_of(fs($t, device => 'BB1', agent => 'BlackBerry/10.3')), 129, 'case-insensitive regex (=~*) quarantines');
is(fs($t, user => 'bob', device => 'BOBPHONE', version => '12.1')->{status}, 403, '12.1: HTTP 403 instead');

my $log = $t->error_log;
like($log, qr/FolderSync from device "BOBPHONE" of user "bob" refused: quarantine by rule 3 \(quarantine user=bob\) \(Status 129\)/,
     'a refusal is logged with user, device, decision and rule');
like($log, qr/refused: block by rule 2 \(block type=~\^Android agent=~Outlook\)/, '... naming the rule');
like($log, qr/refused: quarantine by rule 3 \(quarantine user=bob\) \(HTTP 403\)/, '... and the HTTP answer for 12.1');
like(acc_log($t), qr/^bob\|BOBPHONE\|quarantine\|200$/m, '$eas_device_access in the access log: quarantine');
like(acc_log($t), qr/^alice\|ANDR1\|block\|200$/m, '... block');
like(acc_log($t), qr/^alice\|TESTDEVICE1\|allow\|200$/m, '... allow');

# A quarantined device may still provision and send Settings (its model).
$r = $t->request(cmd => 'Settings', user => 'bob', device => 'BOBPHONE',
    xml => '<Settings xmlns="Settings:"><DeviceInformation><Set><Model>Pixel 8</Model>'
         . '<FriendlyName>Bob phone</FriendlyName></Set></DeviceInformation></Settings>');
$t->valid_ok('Settings', $r);
like($r->{xml}, qr{<Settings xmlns="Settings:"><Status>1</Status>}, 'quarantine lets Settings through');
$r = $t->request(cmd => 'Provision', user => 'bob', device => 'BOBPHONE',
    xml => '<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>');
$t->valid_ok('Provision', $r);
like($r->{xml}, qr{<Provision xmlns="Provision:"><Status>1</Status>}, '... and Provision');

# The administrator sees it waiting, approves it, and the next request works.
my ($rc, $out) = $t->easctl('device', 'list', '--pending');
is($rc, 0, 'easctl device list --pending');
like($out, qr/^bob\s+BOBPHONE\s+iPhone\s+Pixel 8\s+quarantined\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\S+ \S+\s+Apple-iPhone/m,
     '... shows the quarantined device with model, first seen and user agent');
like($out, qr/^alice\s+BB1\s/m, '... and the BlackBerry');
unlike($out, qr/ANDR1|TESTDEVICE1/, '... but no blocked or allowed device');
($rc, $out) = $t->easctl('device', 'list', '--pending', '--json');
like($out, qr/"device_id": "BOBPHONE".*"state": "quarantined", "reason": "rule 3 \(quarantine user=bob\)"/,
     '--json carries state and reason');
($rc, $out) = $t->easctl('device', 'approve', 'bob', 'BOBPHONE');
is($rc, 0, 'easctl device approve') or diag $out;
is(status_of(fs($t, user => 'bob', device => 'BOBPHONE')), 1, 'approved: the very next request works');
is(fs($t, user => 'bob', device => 'BOBPHONE', version => '12.1')->{status}, 200, '... for 12.1 too');
($rc, $out) = $t->easctl('device', 'list', '--pending');
unlike($out, qr/BOBPHONE/, 'no longer pending');
($rc, $out) = $t->easctl('device', 'show', 'bob', 'BOBPHONE');
like($out, qr/^state\s+approved$/m, 'device show: approved ...');
like($out, qr/^model\s+Pixel 8$/m, '... with its model');
($rc, $out) = $t->easctl('device', 'approve', '--all-pending');
like($out, qr/device BB1 of alice approved/, 'approve --all-pending approves the rest');
is(status_of(fs($t, device => 'BB1', agent => 'BlackBerry/10.3')), 1, '... and it is in');

# Stored decisions beat the rules, both ways.
$t->easctl('device', 'approve', 'alice', 'ANDR1');
is(status_of(fs($t, type => 'Android', agent => 'Outlook-Android/2.0', device => 'ANDR1')), 1,
   'approve beats a blocking rule');
$t->easctl('device', 'block', 'alice', 'TESTDEVICE1');
is(status_of(fs($t)), 129, 'block beats eas_device_default allow');
like($t->error_log, qr/device "TESTDEVICE1" of user "alice" refused: block by administrator/, '... logged as the administrator\'s');
$r = $t->request(cmd => 'Provision', xml => '<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>');
$t->valid_ok('Provision', $r);
is(status_of($r), 129, 'a blocked device cannot provision either');
$t->easctl('device', 'unblock', 'alice', 'TESTDEVICE1');
is(status_of(fs($t)), 1, 'unblock: the rules decide again');

# Devices are (user, device id): bob's SHARED01 is not alice's.
$t->{location} = $rules . "eas_device_rule quarantine device=SHARED01;\n";
$t->reload;
is(status_of(fs($t, device => 'SHARED01')), 129, 'alice SHARED01 quarantined');
$t->easctl('device', 'approve', 'alice', 'SHARED01');
is(status_of(fs($t, device => 'SHARED01')), 1, 'alice SHARED01 approved');
is(status_of(fs($t, user => 'carol', device => 'SHARED01')), 129, 'carol\'s SHARED01 stays quarantined: the approval does not carry over');
is(fs($t, user => 'carol', password => 'secret', query_user => 'alice', device => 'SHARED01')->{status}, 401,
   'carol cannot act as alice with the same DeviceId');
($rc, $out) = $t->easctl('device', 'list', '--json');
my @shared = $out =~ /"device_id": "SHARED01"/g;
is(scalar @shared, 2, 'two device records for SHARED01');

# Reload changes outcomes of devices already known.
($rc, $out) = $t->easctl('device', 'show', 'alice', 'ANDR2');
like($out, qr/^state\s+allowed$/m, 'ANDR2 allowed before the reload');
$t->{location} = $rules . "eas_device_rule block device=ANDR2;\n";
$t->{location} =~ s/eas_device_rule quarantine user=bob;\n//;
$t->reload;
is(status_of(fs($t, type => 'Android', agent => 'Android-Mail/7.1', device => 'ANDR2')), 129,
   'after reload a new rule blocks a known device');
($rc, $out) = $t->easctl('device', 'show', 'alice', 'ANDR2');
like($out, qr/^state\s+blocked$/m, '... and its record says so');
is(status_of(fs($t, user => 'bob', device => 'BOBNEW')), 1, 'the removed rule no longer quarantines bob');
$t->{location} = "eas on;\neas_device_default quarantine;\n";
$t->reload;
is(status_of(fs($t, user => 'carol', device => 'CAROLNEW')), 129, 'eas_device_default quarantine');
is(status_of(fs($t, user => 'bob', device => 'BOBPHONE')), 1, '... the approved device stays in');
$t->stop;

# eas_device_access with a map on nginx variables, falling through to the
# rules when empty; eas_max_protocol_version from a map on the User-Agent.
my $m = EasTest->new(location => "eas on;\neas_device_access \$eas_access;\n"
                               . "eas_max_protocol_version \$eas_max_version;\n"
                               . "eas_device_rule block user=bob;\n");
$m->{http} = <<'HTTP';
map "$eas_device_type/$http_user_agent" $eas_access {
    ~^WP8/        block;
    ~/Palm        quarantine;
    ~/Nokia       allow;
    default       "";
}
map $http_user_agent $eas_max_version {
    ~^Outlook/    14.1;
    default       "";
}
HTTP
$m->add_user($_, 'secret') for qw(alice bob);
$m->start;
is(status_of(fs($m, type => 'WP8', device => 'W1')), 129, 'map on $eas_device_type: block');
is(status_of(fs($m, device => 'P1', agent => 'Palm/1')), 129, 'map on $http_user_agent: quarantine');
like($m->error_log, qr/refused: quarantine by eas_device_access/, '... logged as eas_device_access');
is(status_of(fs($m, device => 'OK1')), 1, 'empty map value: the rules decide (none matches: allow)');
is(status_of(fs($m, user => 'bob', device => 'B1')), 129, 'empty map value: bob\'s rule blocks');
is(status_of(fs($m, user => 'bob', device => 'B2', agent => 'Nokia/3310')), 1, 'the map\'s allow comes before the rules');

$r = $m->request(method => 'OPTIONS', query => '', agent => 'Outlook/16.0 (EAS)');
is($r->{headers}{'ms-asprotocolversions'}, '2.5,12.0,12.1,14.0,14.1', 'OPTIONS offers Outlook versions up to 14.1');
$r = $m->request(method => 'OPTIONS', query => '');
is($r->{headers}{'ms-asprotocolversions'}, '2.5,12.0,12.1,14.0,14.1,16.0,16.1', '... others all of them');
is(fs($m, device => 'OL1', agent => 'Outlook/16.0 (EAS)', version => '16.1')->{status}, 400,
   'Outlook asking for 16.1: HTTP 400');
like($m->error_log, qr/protocol version 16.1 is above eas_max_protocol_version 14.1 for this client/, '... with a log line');
is(status_of(fs($m, device => 'OL1', agent => 'Outlook/16.0 (EAS)', version => '14.1')), 1, '14.1 is fine');
$m->stop;

done_testing;
