# Isolation (issue 16 point 4): alice, with her own valid credentials and
# device, tries every way a command can name something of bob's (his
# folder ids, item ServerIds, FileReferences, LongIds, meeting requests, a
# Find SearchId he used, his DeviceId, User=bob in the request line). Each
# attempt gets the protocol's status for "not there", leaves a log line,
# shows none of bob's data, and changes nothing of his: a fresh device of
# bob's sees exactly what it saw before. Then hostile input: an attachment
# name that is a path, a symbolic link in an imported Maildir, WBXML nested
# 100,000 deep, MIME nested 2,000 deep, HTML nested 100,000 deep, a body
# over eas_max_body_size, a slow-loris body, LMTP to another domain and an
# LMTP client stalling in DATA: each refused or cut off with its status and
# a log line, nothing stored that should not be, the server still serving.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use ItipMail;
use MiniWbxml;
use MIME::Base64 qw(encode_base64);
use IO::Select;
use IO::Socket::INET;
use Test::More;
use Time::HiRes ();

# Short timeouts and a small body limit, so slow and oversize clients are
# cut off within the test.
my $t = EasTest->new(lmtp => 1,
    location => "eas on;\n            eas_max_body_size 256k;\n",
    server => 'client_body_timeout 2s;',
    lmtp_server => undef);
$t->{lmtp_server} = "eas_lmtp on;\n        eas_store " . $t->store . ";\n        eas_lmtp_timeout 2s;";
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'secret', 'bob@example.org');
$t->start;

my %bob = (user => 'bob');  # the harness's default password
# Words that appear only in bob's data: no answer to alice may hold one.
my $secret_re = qr/Payroll|salary-figures|bobs-plan\.pdf|Quartermaine|Zanzibar offsite/;

sub plain { my ($x) = @_; $x =~ s/ xmlns="[^"]*"//g; return $x }

# --- bob's mailbox, contacts and calendar ---

my $pdf64 = encode_base64("%PDF-1.4\n" . ('bob only ' x 200) . "\n%%EOF\n");
my ($rc, $out) = $t->deliver(EasTest::crlf(<<"EOM"), '-d', 'bob');
From: HR <hr\@example.org>
To: Bob <bob\@example.org>
Subject: Payroll
Message-ID: <payroll-1\@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

The salary-figures are attached.
--b
Content-Type: application/pdf; name="bobs-plan.pdf"
Content-Disposition: attachment; filename="bobs-plan.pdf"
Content-Transfer-Encoding: base64

$pdf64
--b--
EOM
is($rc, 0, "bob's payroll mail is delivered") or diag $out;
my $invite = ItipMail::invitation('offsite', 'REQUEST', <<'EOV', from => 'Anna <anna@elsewhere.example>', to => 'Bob <bob@example.org>');
BEGIN:VEVENT
UID:offsite@example.org
SEQUENCE:0
DTSTAMP:20261203T110000Z
DTSTART:20270110T090000Z
DTEND:20270110T170000Z
SUMMARY:Zanzibar offsite
ORGANIZER;CN=Anna:mailto:anna@elsewhere.example
ATTENDEE;CN=Bob;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.org
END:VEVENT
EOV
($rc, $out) = $t->deliver($invite, '-d', 'bob');
is($rc, 0, "bob's meeting invitation is delivered") or diag $out;

my $bf = EasTest::folder_adds($t->folder_sync('0', %bob, device => 'BOBPHONE')->{xml});
my ($b_inbox, $b_contacts, $b_calendar, $b_trash) =
    map { $bf->{$_}{id} } 'Inbox', 'Contacts', 'Calendar', 'Deleted Items';

