# Mail in, end to end: eas-deliver stores a message (exit 0 only once it is
# committed, 67 for an unknown user, a second hand-over stored once), a
# held Ping on the Inbox wakes, and Sync shows each message as the client
# asked: HTML cut on its preference with Preview, plain text (also of
# HTML-only mail), the original MIME, attachments with FileReference; a
# flag change from one device reaches another as a Change carrying only
# the flags; a deleted message moves to Deleted Items; a client cannot add
# mail by Sync. Every answer is valid against the schemas.
use strict;
use warnings;
use utf8;
use lib 't/lib';
use EasTest;
use Encode qw(encode_utf8 decode_utf8);
use Test::More;
use Time::HiRes qw(sleep time);

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

sub deliver { $t->deliver(@_) }
sub crlf { EasTest::crlf(@_) }

my $alternative = crlf(<<'EOM');
From: "Bob Builder" <bob@example.com>
To: Alice <alice@example.org>
Subject: Quarterly plan
Date: Fri, 04 Dec 2026 09:30:00 +0000
Message-ID: <plan-1@example.com>
Importance: high
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hello Alice, the plan for the next quarter is attached. Caf=C3=A9 at noon?
--inner
Content-Type: text/html; charset=utf-8

<html><body><p>Hello Alice, the plan for the <b>next quarter</b> is attached.</p><p>Café at noon?</p></body></html>
--inner--
--outer
Content-Type: application/pdf; name="plan.pdf"
Content-Disposition: attachment; filename="plan.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==
--outer--
EOM

my $html_only = crlf(<<'EOM');
From: News <news@example.net>
To: alice@example.org
Subject: =?iso-8859-1?q?Gr=FC=DFe?=
Message-ID: <news-7@example.net>
MIME-Version: 1.0
Content-Type: text/html; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

<html><head><style>p {color: red}</style></head><body><h1>Gr=FC=DFe</h1><p>=
Only HTML here.</p></body></html>
EOM

# --- a device is waiting on its Inbox when the mail comes ---

my $r = $t->folder_sync('0', device => 'PHONE');
my $folders = EasTest::folder_adds($r->{xml});
my ($inbox, $trash) = ($folders->{Inbox}{id}, $folders->{'Deleted Items'}{id});
ok($inbox && $trash, 'FolderSync offers the Inbox and Deleted Items');

my %key;
sub sync_mail {
    my ($device, %o) = @_;
    my $folder = $o{folder} // $inbox;
    my $k = $key{"$device/$folder"} //= EasTest::tag($t->sync_collection($device, $folder, '0')->{xml}, 'SyncKey');
    my $r = $t->sync_collection($device, $folder, $k, %o);
    my $next = EasTest::tag($r->{xml}, 'SyncKey');
    $key{"$device/$folder"} = $next if defined $next;
    return $r;
}
$r = sync_mail('PHONE');
unlike($r->{xml}, qr{<Add>}, 'the Inbox starts empty');

my $ping = $t->ping_start(device => 'PHONE', xml => '<Ping xmlns="Ping:"><HeartbeatInterval>60</HeartbeatInterval>'
    . "<Folders><Folder><Id>$inbox</Id><Class>Email</Class></Folder></Folders></Ping>");
sleep 0.3;
my ($rc, $out) = deliver($alternative, '-d', 'alice@example.org');
is($rc, 0, 'eas-deliver stores a message for alice@example.org (exit 0)') or diag $out;
my $delivered_at = time;
my $pinged = $t->ping_finish($ping, 10);
is(EasTest::tag($pinged->{xml}, 'Status'), '2', 'the held Ping wakes with Status 2');
like($pinged->{xml}, qr{<Folder>\Q$inbox\E</Folder>}, '... naming the Inbox');
ok(time - $delivered_at < 2, sprintf('... %.2f s after the delivery', time - $delivered_at));

