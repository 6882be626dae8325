# Sync as phones live it: initial sync larger than one window, two devices
# of one user converging after edits on each, a retransmitted key, a resent
# Add, conflicts both ways, Fetch, the empty request, GetItemEstimate, and
# the errors (unknown key, unknown or foreign collection).
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'hunter2');
$t->start;

sub folders {
    my (%o) = @_;
    my $r = $t->request(cmd => 'FolderSync', xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>', %o);
    my %f;
    while ($r->{xml} =~ m{<Add>(.*?)</Add>}g) {
        my $a = $1;
        $f{ EasTest::tag($a, 'DisplayName') } = EasTest::tag($a, 'ServerId');
    }
    return \%f;
}

sub sync {
    my ($device, $collection, $key, %o) = @_;
    my $inner = "<SyncKey>$key</SyncKey><CollectionId>$collection</CollectionId>";
    $inner .= "<GetChanges/>" unless $key eq '0' || $o{no_changes};
    $inner .= "<WindowSize>$o{window}</WindowSize>" if $o{window};
    $inner .= "<Options><Conflict>$o{conflict}</Conflict></Options>" if defined $o{conflict};
    $inner .= "<Commands>$o{commands}</Commands>" if $o{commands};
    my $r = $t->request(cmd => 'Sync', device => $device, %{ $o{req} // {} },
                        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection>$inner</Collection></Collections></Sync>});
    is($r->{status}, 200, "Sync($device, key $key) answers 200");
    $t->valid_ok('Sync', $r) if length $r->{body};
    return $r;
}

sub contact {
    my ($first, $last, %extra) = @_;
    my $x = qq{<ApplicationData><FileAs xmlns="Contacts:">$last, $first</FileAs><FirstName xmlns="Contacts:">$first</FirstName><LastName xmlns="Contacts:">$last</LastName>};
    $x .= qq{<Email1Address xmlns="Contacts:">$extra{email}</Email1Address>} if $extra{email};
    $x .= qq{<Categories xmlns="Contacts:"><Category>$extra{category}</Category></Categories>} if $extra{category};
    $x .= qq{<Body xmlns="AirSyncBase:"><Type>1</Type><Data>$extra{note}</Data></Body>} if $extra{note};
    $x .= qq{<NickName xmlns="Contacts2:">$extra{nick}</NickName>} if $extra{nick};
    $x .= $extra{more} // '';
    return "$x</ApplicationData>";
}

sub server_ids { my ($xml) = @_; return [ $xml =~ m{<Add><ServerId>([^<]+)</ServerId>}g ] }

my $contacts = folders()->{Contacts};
ok($contacts, 'the Contacts folder id');

# Device A: key 0 gives a key and no items.
my $r = sync('PHONEA', $contacts, '0');
my $a_key = EasTest::tag($r->{xml}, 'SyncKey');
ok($a_key && $a_key ne '0', 'SyncKey 0 gives a new key');
unlike($r->{xml}, qr/<Commands>/, '... and no items');

# A adds five contacts.
my $adds = join '', map { "<Add><ClientId>c$_</ClientId>" . contact("First$_", "Last$_", email => "p$_\@example.org") . "</Add>" } 1 .. 5;
$r = sync('PHONEA', $contacts, $a_key, commands => $adds);
my @replies = $r->{xml} =~ m{<Responses>(.*)</Responses>};
my %sid = $r->{xml} =~ m{<Add><ClientId>(c\d)</ClientId><ServerId>([^<]+)</ServerId><Status>1</Status></Add>}g;
is(scalar keys %sid, 5, 'five Adds answered with ServerIds and Status 1');
unlike($r->{xml}, qr/<Commands>/, 'the device is not sent its own contacts back');
my $a_key2 = EasTest::tag($r->{xml}, 'SyncKey');

# The answer is lost: A resends the same request. Same answer, no duplicates.
my $again = sync('PHONEA', $contacts, $a_key, commands => $adds);
is($again->{body}, $r->{body}, 'a resent SyncKey gets the identical answer');

# Device B: initial sync in windows of two.
$r = sync('PHONEB', $contacts, '0');
my $b_key = EasTest::tag($r->{xml}, 'SyncKey');
my @seen;
for my $page (1 .. 3) {
    $r = sync('PHONEB', $contacts, $b_key, window => 2);
    push @seen, @{ server_ids($r->{xml}) };
    $b_key = EasTest::tag($r->{xml}, 'SyncKey');
    if ($page < 3) { like($r->{xml}, qr/<MoreAvailable\/>/, "page $page says MoreAvailable") }
    else { unlike($r->{xml}, qr/<MoreAvailable/, 'the last page does not') }
}
is(scalar @seen, 5, 'device B gets exactly five contacts (no duplicates from the resend)');
is_deeply([sort @seen], [sort values %sid], '... the ones device A created');

# No change: an empty answer.
$r = sync('PHONEB', $contacts, $b_key);
is($r->{body}, '', 'nothing new: the empty Sync answer');

# B edits one contact with every kind of field; A gets it exactly.
my $rich = contact('Anna', 'Smith', email => 'anna@example.org', category => 'Family',
                   note => 'Met at the conference', nick => 'Annie', more =>
    '<Email2Address xmlns="Contacts:">anna.smith@work.example</Email2Address>'
  . '<Email3Address xmlns="Contacts:">anna@home.example</Email3Address>'
  . '<HomePhoneNumber xmlns="Contacts:">+49 30 1234567</HomePhoneNumber>'
  . '<BusinessPhoneNumber xmlns="Contacts:">+49 30 7654321</BusinessPhoneNumber>'
  . '<MobilePhoneNumber xmlns="Contacts:">+49 170 555</MobilePhoneNumber>'
  . '<BusinessStreet xmlns="Contacts:">Hauptstr. 1</BusinessStreet><BusinessCity xmlns="Contacts:">Berlin</BusinessCity>'
  . '<BusinessPostalCode xmlns="Contacts:">10115</BusinessPostalCode><BusinessCountry xmlns="Contacts:">Germany</BusinessCountry>'
  . '<HomeStreet xmlns="Contacts:">Nebenweg 2</HomeStreet><HomeCity xmlns="Contacts:">Potsdam</HomeCity>'
  . '<Birthday xmlns="Contacts:">1985-04-12T00:00:00.000Z</Birthday>'
  . '<Anniversary xmlns="Contacts:">2010-06-19T00:00:00.000Z</Anniversary>'
  . '<Picture xmlns="Contacts:">/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==</Picture>'
  . '<Children xmlns="Contacts:"><Child>Ben</Child><Child>Clara</Child></Children>'
  . '<IMAddress xmlns="Contacts2:">anna@jabber.example</IMAddress><ManagerName xmlns="Contacts2:">Maria</ManagerName>');
$r = sync('PHONEB', $contacts, $b_key, commands => "<Change><ServerId>$sid{c1}</ServerId>$rich</Change>");
$b_key = EasTest::tag($r->{xml}, 'SyncKey');
unlike($r->{xml}, qr/<Responses>/, 'a successful Change needs no Response');

$r = sync('PHONEA', $contacts, $a_key2);
my ($changed) = $r->{xml} =~ m{<Change><ServerId>\Q$sid{c1}\E</ServerId>(<ApplicationData>.*?</ApplicationData>)</Change>};
ok($changed, 'device A gets the edit as a Change');
my $expect = $t->xml($t->wbxml(qq{<Sync xmlns="AirSync:">$rich</Sync>}));
$expect =~ s{.*<Sync[^>]*>}{}s; $expect =~ s{</Sync>.*}{}s;
(my $norm = $changed // '') =~ s/ xmlns="[^"]*"//g; $expect =~ s/ xmlns="[^"]*"//g;
is($norm, $expect, 'what the phone sent is what the other phone gets (addresses, phones, e-mails, birthday, anniversary, picture, children, Body, Contacts2)');
$a_key2 = EasTest::tag($r->{xml}, 'SyncKey');

# A deletes one; B gets the Delete.
$r = sync('PHONEA', $contacts, $a_key2, commands => "<Delete><ServerId>$sid{c2}</ServerId></Delete>");
$a_key2 = EasTest::tag($r->{xml}, 'SyncKey');
$r = sync('PHONEB', $contacts, $b_key);
like($r->{xml}, qr{<Delete><ServerId>\Q$sid{c2}\E</ServerId></Delete>}, 'the other device gets the Delete');
$b_key = EasTest::tag($r->{xml}, 'SyncKey');

# Conflict, server wins (the default): B's edit of a contact A changed meanwhile.
$r = sync('PHONEA', $contacts, $a_key2, commands => "<Change><ServerId>$sid{c3}</ServerId>" . contact('From', 'A') . "</Change>");
$a_key2 = EasTest::tag($r->{xml}, 'SyncKey');
$r = sync('PHONEB', $contacts, $b_key, commands => "<Change><ServerId>$sid{c3}</ServerId>" . contact('From', 'B') . "</Change>");
like($r->{xml}, qr{<Change><ServerId>\Q$sid{c3}\E</ServerId><ApplicationData>.*<FirstName[^>]*>From</FirstName><LastName[^>]*>A</LastName>}s,
     'conflict with Conflict=1: the server version goes to the device');
$b_key = EasTest::tag($r->{xml}, 'SyncKey');

# Conflict, client wins.
$r = sync('PHONEA', $contacts, $a_key2, commands => "<Change><ServerId>$sid{c4}</ServerId>" . contact('Again', 'A') . "</Change>");
$a_key2 = EasTest::tag($r->{xml}, 'SyncKey');
$r = sync('PHONEB', $contacts, $b_key, conflict => 0, commands => "<Change><ServerId>$sid{c4}</ServerId>" . contact('Again', 'B') . "</Change>");
$b_key = EasTest::tag($r->{xml}, 'SyncKey');
$r = sync('PHONEA', $contacts, $a_key2);
like($r->{xml}, qr{<ServerId>\Q$sid{c4}\E</ServerId><ApplicationData>.*<LastName[^>]*>B</LastName>}s,
     'conflict with Conflict=0: the client version wins and reaches the other device');
$a_key2 = EasTest::tag($r->{xml}, 'SyncKey');

# Fetch.
$r = sync('PHONEA', $contacts, $a_key2, no_changes => 1, commands => "<Fetch><ServerId>$sid{c5}</ServerId></Fetch>");
like($r->{xml}, qr{<Fetch><ServerId>\Q$sid{c5}\E</ServerId><Status>1</Status><ApplicationData>.*First5}s, 'Fetch returns the item');
$a_key2 = EasTest::tag($r->{xml}, 'SyncKey');
$r = sync('PHONEA', $contacts, $a_key2, no_changes => 1, commands => "<Fetch><ServerId>$contacts:999</ServerId></Fetch>");
like($r->{xml}, qr{<Fetch><ServerId>\Q$contacts\E:999</ServerId><Status>8</Status>}, 'Fetch of an unknown item: Status 8');
$a_key2 = EasTest::tag($r->{xml}, 'SyncKey');

# GetItemEstimate, then the empty Sync request reusing the last one.
$r = sync('PHONEB', $contacts, $b_key, commands => "<Add><ClientId>b1</ClientId>" . contact('New', 'FromB') . "</Add>");
$b_key = EasTest::tag($r->{xml}, 'SyncKey');
$r = $t->request(cmd => 'GetItemEstimate', device => 'PHONEA',
                 xml => qq{<GetItemEstimate xmlns="GetItemEstimate:"><Collections><Collection><SyncKey xmlns="AirSync:">$a_key2</SyncKey><CollectionId>$contacts</CollectionId></Collection></Collections></GetItemEstimate>});
$t->valid_ok('GetItemEstimate', $r);
like($r->{xml}, qr{<Response><Status>1</Status><Collection><CollectionId>$contacts</CollectionId><Estimate>1</Estimate>}, 'GetItemEstimate counts the one new contact');
$r = $t->request(cmd => 'GetItemEstimate', device => 'PHONEA',
                 xml => qq{<GetItemEstimate xmlns="GetItemEstimate:"><Collections><Collection><SyncKey xmlns="AirSync:">777</SyncKey><CollectionId>$contacts</CollectionId></Collection></Collections></GetItemEstimate>});
like($r->{xml}, qr{<Status>4</Status>}, 'GetItemEstimate with an unknown key: Status 4');

$r = $t->request(cmd => 'Sync', device => 'PHONEA', body => '', content_type => undef);
is($r->{status}, 200, 'an empty Sync request is accepted');
like($r->{xml}, qr{<Add><ServerId>[^<]+</ServerId><ApplicationData>.*FromB}s, '... and reuses the last request: the new contact arrives');
$r = $t->request(cmd => 'Sync', device => 'NEWPHONE', body => '', content_type => undef);
like($r->{xml}, qr{^<\?xml.*<Sync[^>]*><Status>13</Status></Sync>}s, 'an empty Sync with nothing to reuse: Status 13');

# A device stuck on an answer: after the third resend the items in it are
# skipped and named in the log.
$r = sync('PHONEC', $contacts, '0');
my $c_key = EasTest::tag($r->{xml}, 'SyncKey');
my $first = sync('PHONEC', $contacts, $c_key, window => 2);
my $second = sync('PHONEC', $contacts, $c_key, window => 2);
is($second->{body}, $first->{body}, 'resend 1: the same answer');
sync('PHONEC', $contacts, $c_key, window => 2);
my $third = sync('PHONEC', $contacts, $c_key, window => 2);
unlike($third->{xml}, qr/<Commands>/, 'resend 3: the items the device chokes on are left out');
is(EasTest::tag($third->{xml}, 'SyncKey'), EasTest::tag($first->{xml}, 'SyncKey'), '... and it moves on with the next key');
like($t->error_log, qr/\[warn\].*device PHONEC of alice asked 3 times for the answer to SyncKey \Q$c_key\E .*skipping the items it cannot take: \d+:\d+ \d+:\d+/,
     '... which the log names');
$r = sync('PHONEC', $contacts, EasTest::tag($first->{xml}, 'SyncKey'));
like($r->{xml}, qr/<Add>/, 'the rest of the collection still arrives');

# Calendar FilterType: a two-week window leaves old single events out.
my $calendar = folders()->{Calendar};
my @t = gmtime(time - 40 * 86400);
my $old = sprintf('%04d%02d%02dT100000Z', $t[5] + 1900, $t[4] + 1, $t[3]);
my $old_end = sprintf('%04d%02d%02dT110000Z', $t[5] + 1900, $t[4] + 1, $t[3]);
@t = gmtime(time + 2 * 86400);
my $new = sprintf('%04d%02d%02dT100000Z', $t[5] + 1900, $t[4] + 1, $t[3]);
my $new_end = sprintf('%04d%02d%02dT110000Z', $t[5] + 1900, $t[4] + 1, $t[3]);
sub event { my ($subject, $s, $e, $rec) = @_; $rec //= "";
    qq{<ApplicationData><Subject xmlns="Calendar:">$subject</Subject><StartTime xmlns="Calendar:">$s</StartTime><EndTime xmlns="Calendar:">$e</EndTime>$rec</ApplicationData>} }
$r = sync('PHONEA', $calendar, '0');
my $cal_key = EasTest::tag($r->{xml}, 'SyncKey');
sync('PHONEA', $calendar, $cal_key, commands =>
     '<Add><ClientId>e1</ClientId>' . event('Old meeting', $old, $old_end) . '</Add>'
   . '<Add><ClientId>e2</ClientId>' . event('Next meeting', $new, $new_end) . '</Add>'
   . '<Add><ClientId>e3</ClientId>' . event('Weekly', $old, $old_end, '<Recurrence xmlns="Calendar:"><Recurrence_Type>1</Recurrence_Type><Recurrence_Interval>1</Recurrence_Interval><Recurrence_DayOfWeek>2</Recurrence_DayOfWeek></Recurrence>') . '</Add>');
$r = sync('PHONEF', $calendar, '0');
my $f_key = EasTest::tag($r->{xml}, 'SyncKey');
my $filtered = $t->request(cmd => 'Sync', device => 'PHONEF', xml =>
    qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$f_key</SyncKey><CollectionId>$calendar</CollectionId><GetChanges/><Options><FilterType>4</FilterType></Options></Collection></Collections></Sync>});
$t->valid_ok('Sync', $filtered);
like($filtered->{xml}, qr/Next meeting/, 'FilterType 4: next week\'s meeting is there');
like($filtered->{xml}, qr/Weekly/, '... and the recurring one that started earlier');
unlike($filtered->{xml}, qr/Old meeting/, '... but not the meeting of 40 days ago');

# 16.1: one occurrence of a series changed or deleted by InstanceId; the
# series stays, and another device (14.1) sees the exceptions in its own
# shape: the occurrence named by ExceptionStartTime (MS-ASCAL 2.2.2.23).
my $series = event('Standup', '20261202T090000Z', '20261202T091500Z',
    '<Recurrence xmlns="Calendar:"><Recurrence_Type>0</Recurrence_Type><Recurrence_Interval>1</Recurrence_Interval></Recurrence>');
$r = sync('PHONE16', $calendar, '0', req => { version => '16.1' });
my $k16 = EasTest::tag($r->{xml}, 'SyncKey');
$r = sync('PHONE16', $calendar, $k16, req => { version => '16.1' }, no_changes => 1,
          commands => "<Add><ClientId>s1</ClientId>$series</Add>");
my ($standup) = $r->{xml} =~ m{<ClientId>s1</ClientId><ServerId>([^<]+)</ServerId>};
$k16 = EasTest::tag($r->{xml}, 'SyncKey');
$r = sync('PHONE16', $calendar, $k16, req => { version => '16.1' }, no_changes => 1, commands =>
    qq{<Change><ServerId>$standup</ServerId><InstanceId xmlns="AirSyncBase:">20261203T090000Z</InstanceId><ApplicationData><Subject xmlns="Calendar:">Standup (moved)</Subject><StartTime xmlns="Calendar:">20261203T100000Z</StartTime><EndTime xmlns="Calendar:">20261203T101500Z</EndTime></ApplicationData></Change>}
  . qq{<Delete><ServerId>$standup</ServerId><InstanceId xmlns="AirSyncBase:">20261204T090000Z</InstanceId></Delete>});
unlike($r->{xml}, qr/<Status>[^1]/, 'changing and deleting single occurrences by InstanceId succeed');
$r = sync('PHONEF', $calendar, EasTest::tag($filtered->{xml}, 'SyncKey'));
like($r->{xml}, qr{<ServerId>\Q$standup\E</ServerId><ApplicationData>.*<Subject[^>]*>Standup</Subject>}s, 'the other device still has the series');
like($r->{xml}, qr{<Exception><Subject>Standup \(moved\)</Subject>.*?<Exception_StartTime>20261203T090000Z</Exception_StartTime></Exception>}, '... with the moved occurrence as an exception');
like($r->{xml}, qr{<Exception><Exception_Deleted>1</Exception_Deleted><Exception_StartTime>20261204T090000Z</Exception_StartTime></Exception>}, '... and the deleted one');
unlike($r->{xml}, qr{<InstanceId}, '... without 16.x\'s InstanceId');

# DeletesAsMoves: a deleted message goes to Deleted Items (the default),
# or away with DeletesAsMoves 0.
my $f = folders();
$t->easctl('debug', 'touch-folder', $f->{Inbox}) for 1 .. 2;
$r = sync('PHONEA', $f->{Inbox}, '0');
$r = sync('PHONEA', $f->{Inbox}, EasTest::tag($r->{xml}, 'SyncKey'));
my @mail = $r->{xml} =~ m{<Add><ServerId>([^<]+)</ServerId>}g;
is(scalar @mail, 2, 'two messages in the Inbox');
my $ik = EasTest::tag($r->{xml}, 'SyncKey');
$r = sync('PHONEA', $f->{Inbox}, $ik, commands => "<Delete><ServerId>$mail[0]</ServerId></Delete>");
$ik = EasTest::tag($r->{xml}, 'SyncKey');
$r = $t->request(cmd => 'Sync', device => 'PHONEA', xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$ik</SyncKey><CollectionId>$f->{Inbox}</CollectionId><DeletesAsMoves>0</DeletesAsMoves><Commands><Delete><ServerId>$mail[1]</ServerId></Delete></Commands></Collection></Collections></Sync>});
$r = sync('PHONEA', $f->{'Deleted Items'}, '0');
$r = sync('PHONEA', $f->{'Deleted Items'}, EasTest::tag($r->{xml}, 'SyncKey'));
my @trash = $r->{xml} =~ m{<Add><ServerId>([^<]+)</ServerId>}g;
is(scalar @trash, 1, 'DeletesAsMoves: the first deleted message is in Deleted Items, the second (DeletesAsMoves 0) is gone');

