# Drafts from 16.1 devices (MS-ASEMAIL Email2:IsDraft, Bcc, Send; MS-ASAIRS
# attachment Add and Delete). alice writes a draft on phone A with To,
# Cc, Bcc, a body and an attachment; phone B syncs Drafts and sees it as
# a draft, its Bcc and the attachment, which ItemOperations fetches. A
# changes the subject, deletes the attachment and adds another: B sees
# exactly that. A sends it: bob (To, here) and carol (Bcc, here) get it
# in their Inbox, rita (Cc, elsewhere) at the relay without a Bcc header,
# Sent Items has it, and both phones drop it from Drafts. Bad input gets
# Sync statuses: an Add to Drafts from a 14.1 client (6), a Change of an
# unknown ServerId (8), an attachment Delete naming another message's
# attachment (6), each with a log line.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use SmtpSink;
use MIME::Base64 qw(encode_base64 decode_base64);
use Test::More;

my ($t, $sink) = SmtpSink->server_with_sink(
    ['alice', 'alice@example.org', 'Alice Liddell'],
    ['bob', 'bob@example.org'], ['carol', 'carol@example.org']);

sub strip { my ($x) = @_; $x =~ s/ xmlns="[^"]*"//g; return $x }

# Phones A and B (16.1) and an old one (14.1), each with its Drafts key.
my %key;
my $fs = $t->folder_sync('0', device => 'PHONEA', version => '16.1');
my $folders = EasTest::folder_adds($fs->{xml});
my $drafts = $folders->{Drafts}{id};
my $sent = $folders->{'Sent Items'}{id};
my $inbox = $folders->{Inbox}{id};
ok($drafts && $sent, 'FolderSync lists Drafts and Sent Items');
for my $d (['PHONEA', '16.1'], ['PHONEB', '16.1'], ['OLDPHONE', '14.1']) {
    my $r = $t->sync_collection($d->[0], $drafts, '0', version => $d->[1]);
    $key{ $d->[0] } = EasTest::tag($r->{xml}, 'SyncKey');
}

# A Sync of Drafts with commands; the key moves on. Options ask for plain
# text bodies.
sub drafts_sync {
    my ($device, $commands, %o) = @_;
    my $version = $device eq 'OLDPHONE' ? '14.1' : '16.1';
    my $r = $t->sync_collection($device, $drafts, $key{$device}, version => $version,
        options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>',
        $commands ? (commands => $commands) : (), %o);
    my $next = EasTest::tag($r->{xml}, 'SyncKey');
    $key{$device} = $next if defined $next;
    $r->{plain} = strip($r->{xml});
    return $r;
}

# Attachment bytes travel as OPAQUE (MS-ASDTYPE byte array): xml2wbxml
# turns the base64 text of Content into those bytes.
my $first = "first attachment text\x00\xff";
my $second = "day,place\r\nfri,caf\xc3\xa9\r\n";
my ($first64, $second64) = map { encode_base64($_, '') } $first, $second;

# --- A writes a draft ---
my $r = drafts_sync('PHONEA', <<"EOX");
<Add><ClientId>draft-1</ClientId><ApplicationData>
<To xmlns="Email:">Bob &lt;bob\@example.org&gt;</To>
<Cc xmlns="Email:">Rita &lt;rita\@elsewhere.example&gt;</Cc>
<Bcc xmlns="Email2:">carol\@example.org</Bcc>
<Subject xmlns="Email:">Plans for Friday</Subject>
<Importance xmlns="Email:">2</Importance>
<Body xmlns="AirSyncBase:"><Type>1</Type><Data>Let us meet at noon.</Data></Body>
<Attachments xmlns="AirSyncBase:"><Add><ClientId>att-1</ClientId><Content>$first64</Content>
<ContentType>text/plain</ContentType><DisplayName>notes.txt</DisplayName><Method>1</Method></Add></Attachments>
</ApplicationData></Add>
EOX
my ($add) = $r->{plain} =~ m{<Responses><Add>(.*?)</Add>}s;
$add //= '';
is(EasTest::tag($add, 'Status'), 1, 'the draft Add: Status 1');
my $draft_id = EasTest::tag($add, 'ServerId') // '';
like($draft_id, qr/^\Q$drafts\E:\d+$/, '... with a ServerId in Drafts');
like($add, qr{<Attachment><ClientId>att-1</ClientId><FileReference>([^<]+)</FileReference></Attachment>},
     '... and the attachment\'s ClientId mapped to its FileReference');
my ($ref1) = $add =~ m{<ClientId>att-1</ClientId><FileReference>([^<]+)<};