# bob's phone: his Inbox (the two mails) and a contact of his.
my $key = EasTest::tag($t->sync_collection('BOBPHONE', $b_inbox, '0', %bob)->{xml}, 'SyncKey');
my $r = $t->sync_collection('BOBPHONE', $b_inbox, $key, %bob,
    options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>');
my $x = plain($r->{xml});
my %b_mail;
while ($x =~ m{<Add><ServerId>([^<]+)</ServerId>(.*?)</Add>}gs) { $b_mail{ EasTest::tag($2, 'Subject') } = $1 }
my $payroll = $b_mail{Payroll};
my $b_invite = $b_mail{'Invitation offsite'};
my ($b_ref) = $x =~ m{<FileReference>([^<]+)</FileReference>};
ok($payroll && $b_invite && $b_ref, "bob's phone has the payroll mail, its attachment and the invitation")
    or diag $x;

$key = EasTest::tag($t->sync_collection('BOBPHONE', $b_contacts, '0', %bob)->{xml}, 'SyncKey');
$r = $t->sync_collection('BOBPHONE', $b_contacts, $key, %bob,
    commands => '<Add><ClientId>c1</ClientId><ApplicationData><FileAs xmlns="Contacts:">Quartermaine, Ed</FileAs>'
              . '<FirstName xmlns="Contacts:">Ed</FirstName><LastName xmlns="Contacts:">Quartermaine</LastName>'
              . '<Email1Address xmlns="Contacts:">ed@elsewhere.example</Email1Address></ApplicationData></Add>');
my ($b_contact) = plain($r->{xml}) =~ m{<ServerId>([^<]+)</ServerId>};
ok($b_contact, "bob adds a contact") or diag $r->{xml};

# What bob's own view is now: every device must see exactly this at the end.
sub bob_view {
    my ($device) = @_;
    my %view;
    for my $folder ($b_inbox, $b_contacts, $b_calendar) {
        my $k = EasTest::tag($t->sync_collection($device, $folder, '0', %bob)->{xml}, 'SyncKey');
        my $res = $t->sync_collection($device, $folder, $k, %bob,
            options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>');
        my $v = plain($res->{xml});
        $v =~ s{<SyncKey>[^<]*</SyncKey>}{};
        $view{$folder} = join "\n", sort $v =~ m{<Add>(.*?)</Add>}gs;
    }
    return \%view;
}
my $before = bob_view('BOBVIEW1');
ok(length $before->{$b_inbox} && length $before->{$b_contacts}, "bob's view before alice tries anything");

# --- alice's own phone ---

my $af = EasTest::folder_adds($t->folder_sync('0', device => 'PHONE')->{xml});
my ($a_inbox, $a_contacts, $a_trash) = map { $af->{$_}{id} } 'Inbox', 'Contacts', 'Deleted Items';
ok(!grep({ $_->{id} eq $b_inbox } values %$af), "alice's FolderSync has none of bob's folders");

# Every answer to alice is checked for bob's words.
sub alice {
    my ($name, %o) = @_;
    my $r = $t->request(device => 'PHONE', %o);
    unlike(($r->{xml} // '') . ($r->{content} // ''), $secret_re, "$name: nothing of bob's in the answer");
    return $r;
}
sub status_of { my ($x, $path) = @_; return plain($x) =~ $path ? $1 : '' }

# 1. User= naming bob with alice's password: 401, logged.
$r = alice('User=bob', cmd => 'FolderSync', query_user => 'bob',
    xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
is($r->{status}, 401, 'User=bob in the request line with alice\'s credentials: 401');
like($t->error_log, qr/User=bob in the request line is not the authenticated user "alice"/, '... and a log line says why');

# 2. Sync of bob's collections: Status 12 (no such folder for her).
for my $folder ($b_inbox, $b_contacts, $b_calendar) {
    $r = alice("Sync of bob's folder $folder", cmd => 'Sync',
        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>0</SyncKey><CollectionId>$folder</CollectionId></Collection></Collections></Sync>});
    is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '12', "Sync of bob's folder $folder: Status 12");
}

# 3. bob's ServerIds inside alice's own Inbox collection: Fetch, Change
# and Delete answer 8 (object not found) and touch nothing.
$key = EasTest::tag($t->sync_collection('PHONE', $a_inbox, '0')->{xml}, 'SyncKey');
$r = alice("Sync commands on bob's message", cmd => 'Sync',
    xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$key</SyncKey><CollectionId>$a_inbox</CollectionId><Commands>}
         . qq{<Fetch><ServerId>$payroll</ServerId></Fetch>}
         . qq{<Change><ServerId>$payroll</ServerId><ApplicationData><Read xmlns="Email:">1</Read></ApplicationData></Change>}
         . qq{<Delete><ServerId>$b_invite</ServerId></Delete>}
         . '</Commands></Collection></Collections></Sync>');
$t->valid_ok('Sync', $r);
$x = plain($r->{xml});
is(status_of($x, qr{<Fetch><ServerId>\Q$payroll\E</ServerId><Status>(\d+)</Status>}), '8', "Sync Fetch of bob's message: Status 8");
is(status_of($x, qr{<Change><ServerId>\Q$payroll\E</ServerId><Status>(\d+)</Status>}), '8', "Sync Change of bob's message: Status 8");
is(status_of($x, qr{<Delete><ServerId>\Q$b_invite\E</ServerId><Status>(\d+)</Status>}), '8', "Sync Delete of bob's message: Status 8");
$key = EasTest::tag($x, 'SyncKey') // $key;

# 4. ItemOperations: by CollectionId+ServerId, by LongId, by FileReference,
# and EmptyFolderContents of bob's Inbox.
sub item_ops {
    my ($name, $inner) = @_;
    my $r = alice($name, cmd => 'ItemOperations',
        xml => qq{<ItemOperations xmlns="ItemOperations:">$inner</ItemOperations>});
    is($r->{status}, 200, "$name: HTTP 200");
    $t->valid_ok('ItemOperations', $r);
    return plain($r->{xml});
}
my $fetch_status = qr{<(?:Fetch|EmptyFolderContents)><Status>(\d+)</Status>};
is(status_of(item_ops("Fetch bob's message by ServerId",
    qq{<Fetch><Store>Mailbox</Store><CollectionId xmlns="AirSync:">$b_inbox</CollectionId><ServerId xmlns="AirSync:">$payroll</ServerId></Fetch>}),
    $fetch_status), '6', "ItemOperations Fetch of bob's message by ServerId: Status 6");
is(status_of(item_ops("Fetch bob's message by LongId",
    qq{<Fetch><Store>Mailbox</Store><LongId xmlns="Search:">$payroll</LongId></Fetch>}),
    $fetch_status), '6', "... by LongId: Status 6");
is(status_of(item_ops("Fetch bob's attachment",
    qq{<Fetch><Store>Mailbox</Store><FileReference xmlns="AirSyncBase:">$b_ref</FileReference></Fetch>}),
    $fetch_status), '15', "... bob's attachment by FileReference: Status 15");
isnt(status_of(item_ops("EmptyFolderContents of bob's Trash",
    qq{<EmptyFolderContents><CollectionId xmlns="AirSync:">$b_inbox</CollectionId></EmptyFolderContents>}),
    $fetch_status), '1', "EmptyFolderContents of bob's Inbox: refused");

# 5. GetAttachment (12.1 and earlier) with bob's FileReference.
$r = alice("GetAttachment of bob's attachment", version => '12.1',
    query => "Cmd=GetAttachment&User=alice&DeviceId=PHONE&DeviceType=iPhone&AttachmentName=$b_ref");
isnt($r->{status}, 200, "GetAttachment of bob's attachment: refused (HTTP $r->{status})");

# 6. MoveItems: bob's message into alice's Inbox, and alice's into bob's.
$r = alice("MoveItems of bob's message", cmd => 'MoveItems',
    xml => qq{<MoveItems xmlns="Move:"><Move><SrcMsgId>$payroll</SrcMsgId><SrcFldId>$b_inbox</SrcFldId><DstFldId>$a_inbox</DstFldId></Move></MoveItems>});
$t->valid_ok('MoveItems', $r);
is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '1', "MoveItems of bob's message: Status 1 (invalid source)");
($rc, $out) = $t->deliver(EasTest::crlf("From: x\@example.org\nTo: alice\@example.org\nSubject: Alice's own\n\nhers\n"), '-d', 'alice');
$r = $t->sync_collection('PHONE', $a_inbox, $key);
my ($a_msg) = plain($r->{xml}) =~ m{<Add><ServerId>([^<]+)</ServerId>};
$key = EasTest::tag($r->{xml}, 'SyncKey') // $key;
$r = alice("MoveItems into bob's Inbox", cmd => 'MoveItems',
    xml => qq{<MoveItems xmlns="Move:"><Move><SrcMsgId>$a_msg</SrcMsgId><SrcFldId>$a_inbox</SrcFldId><DstFldId>$b_inbox</DstFldId></Move></MoveItems>});
is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '2', "MoveItems into bob's Inbox: Status 2 (invalid destination)");

