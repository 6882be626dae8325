# easctl share/unshare as the sharee's devices see it: a shared calendar
# or address book appears in their FolderSync (initial and incremental)
# with its user-created type, a second share changes nothing else, and
# unsharing makes the next FolderSync delete it. The hidden Collected
# Addresses folder is never offered.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'hunter2', 'bob@example.org');
$t->start;

my %bob = (user => 'bob', password => 'hunter2', device => 'BOBPHONE');

sub folder_sync { $t->folder_sync(@_) }

sub adds { EasTest::folder_adds(@_) }

sub easctl_ok {
    my ($name, @args) = @_;
    my ($rc, $out) = $t->easctl(@args);
    is($rc, 0, $name) or diag($out);
    return $out;
}

# Bob's phone before anything is shared.
my $r = folder_sync('0', %bob);
is(EasTest::tag($r->{xml}, 'Count'), '9', 'bob starts with his nine folders');
unlike($r->{xml}, qr/Collected Addresses/, 'the hidden Collected Addresses is not offered');
my $key = EasTest::tag($r->{xml}, 'SyncKey');

# Alice makes a team calendar and an address book and shares both.
my $out = easctl_ok('folder add calendar', 'folder', 'add', '--user', 'alice', '--type', 'calendar', 'Team');
my ($team) = $out =~ /folder (\d+) /;
$out = easctl_ok('folder add contacts', 'folder', 'add', '--user', 'alice', '--type', 'contacts', 'Friends');
my ($friends) = $out =~ /folder (\d+) /;
easctl_ok('share read-only', 'share', $team, '--with', 'bob', '--read-only');
easctl_ok('share read-write', 'share', $friends, '--with', 'bob', '--read-write');

$r = folder_sync($key, %bob);
my $new = adds($r->{xml});
is($new->{'Team (alice)'}{id}, $team, 'the shared calendar comes as an Add, named after its owner');
is($new->{'Team (alice)'}{type}, '13', '... of type 13');
is($new->{'Friends (alice)'}{id}, $friends, 'the shared address book comes as an Add');
is($new->{'Friends (alice)'}{type}, '14', '... of type 14');
is(EasTest::tag($r->{xml}, 'Count'), '2', '... and nothing else');
$key = EasTest::tag($r->{xml}, 'SyncKey');

# A new device of bob's sees them in its initial sync.
$r = folder_sync('0', %bob, device => 'BOBTABLET');
my $all = adds($r->{xml});
is(EasTest::tag($r->{xml}, 'Count'), '11', 'a fresh FolderSync has 9 + 2 folders');
is($all->{'Team (alice)'}{type}, '13', 'Team is there with type 13');
is($all->{'Friends (alice)'}{type}, '14', 'Friends is there with type 14');

# Alice's own view: her folders plus the two, never the hidden one.
$r = folder_sync('0');
is(EasTest::tag($r->{xml}, 'Count'), '11', 'alice sees her nine and the two she made');
unlike($r->{xml}, qr/Collected Addresses/, 'her Collected Addresses is hidden too');

# Changing the rights is an update, not a second folder.
easctl_ok('share again read-write', 'share', $team, '--with', 'bob', '--read-write');
$r = folder_sync($key, %bob);
unlike($r->{xml}, qr/<Add>/, 'a changed share adds nothing');
$key = EasTest::tag($r->{xml}, 'SyncKey');

# Writing through the shares: read-write works, read-only is refused and
# nothing changes in alice's calendar.
sub sync_as_bob {
    my ($coll, $key, $commands) = @_;
    my $inner = "<SyncKey>$key</SyncKey><CollectionId>$coll</CollectionId>";
    $inner .= '<GetChanges/>' unless $key eq '0';
    $inner .= "<Commands>$commands</Commands>" if $commands;
    my $r = $t->request(cmd => 'Sync', %bob,
        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection>$inner</Collection></Collections></Sync>});
    $t->valid_ok('Sync', $r) if length $r->{body};
    return $r;
}
my $ev = '<ApplicationData><Subject xmlns="Calendar:">Lunch</Subject><StartTime xmlns="Calendar:">20261201T120000Z</StartTime><EndTime xmlns="Calendar:">20261201T130000Z</EndTime></ApplicationData>';
my $sk = EasTest::tag(sync_as_bob($friends, '0')->{xml}, 'SyncKey');
$r = sync_as_bob($friends, $sk, '<Add><ClientId>f1</ClientId><ApplicationData><FileAs xmlns="Contacts:">Pal, Old</FileAs></ApplicationData></Add>');
like($r->{xml}, qr{<Add><ClientId>f1</ClientId><ServerId>$friends:\d+</ServerId><Status>1</Status></Add>}, 'bob adds a contact to the read-write share');
my (undef, $exported) = $t->easctl('export', '--user', 'alice', '--folder', $friends);
like($exported, qr/Pal/, '... and it is in alice\'s address book');

my ($rc0, $added) = $t->easctl('import', '--user', 'alice', '--folder', $team, "$EasTest::TOP/t/data/calendar.ics");
easctl_ok('share back to read-only', 'share', $team, '--with', 'bob', '--read-only');
my $tk = EasTest::tag(sync_as_bob($team, '0')->{xml}, 'SyncKey');
$r = sync_as_bob($team, $tk);
my ($event_id) = $r->{xml} =~ m{<Add><ServerId>([^<]+)</ServerId>};
ok($event_id, 'bob sees the events of the read-only share');
$tk = EasTest::tag($r->{xml}, 'SyncKey');
$r = sync_as_bob($team, $tk, "<Add><ClientId>t1</ClientId>$ev</Add><Change><ServerId>$event_id</ServerId>$ev</Change><Delete><ServerId>$event_id</ServerId></Delete>");
like($r->{xml}, qr{<Add><ClientId>t1</ClientId><Status>6</Status></Add>}, 'read-only share: an Add is refused (Status 6)');
like($r->{xml}, qr{<Change><ServerId>\Q$event_id\E</ServerId><Status>6</Status></Change>}, '... a Change too');
like($r->{xml}, qr{<Delete><ServerId>\Q$event_id\E</ServerId><Status>6</Status></Delete>}, '... and a Delete');
like($r->{xml}, qr{<Commands>.*<ServerId>\Q$event_id\E</ServerId><ApplicationData>}s, "... and the phone gets alice's version back");
my (undef, $cal) = $t->easctl('export', '--user', 'alice', '--folder', $team);
unlike($cal, qr/SUMMARY:Lunch/, "nothing changed in alice's calendar");

# Unshare: the next FolderSync with the key deletes it.
easctl_ok('unshare', 'unshare', $team, '--with', 'bob');
$r = folder_sync($key, %bob);
like($r->{xml}, qr{<Delete><ServerId>$team</ServerId></Delete>}, 'unshare: the folder is deleted on the phone');
unlike($r->{xml}, qr{<ServerId>$friends</ServerId>}, '... the other share stays');
$key = EasTest::tag($r->{xml}, 'SyncKey');
$r = folder_sync($key, %bob);
is(EasTest::tag($r->{xml}, 'Count'), '0', 'and then nothing more changes');

# Refusals.
my ($rc, $msg) = $t->easctl('share', $team, '--with', 'alice', '--read-only');
isnt($rc, 0, 'the owner cannot be a sharee');
($rc, $msg) = $t->easctl('unshare', $team, '--with', 'bob');
like($msg, qr/not shared with bob/, 'unsharing twice says so');
($rc, $msg) = $t->easctl('share', $team, '--with', 'bob');
is($rc, 2, 'share needs --read-only or --read-write');

$t->stop;
done_testing;