# --- B sees it ---
$r = drafts_sync('PHONEB');
my ($b_add) = $r->{plain} =~ m{<Commands><Add><ServerId>\Q$draft_id\E</ServerId>(.*?)</Add>}s;
$b_add //= '';
ok($b_add, 'B gets the draft as an Add');
like($b_add, qr{<Subject>Plans for Friday</Subject>}, '... its subject');
like($b_add, qr{<To>&quot;Bob&quot; &lt;bob\@example.org&gt;</To>}, '... To');
like($b_add, qr{<Cc>&quot;Rita&quot; &lt;rita\@elsewhere.example&gt;</Cc>}, '... Cc');
like($b_add, qr{<Bcc>carol\@example.org</Bcc>}, '... Bcc');
like($b_add, qr{<IsDraft>1</IsDraft>}, '... IsDraft');
like($b_add, qr{<Importance>2</Importance>}, '... high importance');
like($b_add, qr{<Data>Let us meet at noon.</Data>}, '... the body');
like($b_add, qr{<From>&quot;Alice Liddell&quot; &lt;alice\@example.org&gt;</From>}, '... from alice');
my @names = $b_add =~ m{<Attachment><DisplayName>([^<]*)</DisplayName>}g;
is_deeply(\@names, ['notes.txt'], '... one attachment, notes.txt');
my ($b_ref) = $b_add =~ m{<DisplayName>notes.txt</DisplayName><FileReference>([^<]+)<};
is($b_ref, $ref1, '... under the FileReference A was given');

sub fetch_ref {
    my ($device, $ref) = @_;
    my $r = $t->request(cmd => 'ItemOperations', device => $device, version => '16.1',
        xml => qq{<ItemOperations xmlns="ItemOperations:"><Fetch><Store>Mailbox</Store>}
             . qq{<FileReference xmlns="AirSyncBase:">$ref</FileReference></Fetch></ItemOperations>});
    $t->valid_ok('ItemOperations', $r);
    my ($data) = strip($r->{xml}) =~ m{<Data>([^<]*)</Data>};
    return defined $data ? decode_base64($data) : undef;
}
is(fetch_ref('PHONEB', $b_ref), $first, 'ItemOperations fetches the attachment\'s bytes');

# --- bad input ---
$r = drafts_sync('OLDPHONE', '<Add><ClientId>old-1</ClientId><ApplicationData>'
    . '<Subject xmlns="Email:">from 14.1</Subject></ApplicationData></Add>');
like($r->{plain}, qr{<Add><ClientId>old-1</ClientId><Status>6</Status></Add>},
     'an Add to Drafts from a 14.1 client: Status 6');
like($t->error_log, qr/Add old-1 to Drafts refused \(Status 6\)/, '... and a log line says so');

$r = drafts_sync('PHONEA', "<Change><ServerId>$drafts:999999</ServerId><ApplicationData>"
    . '<Subject xmlns="Email:">nobody</Subject></ApplicationData></Change>');
like($r->{plain}, qr{<Change><ServerId>\Q$drafts\E:999999</ServerId><Status>8</Status></Change>},
     'a Change of an unknown draft: Status 8');

# An attachment of a message in the Inbox is no attachment of the draft.
my ($rc, $out) = $t->deliver(EasTest::crlf(<<'EOM'), '-d', 'alice');
From: Dave <dave@elsewhere.example>
To: alice@example.org
Subject: With a file
Message-ID: <inbox-1@elsewhere.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

see file
--b
Content-Type: application/octet-stream; name=x.bin
Content-Disposition: attachment; filename=x.bin

xyz
--b--
EOM
is($rc, 0, 'a message with an attachment is delivered to alice\'s Inbox');
my $ir = $t->sync_collection('PHONEA', $inbox, '0', version => '16.1');
$ir = $t->sync_collection('PHONEA', $inbox, EasTest::tag($ir->{xml}, 'SyncKey'), version => '16.1');
my ($foreign) = strip($ir->{xml}) =~ m{<DisplayName>x.bin</DisplayName><FileReference>([^<]+)<};
ok($foreign, 'its attachment has a FileReference');
$r = drafts_sync('PHONEA', "<Change><ServerId>$draft_id</ServerId><ApplicationData>"
    . '<Subject xmlns="Email:">not taken</Subject>'
    . qq{<Attachments xmlns="AirSyncBase:"><Delete><FileReference>$foreign</FileReference></Delete></Attachments>}
    . '</ApplicationData></Change>');
like($r->{plain}, qr{<Change><ServerId>\Q$draft_id\E</ServerId><Status>6</Status></Change>},
     'an attachment Delete naming another message\'s attachment: Status 6');
like($t->error_log, qr/Change of \Q$draft_id\E refused \(Status 6\): attachment Delete/,
     '... and a log line says why');
$r = drafts_sync('PHONEB');
unlike($r->{plain}, qr{not taken}, '... and the draft is unchanged on B');

# --- A changes it ---
# The Responses' Change carries the new attachment's FileReference
# (MS-ASCMD 2.2.3.24, MS-ASAIRS 2.2.2.7); the schema copy eas-validate uses
# lacks ApplicationData there, so that one answer is checked without it.
my $commands = "<Change><ServerId>$draft_id</ServerId><ApplicationData>"
    . '<Subject xmlns="Email:">Plans for Friday, v2</Subject>'
    . qq{<Attachments xmlns="AirSyncBase:"><Delete><FileReference>$ref1</FileReference></Delete>}
    . "<Add><ClientId>att-2</ClientId><Content>$second64</Content><ContentType>text/csv</ContentType>"
    . '<DisplayName>plan.csv</DisplayName><Method>1</Method></Add></Attachments>'
    . '</ApplicationData></Change>';
