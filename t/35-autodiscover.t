#!/usr/bin/perl
# Autodiscover: a phone that knows only an e-mail address and a password
# finds the server. The MS-ASCMD XML (POST, Basic auth, any letter case of
# the path), AutodiscoverV2's JSON (Outlook for Android, no credentials) and
# an Apple configuration profile (iPhones), from a location with
# `eas_autodiscover on`.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use EasTest;
use HTTP::Tiny;
use IO::Socket::INET;
use MIME::Base64 qw(encode_base64);
use Test::More;

my $MOBILESYNC = 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006';
my $OUTLOOK = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

my $t = EasTest->new;
my $port = $t->port;
# As the README's autodiscover.<domain> block: this host name is not the
# ActiveSync one, so the URL is set.
$t->{server} = <<"SERVER";
location ~* ^/autodiscover/ {
            eas_autodiscover on;
            eas_autodiscover_url https://mail.example.com/Microsoft-Server-ActiveSync;
        }
        location = /email.mobileconfig {
            eas_autodiscover on;
        }
SERVER
$t->add_user('alice', 'secret', 'alice@example.com', 'a.liddell@example.org');
$t->easctl('user', 'add', 'bob', '--password', 'hunter2', '--email', 'bob@example.com',
           '--display-name', 'Bob Builder');
$t->start;

my $http = HTTP::Tiny->new(timeout => 10, keep_alive => 0);

# HTTP::Tiny will not send a Host header of our choosing: a raw GET.
sub get_with_host {
    my (%o) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port) or die $!;
    my $auth = encode_base64("$o{user}:$o{password}", '');
    print $s "GET $o{path} HTTP/1.0\r\nHost: $o{host}\r\nAuthorization: Basic $auth\r\n\r\n";
    local $/;
    my $answer = <$s>;
    my ($head, $body) = split /\r\n\r\n/, $answer, 2;
    my ($status) = $head =~ m{^HTTP/1\.\d (\d+)};
    my %headers = map { /^([^:]+):\s*(.*)$/ ? (lc $1 => $2) : () } split /\r\n/, $head;
    return { status => $status, headers => \%headers, content => $body };
}