# 7. GetItemEstimate of bob's Inbox: Status 2.
$r = alice("GetItemEstimate of bob's Inbox", cmd => 'GetItemEstimate',
    xml => qq{<GetItemEstimate xmlns="GetItemEstimate:"><Collections><Collection><SyncKey xmlns="AirSync:">1</SyncKey>}
         . qq{<CollectionId>$b_inbox</CollectionId></Collection></Collections></GetItemEstimate>});
is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '2', "GetItemEstimate of bob's Inbox: Status 2");

# 8. SmartReply / SmartForward naming bob's message (by folder and item,
# and by LongId): Status 150, nothing sent.
for my $cmd ('SmartReply', 'SmartForward') {
    for my $source ("<FolderId>$b_inbox</FolderId><ItemId>$payroll</ItemId>", "<LongId>$payroll</LongId>") {
        my $mime = encode_base64(EasTest::crlf("To: carol\@elsewhere.example\nSubject: fw\n\nsee below\n"), '');
        $r = alice("$cmd of bob's message", cmd => $cmd,
            xml => qq{<$cmd xmlns="ComposeMail:"><ClientId>iso-$cmd-} . length($source) . qq{</ClientId><Source>$source</Source><MIME>$mime</MIME></$cmd>});
        is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '150', "$cmd naming bob's message ($source): Status 150");
    }
}
is(scalar @{ $t->outgoing_queue }, 0, '... and nothing was queued to go out');

