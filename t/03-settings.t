# Settings: DeviceInformation is stored (easctl sees it), UserInformation
# returns the user's addresses in the form the protocol version expects.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org', 'a.smith@example.org');
$t->start;

my $settings = <<'XML';
<Settings xmlns="Settings:">
  <DeviceInformation><Set>
    <Model>iPhone15,2</Model><IMEI>356938035643809</IMEI>
    <FriendlyName>Alice's iPhone</FriendlyName><OS>iOS 17.1 21B74</OS>
    <OSLanguage>en</OSLanguage><PhoneNumber>+15551234567</PhoneNumber>
    <UserAgent>Apple-iPhone15C2/2102.74</UserAgent><MobileOperator>Carrier</MobileOperator>
  </Set></DeviceInformation>
  <UserInformation><Get/></UserInformation>
</Settings>
XML

my $r = $t->request(cmd => 'Settings', xml => $settings, version => '16.1', device => 'ALICEIPHONE');
is($r->{status}, 200, 'Settings answers 200');
$t->valid_ok('Settings', $r);
like($r->{xml}, qr{<DeviceInformation><Status>1</Status></DeviceInformation>}, 'DeviceInformation stored: Status 1');
like($r->{xml}, qr{<Account><UserDisplayName>alice</UserDisplayName><EmailAddresses><SmtpAddress>alice\@example.org</SmtpAddress><SmtpAddress>a.smith\@example.org</SmtpAddress><PrimarySmtpAddress>alice\@example.org</PrimarySmtpAddress></EmailAddresses></Account>},
     '16.1: UserInformation gives the account with its addresses');

my ($rc, $out) = $t->easctl('device', 'list', '--json');
is($rc, 0, 'easctl device list works while nginx runs');
like($out, qr/"device_id": "ALICEIPHONE"/, 'the device is listed');
like($out, qr/"model": "iPhone15,2"/, 'with the model it reported');

$r = $t->request(cmd => 'Settings', version => '12.1', device => 'OLDPHONE',
                 xml => '<Settings xmlns="Settings:"><UserInformation><Get/></UserInformation></Settings>');
$t->valid_ok('Settings', $r);
like($r->{xml}, qr{<Get><EmailAddresses><SmtpAddress>alice\@example.org</SmtpAddress><SmtpAddress>a.smith\@example.org</SmtpAddress></EmailAddresses></Get>},
     '12.1: UserInformation gives the plain address list');

$r = $t->request(cmd => 'Settings', xml => '<Settings xmlns="Settings:"><Oof><Get><BodyType>Text</BodyType></Get></Oof></Settings>');
$t->valid_ok('Settings', $r);
like($r->{xml}, qr{<Oof><Status>1</Status><Get><OofState>0</OofState></Get></Oof>}, 'Oof Get: not set');

$r = $t->request(cmd => 'Settings', xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
like($r->{xml}, qr{<Settings[^>]*><Status>2</Status></Settings>}, 'a Settings body that is not Settings: Status 2');

$t->stop;
done_testing;