sub get_or_post {
    my (%o) = @_;
    return get_with_host(%o) if $o{host};
    my %headers = (%{ $o{headers} // {} });
    $headers{Authorization} = 'Basic ' . encode_base64("$o{user}:$o{password}", '')
        if defined $o{user};
    my $res = $http->request($o{method} // 'POST', "http://127.0.0.1:$port$o{path}",
                             { headers => \%headers,
                               defined $o{body} ? (content => $o{body}) : () });
    return $res;
}

sub ad_request {
    my ($email, $schema) = @_;
    $schema //= $MOBILESYNC;
    return qq{<?xml version="1.0" encoding="utf-8"?>\n}
         . qq{<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006">\n}
         . qq{  <Request>\n    <EMailAddress>$email</EMailAddress>\n}
         . qq{    <AcceptableResponseSchema>$schema</AcceptableResponseSchema>\n  </Request>\n}
         . qq{</Autodiscover>\n};
}

sub autodiscover {
    my (%o) = @_;
    return get_or_post(path => $o{path} // '/autodiscover/autodiscover.xml',
                       user => $o{user}, password => $o{password},
                       body => $o{body}, method => $o{method},
                       headers => { 'Content-Type' => 'text/xml' });
}

sub valid_xml {
    my ($res, $name) = @_;
    EasTest::write_file($t->dir . '/ad.xml', $res->{content});
    my $out = `$EasTest::SHARED/tools/eas-validate --xml Autodiscover ${\ $t->dir}/ad.xml 2>&1`;
    ok($? == 0, "$name: valid against the Autodiscover schemas") or diag($out . $res->{content});
}

# --- the MS-ASCMD XML ---------------------------------------------------

my $res = autodiscover(user => 'alice@example.com', password => 'secret',
                       body => ad_request('alice@example.com'));
is($res->{status}, 200, 'Autodiscover answers 200');
like($res->{headers}{'content-type'}, qr{^text/xml}, 'as XML');
valid_xml($res, 'settings');
like($res->{content}, qr{<Type>MobileSync</Type>}, 'a MobileSync server');
like($res->{content}, qr{<Url>https://mail\.example\.com/Microsoft-Server-ActiveSync</Url>},
     'its URL is eas_autodiscover_url');
like($res->{content}, qr{<EMailAddress>alice\@example\.com</EMailAddress>}, 'the address asked about');
like($res->{content}, qr{<DisplayName>alice</DisplayName>}, 'the display name');

# iOS and Outlook spell the path differently; the domain\user login of the
# iPhone's "Domain" field works too.
$res = autodiscover(path => '/AutoDiscover/AutoDiscover.xml', user => 'EXAMPLE\\bob',
                    password => 'hunter2', body => ad_request('BOB@example.com'));
is($res->{status}, 200, 'Autodiscover in another letter case, DOMAIN\\user login');
valid_xml($res, 'settings for bob');
like($res->{content}, qr{<DisplayName>Bob Builder</DisplayName>}, "bob's display name");
like($res->{content}, qr{<EMailAddress>bob\@example\.com</EMailAddress>}, 'the stored spelling of the address');

# A second address of the same user.
$res = autodiscover(user => 'alice', password => 'secret', body => ad_request('a.liddell@example.org'));
like($res->{content}, qr{<EMailAddress>a\.liddell\@example\.org</EMailAddress>.*<Type>MobileSync</Type>}s,
     "a user's second address");

# Credentials: none, or wrong.
$res = autodiscover(body => ad_request('alice@example.com'));
is($res->{status}, 401, 'no credentials: 401');
like($res->{headers}{'www-authenticate'} // '', qr/^Basic /, 'asking for Basic credentials');
$res = autodiscover(user => 'alice', password => 'wrong', body => ad_request('alice@example.com'));
is($res->{status}, 401, 'a wrong password: 401');
unlike($res->{content}, qr/MobileSync/, 'and no settings');

# Someone else's address: an error, nothing about that user.
$res = autodiscover(user => 'alice', password => 'secret', body => ad_request('bob@example.com'));
is($res->{status}, 200, "another user's address: answered in the document");
valid_xml($res, "another user's address");
like($res->{content}, qr{<Error><Status>2</Status>}, 'Action/Error Status 2');
unlike($res->{content}, qr{Bob Builder|<Url>}, 'nothing of bob, no URL');
like($t->error_log, qr/autodiscover: bob\@example\.com is not an address of user "alice"/,
     'logged');

# Malformed request: ErrorCode 600; an unknown response schema: 601.
$res = autodiscover(user => 'alice', password => 'secret', body => '<Autodiscover><Request>');
is($res->{status}, 200, 'malformed XML answered in the document');
valid_xml($res, 'error 600');
like($res->{content}, qr{<ErrorCode>600</ErrorCode>}, 'ErrorCode 600');
like($t->error_log, qr/autodiscover: invalid request: request is not well-formed XML/, 'logged');
my $two = ad_request('alice@example.com');
$two =~ s{(<Request>.*</Request>)}{$1$1}s;
$res = autodiscover(user => 'alice', password => 'secret', body => $two);
like($res->{content}, qr{<ErrorCode>600</ErrorCode>}, 'two Request elements: 600');
$res = autodiscover(user => 'alice', password => 'secret',
                    body => ad_request('alice@example.com', $OUTLOOK));
valid_xml($res, 'error 601');
like($res->{content}, qr{<ErrorCode>601</ErrorCode>}, "Outlook's schema: 601");
# An entity pointing at a local file is never read.
my $xxe = qq{<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>}
        . ad_request('&x;');
$xxe =~ s/<\?xml version="1.0" encoding="utf-8"\?>\n//;
$res = autodiscover(user => 'alice', password => 'secret', body => $xxe);
unlike($res->{content}, qr/root:/, 'an external entity is not expanded');
$res = autodiscover(user => 'alice', password => 'secret', method => 'GET');
like($res->{content}, qr{<ErrorCode>600</ErrorCode>}, 'GET instead of POST: 600');

# --- AutodiscoverV2 (JSON) ----------------------------------------------

$res = get_or_post(method => 'GET',
                   path => '/autodiscover/autodiscover.json?Email=alice%40example.com&Protocol=ActiveSync&RedirectCount=1');
is($res->{status}, 200, 'AutodiscoverV2 without credentials: 200');
like($res->{headers}{'content-type'}, qr{^application/json}, 'as JSON');
is($res->{content}, '{"Protocol":"ActiveSync","Url":"https://mail.example.com/Microsoft-Server-ActiveSync"}',
   'the protocol and its URL');
$res = get_or_post(method => 'GET',
                   path => '/Autodiscover/Autodiscover.json/v1.0/alice@example.com?Protocol=activesync');
is($res->{status}, 200, 'the /v1.0/ADDRESS form');
like($res->{content}, qr{"Url":"https://mail\.example\.com/}, 'the same URL');
$res = get_or_post(method => 'GET',
                   path => '/autodiscover/autodiscover.json?Email=alice%40example.com&Protocol=Ews');
is($res->{status}, 400, 'another protocol: 400');
like($res->{content}, qr{"ErrorCode":"InvalidProtocol"}, 'InvalidProtocol');
$res = get_or_post(method => 'GET', path => '/autodiscover/autodiscover.json?Protocol=ActiveSync');
is($res->{status}, 400, 'no address: 400');

# Unknown documents under the location.
$res = get_or_post(method => 'GET', path => '/autodiscover/other.xml');
is($res->{status}, 404, 'another path under the location: 404');

# --- the Apple profile ----------------------------------------------------

$res = get_or_post(method => 'GET', path => '/email.mobileconfig?email=alice%40example.com');
is($res->{status}, 401, 'the profile needs credentials');
$res = get_or_post(method => 'GET', path => '/email.mobileconfig?email=alice%40example.com',
                   user => 'alice@example.com', password => 'secret', host => 'mail.example.net');
is($res->{status}, 200, 'the profile');
is($res->{headers}{'content-type'}, 'application/x-apple-aspen-config', 'as an Apple profile');
my $profile = $res->{content};
EasTest::write_file($t->dir . '/p.mobileconfig', $profile);
my $lint = `xmllint --noout ${\ $t->dir}/p.mobileconfig 2>&1`;
is($?, 0, 'a well-formed property list') or diag($lint);
like($profile, qr{<key>PayloadType</key><string>com\.apple\.eas\.account</string>}, 'an Exchange account payload');
like($profile, qr{<key>Host</key><string>mail\.example\.net</string>}, 'host from the request (no eas_autodiscover_url here)');
like($profile, qr{<key>SSL</key><true/>}, 'over TLS');
like($profile, qr{<key>EmailAddress</key><string>alice\@example\.com</string>}, 'the address');
like($profile, qr{<key>UserName</key><string>alice\@example\.com</string>}, 'the login the user signed in with');
unlike($profile, qr{secret}, 'no password in it');
my @uuids = $profile =~ m{<key>PayloadUUID</key><string>([0-9A-F-]{36})</string>}g;
is(scalar @uuids, 2, 'two payload UUIDs');
$res = get_or_post(method => 'GET', path => '/email.mobileconfig?email=alice%40example.com',
                   user => 'alice@example.com', password => 'secret', host => 'mail.example.net');
is($res->{content}, $profile, 'fetched again: the same profile (installing it again replaces the account)');
$res = get_or_post(method => 'GET', path => '/email.mobileconfig?email=bob%40example.com',
                   user => 'alice', password => 'secret');
is($res->{status}, 403, "another user's address: 403");
like($t->error_log, qr/profile: bob\@example\.com is not an address of user "alice"/, 'logged');

# --- the access log and the configuration -----------------------------------

my $log = $t->access_log;
like($log, qr/^Autodiscover\|alice\|/m, '$eas_cmd and $eas_user for Autodiscover');
like($log, qr/^AutodiscoverV2\|-\|/m, '... AutodiscoverV2');
like($log, qr/^AppleProfile\|alice\|/m, '... and the profile');

# ActiveSync itself still works beside it.
$res = $t->request(cmd => 'FolderSync', xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
is($res->{status}, 200, 'ActiveSync beside Autodiscover');

$t->stop;

my $bad = EasTest->new(location => "eas on;\n eas_autodiscover on;\n");
my ($rc, $out) = $bad->check_conf;
isnt($rc, 0, 'eas and eas_autodiscover in one location: nginx -t fails');
like($out, qr/"eas" and "eas_autodiscover" cannot share a location/, 'and says why');

done_testing;