# 9. MeetingResponse to bob's invitation, from his Inbox and by LongId.
for my $req ("<CollectionId>$b_inbox</CollectionId><RequestId>$b_invite</RequestId>", qq{<LongId xmlns="Search:">$b_invite</LongId>}) {
    $r = alice("MeetingResponse to bob's invitation", cmd => 'MeetingResponse',
        xml => qq{<MeetingResponse xmlns="MeetingResponse:"><Request><UserResponse>1</UserResponse>$req</Request></MeetingResponse>});
    $t->valid_ok('MeetingResponse', $r);
    is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '2', "MeetingResponse to bob's invitation: Status 2");
}

# 10. Folder commands on bob's folders.
my $fkey = EasTest::tag($t->folder_sync('0', device => 'PHONE')->{xml}, 'SyncKey');
$r = alice("FolderUpdate of bob's Inbox", cmd => 'FolderUpdate',
    xml => qq{<FolderUpdate xmlns="FolderHierarchy:"><SyncKey>$fkey</SyncKey><ServerId>$b_contacts</ServerId><ParentId>0</ParentId><DisplayName>Mine now</DisplayName></FolderUpdate>});
is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '4', "FolderUpdate of bob's Contacts: Status 4");
$r = alice("FolderDelete of bob's Inbox", cmd => 'FolderDelete',
    xml => qq{<FolderDelete xmlns="FolderHierarchy:"><SyncKey>$fkey</SyncKey><ServerId>$b_calendar</ServerId></FolderDelete>});
is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '4', "FolderDelete of bob's Calendar: Status 4");
$r = alice("FolderCreate under bob's Inbox", cmd => 'FolderCreate',
    xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$fkey</SyncKey><ParentId>$b_inbox</ParentId><DisplayName>Spy</DisplayName><Type>12</Type></FolderCreate>});
is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '5', "FolderCreate under bob's Inbox: Status 5 (parent not found)");

# Her own hidden folder (Collected Addresses) is never shown, so it is no
# parent either.
my (undef, $flist) = $t->easctl('folder', 'list', '--user', 'alice', '--json');
my ($hidden) = $flist =~ /\{"id": "(\d+)"[^}]*"hidden": "yes"/;
ok($hidden, "alice has a hidden folder ($hidden)");
$r = alice("FolderCreate under her hidden folder", cmd => 'FolderCreate',
    xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$fkey</SyncKey><ParentId>$hidden</ParentId><DisplayName>Inside</DisplayName><Type>12</Type></FolderCreate>});
