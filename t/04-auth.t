# Authentication both ways an administrator sets it up: the module's own
# user store (with the credential cache and the failure slow-down) and
# nginx's auth_basic in front (eas_auth nginx).
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $fs = '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>';

{
    my $t = EasTest->new;
    $t->add_user('alice', 'secret', 'alice@example.org');
    $t->start;

    my $r = $t->request(cmd => 'FolderSync', xml => $fs, no_auth => 1);
    is($r->{status}, 401, 'no credentials: 401');
    like($r->{headers}{'www-authenticate'} // '', qr/^Basic realm=/, '... with WWW-Authenticate: Basic');

    for my $login ('alice', 'CORP\\alice', 'alice@example.org', 'Alice') {
        $r = $t->request(cmd => 'FolderSync', xml => $fs, user => $login, query_user => $login);
        is($r->{status}, 200, "login as \"$login\" is the same account");
    }

    $r = $t->request(cmd => 'FolderSync', xml => $fs, query_user => 'bob');
    is($r->{status}, 401, 'User= naming someone else than the login: 401');
    like($t->error_log, qr/User=bob in the request line is not the authenticated user "alice"/,
         '... logged with the reason');

    $r = $t->request(cmd => 'FolderSync', xml => $fs, password => 'wrong');
    is($r->{status}, 401, 'wrong password: 401');
    like($t->error_log, qr/wrong password for user "alice"/, '... logged');

    # A password change is effective at once, despite the credential cache.
    is($t->request(cmd => 'FolderSync', xml => $fs)->{status}, 200, 'old password works (and is cached)');
    my ($rc) = $t->easctl('user', 'passwd', 'alice', '--password', 'newsecret');
    is($rc, 0, 'easctl user passwd while nginx runs');
    is($t->request(cmd => 'FolderSync', xml => $fs)->{status}, 401, 'the old password is refused at once');
    is($t->request(cmd => 'FolderSync', xml => $fs, password => 'newsecret')->{status}, 200,
       'the new password works');

    # Repeated failures are slowed down (by a timer, not a blocked worker).
    my @times;
    for (1 .. 5) {
        my $r = $t->request(cmd => 'FolderSync', xml => $fs, user => 'mallory', password => "guess$_");
        is($r->{status}, 401, "failure $_ is 401");
        push @times, $r->{elapsed};
    }
    cmp_ok($times[4], '>=', 1.0, 'the fifth failure in a row is held at least a second');
    my $other = $t->request(cmd => 'FolderSync', xml => $fs, password => 'newsecret');
    cmp_ok($other->{elapsed}, '<', 1.0, 'other users are not slowed down');

    ($rc) = $t->easctl('user', 'del', 'alice');
    is($rc, 0, 'easctl user del');
    is($t->request(cmd => 'FolderSync', xml => $fs, password => 'newsecret')->{status}, 401,
       'a deleted user is refused');
    $t->stop;
}

{
    # nginx authenticates (auth_basic); the module takes its user.
    my $t = EasTest->new(location => <<"LOC");
eas on;
eas_auth nginx;
auth_basic "mail";
auth_basic_user_file htpasswd;
LOC
    EasTest::write_file($t->dir . '/htpasswd', "carol:{PLAIN}pass1\n");
    $t->start;

    my $r = $t->request(cmd => 'FolderSync', xml => $fs, user => 'carol', password => 'pass1');
    is($r->{status}, 200, 'eas_auth nginx: a user auth_basic accepts gets in');
    is(EasTest::tag($r->{xml}, 'Count'), '9', '... and gets a fresh account with the default folders');
    $r = $t->request(cmd => 'FolderSync', xml => $fs, user => 'carol', password => 'nope');
    is($r->{status}, 401, 'eas_auth nginx: auth_basic refuses a wrong password');
    my (undef, $out) = $t->easctl('user', 'list');
    like($out, qr/^carol\s/m, 'the account shows in easctl user list');
    $t->stop;
}

{
    # auth_request: an authentication service decides (here a location that
    # accepts one Basic header); the module takes the user from that header.
    my $t = EasTest->new(
        location => "eas on;\neas_auth nginx;\nauth_request /auth;\n",
        server => <<'SRV');
location = /auth {
    internal;
    if ($http_authorization = "Basic ZGF2ZTpwYXNzMg==") { return 204; }
    return 401;
}
SRV
    $t->start;
    my $r = $t->request(cmd => 'FolderSync', xml => $fs, user => 'dave', password => 'pass2');
    is($r->{status}, 200, 'eas_auth nginx behind auth_request: accepted user gets in');
    is(EasTest::tag($r->{xml}, 'Count'), '9', '... with the default folders');
    $r = $t->request(cmd => 'FolderSync', xml => $fs, user => 'dave', password => 'wrong');
    is($r->{status}, 401, 'auth_request refusing means 401');
    $t->stop;
}

done_testing;