($rc, $out) = deliver($alternative, '-d', 'alice');
is($rc, 0, 'the same message handed over again: exit 0');
like($out, qr/already delivered/, '... and said to be there already');
($rc, $out) = deliver($html_only, '-d', 'ALICE', '-m', 'INBOX');
is($rc, 0, 'an HTML-only message in ISO-8859-1 is stored (exit 0)') or diag $out;
($rc, $out) = deliver($alternative, '-d', 'nobody@example.org');
is($rc, 67, 'an unknown user: exit 67 (EX_NOUSER), which Postfix bounces');
like($out, qr/unknown user nobody\@example.org/, '... saying whom');
($rc, $out) = deliver($alternative, '-x');
is($rc, 64, 'a wrong call: exit 64 (EX_USAGE)');
($rc, $out) = deliver($alternative, '--store', $t->dir . '/missing', '-d', 'alice');
is($rc, 75, 'a store that cannot be opened: exit 75 (EX_TEMPFAIL), retried later');

# --- what each client asked for ---

sub adds {
    my ($xml) = @_;
    $xml =~ s/ xmlns="[^"]*"//g;
    my %by_subject;
    for my $add ($xml =~ m{<Add>(.*?)</Add>}gs) {
        my $subject = EasTest::tag($add, 'Subject') // '';
        $by_subject{ decode_utf8($subject) } = $add;
    }
    return \%by_subject;
}

my $html_pref = '<MIMESupport>0</MIMESupport><BodyPreference xmlns="AirSyncBase:"><Type>2</Type>'
              . '<TruncationSize>60</TruncationSize><Preview>40</Preview></BodyPreference>';