is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '5', "FolderCreate under the hidden folder: Status 5 (parent not found)");

# 11. Search of bob's Inbox by CollectionId, and Find in it.
$r = alice("Search in bob's Inbox", cmd => 'Search',
    xml => qq{<Search xmlns="Search:"><Store><Name>Mailbox</Name><Query><And><Class xmlns="AirSync:">Email</Class>}
         . qq{<CollectionId xmlns="AirSync:">$b_inbox</CollectionId><FreeText>Payroll</FreeText></And></Query>}
         . '<Options><Range>0-9</Range></Options></Store></Search>');
$t->valid_ok('Search', $r);
unlike(plain($r->{xml}), qr{<Result><LongId>}, "Search in bob's Inbox: no result");
$r = alice("Search for bob's words", cmd => 'Search',
    xml => qq{<Search xmlns="Search:"><Store><Name>Mailbox</Name><Query><And><Class xmlns="AirSync:">Email</Class>}
         . '<FreeText>salary</FreeText></And></Query><Options><Range>0-9</Range><DeepTraversal/></Options></Store></Search>');
unlike(plain($r->{xml}), qr{<Result><LongId>}, "Search of alice's whole mailbox for bob's words: no result");

# Find: bob searches first with a SearchId; alice's Find with the same
# SearchId gets her own (empty) result, not his.
sub find_as {
    my ($who, %o) = @_;
    my $crit = '<MailBoxSearchCriterion><Query><Class xmlns="AirSync:">Email</Class><FreeText>Payroll</FreeText>'
        . (defined $o{collection} ? qq{<CollectionId xmlns="AirSync:">$o{collection}</CollectionId>} : '')
        . '</Query><Options><Range>0-9</Range><DeepTraversal/></Options></MailBoxSearchCriterion>';
    my $body = MiniWbxml::encode(qq{<Find xmlns="Find:"><SearchId>5E5E5E5E-0000-4000-8000-000000000047</SearchId><ExecuteSearch>$crit</ExecuteSearch></Find>});
    my $r = $t->request(cmd => 'Find', version => '16.1', body => $body,
        $who eq 'bob' ? (%bob, device => 'BOBPHONE') : (device => 'PHONE'));
    return eval { MiniWbxml::decode($r->{body}) } // '';
}
like(find_as('bob'), qr/Payroll/, "bob's Find finds his payroll mail");
my $found = find_as('alice');
unlike($found, $secret_re, "alice's Find with bob's SearchId: nothing of his");
unlike(plain($found), qr{<Result>}, '... and no result at all');
unlike(plain(find_as('alice', collection => $b_inbox)), qr{<Result>}, "alice's Find in bob's Inbox: no result");

# 12. Ping on bob's folders: not in her hierarchy, so not watched: Status 7
# (a FolderSync is needed) at once.
$r = alice("Ping on bob's Inbox", cmd => 'Ping',
    xml => qq{<Ping xmlns="Ping:"><HeartbeatInterval>60</HeartbeatInterval><Folders><Folder><Id>$b_inbox</Id><Class>Email</Class></Folder></Folders></Ping>},
    timeout => 10);
my $ping_status = status_of($r->{xml}, qr{<Status>(\d+)</Status>});
ok($ping_status eq '7', "Ping naming bob's Inbox: Status 7 (folder hierarchy sync required), not held")
    or diag "Status $ping_status";

# 13. DeviceId reuse: bob's phone id used by alice is a device of hers.
# bob's SyncKey does not work for her, and his device's state is untouched.
$r = alice("Sync with bob's DeviceId and his key", device => 'BOBPHONE', cmd => 'Sync',
    xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$key</SyncKey><CollectionId>$b_inbox</CollectionId><GetChanges/></Collection></Collections></Sync>});
is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '12', "alice as BOBPHONE syncing bob's Inbox: Status 12");
my $a_fs = EasTest::folder_adds($t->folder_sync('0', device => 'BOBPHONE')->{xml});
is($a_fs->{Inbox}{id}, $a_inbox, 'alice with the DeviceId BOBPHONE gets her own folders');
my ($lrc, $list) = $t->easctl('device', 'list');
like($list, qr/\bbob\b.*\bBOBPHONE\b/, 'easctl lists bob\'s BOBPHONE ...');
like($list, qr/\balice\b.*\bBOBPHONE\b/, "... and alice's BOBPHONE as another device");

