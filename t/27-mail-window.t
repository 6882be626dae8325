# The FilterType window on mail moves (MS-ASCMD 2.2.3.164, SoftDelete):
# a message that ages out of a device's window goes to it as a
# SoftDelete — once, and only to the device whose window it left — and
# stays on the server; a wider FilterType brings the older messages
# without sending again what the device has; a narrower one soft-deletes
# what fell out. Each device ends with what a new device with its
# FilterType gets.
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use File::Path qw(make_path);
use Test::More;

my $t = EasTest->new;
$t->add_user('alice', 'secret', 'alice@example.org');
$t->start;

# The message "Aging" leaves a one-day window $margin seconds after import.
my $margin = 25;
my $now = time;
my %age = ('Fresh' => 2 * 3600, 'Aging' => 86400 - $margin, 'Last week' => 6 * 86400,
           'Old' => 40 * 86400);
my $md = $t->dir . '/Maildir';
make_path("$md/cur", "$md/new", "$md/tmp");
my $n = 0;
for my $subject (sort keys %age) {
    my $file = "$md/cur/" . (++$n) . '.host:2,S';
    EasTest::write_file($file, EasTest::crlf("From: s\@example.com\nTo: alice\@example.org\n"
        . "Subject: $subject\nMessage-ID: <w$n\@example.com>\n\nBody of $subject.\n"));
    utime $now - $age{$subject}, $now - $age{$subject}, $file;
}
my ($rc, $out) = $t->easctl('import', '--user', 'alice', $md);
is($rc, 0, 'four messages imported') or diag $out;
my $aging_leaves = $now + $margin;

my $inbox = EasTest::folder_adds($t->folder_sync('0', device => 'P1')->{xml})->{Inbox}{id};

sub filter { "<FilterType>$_[0]</FilterType>" }
sub sync {
    my ($device, $key, %o) = @_;
    my $inner = "<SyncKey>$key</SyncKey><CollectionId>$inbox</CollectionId><GetChanges/>";
    $inner .= "<WindowSize>$o{window}</WindowSize>" if $o{window};
    $inner .= "<Options>$o{options}</Options>" if $o{options};
    my $r = $t->request(cmd => 'Sync', device => $device,
        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection>$inner</Collection></Collections></Sync>});
    is($r->{status}, 200, "Sync($device) answers 200");
    $t->valid_ok('Sync', $r) if length $r->{body};
    return $r;
}
# Commands of an answer: [kind, ServerId, Subject].
sub commands {
    my ($xml) = @_;
    my @c;
    while ($xml =~ m{<(Add|Change|Delete|SoftDelete)>(.*?)</\1>}gs) {
        my ($kind, $body) = ($1, $2);
        push @c, [$kind, EasTest::tag($body, 'ServerId'), $body =~ /<Subject[^>]*>([^<]*)</ ? $1 : ''];
    }
    return @c;
}

# A device, primed with `filter` and synced to the end (WindowSize `window`):
# its key and what it holds (ServerId → subject).
my %subject_of;
sub sync_all {
    my ($device, $key, $held, %o) = @_;
    for (1 .. 50) {
        my $r = sync($device, $key, %o);
        return $key if !length $r->{body};
        $key = EasTest::tag($r->{xml}, 'SyncKey');
        for my $c (commands($r->{xml})) {
            my ($kind, $sid, $subject) = @$c;
            if ($kind eq 'Add') {
                ok(!exists $held->{$sid}, "$device: $subject added once");
                $held->{$sid} = $subject;
                $subject_of{$sid} = $subject;
            } elsif ($kind eq 'Change') {
                ok(exists $held->{$sid}, "$device: a Change of $subject_of{$sid}, which it holds");
            } else {
                ok(exists $held->{$sid}, "$device: a $kind of $subject_of{$sid}, which it holds");
                delete $held->{$sid};
            }
        }
        return $key unless $r->{xml} =~ /<MoreAvailable/;
        delete $o{options};  # sticky
    }
    fail("$device: the sync ends");
    return $key;
}
sub prime {
    my ($device, $filter) = @_;
    my $r = $t->request(cmd => 'Sync', device => $device,
        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>0</SyncKey><CollectionId>$inbox</CollectionId><Options>} . filter($filter) . '</Options></Collection></Collections></Sync>');
    return EasTest::tag($r->{xml}, 'SyncKey');
}
sub held_subjects { [ sort values %{ $_[0] } ] }

# Day window (FilterType 1) on P1, a page at a time; no filter on P2.
my (%p1, %p2);
my $k1 = sync_all('P1', prime('P1', 1), \%p1, window => 1, options => filter(1));
is_deeply(held_subjects(\%p1), ['Aging', 'Fresh'], 'one day: the two of the last day');
my $k2 = sync_all('P2', prime('P2', 0), \%p2, options => filter(0));
is_deeply(held_subjects(\%p2), ['Aging', 'Fresh', 'Last week', 'Old'], 'no filter: all four');
my ($aging) = grep { $p1{$_} eq 'Aging' } keys %p1;

