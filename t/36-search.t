# Search (MS-ASCMD 2.2.1.16), Store Mailbox, and Find (2.2.1.2) over 300
# imported messages that vary in subject, sender, body words (accented
# ones too), attachment names and received dates: each kind of word finds
# exactly the messages that hold it (letter case and accents ignored,
# prefixes too), the date bounds, one folder with and without
# DeepTraversal, Range pages (Total right, pages disjoint, together every
# match), BodyPreference cuts the body, a result's LongId fetches the
# message by ItemOperations alone and names the original of a SmartReply;
# a message delivered after a search, moved (MoveItems), deleted to
# Deleted Items or for good (Sync) is found where it is now and nowhere
# else; a lost index file is built again; another user finds none of it;
# Find with iOS's query shape at 16.1 and at 14.1; OPTIONS announces
# Find only with 16.1 offered; bad input gets the protocol's Status.
# Every answer is schema-valid (Find's decoded by t/lib/MiniWbxml.pm).
use strict;
use warnings;
use utf8;
use lib 't/lib';
use EasTest;
use MiniWbxml;
use MIME::Base64 ();
use POSIX qw(strftime);
use Test::More;

# The highest version offered comes from a request header, so one server
# shows OPTIONS to a 16.1 client and to one held at 14.1.
my $t = EasTest->new(location => "eas on;\neas_max_protocol_version \$http_x_max_version;\n");
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'secret', 'bob@example.org');
$t->start;

# --- the mail: 300 messages, one a day from 2024-01-01 -------------------

my @senders = (
    ['=?utf-8?q?J=C3=BCrgen_M=C3=BCller?=', 'juergen@example.org'],
    ['Ann Smith', 'ann@example.com'],
    ['Bob Stone', 'stone@example.org'],
    ['Carla Diaz', 'carla@example.net'],
);
my $day0 = 1704067200;  # 2024-01-01T00:00:00Z
# A word of its own per message: "uq" and three letters.
sub token { my $i = shift; 'uq' . join '', map { chr(97 + int($i / 26 ** $_) % 26) } 2, 1, 0 }
my (@msgs, $mbox);
for my $i (0 .. 299) {
    my %m = (i => $i, token => token($i), sender => $i % 4, received => $day0 + $i * 86400);
    $m{subject} = ($i % 3 == 0 ? 'Quarterly planning' : 'Weekly update') . " $m{token}";
    my @body = ("Hello, this is message number $i.");
    push @body, 'A zebra crossed the road.' if $i % 11 == 0;
    push @body, 'Un café crème, s\'il vous plaît.' if $i % 7 == 0;
    push @body, 'The giraffe is tall.' if $i % 2 == 0;
    $m{body} = join "\n", @body;
    $m{attachment} = "Zusammenfassung-$i.pdf" if $i % 25 == 0;
    my ($name, $address) = @{ $senders[$m{sender}] };
    my $text = $m{body};
    utf8::encode($text);
    my $head = "From: $name <$address>\nTo: Alice <alice\@example.org>\nSubject: $m{subject}\n"
        . "Message-ID: <m$i\@example.org>\nDate: " . strftime('%a, %d %b %Y %H:%M:%S +0000', gmtime $m{received})
        . "\nMIME-Version: 1.0\n";
    my $message = $m{attachment}
        ? $head . "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n"
          . "Content-Transfer-Encoding: 8bit\n\n$text\n--b\nContent-Type: application/pdf; name=\"$m{attachment}\"\n"
          . "Content-Disposition: attachment; filename=\"$m{attachment}\"\nContent-Transfer-Encoding: base64\n\n"
          . "JVBERi0xLjQK\n--b--\n"
        : $head . "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n$text\n";
    $mbox .= 'From ' . $address . ' ' . strftime('%a %b %e %H:%M:%S %Y', gmtime $m{received}) . "\n$message\n";
    push @msgs, \%m;
}
EasTest::write_file($t->dir . '/archive.mbox', $mbox);
my ($rc, $out) = $t->easctl('import', '--user', 'alice', $t->dir . '/archive.mbox');
like($out, qr/imported 300 messages/, 'easctl imports the 300 messages') or diag $out;