# 14. A calendar bob shares read-only: alice reads it, and every way of
# writing to it is refused (its contents are now hers to see, so these
# answers are not checked for bob's words).
($rc, $out) = $t->easctl('share', $b_calendar, '--with', 'alice', '--read-only');
is($rc, 0, "bob shares his Calendar with alice, read-only") or diag $out;
my $shares = EasTest::folder_adds($t->folder_sync('0', device => 'SHAREPHONE')->{xml});
ok(grep({ $_->{id} eq $b_calendar } values %$shares), "alice's FolderSync lists bob's Calendar");
my $sk = EasTest::tag($t->sync_collection('SHAREPHONE', $b_calendar, '0')->{xml}, 'SyncKey');
$r = $t->sync_collection('SHAREPHONE', $b_calendar, $sk);
$sk = EasTest::tag($r->{xml}, 'SyncKey') // $sk;
my ($b_event) = plain($r->{xml}) =~ m{<Add><ServerId>([^<]+)</ServerId>};
ok($b_event, "alice sees the event in bob's Calendar");
$r = $t->sync_collection('SHAREPHONE', $b_calendar, $sk, commands =>
      '<Add><ClientId>spy1</ClientId><ApplicationData><Subject xmlns="Calendar:">Spy</Subject>'
    . '<StartTime xmlns="Calendar:">20270111T090000Z</StartTime><EndTime xmlns="Calendar:">20270111T100000Z</EndTime></ApplicationData></Add>'
    . qq{<Change><ServerId>$b_event</ServerId><ApplicationData><Subject xmlns="Calendar:">Mine now</Subject></ApplicationData></Change>}
    . qq{<Delete><ServerId>$b_event</ServerId></Delete>});
$x = plain($r->{xml});
like($x, qr{<Add><ClientId>spy1</ClientId><Status>6</Status></Add>}, 'read-only share: Sync Add is refused (Status 6)');
like($x, qr{<Change><ServerId>\Q$b_event\E</ServerId><Status>6</Status></Change>}, '... Change too');
like($x, qr{<Delete><ServerId>\Q$b_event\E</ServerId><Status>6</Status></Delete>}, '... and Delete');
my $a_calendar = $af->{Calendar}{id};
$r = $t->request(cmd => 'MoveItems', device => 'SHAREPHONE',
    xml => qq{<MoveItems xmlns="Move:"><Move><SrcMsgId>$b_event</SrcMsgId><SrcFldId>$b_calendar</SrcFldId><DstFldId>$a_calendar</DstFldId></Move></MoveItems>});
isnt(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '3', "MoveItems out of the read-only share: refused");
$r = $t->request(cmd => 'MeetingResponse', device => 'SHAREPHONE',
    xml => qq{<MeetingResponse xmlns="MeetingResponse:"><Request><UserResponse>1</UserResponse><CollectionId>$b_calendar</CollectionId><RequestId>$b_event</RequestId></Request></MeetingResponse>});
is(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '2', "MeetingResponse on bob's event in the share: Status 2");
my $sfkey = EasTest::tag($t->folder_sync('0', device => 'SHAREPHONE')->{xml}, 'SyncKey');
$r = $t->request(cmd => 'FolderUpdate', device => 'SHAREPHONE',
    xml => qq{<FolderUpdate xmlns="FolderHierarchy:"><SyncKey>$sfkey</SyncKey><ServerId>$b_calendar</ServerId><ParentId>0</ParentId><DisplayName>Renamed</DisplayName></FolderUpdate>});
isnt(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '1', "FolderUpdate of the share: refused");
$r = $t->request(cmd => 'FolderDelete', device => 'SHAREPHONE',
    xml => qq{<FolderDelete xmlns="FolderHierarchy:"><SyncKey>$sfkey</SyncKey><ServerId>$b_calendar</ServerId></FolderDelete>});
isnt(status_of($r->{xml}, qr{<Status>(\d+)</Status>}), '1', "FolderDelete of the share: refused");
($rc, $out) = $t->easctl('unshare', $b_calendar, '--with', 'alice');
is($rc, 0, '... and bob takes the share back') or diag $out;