$r = sync_mail('PHONE', options => $html_pref);
my $mail = adds($r->{xml});
is(scalar(keys %$mail), 2, 'the Inbox sync sends both messages once (the duplicate was not stored)');
my $plan = $mail->{'Quarterly plan'} // '';  # from <ServerId> on
like($plan, qr{<From>&quot;Bob Builder&quot; &lt;bob\@example.com&gt;</From>}, 'From as a header value');
like($plan, qr{<To>&quot;Alice&quot; &lt;alice\@example.org&gt;</To>}, 'To');
like($plan, qr{<DisplayTo>Alice</DisplayTo>}, 'DisplayTo');
like($plan, qr{<DateReceived>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z</DateReceived>}, 'DateReceived');
like($plan, qr{<Importance>2</Importance>}, 'Importance high');
like($plan, qr{<Read>0</Read>}, 'unread');
like($plan, qr{<MessageClass>IPM.Note</MessageClass>}, 'MessageClass IPM.Note');
like($plan, qr{<NativeBodyType>2</NativeBodyType>}, 'NativeBodyType HTML');
like($plan, qr{<ConversationId>[^<]+</ConversationId><ConversationIndex>[^<]+</ConversationIndex>}, 'ConversationId and ConversationIndex (14.1)');
my ($body) = $plan =~ m{<Body>(.*?)</Body>}s;
like($body // '', qr{<Type>2</Type>}, 'the HTML body, as asked');
like($body // '', qr{<Truncated>1</Truncated>}, '... cut at 60 bytes');
my ($data) = ($body // '') =~ m{<Data>(.*?)</Data>}s;
$data = decode_utf8($data // '');
$data =~ s/&lt;/</g; $data =~ s/&gt;/>/g; $data =~ s/&amp;/&/g;
ok(length(encode_utf8($data)) <= 60, 'Data is at most 60 bytes');
unlike($data, qr{<[^>]*$}, '... and does not end inside a tag');
like($body // '', qr{<Preview>Hello Alice, the plan for the next quart</Preview>}, 'Preview of 40 characters');
like($plan, qr{<Attachment><DisplayName>plan.pdf</DisplayName><FileReference>\Q$inbox\E:\d+:\d+</FileReference><Method>1</Method><EstimatedDataSize>\d+</EstimatedDataSize></Attachment>},
     'the PDF is an attachment with a FileReference');
my $news = $mail->{'Grüße'} // '';
ok($news, 'an ISO-8859-1 RFC 2047 subject arrives as UTF-8');
like($news, qr{<NativeBodyType>2</NativeBodyType>}, 'the HTML-only message is HTML natively');

# Plain text, for a client that takes only that: HTML-only mail too.
$r = sync_mail('TEXTONLY', options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference>');
$mail = adds($r->{xml});
like(decode_utf8($mail->{'Quarterly plan'} // ''), qr{<Type>1</Type>.*Café at noon\?}s, 'plain text of the alternative, QP decoded');
$news = $mail->{'Grüße'} // '';
like($news, qr{<Type>1</Type>}, 'the HTML-only message as plain text');
like(decode_utf8($news), qr{Grüße}, '... converted from HTML');
unlike($news, qr{color: red}, '... without its style sheet');

# MIME for a client that supports it.
$r = sync_mail('MIMEPHONE', options => '<MIMESupport>2</MIMESupport><BodyPreference xmlns="AirSyncBase:"><Type>4</Type></BodyPreference>');
$mail = adds($r->{xml});
like($mail->{'Quarterly plan'} // '', qr{<Type>4</Type>.*Message-ID: &lt;plan-1\@example.com&gt;}s,
     'MIMESupport 2 with Type 4: the original message');

# --- a flag change reaches the other devices as a Change of flags ---

my $plan_id = EasTest::tag($plan, 'ServerId');
ok($plan_id, 'the plan has a ServerId');
sync_mail('OTHER');
$r = sync_mail('PHONE', commands => "<Change><ServerId>$plan_id</ServerId><ApplicationData>"
    . '<Read xmlns="Email:">1</Read><Flag xmlns="Email:"><FlagStatus>2</FlagStatus><FlagType>Follow up</FlagType></Flag>'
    . '</ApplicationData></Change>');
unlike($r->{xml}, qr{<Status>[^1]</Status>}, 'the phone marks it read and flagged');
$r = sync_mail('OTHER');
my $x = $r->{xml}; $x =~ s/ xmlns="[^"]*"//g;
like($x, qr{<Change><ServerId>\Q$plan_id\E</ServerId><ApplicationData><Read>1</Read><Flag><FlagStatus>2</FlagStatus><FlagType>Follow up</FlagType></Flag>},
     'another device gets a Change with Read and the Flag');
unlike($x, qr{<Subject>}, '... and nothing of the message itself');

# --- no Add of mail by Sync; a Delete moves to Deleted Items ---

$r = sync_mail('PHONE', commands => '<Add><ClientId>c1</ClientId><ApplicationData><Subject xmlns="Email:">x</Subject></ApplicationData></Add>');
like($r->{xml}, qr{<Add><ClientId>c1</ClientId><Status>6</Status></Add>}, 'a client Add in the Inbox: Status 6');
$r = sync_mail('PHONE', commands => "<Delete><ServerId>$plan_id</ServerId></Delete>");
$r = sync_mail('PHONE', folder => $trash);
my $trashed = adds($r->{xml})->{'Quarterly plan'} // '';
ok($trashed, 'the deleted message is in Deleted Items');
like($trashed, qr{<Read>1</Read><Flag><FlagStatus>2</FlagStatus>}, '... still read and flagged');
$r = sync_mail('OTHER');
like($r->{xml}, qr{<Delete><ServerId>\Q$plan_id\E</ServerId></Delete>}, 'the other device is told it left the Inbox');

# --- older clients ---

$r = $t->request(cmd => 'Sync', device => 'OLDPHONE', version => '12.1',
    xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>0</SyncKey><CollectionId>$inbox</CollectionId></Collection></Collections></Sync>});
my $old_key = EasTest::tag($r->{xml}, 'SyncKey');
$r = $t->request(cmd => 'Sync', device => 'OLDPHONE', version => '12.1',
    xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$old_key</SyncKey><CollectionId>$inbox</CollectionId><GetChanges/></Collection></Collections></Sync>});
ok(adds($r->{xml})->{'Grüße'}, '12.1 gets the mail too');
$t->valid_ok('Sync', $r);

$t->stop;
done_testing;