$r = $t->request(cmd => 'Sync', device => 'PHONEA', version => '16.1',
    xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$key{PHONEA}</SyncKey>}
         . qq{<CollectionId>$drafts</CollectionId><GetChanges/><Commands>$commands</Commands>}
         . qq{</Collection></Collections></Sync>});
is($r->{status}, 200, 'the Change answers 200');
$key{PHONEA} = EasTest::tag($r->{xml}, 'SyncKey');
my $plain = strip($r->{xml});
my ($change) = $plain =~ m{<Responses><Change>(.*?)</Change></Responses>}s;
$change //= '';
is(EasTest::tag($change, 'Status'), 1, '... Status 1');
like($change, qr{<Attachment><ClientId>att-2</ClientId><FileReference>[^<]+</FileReference></Attachment>},
     '... with the new attachment\'s FileReference');
(my $without = $r->{xml}) =~ s{(<Responses>.*?<Change>.*?</Status>)<ApplicationData>.*?</ApplicationData>}{$1}s;
my ($ok, $why) = $t->validate('Sync', $without);
ok($ok, '... and the rest of the answer is schema-valid') or diag($why);

$r = drafts_sync('PHONEB');
my ($b_change) = $r->{plain} =~ m{<Commands><Change><ServerId>\Q$draft_id\E</ServerId>(.*?)</Change>}s;
$b_change //= '';
like($b_change, qr{<Subject>Plans for Friday, v2</Subject>}, 'B gets the new subject');
like($b_change, qr{<Bcc>carol\@example.org</Bcc>}, '... the Bcc kept');
like($b_change, qr{<Data>Let us meet at noon.</Data>}, '... the body kept');
@names = $b_change =~ m{<Attachment><DisplayName>([^<]*)</DisplayName>}g;
is_deeply(\@names, ['plan.csv'], '... notes.txt gone, plan.csv there');
my ($ref2) = $b_change =~ m{<DisplayName>plan.csv</DisplayName><FileReference>([^<]+)<};
is(fetch_ref('PHONEB', $ref2), $second, '... with its bytes');

# --- A sends it ---
$r = drafts_sync('PHONEA', "<Change><ServerId>$draft_id</ServerId><ApplicationData/><Send xmlns=\"Email2:\"/></Change>");
like($r->{plain}, qr{<Commands><Delete><ServerId>\Q$draft_id\E</ServerId></Delete>}, 'Send: A is told the draft left Drafts');
unlike($r->{plain}, qr{<Status>[^1]</Status>}, '... and nothing failed');
$r = drafts_sync('PHONEB');
like($r->{plain}, qr{<Delete><ServerId>\Q$draft_id\E</ServerId></Delete>}, '... so is B');

my $bob = $t->wait_for_inbox('bob', qr{<Subject>Plans for Friday, v2</Subject>}, 10);
ok($bob, 'bob (To) has it in his Inbox');
unlike($bob->{xml} // '', qr/carol/, '... without carol, the Bcc');
ok($t->wait_for_inbox('carol', qr{<Subject>Plans for Friday, v2</Subject>}, 10), 'carol (Bcc) has it too');
my $remote = $sink->message(1);
like($remote, qr/^Subject: Plans for Friday, v2\r?$/m, 'rita (Cc, elsewhere) gets it through the relay');
unlike($remote, qr/^Bcc:/mi, '... without a Bcc header');
unlike($remote, qr/carol/, '... nor carol\'s address');
like($remote, qr/plan\.csv/, '... with plan.csv attached');
unlike($remote, qr/notes\.txt/, '... and not notes.txt');

my $s0 = $t->sync_collection('PHONEA', $sent, '0', version => '16.1');
my $s1 = $t->sync_collection('PHONEA', $sent, EasTest::tag($s0->{xml}, 'SyncKey'), version => '16.1');
like(strip($s1->{xml}), qr{<Subject>Plans for Friday, v2</Subject>}, 'Sent Items has it');
unlike(strip($s1->{xml}), qr{<IsDraft>1</IsDraft>}, '... as a sent message, no draft');

# A draft added and sent at once is never stored in Drafts.
$r = drafts_sync('PHONEA', '<Add><ClientId>draft-2</ClientId><ApplicationData>'
    . '<To xmlns="Email:">rita@elsewhere.example</To><Subject xmlns="Email:">Quick note</Subject>'
    . '<Body xmlns="AirSyncBase:"><Type>1</Type><Data>sent at once</Data></Body>'
    . '</ApplicationData><Send xmlns="Email2:"/></Add>');
like($r->{plain}, qr{<Add><ClientId>draft-2</ClientId><Status>1</Status></Add>}, 'an Add with Send: Status 1, no ServerId');
like($sink->message(2), qr/^Subject: Quick note\r?$/m, '... and it reaches the relay');
$r = drafts_sync('PHONEB');
unlike($r->{plain}, qr{Quick note}, '... and never shows in Drafts');

$t->stop;
unlike($t->error_log, qr/\[(alert|crit|emerg)\]/, 'no alert, crit or emerg in the error log');
done_testing();