# --- hostile input: paths, nesting, size, slowness ---

# 15. A sender's path in an attachment's file name is not kept.
my $trap = $t->dir . '/trap-' . $$;
($rc, $out) = $t->deliver(EasTest::crlf(<<"EOM"), '-d', 'alice');
From: x\@elsewhere.example
To: alice\@example.org
Subject: Path trick
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="p"

--p
Content-Type: text/plain

see attached
--p
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="../../../..$trap"

payload
--p--
EOM
is($rc, 0, 'a message whose attachment name is a path is delivered');
$r = $t->sync_collection('PHONE', $a_inbox, $key);
$key = EasTest::tag($r->{xml}, 'SyncKey') // $key;
my ($shown) = plain($r->{xml}) =~ m{<Attachment><DisplayName>([^<]*)</DisplayName>};
is($shown, "trap-$$", "the phone sees only the name's last component ($shown)");
ok(!-e $trap, '... and nothing was written where the path pointed');

# 16. easctl import never follows a symbolic link out of a Maildir.
my $md = $t->dir . '/Maildir';
mkdir $md; mkdir "$md/$_" for qw(cur new tmp);
EasTest::write_file($t->dir . '/outside.eml', EasTest::crlf("From: x\@example.org\nSubject: Outside the Maildir\n\nnot hers\n"));
symlink $t->dir . '/outside.eml', "$md/new/1.link" or die "symlink: $!";
EasTest::write_file("$md/new/2.host", EasTest::crlf("From: x\@example.org\nSubject: Inside the Maildir\n\nhers\n"));
($rc, $out) = $t->easctl('import', '--user', 'alice', $md);
is($rc, 0, 'easctl import of a Maildir holding a symbolic link') or diag $out;
like($out, qr/skipping \S*1\.link: a symbolic link/, '... says it skips the link');
like($out, qr/imported 1 messages?/, '... and imports only the real file');

# 17. WBXML nested 100,000 deep: refused, the worker stays.
$r = alice('deeply nested WBXML', cmd => 'Sync',
    body => "\x03\x01\x6a\x00\x45\x5c" . ("\x4f" x 100000) . ("\x01" x 100002));
ok($r->{status} == 400 || plain($r->{xml}) =~ m{<Status>4</Status>}, "WBXML nested 100,000 deep: refused (HTTP $r->{status})");
like($t->error_log, qr/nesting too deep/, '... with a log line saying why');

# 18. MIME nested 2,000 multiparts deep and HTML nested 100,000 elements
# deep: delivered, and the mailbox still syncs.
my $nested = "From: x\@elsewhere.example\r\nTo: alice\@example.org\r\nSubject: Matryoshka\r\nMIME-Version: 1.0\r\n";
$nested .= "Content-Type: multipart/mixed; boundary=\"n$_\"\r\n\r\n--n$_\r\n" for 1 .. 2000;
$nested .= "Content-Type: text/plain\r\n\r\ninnermost\r\n";
$nested .= "--n$_--\r\n" for reverse 1 .. 2000;
($rc, $out) = $t->deliver($nested, '-d', 'alice');
ok($rc == 0 || $rc == 65, "MIME nested 2,000 deep: eas-deliver answers (exit $rc), no crash") or diag $out;
($rc, $out) = $t->deliver(EasTest::crlf("From: x\@elsewhere.example\nTo: alice\@example.org\nSubject: Deep HTML\nContent-Type: text/html\n\n")
    . ('<div>' x 100000) . 'deep text' . ('</div>' x 100000), '-d', 'alice');