# Errors.
$r = sync('PHONEA', $contacts, '424242');
like($r->{xml}, qr{<Status>3</Status>}, 'an unknown SyncKey: Status 3');
$r = sync('PHONEA', '999999', '0');
like($r->{xml}, qr{<Status>12</Status>}, 'an unknown collection: Status 12');
my $bob_contacts = folders(user => 'bob', password => 'hunter2', device => 'BOBPHONE')->{Contacts};
$r = sync('PHONEA', $bob_contacts, '0');
like($r->{xml}, qr{<Status>12</Status>}, "another user's collection: Status 12 (it does not exist for alice)");
$r = sync('BOBPHONE', $bob_contacts, '0', req => { user => 'bob', password => 'hunter2' });
my $bob_key = EasTest::tag($r->{xml}, 'SyncKey');
$r = sync('BOBPHONE', $bob_contacts, $bob_key, req => { user => 'bob', password => 'hunter2' },
          commands => "<Change><ServerId>$sid{c5}</ServerId>" . contact('Hacked', 'ByBob') . "</Change>");
like($r->{xml}, qr{<Change><ServerId>\Q$sid{c5}\E</ServerId><Status>8</Status>}, "bob cannot change alice's contact through his own folder");

# Reads park their LMDB snapshot for the next request; an idle worker lets
# it go after about a second, so no old snapshot keeps writers (easctl,
# other workers) from reusing freed pages.
sleep 3;
my $store = $t->store;
my $readers = `mdb_stat -r $store 2>&1`;
like($readers, qr/Reader Table Status/, 'mdb_stat reads the reader table');
unlike($readers, qr/^\s*\d+\s+[0-9a-f]+\s+\d+\s*$/m, 'an idle worker holds no read snapshot');

$t->stop;
done_testing;