my $r = $t->request(method => 'OPTIONS', query => '');
like($r->{headers}{'ms-asprotocolcommands'}, qr/\bSearch\b/, 'OPTIONS announces Search');
like($r->{headers}{'ms-asprotocolcommands'}, qr/\bFind\b/, '... and Find, with 16.1 offered');
$r = $t->request(method => 'OPTIONS', query => '', headers => { 'X-Max-Version' => '14.1' });
like($r->{headers}{'ms-asprotocolcommands'}, qr/\bSearch\b/, 'up to 14.1: Search');
unlike($r->{headers}{'ms-asprotocolcommands'}, qr/\bFind\b/, '... and no Find');

$r = $t->folder_sync('0', device => 'PHONE');
my $folders = EasTest::folder_adds($r->{xml});
my ($inbox, $trash) = map { $folders->{$_}{id} } 'Inbox', 'Deleted Items';
my $hkey = EasTest::tag($r->{xml}, 'SyncKey');
$r = $t->request(cmd => 'FolderCreate', device => 'PHONE',
    xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$hkey</SyncKey><ParentId>$inbox</ParentId><DisplayName>Projects</DisplayName><Type>12</Type></FolderCreate>});
my $projects = EasTest::tag($r->{xml}, 'ServerId');
ok($projects, "a mail folder Projects below the Inbox ($projects)");

# --- Search as the tests send it ------------------------------------------

sub xml_escape { my $s = shift; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; $s }

# A Search of alice's mailbox; %o: text, collection, after, before (unix
# times), range, deep, options (more Options XML), user, store, query
# (the whole Query XML instead). Returns {store_status, total, range,
# results => [{long_id, collection, subject, xml}], xml}.
sub search {
    my (%o) = @_;
    my $query = $o{query} // do {
        my $and = '';
        $and .= qq{<CollectionId xmlns="AirSync:">$o{collection}</CollectionId>} if defined $o{collection};
        $and .= '<FreeText>' . xml_escape($o{text}) . '</FreeText>' if defined $o{text};
        $and .= sprintf('<GreaterThan><DateReceived xmlns="Email:"/><Value>%s</Value></GreaterThan>',
                        strftime('%Y-%m-%dT%H:%M:%S.000Z', gmtime $o{after})) if $o{after};
        $and .= sprintf('<LessThan><DateReceived xmlns="Email:"/><Value>%s</Value></LessThan>',
                        strftime('%Y-%m-%dT%H:%M:%S.000Z', gmtime $o{before})) if $o{before};
        "<Query><And><Class xmlns=\"AirSync:\">Email</Class>$and</And></Query>";
    };
    my $options = '';
    $options .= "<Range>$o{range}</Range>" if $o{range};
    $options .= '<DeepTraversal/>' if $o{deep};
    $options .= $o{options} // '';
    my $store = $o{store} // 'Mailbox';
    my $r = $t->request(cmd => 'Search', device => 'PHONE', user => $o{user},
        xml => qq{<Search xmlns="Search:"><Store><Name>$store</Name>$query}
             . ($options ? "<Options>$options</Options>" : '') . '</Store></Search>');
    is($r->{status}, 200, 'Search answers 200');
    $t->valid_ok('Search', $r);
    my $x = $r->{xml};
    $x =~ s/ xmlns="[^"]*"//g;
    my %a = (xml => $x);
    ($a{store_status}) = $x =~ m{<Store><Status>(\d+)</Status>};
    $a{total} = EasTest::tag($x, 'Total');
    ($a{range}) = $x =~ m{</Result><Range>([^<]*)</Range>};
    $a{results} = results_of($x);
    return \%a;
}

# The Result elements of an answer (namespaces stripped): [{long_id or
# server_id, collection, subject, xml}].
sub results_of {
    my ($x) = @_;
    my @results;
    while ($x =~ m{<Result>(.+?)</Result>}gs) {
        my $res = $1;
        push @results, { long_id => EasTest::tag($res, 'LongId'), server_id => EasTest::tag($res, 'ServerId'),
            collection => EasTest::tag($res, 'CollectionId'), subject => EasTest::tag($res, 'Subject'),
            xml => $res };
    }
    return \@results;
}

