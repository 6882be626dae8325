# The module as an nginx citizen: $eas_* variables in limit_req_zone and
# log_format, and a reload that keeps serving (and keeps the credential
# cache shared by the workers).
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $fs = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>';

my $t = EasTest->new(
    http => 'limit_req_zone $eas_user zone=per_user:1m rate=1r/m;',
    location => "eas on;\nlimit_req zone=per_user burst=2 nodelay;\n");
$t->add_user('alice', 'secret');
$t->add_user('bob', 'secret2');
$t->start;

my @codes = map { $t->request(cmd => 'FolderSync', xml => $fs)->{status} } 1 .. 4;
is_deeply(\@codes, [200, 200, 200, 503], 'limit_req keyed by $eas_user limits alice after her burst');
is($t->request(cmd => 'FolderSync', xml => $fs, user => 'bob', password => 'secret2')->{status}, 200,
   '... while bob, another $eas_user, still gets in');
like($t->access_log, qr/^FolderSync\|alice\|TESTDEVICE1\|iPhone\|14\.1\|200$/m,
     'log_format sees $eas_cmd, $eas_user, $eas_device_id, $eas_device_type, $eas_protocol_version');
like($t->error_log, qr/limiting requests, excess: .* by zone "per_user"/, 'limit_req logs the refusal');

# Reload: still serving, and nothing lost.
$t->{location} = "eas on;\n";
$t->reload;
my $r = $t->request(cmd => 'FolderSync', xml => $fs);
is($r->{status}, 200, 'after nginx -s reload the new workers serve');
is(EasTest::tag($r->{xml}, 'Count'), '9', '... from the same store');

$t->stop;
done_testing;
