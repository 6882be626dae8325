# MoveItems between mail folders, end to end: a message moved from the
# Inbox into a user folder gets a new ServerId there; the moving device is
# sent neither the Delete nor the Add it made, another device gets both
# (and its held Ping wakes); the same request sent again gets the same
# answer byte for byte and makes no second copy; moves to Deleted Items and
# back; every failure gets its MoveItems Status (unknown item 1, unknown
# destination 2, same folder 4, another class of folder 5, a read-only
# share 7) and a log line; a malformed request gets Status 103 (HTTP 400
# before 14.0). Every answer is valid against the schemas.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'hunter2', 'bob@example.org');
$t->start;

sub deliver {
    my ($message) = @_;
    my $in = $t->dir . '/message.eml';
    EasTest::write_file($in, $message);
    my $cmd = join ' ', map { quotemeta } "$EasTest::BUILD/eas-deliver", '--store', $t->store, '-d', 'alice@example.org';
    my $out = `$cmd < $in 2>&1`;
    return ($? >> 8, $out);
}

for my $n (qw(One Two Three)) {
    my ($rc, $out) = deliver("From: Bob <bob\@example.com>\r\nTo: alice\@example.org\r\nSubject: Message $n\r\n"
        . "Message-ID: <$n\@example.com>\r\nContent-Type: text/plain\r\n\r\nThis is message $n.\r\n");
    is($rc, 0, "message $n delivered") or diag $out;
}

# --- folders: the Inbox, Deleted Items, Contacts and a new mail folder ---

my $r = $t->folder_sync('0', device => 'PHONE');
my $folders = EasTest::folder_adds($r->{xml});
my ($inbox, $trash, $contacts) = map { $folders->{$_}{id} } 'Inbox', 'Deleted Items', 'Contacts';
ok($inbox && $trash && $contacts, 'FolderSync offers the Inbox, Deleted Items and Contacts');
my $hkey = EasTest::tag($r->{xml}, 'SyncKey');
$r = $t->request(cmd => 'FolderCreate', device => 'PHONE',
    xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$hkey</SyncKey><ParentId>0</ParentId><DisplayName>Projects</DisplayName><Type>12</Type></FolderCreate>});
$t->valid_ok('FolderCreate', $r);
my $projects = EasTest::tag($r->{xml}, 'ServerId');
ok($projects, "FolderCreate makes the mail folder Projects ($projects)");
$r = $t->folder_sync('0', device => 'OTHER');
is(EasTest::folder_adds($r->{xml})->{Projects}{id}, $projects, 'OTHER sees Projects too');

my %key;
sub sync_mail {
    my ($device, $folder, %o) = @_;
    my $k = $key{"$device/$folder"} //= EasTest::tag($t->sync_collection($device, $folder, '0')->{xml}, 'SyncKey');
    my $r = $t->sync_collection($device, $folder, $k, %o);
    my $next = EasTest::tag($r->{xml}, 'SyncKey');
    $key{"$device/$folder"} = $next if defined $next;
    return $r;
}

# Decoded XML without namespace declarations.
sub plain { my ($xml) = @_; $xml =~ s/ xmlns="[^"]*"//g; return $xml }

# ServerId => Subject of every Add in a Sync answer.
sub adds {
    my ($xml) = @_;
    $xml = plain($xml);
    my %by_id;
    for my $add ($xml =~ m{<Add>(.*?)</Add>}gs) {
        $by_id{ EasTest::tag($add, 'ServerId') } = EasTest::tag($add, 'Subject') // '';
    }
    return \%by_id;
}
sub deletes { my ($xml) = @_; return [ $xml =~ m{<Delete><ServerId>([^<]+)</ServerId></Delete>}g ] }

my $phone_inbox = adds(sync_mail('PHONE', $inbox)->{xml});
is(scalar(keys %$phone_inbox), 3, 'PHONE gets the three messages');
my %id_of = reverse %$phone_inbox;
my $two = $id_of{'Message Two'};
ok($two, "Message Two is $two");
is(scalar(keys %{ adds(sync_mail('PHONE', $projects)->{xml}) }), 0, 'Projects starts empty on PHONE');
is(scalar(keys %{ adds(sync_mail('OTHER', $inbox)->{xml}) }), 3, 'OTHER gets the three messages');
is(scalar(keys %{ adds(sync_mail('OTHER', $projects)->{xml}) }), 0, 'Projects starts empty on OTHER');

sub move_xml {
    my (@moves) = @_;
    return '<MoveItems xmlns="Move:">'
        . join('', map { "<Move><SrcMsgId>$_->[0]</SrcMsgId><SrcFldId>$_->[1]</SrcFldId><DstFldId>$_->[2]</DstFldId></Move>" } @moves)
        . '</MoveItems>';
}

# The <Response>s of an answer, in order: [SrcMsgId, Status, DstMsgId].
sub responses {
    my ($xml) = @_;
    $xml = plain($xml);
    return [ map { [ EasTest::tag($_, 'SrcMsgId'), EasTest::tag($_, 'Status'), EasTest::tag($_, 'DstMsgId') ] }
             $xml =~ m{<Response>(.*?)</Response>}gs ];
}