SKIP: {
    skip 'the machine was too slow to sync before the message aged out', 2 if time >= $aging_leaves - 2;
    my $r = sync('P1', $k1);
    is($r->{body}, '', 'before it leaves the window, a Sync has nothing');
    $r = $t->request(cmd => 'GetItemEstimate', device => 'P1',
        xml => qq{<GetItemEstimate xmlns="GetItemEstimate:"><Collections><Collection><SyncKey xmlns="AirSync:">$k1</SyncKey><CollectionId>$inbox</CollectionId></Collection></Collections></GetItemEstimate>});
    is(EasTest::tag($r->{xml}, 'Estimate'), 0, '... and GetItemEstimate (the stored FilterType) counts 0');
}

# Once it is a day old, the next Sync soft-deletes it.
sleep 1 while time < $aging_leaves + 1;
my $r = sync('P1', $k1);
is_deeply([ commands($r->{xml}) ], [ ['SoftDelete', $aging, ''] ], 'a day later: a SoftDelete of it, nothing else');
$k1 = EasTest::tag($r->{xml}, 'SyncKey');
delete $p1{$aging};
$r = sync('P1', $k1);
is($r->{body}, '', '... once: the Sync after it has nothing');
$r = sync('P2', $k2);
is($r->{body}, '', 'the device without a filter is sent nothing');
$r = $t->request(cmd => 'ItemOperations', device => 'P1',
    xml => qq{<ItemOperations xmlns="ItemOperations:"><Fetch><Store>Mailbox</Store><ServerId xmlns="AirSync:">$aging</ServerId><CollectionId xmlns="AirSync:">$inbox</CollectionId></Fetch></ItemOperations>});
like($r->{xml}, qr{<Subject[^>]*>Aging</Subject>}, 'the soft-deleted message is still on the server');

# Mail arriving now reaches it as usual.
is(($t->deliver(EasTest::crlf("From: s\@example.com\nSubject: New\nMessage-ID: <new1\@example.com>\n\nNew.\n"), "-d", "alice"))[0], 0, "a new message delivered");
$k1 = sync_all('P1', $k1, \%p1);
is_deeply(held_subjects(\%p1), ['Fresh', 'New'], 'new mail is added as usual');

# Wider: two weeks. The older messages come, newest first, a page at a
# time; what the device holds is not sent again.
$r = $t->request(cmd => 'GetItemEstimate', device => 'P1',
    xml => qq{<GetItemEstimate xmlns="GetItemEstimate:"><Collections><Collection><SyncKey xmlns="AirSync:">$k1</SyncKey><CollectionId>$inbox</CollectionId><Options xmlns="AirSync:"><FilterType>4</FilterType></Options></Collection></Collections></GetItemEstimate>});
is(EasTest::tag($r->{xml}, 'Estimate'), 2, 'GetItemEstimate for two weeks: the two it lacks');
$r = sync('P1', $k1, window => 1, options => filter(4));
is_deeply([ map { $_->[2] } commands($r->{xml}) ], ['Aging'], 'two weeks: the newest missing first');
like($r->{xml}, qr{<MoreAvailable/>}, '... a page at a time');
$k1 = EasTest::tag($r->{xml}, 'SyncKey');
$p1{ (commands($r->{xml}))[0][1] } = 'Aging';
$k1 = sync_all('P1', $k1, \%p1, window => 1);
is_deeply(held_subjects(\%p1), ['Aging', 'Fresh', 'Last week', 'New'], '... then the rest, each once');

# Narrower again: one day. What fell out goes as SoftDeletes.
$r = sync('P1', $k1, options => filter(1));
is_deeply([ sort map { "$_->[0] $subject_of{$_->[1]}" } commands($r->{xml}) ],
          ['SoftDelete Aging', 'SoftDelete Last week'], 'one day again: the two older ones soft-deleted');
$k1 = EasTest::tag($r->{xml}, 'SyncKey');
delete @p1{ map { $_->[1] } commands($r->{xml}) };

# Every device holds what a new device with its FilterType gets.
for my $case (['P1', \%p1, 1], ['P2', \%p2, 0]) {
    my ($device, $held, $f) = @$case;
    sync_all($device, $device eq 'P1' ? $k1 : $k2, $held);
    my %fresh;
    sync_all("NEW$device", prime("NEW$device", $f), \%fresh, options => filter($f));
    is_deeply([ sort keys %$held ], [ sort keys %fresh ], "$device holds what a new device with FilterType $f gets");
}

done_testing;