is($rc, 0, 'HTML nested 100,000 elements deep is delivered') or diag $out;
$r = $t->sync_collection('PHONE', $a_inbox, $key,
    options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type><TruncationSize>200</TruncationSize></BodyPreference>');
$key = EasTest::tag($r->{xml}, 'SyncKey') // $key;
like(plain($r->{xml}), qr{<Subject>Deep HTML</Subject>}, "alice's Inbox still syncs, with the deep HTML message");

# 19. A body over eas_max_body_size: 413, logged.
$r = alice('oversize body', cmd => 'SendMail', version => '12.1', content_type => 'message/rfc822',
    query => 'Cmd=SendMail&User=alice&DeviceId=PHONE&DeviceType=iPhone&SaveInSent=T',
    body => EasTest::crlf("To: bob\@example.org\nSubject: big\n\n") . ('z' x (300 * 1024)));
is($r->{status}, 413, 'a body over eas_max_body_size: HTTP 413');

# 20. A slow-loris body: cut at client_body_timeout, the others served.
my $slow = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $t->port) or die "connect: $!";
my $auth = encode_base64('alice:secret', '');
print $slow "POST /Microsoft-Server-ActiveSync?Cmd=Sync&User=alice&DeviceId=PHONE&DeviceType=iPhone HTTP/1.1\r\n"
          . "Host: 127.0.0.1\r\nAuthorization: Basic $auth\r\nMS-ASProtocolVersion: 14.1\r\n"
          . "Content-Type: application/vnd.ms-sync.wbxml\r\nContent-Length: 1000\r\n\r\n\x03\x01";
$slow->flush;
my $t0 = Time::HiRes::time();
$r = $t->folder_sync('0', device => 'OTHERPHONE');
ok(Time::HiRes::time() - $t0 < 1.5, 'another request is served while a body trickles in');
my $sel = IO::Select->new($slow);
my $closed_at;
while (Time::HiRes::time() - $t0 < 8 && $sel->can_read(8)) {
    my $n = sysread($slow, my $buf, 4096);
    if (!$n) { $closed_at = Time::HiRes::time() - $t0; last }
}
ok(defined $closed_at && $closed_at < 6, sprintf('the slow body is cut off after client_body_timeout (%.1f s)', $closed_at // -1));
like($t->access_log, qr/^Sync\|alice\|PHONE\|iPhone\|[^|]*\|408$/m, '... and the access log has it as 408');

# 21. LMTP: another domain is refused at RCPT; a client that stalls in
# DATA is closed after eas_lmtp_timeout with nothing stored.
my $c = $t->lmtp_connect;
$t->lmtp_send($c, "LHLO test\r\nMAIL FROM:<x\@elsewhere.example>\r\nRCPT TO:<alice\@elsewhere.example>\r\n"
                . "RCPT TO:<alice\@example.org>\r\nDATA\r\n");
my $replies = $t->lmtp_read($c, 5);
like($replies->[2] // '', qr/^550/, 'LMTP RCPT to the same name in another domain: 550');
like($replies->[3] // '', qr/^250/, '... alice herself: 250');
like($replies->[4] // '', qr/^354/, '... DATA: 354');
$t->lmtp_send($c, "From: x\@elsewhere.example\r\nSubject: Stalled\r\n\r\nhalf a mess");
$t0 = Time::HiRes::time();
$replies = $t->lmtp_read($c, 1, 8);
like($replies->[0] // '', qr/^421/, 'a client that stalls in DATA is told 421 ...');
cmp_ok(Time::HiRes::time() - $t0, '<', 6, '... after eas_lmtp_timeout');
$r = $t->sync_collection('PHONE', $a_inbox, $key);
$key = EasTest::tag($r->{xml}, 'SyncKey') // $key;
unlike(plain($r->{xml}), qr{<Subject>Stalled</Subject>}, '... and nothing of it is stored');

# --- nothing of bob's changed ---

my $after = bob_view('BOBVIEW2');
is_deeply($after, $before, "a fresh device of bob's sees exactly what it saw before alice's attempts");
$r = $t->sync_collection('BOBPHONE', $b_inbox, EasTest::tag($t->sync_collection('BOBPHONE', $b_inbox, '0', %bob)->{xml}, 'SyncKey'), %bob);
like(plain($r->{xml}), qr{<Subject>Payroll</Subject>}, "bob's phone still has the payroll mail");
my $log = $t->error_log;
for my $what (qr/ItemOperations/, qr/MoveItems/, qr/SmartReply/, qr/MeetingResponse/, qr/FolderDelete/) {
    like($log, qr/$what.*(?:not|no such|refused|invalid|unknown)/i, "a log line for the refused $what");
}

$t->stop;
done_testing;