sub move_items {
    my (%o) = @_;
    my $r = $t->request(cmd => 'MoveItems', device => 'PHONE', %o);
    is($r->{status}, 200, 'MoveItems answers 200');
    $t->valid_ok('MoveItems', $r);
    return $r;
}

# --- Inbox -> Projects, while OTHER waits in a Ping ---

my $ping = $t->ping_start(device => 'OTHER', xml => '<Ping xmlns="Ping:"><HeartbeatInterval>60</HeartbeatInterval><Folders>'
    . "<Folder><Id>$inbox</Id><Class>Email</Class></Folder><Folder><Id>$projects</Id><Class>Email</Class></Folder></Folders></Ping>");
select(undef, undef, undef, 0.3);
my $request = $t->wbxml(move_xml([$two, $inbox, $projects]));
my $moved_r = move_items(body => $request);
my ($answer) = @{ responses($moved_r->{xml}) };
is($answer->[0], $two, 'the answer names the message moved');
is($answer->[1], '3', '... Status 3 (success)');
my $moved = $answer->[2] // '';
like($moved, qr/^\Q$projects\E:\d+$/, "... DstMsgId $moved names the destination");
my $pinged = $t->ping_finish($ping, 10);
is(EasTest::tag($pinged->{xml}, 'Status'), '2', "OTHER's held Ping wakes with Status 2");
$ping = $t->ping_start(device => 'PHONE', xml => '<Ping xmlns="Ping:"><HeartbeatInterval>60</HeartbeatInterval><Folders>'
    . "<Folder><Id>$inbox</Id><Class>Email</Class></Folder><Folder><Id>$projects</Id><Class>Email</Class></Folder></Folders></Ping>");
$pinged = $t->ping_finish($ping, 2);
is($pinged->{status}, 0, "PHONE's Ping is not woken by its own move (still held after 2 s)")
    or diag $pinged->{xml};

$r = sync_mail('PHONE', $inbox);
is_deeply(deletes($r->{xml}), [], "PHONE's next Inbox sync has no Delete for the message it moved");
$r = sync_mail('PHONE', $projects);
is_deeply(adds($r->{xml}), {}, "PHONE's next Projects sync has no Add for it");

$r = sync_mail('OTHER', $inbox);
is_deeply(deletes($r->{xml}), [$two], 'OTHER gets a Delete in the Inbox');
$r = sync_mail('OTHER', $projects);
is_deeply(adds($r->{xml}), { $moved => 'Message Two' }, '... and an Add in Projects with the same subject');
like($r->{xml}, qr{This is message Two\.}, '... and the same body (the shared original)');

# --- the same request again: the same answer, no second copy ---

my $again = move_items(body => $request);
ok($again->{body} eq $moved_r->{body}, 'the same request again gets the same answer, byte for byte');
like($t->error_log, qr/MoveItems: the same request again: the same answer, nothing moved/, '... said in the log');
$r = sync_mail('OTHER', $projects);
is_deeply(adds($r->{xml}), {}, 'OTHER is sent no second copy');
$r = sync_mail('FRESH', $projects);
is_deeply(adds($r->{xml}), { $moved => 'Message Two' }, 'a fresh device finds exactly one copy in Projects');
is(scalar(keys %{ adds(sync_mail('FRESH', $inbox)->{xml}) }), 2, '... and two messages in the Inbox');

# --- to Deleted Items and back ---

$r = move_items(xml => move_xml([$moved, $projects, $trash]));
my $trashed = responses($r->{xml})->[0][2] // '';
is(responses($r->{xml})->[0][1], '3', 'Projects -> Deleted Items: Status 3');
like($trashed, qr/^\Q$trash\E:\d+$/, '... with a ServerId in Deleted Items');
$r = move_items(xml => move_xml([$trashed, $trash, $inbox]));
my $back = responses($r->{xml})->[0][2] // '';
is(responses($r->{xml})->[0][1], '3', 'Deleted Items -> Inbox: Status 3');
like($back, qr/^\Q$inbox\E:\d+$/, '... with a new ServerId in the Inbox');
isnt($back, $two, '... not the one it had before');
is_deeply(adds(sync_mail('PHONE', $inbox)->{xml}), {}, 'PHONE is sent nothing for the Inbox');
is_deeply(deletes(sync_mail('PHONE', $projects)->{xml}), [], '... nor for Projects');
$r = sync_mail('OTHER', $projects);
is_deeply(deletes($r->{xml}), [$moved], 'OTHER: a Delete in Projects');
$r = sync_mail('OTHER', $inbox);
is_deeply(adds($r->{xml}), { $back => 'Message Two' }, '... an Add in the Inbox');
$r = sync_mail('OTHER', $trash);
is_deeply(adds($r->{xml}), {}, '... and nothing in Deleted Items, where it stayed only a moment');

# --- each failure its Status, in one request ---

