# FolderSync and FolderCreate/Update/Delete as two devices of one user see
# them: initial and incremental sync, own changes not echoed, replay of a
# lost answer, Status 9 on a bad key, refusals with their Status codes.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'hunter2', 'bob@example.org');
$t->start;

sub fs_xml { qq{<FolderSync xmlns="FolderHierarchy:"><SyncKey>$_[0]</SyncKey></FolderSync>} }

sub folder_sync { $t->folder_sync(@_) }

sub adds { EasTest::folder_adds(@_) }

# Initial sync: the default folder set with the right types.
my $r = folder_sync('0');
is(EasTest::tag($r->{xml}, 'Status'), '1', 'initial FolderSync: Status 1');
my $key1 = EasTest::tag($r->{xml}, 'SyncKey');
ok(defined $key1 && $key1 ne '0', 'initial FolderSync gives a SyncKey');
my $folders = adds($r->{xml});
is(EasTest::tag($r->{xml}, 'Count'), '9', 'nine default folders');
my %want = ('Inbox' => 2, 'Drafts' => 3, 'Deleted Items' => 4, 'Sent Items' => 5,
            'Outbox' => 6, 'Tasks' => 7, 'Calendar' => 8, 'Contacts' => 9, 'Notes' => 10);
is_deeply({ map { $_ => $folders->{$_}{type} } keys %$folders },
          { map { $_ => "$want{$_}" } keys %want }, 'default folders have their types');
is($folders->{Inbox}{parent}, '0', 'default folders are at the top level');

# Nothing changed: same key, no changes.
$r = folder_sync($key1);
is(EasTest::tag($r->{xml}, 'SyncKey'), $key1, 'no change: the same SyncKey again');
is(EasTest::tag($r->{xml}, 'Count'), '0', 'no change: Count 0');

# A second device of the same user.
my $key_b = EasTest::tag(folder_sync('0', device => 'DEVICEB')->{xml}, 'SyncKey');

# FolderCreate from device A.
$r = $t->request(cmd => 'FolderCreate', xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$key1</SyncKey><ParentId>0</ParentId><DisplayName>Family</DisplayName><Type>14</Type></FolderCreate>});
$t->valid_ok('FolderCreate', $r);
is(EasTest::tag($r->{xml}, 'Status'), '1', 'FolderCreate: Status 1');
my $family = EasTest::tag($r->{xml}, 'ServerId');
my $key2 = EasTest::tag($r->{xml}, 'SyncKey');
ok($family && $key2 && $key2 ne $key1, 'FolderCreate returns the new ServerId and a new key');

$r = folder_sync($key2);
is(EasTest::tag($r->{xml}, 'Count'), '0', 'the creating device is not told about its own folder');

$r = folder_sync($key_b, device => 'DEVICEB');
my $b_adds = adds($r->{xml});
is($b_adds->{Family}{id}, $family, 'the other device gets the new folder as an Add');
is($b_adds->{Family}{type}, '14', '... with its type');
my $key_b2 = EasTest::tag($r->{xml}, 'SyncKey');
isnt($key_b2, $key_b, '... and a new key');

# Replay: the same old key again gets the identical answer.
my $again = $t->request(cmd => 'FolderSync', xml => fs_xml($key_b), device => 'DEVICEB');
is($again->{body}, $r->{body}, 'a resent previous key gets the identical answer');
# ... and the current key still works afterwards.
$r = folder_sync($key_b2, device => 'DEVICEB');
is(EasTest::tag($r->{xml}, 'Count'), '0', 'after a replay the current key is still valid');