# The tokens of a search's results, sorted.
sub tokens_of { [ sort map { ($_->{subject} // '') =~ /\b(uq[a-z]{3})\b/ ? $1 : '?' } @{ $_[0]{results} } ] }
sub expect { [ sort map { $_->{token} } grep { $_[0]->($_) } @msgs ] }

# Each kind of word finds exactly the messages holding it.
my @cases = (
    ['a subject word', 'quarterly', sub { $_[0]{i} % 3 == 0 }],
    ['a sender\'s name, accents ignored', 'muller', sub { $_[0]{sender} == 0 }],
    ['the same with the accent and capitals', 'MÜLLER', sub { $_[0]{sender} == 0 }],
    ['a sender\'s address', 'carla@example.net', sub { $_[0]{sender} == 3 }],
    ['a body word', 'zebra', sub { $_[0]{i} % 11 == 0 }],
    ['a prefix of it', 'zeb', sub { $_[0]{i} % 11 == 0 }],
    ['an accented body word, typed without accents', 'cafe creme', sub { $_[0]{i} % 7 == 0 }],
    ['an attachment name', 'zusammenfassung', sub { defined $_[0]{attachment} }],
    ['two words, both required', 'zebra quarterly', sub { $_[0]{i} % 33 == 0 }],
    ['a word no message has', 'hippopotamus', sub { 0 }],
    ['one message\'s own word', token(123), sub { $_[0]{i} == 123 }],
);
for my $c (@cases) {
    my ($what, $text, $filter) = @$c;
    my $want = expect($filter);
    my $found = search(text => $text, range => '0-99');
    is($found->{store_status}, 1, "$what: Store Status 1");
    is($found->{total}, scalar @$want, "$what (\"$text\"): Total " . scalar @$want);
    is_deeply(tokens_of($found), $want, "$what: exactly those messages");
}
my $none = search(text => 'hippopotamus');
like($none->{xml}, qr{<Store><Status>1</Status><Result/><Total>0</Total></Store>}, 'no match: an empty Result and Total 0');

# Dates: received in [2024-03-01, 2024-04-01).
{
    my ($from, $to) = (1709251200, 1711929600);
    my $found = search(text => 'giraffe', after => $from - 1, before => $to, range => '0-99');
    is_deeply(tokens_of($found), expect(sub { $_[0]{i} % 2 == 0 && $_[0]{received} >= $from && $_[0]{received} < $to }),
              'GreaterThan / LessThan on DateReceived keep only that month');
    my @got = map { $_->{subject} } @{ $found->{results} };
    my @times = map { /\b(uq[a-z]{3})\b/; my $tok = $1; (grep { $_->{token} eq $tok } @msgs)[0]{received} } @got;
    is_deeply(\@times, [ reverse sort { $a <=> $b } @times ], 'newest first');
    $found = search(after => $from - 1, before => $to, range => '0-99');
    is($found->{total}, 31, 'dates alone, without FreeText: every message of March');
}

# Paging: 150 messages mention the giraffe.
{
    my $want = expect(sub { $_[0]{i} % 2 == 0 });
    my (@all, %seen);
    for my $range ('0-49', '50-99', '100-149', '150-199') {
        my $found = search(text => 'giraffe', range => $range);
        is($found->{total}, 150, "Range $range: Total 150");
        my @page = @{ tokens_of($found) };
        if ($range eq '150-199') {
            is(scalar @page, 0, 'a page past the end is empty');
            next;
        }
        is($found->{range}, $range, "Range $range answered as asked");
        is(scalar @page, 50, "50 results in $range");
        $seen{$_}++ for @page;
        push @all, @page;
    }
    is(scalar(grep { $seen{$_} > 1 } keys %seen), 0, 'the pages are disjoint');
    is_deeply([ sort @all ], $want, 'together they are every match');
    my $found = search(text => 'giraffe', range => '0-199');
    is(scalar @{ $found->{results} }, 100, 'a Range wider than 100 gets the first 100');
    is($found->{range}, '0-99', '... and says so');
}

# BodyPreference: plain text cut to 10 bytes.
{
    my $found = search(text => token(7),
        options => '<BodyPreference xmlns="AirSyncBase:"><Type>1</Type><TruncationSize>10</TruncationSize></BodyPreference>');
    my $res = $found->{results}[0]{xml} // '';
    like($res, qr{<Body><Type>1</Type><EstimatedDataSize>\d+</EstimatedDataSize><Truncated>1</Truncated><Data>Hello, thi</Data>},
         'BodyPreference: the body as plain text, cut to TruncationSize');
    like($res, qr{<From>[^<]*carla\@example.net}, 'the result has its sender');
}

# Fetch by LongId alone.
my $hit = search(text => token(123))->{results}[0];
is($hit->{collection}, $inbox, 'the result names its folder');
sub fetch_long_id {
    my ($long_id) = @_;
    my $r = $t->request(cmd => 'ItemOperations', device => 'PHONE',
        xml => qq{<ItemOperations xmlns="ItemOperations:"><Fetch><Store>Mailbox</Store><LongId xmlns="Search:">$long_id</LongId></Fetch></ItemOperations>});
    $t->valid_ok('ItemOperations', $r);
    (my $x = $r->{xml}) =~ s/ xmlns="[^"]*"//g;
    return $x;
}
my $fetched = fetch_long_id($hit->{long_id});
like($fetched, qr{<Fetch><Status>1</Status><LongId>\Q$hit->{long_id}\E</LongId>}, 'ItemOperations Fetch takes the LongId alone');
like($fetched, qr{<Subject>[^<]*${\ token(123)}</Subject>}, '... and gives that message');

# SmartReply names its original by a result's LongId (14.0 and later).
{
    my $mime = EasTest::crlf("To: Ann Smith <ann\@example.com>\nSubject: Re: " . $hit->{subject}
        . "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nAnswered, with a wombat.\n");
    $r = $t->request(cmd => 'SmartReply', device => 'PHONE',
        xml => qq{<SmartReply xmlns="ComposeMail:"><ClientId>reply-1</ClientId><Source><LongId>$hit->{long_id}</LongId></Source>}
             . '<SaveInSentItems/><MIME>' . MIME::Base64::encode_base64($mime, '') . '</MIME></SmartReply>');
    is($r->{status}, 200, 'SmartReply to a search result by its LongId');
    is($r->{body}, '', '... is sent');
    my $sent = search(text => 'wombat');
    is($sent->{total}, 1, 'the reply is found');
    is($sent->{results}[0]{collection}, $folders->{'Sent Items'}{id}, '... in Sent Items');
}

# Folders: move two messages into Projects (below the Inbox).
for my $i (30, 60) {
    my $long_id = search(text => token($i))->{results}[0]{long_id};
    $r = $t->request(cmd => 'MoveItems', device => 'PHONE',
        xml => qq{<MoveItems xmlns="Move:"><Move><SrcMsgId>$long_id</SrcMsgId><SrcFldId>$inbox</SrcFldId><DstFldId>$projects</DstFldId></Move></MoveItems>});
    like($r->{xml}, qr{<Status>3</Status>}, "message $i moved into Projects");
}
{
    my $found = search(text => 'quarterly', collection => $projects, range => '0-99');
    is_deeply(tokens_of($found), [ token(30), token(60) ], 'CollectionId Projects: the two moved messages');
    is($found->{results}[0]{collection}, $projects, '... in their new folder');
    $found = search(text => 'quarterly', collection => $inbox, range => '0-99');
    is($found->{total}, 98, 'CollectionId Inbox without DeepTraversal: the 98 still there');
    ok(!grep({ $_ eq token(30) } @{ tokens_of($found) }), '... without the moved ones');
    $found = search(text => 'quarterly', collection => $inbox, deep => 1, range => '0-99');
    is($found->{total}, 100, 'with DeepTraversal: Projects below it too');
    $found = search(text => token(30));
    is($found->{total}, 1, 'a search of every folder finds a moved message once');
    isnt($found->{results}[0]{long_id}, undef, '... under its new LongId');
}

# Delivered after the index was built: found at the next search.
($rc, $out) = $t->deliver(EasTest::crlf("From: Dora <dora\@example.org>\nTo: alice\@example.org\n"
    . "Subject: Late arrival\nMessage-ID: <late\@example.org>\n\nThe okapi came late.\n"), '-d', 'alice');
is($rc, 0, 'one more message delivered') or diag $out;
is(search(text => 'okapi')->{total}, 1, 'a message delivered after a search is found by the next one');

# Deleted by Sync: to Deleted Items, and for good.
{
    my $key = EasTest::tag($t->sync_collection('PHONE', $projects, '0')->{xml}, 'SyncKey');
    $r = $t->sync_collection('PHONE', $projects, $key);
    $key = EasTest::tag($r->{xml}, 'SyncKey');
    my %sid;
    (my $x = $r->{xml}) =~ s/ xmlns="[^"]*"//g;
    while ($x =~ m{<Add><ServerId>([^<]+)</ServerId>.*?<Subject>[^<]*(uq[a-z]{3})</Subject>}g) { $sid{$2} = $1 }
    ok($sid{token(30)} && $sid{token(60)}, 'the phone syncs Projects');
    $r = $t->request(cmd => 'Sync', device => 'PHONE',
        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$key</SyncKey><CollectionId>$projects</CollectionId>}
             . qq{<Commands><Delete><ServerId>$sid{token(30)}</ServerId></Delete></Commands></Collection></Collections></Sync>});
    is($r->{status}, 200, 'Sync deletes message 30');
    $key = EasTest::tag($r->{xml}, 'SyncKey');
    my $found = search(text => token(30));
    is($found->{total}, 1, 'a message deleted to Deleted Items is found once');
    is($found->{results}[0]{collection}, $trash, '... in Deleted Items');
    like(fetch_long_id("$projects:" . (split /:/, $sid{token(30)})[1]), qr{<Status>6</Status>},
         'its old LongId fetches nothing');
    $r = $t->request(cmd => 'Sync', device => 'PHONE',
        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$key</SyncKey><CollectionId>$projects</CollectionId>}
             . qq{<DeletesAsMoves>0</DeletesAsMoves><Commands><Delete><ServerId>$sid{token(60)}</ServerId></Delete></Commands></Collection></Collections></Sync>});
    is($r->{status}, 200, 'Sync deletes message 60 for good');
    is(search(text => token(60))->{total}, 0, 'a message deleted for good is found nowhere');
    is(search(text => 'quarterly', collection => $projects)->{total}, 0, 'Projects is empty now');
}