my $one = $id_of{'Message One'};
my $three = $id_of{'Message Three'};
$r = move_items(xml => move_xml(
    [$two, $inbox, $projects],          # moved away before: gone from the Inbox
    ["$inbox:999999", $inbox, $projects],
    [$one, $inbox, '424242'],
    [$one, $inbox, $inbox],
    [$one, $inbox, $contacts],
    [$three, $inbox, $projects],        # and one that works
));
my $all = responses($r->{xml});
is_deeply([ map { [ $_->[0], $_->[1] ] } @$all ],
    [ [$two, 1], ["$inbox:999999", 1], [$one, 2], [$one, 4], [$one, 5], [$three, 3] ],
    'Status 1 for a message moved away and for an unknown item, 2 for an unknown destination, '
    . '4 for the same folder, 5 for a message into Contacts; the good Move still succeeds');
is(scalar(grep { defined $_->[2] } @$all), 1, '... and only the success has a DstMsgId');
like($t->error_log, qr/MoveItems: 5 of 6 not moved: \Q$two\E from folder $inbox to $projects: Status 1 \(no such item in folder $inbox\).*Status 5 \(folder $contacts \(type 9\) holds another class of item than folder $inbox \(type 2\)\)/,
     'the failures are logged, each with its reason');

$r = move_items(xml => move_xml([$one, '999999', $projects]));
is(responses($r->{xml})->[0][1], '1', 'an unknown source folder: Status 1');

# --- a read-only share: Status 7; a read-write one moves across users ---

sub easctl_ok {
    my ($name, @args) = @_;
    my ($rc, $out) = $t->easctl(@args);
    is($rc, 0, $name) or diag($out);
    return $out;
}
my ($board) = easctl_ok('bob makes an address book', 'folder', 'add', '--user', 'bob', '--type', 'contacts', 'Board') =~ /folder (\d+) /;
my ($team) = easctl_ok('... and another', 'folder', 'add', '--user', 'bob', '--type', 'contacts', 'Team') =~ /folder (\d+) /;
easctl_ok('Board is shared with alice read-only', 'share', $board, '--with', 'alice', '--read-only');
easctl_ok('Team is shared with alice read-write', 'share', $team, '--with', 'alice', '--read-write');
sync_mail('PHONE', $contacts);
$r = sync_mail('PHONE', $contacts, commands => '<Add><ClientId>c1</ClientId><ApplicationData>'
    . '<FileAs xmlns="Contacts:">Doe, Jane</FileAs><FirstName xmlns="Contacts:">Jane</FirstName><LastName xmlns="Contacts:">Doe</LastName>'
    . '</ApplicationData></Add>');
my $jane = EasTest::tag($r->{xml}, 'ServerId');
ok($jane, "alice adds a contact ($jane)");
$r = move_items(xml => move_xml([$jane, $contacts, $board]));
is(responses($r->{xml})->[0][1], '7', 'into a read-only share: Status 7');
like($t->error_log, qr/Status 7 \(folder $board is read-only for alice\)/, '... logged');
$r = move_items(xml => move_xml([$jane, $contacts, $team]));
is(responses($r->{xml})->[0][1], '3', 'contacts to contacts, into a read-write share: Status 3');
$r = $t->request(cmd => 'Sync', user => 'bob', password => 'hunter2', device => 'BOBPHONE',
    xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>0</SyncKey><CollectionId>$team</CollectionId></Collection></Collections></Sync>});
my $bob_key = EasTest::tag($r->{xml}, 'SyncKey');
$r = $t->request(cmd => 'Sync', user => 'bob', password => 'hunter2', device => 'BOBPHONE',
    xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$bob_key</SyncKey><CollectionId>$team</CollectionId><GetChanges/></Collection></Collections></Sync>});
like(plain($r->{xml}), qr{<Add><ServerId>\Q$team\E:\d+</ServerId><ApplicationData>.*<FileAs>Doe, Jane</FileAs>}, 'bob finds the contact in his address book');

# --- malformed requests ---

for my $case (['no Move', '<MoveItems xmlns="Move:"/>'],
              ['a Move without DstFldId', qq{<MoveItems xmlns="Move:"><Move><SrcMsgId>$one</SrcMsgId><SrcFldId>$inbox</SrcFldId></Move></MoveItems>}],
              ['another root', '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>']) {
    $r = move_items(xml => $case->[1]);
    like(plain($r->{xml}), qr{<MoveItems><Status>103</Status></MoveItems>},
         "$case->[0]: Status 103 (InvalidXML) in MoveItems");
}
like($t->error_log, qr/MoveItems: malformed request .*answered Status 103/, 'a malformed request is logged');
$r = $t->request(cmd => 'MoveItems', device => 'PHONE', version => '12.1', xml => '<MoveItems xmlns="Move:"/>');
is($r->{status}, 400, 'before 14.0 a malformed request is HTTP 400');

# --- 12.1 moves too ---

$r = $t->request(cmd => 'MoveItems', device => 'OLDPHONE', version => '12.1', xml => move_xml([$one, $inbox, $projects]));
is($r->{status}, 200, '12.1: MoveItems answers 200');
$t->valid_ok('MoveItems', $r);
is(responses($r->{xml})->[0][1], '3', '12.1: Status 3');

$t->stop;
done_testing;
