# A device that stops syncing does not hold the change log back forever:
# with eas_sync_state_expiry, a device neither syncing a folder nor seen
# for that long is forgotten by the folder (the tombstones kept for it go)
# and, when it comes back, is told to resync (Status 3) — never sent wrong
# data. After the resync it holds exactly what the folder holds. The same
# for the folder hierarchy: a forgotten device's FolderSync gets Status 9.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;
use Time::HiRes qw(sleep);

my $t = EasTest->new(location => "eas on;\neas_sync_state_expiry 5s;\n");
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

my $r = $t->request(cmd => 'FolderSync', device => 'PHONEA',
                    xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
my $contacts = EasTest::folder_adds($r->{xml})->{Contacts}{id};
ok($contacts, 'the Contacts folder');
my $a_fs = EasTest::tag($r->{xml}, 'SyncKey');
my $b_fs = EasTest::tag($t->folder_sync('0', device => 'PHONEB')->{xml}, 'SyncKey');

sub sync { my ($device, $key, %o) = @_; return $t->sync_collection($device, $contacts, $key, %o) }

sub contact {
    my ($first) = @_;
    return qq{<ApplicationData><FirstName xmlns="Contacts:">$first</FirstName></ApplicationData>};
}

# A adds three contacts; B syncs them.
my $a = EasTest::tag(sync('PHONEA', '0')->{xml}, 'SyncKey');
$r = sync('PHONEA', $a, commands => join '', map { "<Add><ClientId>c$_</ClientId>" . contact("Name$_") . '</Add>' } 1 .. 3);
my %sid = $r->{xml} =~ m{<ClientId>(c\d)</ClientId><ServerId>([^<]+)</ServerId>}g;
is(scalar keys %sid, 3, 'three contacts added');
$a = EasTest::tag($r->{xml}, 'SyncKey');
my $b = EasTest::tag(sync('PHONEB', '0')->{xml}, 'SyncKey');
$r = sync('PHONEB', $b);
is(scalar(() = $r->{xml} =~ m{<Add>}g), 3, 'B gets the three contacts');
$b = EasTest::tag($r->{xml}, 'SyncKey');

# B goes quiet. After the expiry, A deletes one and syncs: the folder
# forgets B, and with it the tombstone kept for B.
sleep 6.2;  # past the expiry, with room for a loaded machine
$r = sync('PHONEA', $a, commands => "<Delete><ServerId>$sid{c1}</ServerId></Delete>");
$a = EasTest::tag($r->{xml}, 'SyncKey');
like($t->error_log, qr/forgot 1 device.*PHONEB/, 'the log names the device forgotten');
$r = $t->request(cmd => 'FolderCreate', device => 'PHONEA',
                 xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$a_fs</SyncKey><ParentId>0</ParentId><DisplayName>Friends</DisplayName><Type>14</Type></FolderCreate>});
like($r->{xml}, qr{<Status>1</Status>}, 'A creates a folder');

# B's folder hierarchy was forgotten too: FolderSync Status 9, then a new start.
$r = $t->folder_sync($b_fs, device => 'PHONEB');
like($r->{xml}, qr{<Status>9</Status>}, 'the expired device must start its FolderSync over (Status 9)');
$r = $t->folder_sync('0', device => 'PHONEB');
ok(EasTest::folder_adds($r->{xml})->{Friends}, '... and then gets every folder, the new one too');

# B comes back: Status 3 with SyncKey 0, not a Delete it cannot place.
$r = sync('PHONEB', $b);
like($r->{xml}, qr{<SyncKey>0</SyncKey><CollectionId>$contacts</CollectionId><Status>3</Status>},
     'the expired device is told to resync (Status 3)');
unlike($r->{xml}, qr/<Delete>/, '... and sent no Delete');

# The resync brings exactly the two live contacts, and nothing after.
$b = EasTest::tag(sync('PHONEB', '0')->{xml}, 'SyncKey');
$r = sync('PHONEB', $b);
is_deeply([sort $r->{xml} =~ m{<Add><ServerId>([^<]+)</ServerId>}g], [sort @sid{qw(c2 c3)}],
          'after the resync B holds the two live contacts');
unlike($r->{xml}, qr/<Delete>|<MoreAvailable/, '... no Delete, no MoreAvailable');
$b = EasTest::tag($r->{xml}, 'SyncKey');
is(sync('PHONEB', $b)->{body}, '', 'and then nothing');

# A, which kept syncing, was not forgotten: its next Sync works.
$r = sync('PHONEA', $a, commands => '<Add><ClientId>c4</ClientId>' . contact('Name4') . '</Add>');
like($r->{xml}, qr{<Status>1</Status>}, 'the device that kept syncing goes on');
unlike($r->{xml}, qr{<Status>3</Status>}, '... without a resync');
$r = sync('PHONEB', $b);
like($r->{xml}, qr{<Add><ServerId>[^<]+</ServerId><ApplicationData>.*Name4}s, 'B gets the new contact');

$t->stop;
done_testing;