# A lost index is built again from the store.
{
    my $before = search(text => 'giraffe')->{total};
    unlink glob($t->store . '/search-index.sqlite*');
    ok(!-e $t->store . '/search-index.sqlite', 'the index file is gone');
    is(search(text => 'giraffe')->{total}, $before, 'the next search builds it again: the same Total');
}

# Another user finds none of alice's mail.
is(search(text => 'giraffe', user => 'bob')->{total}, 0, 'bob finds none of alice\'s messages');

# Bad input.
is(search(store => 'Library', text => 'x')->{store_status}, 2, 'an unknown store: Store Status 2');
is(search(query => '<Query><Or><FreeText>x</FreeText></Or></Query>')->{store_status}, 8,
   'a query we cannot run (Or): Store Status 8 (too complex)');
is(search(query => '')->{store_status}, 2, 'no Query: Store Status 2');
is(search(text => 'x', range => 'ten')->{store_status}, 2, 'a malformed Range: Store Status 2');
is(search(text => 'x', collection => '99999')->{store_status}, 6, 'an unknown CollectionId: Store Status 6');
is(search(text => 'x', collection => EasTest::folder_adds($t->folder_sync('0', device => 'PHONE')->{xml})->{Contacts}{id})->{store_status}, 6,
   'a folder that holds no mail: Store Status 6');