# Duplicate name, bad key, system folder, unknown and foreign folders.
$r = $t->request(cmd => 'FolderCreate', xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$key2</SyncKey><ParentId>0</ParentId><DisplayName>Family</DisplayName><Type>14</Type></FolderCreate>});
is(EasTest::tag($r->{xml}, 'Status'), '2', 'FolderCreate with a taken name: Status 2');
$r = $t->request(cmd => 'FolderCreate', xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>999</SyncKey><ParentId>0</ParentId><DisplayName>X</DisplayName><Type>14</Type></FolderCreate>});
is(EasTest::tag($r->{xml}, 'Status'), '9', 'FolderCreate with a wrong key: Status 9');
$r = $t->request(cmd => 'FolderCreate', xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$key2</SyncKey><ParentId>424242</ParentId><DisplayName>X</DisplayName><Type>14</Type></FolderCreate>});
is(EasTest::tag($r->{xml}, 'Status'), '5', 'FolderCreate under an unknown parent: Status 5');

$r = $t->request(cmd => 'FolderDelete', xml => qq{<FolderDelete xmlns="FolderHierarchy:"><SyncKey>$key2</SyncKey><ServerId>$folders->{Inbox}{id}</ServerId></FolderDelete>});
$t->valid_ok('FolderDelete', $r);
is(EasTest::tag($r->{xml}, 'Status'), '3', 'deleting the Inbox: Status 3');

$r = $t->request(cmd => 'FolderUpdate', xml => qq{<FolderUpdate xmlns="FolderHierarchy:"><SyncKey>$key2</SyncKey><ServerId>424242</ServerId><ParentId>0</ParentId><DisplayName>Y</DisplayName></FolderUpdate>});
is(EasTest::tag($r->{xml}, 'Status'), '4', 'updating an unknown folder: Status 4');

# Bob cannot touch Alice's folder, and learns nothing about it.
my $bob_key = EasTest::tag(folder_sync('0', user => 'bob', password => 'hunter2', device => 'BOBPHONE')->{xml}, 'SyncKey');
$r = $t->request(cmd => 'FolderDelete', user => 'bob', password => 'hunter2', device => 'BOBPHONE',
                 xml => qq{<FolderDelete xmlns="FolderHierarchy:"><SyncKey>$bob_key</SyncKey><ServerId>$family</ServerId></FolderDelete>});
is(EasTest::tag($r->{xml}, 'Status'), '4', "another user's folder id does not exist for bob");

# Rename, then delete; the other device follows.
$r = $t->request(cmd => 'FolderUpdate', xml => qq{<FolderUpdate xmlns="FolderHierarchy:"><SyncKey>$key2</SyncKey><ServerId>$family</ServerId><ParentId>0</ParentId><DisplayName>Family and Friends</DisplayName></FolderUpdate>});
$t->valid_ok('FolderUpdate', $r);
is(EasTest::tag($r->{xml}, 'Status'), '1', 'FolderUpdate: Status 1');
my $key3 = EasTest::tag($r->{xml}, 'SyncKey');

$r = folder_sync($key_b2, device => 'DEVICEB');
like($r->{xml}, qr{<Update><ServerId>$family</ServerId><ParentId>0</ParentId><DisplayName>Family and Friends</DisplayName>},
     'the other device gets the rename as an Update');
my $key_b3 = EasTest::tag($r->{xml}, 'SyncKey');

$r = $t->request(cmd => 'FolderDelete', xml => qq{<FolderDelete xmlns="FolderHierarchy:"><SyncKey>$key3</SyncKey><ServerId>$family</ServerId></FolderDelete>});
is(EasTest::tag($r->{xml}, 'Status'), '1', 'FolderDelete: Status 1');

$r = folder_sync($key_b3, device => 'DEVICEB');
like($r->{xml}, qr{<Delete><ServerId>$family</ServerId></Delete>}, 'the other device gets the Delete');

# An unknown key: Status 9, and key 0 starts over.
$r = folder_sync('12345');
is(EasTest::tag($r->{xml}, 'Status'), '9', 'an unknown SyncKey: Status 9');
$r = folder_sync('0');
is(EasTest::tag($r->{xml}, 'Count'), '9', 'SyncKey 0 starts over with the current folders');

# Bob's folders are his own.
$r = folder_sync('0', user => 'bob', password => 'hunter2', device => 'BOBPHONE');
is(EasTest::tag($r->{xml}, 'Count'), '9', 'bob sees his nine folders only');

$t->stop;
done_testing;
