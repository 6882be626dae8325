# MS-ASHTTP front door: OPTIONS, both query forms, and every kind of bad
# request getting its status with a log line while the worker lives on.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use MIME::Base64 qw(encode_base64);
use Test::More;

my $t = EasTest->new(location => "eas on;\neas_max_body_size 64k;\n");
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

my $folder_sync = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>';

# OPTIONS announces versions and only the commands we implement.
my $r = $t->request(method => 'OPTIONS', query => '');
is($r->{status}, 200, 'OPTIONS answers 200');
is($r->{headers}{'ms-asprotocolversions'}, '2.5,12.0,12.1,14.0,14.1,16.0,16.1',
   'OPTIONS lists the versions we serve');
like($r->{headers}{'ms-asprotocolcommands'}, qr/^FolderSync,FolderCreate,FolderUpdate,FolderDelete,Settings,Sync,SendMail,SmartForward,SmartReply,GetAttachment,MoveItems,GetItemEstimate,MeetingResponse,Search,Ping,ItemOperations,Provision,ResolveRecipients,ValidateCert,Find$/,
     'OPTIONS lists exactly the implemented commands');
my %announced = map { $_ => 1 } split /,/, $r->{headers}{'ms-asprotocolcommands'};
ok(!$announced{$_}, "unimplemented $_ is not announced") for qw(GetHierarchy MoveCollection);

$r = $t->request(method => 'OPTIONS', query => '', no_auth => 1);
is($r->{status}, 401, 'OPTIONS without credentials is 401');

# Plain query form.
$r = $t->request(cmd => 'FolderSync', xml => $folder_sync);
is($r->{status}, 200, 'FolderSync with the plain query form');
is(EasTest::tag($r->{xml}, 'Status'), '1', 'FolderSync Status 1');

# Base64 query form (MS-ASHTTP 2.2.1.1.1.1): version 14.1, FolderSync (9),
# locale, device id, no policy key, device type, User parameter.
sub b64_query {
    my (%o) = @_;
    my $q = pack('C C v', 141, $o{cmd} // 9, 0x0409);
    $q .= pack('C', length $o{device}) . $o{device};
    $q .= pack('C', 0);
    $q .= pack('C', length $o{type}) . $o{type};
    $q .= pack('C C', 8, length $o{user}) . $o{user} if defined $o{user};
    return encode_base64($q, '');
}
$r = $t->request(query => b64_query(device => 'B64DEVICE', type => 'SmartPhone', user => 'alice'),
                 xml => $folder_sync, headers => { 'MS-ASProtocolVersion' => undef });
is($r->{status}, 200, 'FolderSync with the base64 query form');
is(EasTest::tag($r->{xml}, 'Status'), '1', 'base64 form: Status 1');
like($t->access_log, qr/^FolderSync\|alice\|B64DEVICE\|SmartPhone\|14\.1\|200$/m,
     'base64 form: variables carry command, user, device and version');

# Bad requests: status and a clear log line each.
$r = $t->request(cmd => 'NoSuchCommand', xml => $folder_sync);
is($r->{status}, 400, 'unknown command is 400');
like($t->error_log, qr/unknown command "NoSuchCommand"/, 'unknown command is logged');

$r = $t->request(cmd => 'GetHierarchy');
is($r->{status}, 501, 'a known but unimplemented command is 501');

$r = $t->request(cmd => 'FolderSync', xml => $folder_sync, version => '9.9');
is($r->{status}, 400, 'unsupported protocol version is 400');
like($t->error_log, qr/unsupported protocol version "9\.9"/, 'unsupported version is logged');

$r = $t->request(query => 'Cmd=FolderSync&User=alice&DeviceType=iPhone', xml => $folder_sync);
is($r->{status}, 400, 'missing DeviceId is 400');
like($t->error_log, qr/bad request line: missing DeviceId/, 'missing DeviceId is logged');

$r = $t->request(cmd => 'FolderSync', xml => $folder_sync, content_type => 'text/plain');
is($r->{status}, 400, 'wrong content type is 400');
like($t->error_log, qr/content type "text\/plain"/, 'wrong content type is logged');

$r = $t->request(cmd => 'FolderSync', body => "\x03\x01\x6a\x00" . ('x' x (70 * 1024)));
is($r->{status}, 413, 'a body over eas_max_body_size is 413');

$r = $t->request(cmd => 'FolderSync', body => "\x03\x01\x6a\x00\x47\x52\x03\x30");
is($r->{status}, 400, 'truncated WBXML is 400');
like($t->error_log, qr/FolderSync: malformed request: wbxml/, 'malformed WBXML is logged');

$r = $t->request(cmd => 'FolderSync', body => "\x03\x01\x6a\x00\x00\x07\x3f\x01");
is($r->{status}, 400, 'an unknown token is 400');

$r = $t->request(cmd => 'FolderSync', body => "\x03\x01\x6a\x00" . ("\x00\x07\x56" x 200) . ("\x01" x 200));
is($r->{status}, 400, 'absurd nesting is 400');

$r = $t->request(query => '%zz', xml => $folder_sync);
is($r->{status}, 400, 'a malformed query string is 400');

$r = $t->request(method => 'GET', cmd => 'FolderSync');
is($r->{status}, 405, 'GET is 405');

$r = $t->request(cmd => 'FolderSync', xml => $folder_sync);
is($r->{status}, 200, 'after all of that, the workers still answer');

$t->stop;
unlike($t->error_log, qr/exited on signal/, 'no worker crashed');
done_testing;