like($t->error_log, qr/Search: store "Library" is not searched here/, 'the log says why');

# --- Find (16.1; iOS sends it on 14.1 accounts too) -----------------------

# A Find of alice's mail with the query as iOS writes it; %o: version,
# collection, range, deep, criterion (the whole ExecuteSearch content).
# Returns {status, total, range, results => [{server_id, collection,
# subject, xml}], xml}; the answer (decoded by MiniWbxml: libwbxml has no
# Find page) is checked against the schema.
sub find {
    my ($text, %o) = @_;
    my $q = xml_escape($text);
    my $criterion = $o{criterion} // '<MailBoxSearchCriterion><Query><Class xmlns="AirSync:">Email</Class>'
        . "<FreeText>$q</FreeText>"
        . (defined $o{collection} ? qq{<CollectionId xmlns="AirSync:">$o{collection}</CollectionId>} : '')
        . '</Query><Options>' . ('<Range>' . ($o{range} // '0-99') . '</Range>')
        . ($o{deep} ? '<DeepTraversal/>' : '') . '</Options></MailBoxSearchCriterion>';
    my $xml = qq{<Find xmlns="Find:"><SearchId>8C4F7A3E-0C1B-4E5D-9F2A-5B6C7D8E9F01</SearchId><ExecuteSearch>$criterion</ExecuteSearch></Find>};
    my $r = $t->request(cmd => 'Find', device => 'PHONE', version => $o{version} // '16.1',
                        body => MiniWbxml::encode($xml));
    is($r->{status}, 200, 'Find answers 200');
    my $answer = eval { MiniWbxml::decode($r->{body}) } // "(undecodable: $@)";
    EasTest::write_file($t->dir . '/find.xml', $answer);
    my $check = `$EasTest::SHARED/tools/eas-validate --xml Find ${\ $t->dir}/find.xml 2>&1`;
    ok($? == 0, 'Find response is valid against the MS-ASCMD schema') or diag "$check\n$answer";
    (my $x = $answer) =~ s/ xmlns="[^"]*"//g;
    my %a = (xml => $x, results => results_of($x));
    ($a{status}) = $x =~ m{^<Find><Status>(\d+)</Status>};
    $a{total} = EasTest::tag($x, 'Total');
    $a{range} = EasTest::tag($x, 'Range');
    return \%a;
}

sub ios_query { my $w = shift; qq{to:"$w" OR cc:"$w" OR from:"$w" OR subject:"$w" OR "$w"} }

for my $version ('16.1', '14.1') {
    my $f = find(ios_query('Müller'), version => $version);
    is($f->{status}, 1, "Find at $version: Status 1");
    my $want = expect(sub { $_[0]{sender} == 0 && $_[0]{i} != 60 });  # 60 was deleted for good
    is($f->{total}, scalar @$want, "Find at $version, iOS query for a sender: Total " . scalar @$want);
    is_deeply(tokens_of($f), $want, "at $version: all of them in one answer");
}
{
    my $f = find(ios_query('zebr'));
    is_deeply(tokens_of($f), expect(sub { $_[0]{i} % 11 == 0 && $_[0]{i} != 60 }),
              'Find: a body word by its prefix (iOS query shape)');
    my $res = $f->{results}[0]{xml};
    like($res, qr{<Preview>Hello, this is message number \d+\. A zebra}, 'a result carries its preview');
    like($res, qr{<Read>0</Read>}, '... whether it was read');
    like($res, qr{<From>[^<]+</From>}, '... and who sent it');
    is(find(qq{subject:"zebra"})->{total}, 0, 'subject:"x" looks in the subject only');
    is(find(qq{from:"carla"})->{total}, scalar @{ expect(sub { $_[0]{sender} == 3 }) }, 'from:"x" in the sender');
    $f = find(ios_query('zusammenfassung'));
    is($f->{total}, 12, 'an attachment name, through the bare "x" of the query');
    like($f->{results}[0]{xml}, qr{<HasAttachments>1</HasAttachments>}, '... and it says it has attachments');
    $f = find(ios_query('giraffe'), range => '10-19');
    is($f->{range}, '10-19', 'Find pages by Range');
    is(scalar @{ $f->{results} }, 10, '... ten results');
    is($f->{total}, 149, '... of the 149 giraffes left');
    $f = find('quarterly', collection => $inbox);
    is($f->{total}, 98, 'Find in one folder');
    is(find('quarterly', collection => $inbox, deep => 1)->{total}, 98 + 0, '... with DeepTraversal (Projects is empty now)');
    my $sid = find(ios_query(token(123)))->{results}[0]{server_id};
    like(fetch_long_id($sid), qr{<Fetch><Status>1</Status>}, "a Find result's ServerId fetches as a LongId");
}
is(find('x', criterion => '<GalSearchCriterion><Query>x</Query></GalSearchCriterion>')->{status}, 2,
   'Find in the GAL without FreeText: Status 2 (the GAL itself: t/43)');
is(find('x', range => '5-1')->{status}, 2, 'Find with a malformed Range: Status 2');
is(find('x', collection => '99999')->{status}, 2, 'Find in an unknown folder: Status 2');
like($t->error_log, qr/Find: GalSearchCriterion without FreeText/, 'the log says why');

$t->stop;
done_testing;
