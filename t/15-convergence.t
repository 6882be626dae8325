# Devices must converge: what the server SENDS each device in Sync must be
# exactly right, not merely end up right on a fresh device.
#
# A. Three regression sequences, each at WindowSize 1, 5 and 512 (one user
#    per sequence and window, so the runs cannot disturb each other):
#    1. An item added and then changed while another device was away
#       reaches that device as one Add, never as a Change of an item it
#       never got (as reported: the second window brought <Change> X1).
#    2. An initial sync of a folder with many deleted items carries
#       MoreAvailable on every answer but the last, brings exactly the live
#       items as Adds and nothing else, and is then done (as reported: it
#       ended early, without MoreAvailable, and the next Sync brought
#       Deletes, and Changes of items never sent).
#    3. An item added and deleted while a device was away brings that device
#       nothing (no Delete for an item it never had), and a new device no
#       Delete at all.
# B. A randomized run: four devices of one user write to and page through
#    Contacts and Calendar in random windows, so writes land between two
#    windows of another device's paged sync. Each device keeps a model of
#    what the server sent it (ServerId -> content marker) and applies every
#    answer strictly; an Add for an item it holds, a Change or a Delete for
#    one it does not hold are counted as violations (the first few named in
#    diagnostics, the counts asserted 0 per device). At the end every device
#    syncs to the end, and a new device syncs from SyncKey 0: every model
#    equals the new device's, which equals the acknowledged Adds minus the
#    acknowledged Deletes.
#    CONVERGE_SEED (default 42) and CONVERGE_ROUNDS (default 300) change the
#    run; a failure is reproduced by the same seed and rounds, and
#    CONVERGE_TRACE=1 notes every answer (what was sent, the replies, what
#    the device got).
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use Test::More;
use Time::HiRes qw(time);

my $SEED = $ENV{CONVERGE_SEED} // 42;
my $ROUNDS = $ENV{CONVERGE_ROUNDS} // 300;
my @WINDOWS = (1, 5, 512);
my $PASSWORD = 'secret';

my $t = EasTest->new;
for my $seq (1 .. 3) {
    $t->add_user("seq${seq}w$_", $PASSWORD) for @WINDOWS;
}
$t->add_user('random', $PASSWORD);
$t->start;

# --- folders, content, answers ---------------------------------------------

my %FOLDERS;   # user -> DisplayName -> CollectionId
sub folder_id {
    my ($user, $name) = @_;
    $FOLDERS{$user} //= do {
        my $r = $t->request(cmd => 'FolderSync', user => $user, password => $PASSWORD, device => 'SETUP',
                            xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
        my %f;
        while ($r->{xml} =~ m{<Add>(.*?)</Add>}g) {
            my $a = $1;
            $f{ EasTest::tag($a, 'DisplayName') } = EasTest::tag($a, 'ServerId');
        }
        \%f;
    };
    return $FOLDERS{$user}{$name} // die "no folder $name for $user";
}

# The content of an item: its marker is the contact's FirstName or the
# event's Subject (unique per write, so a stale copy shows).
my $MARKER = 0;
sub new_marker { return 'm' . ++$MARKER }

sub appdata {
    my ($folder, $marker) = @_;
    return $folder eq 'Calendar'
        ? qq{<ApplicationData><Subject xmlns="Calendar:">$marker</Subject><StartTime xmlns="Calendar:">20300115T100000Z</StartTime><EndTime xmlns="Calendar:">20300115T110000Z</EndTime></ApplicationData>}
        : qq{<ApplicationData><FileAs xmlns="Contacts:">Conv, $marker</FileAs><FirstName xmlns="Contacts:">$marker</FirstName><LastName xmlns="Contacts:">Conv</LastName></ApplicationData>};
}

sub marker_of {
    my ($data) = @_;
    return $data =~ m{<(?:FirstName|Subject)(?:\s[^>]*)?>([^<]*)</(?:FirstName|Subject)>} ? $1 : '';
}

# A decoded Sync answer (one collection): key, status, more, the replies to
# the client's commands (<Responses>) and the server's own (<Commands>),
# kept apart: both hold <Add>.
sub parse_answer {
    my ($xml) = @_;
    my %a = (responses => [], commands => [], more => 0);
    return \%a unless length $xml;
    my ($coll) = $xml =~ m{<Collection>(.*)</Collection>}s;
    unless (defined $coll) {   # a Sync-level Status only
        $a{status} = EasTest::tag($xml, 'Status');
        return \%a;
    }
    my $responses = $coll =~ s{<Responses>(.*?)</Responses>}{}s ? $1 : '';
    my $commands = $coll =~ s{<Commands>(.*?)</Commands>}{}s ? $1 : '';
    $a{key} = EasTest::tag($coll, 'SyncKey');
    $a{status} = EasTest::tag($coll, 'Status');
    $a{more} = $coll =~ m{<MoreAvailable\s*/>} ? 1 : 0;
    while ($responses =~ m{<(Add|Change|Delete|Fetch)>(.*?)</\1>}gs) {
        my ($kind, $body) = ($1, $2);
        push @{ $a{responses} }, { kind => $kind, client_id => EasTest::tag($body, 'ClientId'),
                                   sid => EasTest::tag($body, 'ServerId'), status => EasTest::tag($body, 'Status') };
    }
    while ($commands =~ m{<(Add|Change|Delete|SoftDelete)>(.*?)</\1>}gs) {
        my ($kind, $body) = ($1, $2);
        push @{ $a{commands} }, { kind => $kind eq 'SoftDelete' ? 'Delete' : $kind,
                                  sid => EasTest::tag($body, 'ServerId'), marker => marker_of($body) };
    }
    return \%a;
}

# --- devices ---------------------------------------------------------------

my %TRUTH;          # user -> folder -> ServerId -> 1: acknowledged Adds minus acknowledged Deletes
my $CLIENT_ID = 0;
my $VALIDATED = 0;  # answers checked against the schema (each spawns a process)
my %STATS;          # what the random run exercised
my @VIOLATION_KINDS = (
    [add_held       => 'Adds for items already held'],
    [change_unknown => 'Changes for items not held'],
    [delete_unknown => 'Deletes for items not held'],
    [delete_echo    => 'Deletes for items it deleted itself (answered Status 8)'],
);

sub device {
    my ($user, $name) = @_;
    return { user => $user, name => $name, key => {}, model => {}, gone => {},
             viol => { map { $_->[0] => 0 } @VIOLATION_KINDS } };
}

sub violation {
    my ($d, $kind, $msg) = @_;
    # each one is counted and fails "device X: 0 ..." at the end; the first
    # few of each kind are named here
    diag("$d->{name} ($d->{user}): $msg") if ++$d->{viol}{$kind} <= 5;
}

# One Sync of `folder` by device `d`, applied strictly to its model.
# Options: window, cmds ([['add'], ['change', sid], ['delete', sid]]),
# validate. Returns {r, answer (parse_answer), added (ClientId order:
# [sid, marker])}. SyncKey 0 when the device has no key for the folder.
sub step {
    my ($d, $folder, %o) = @_;
    my $user = $d->{user};
    my $id = folder_id($user, $folder);
    my $key = $d->{key}{$folder} // '0';
    my $model = $d->{model}{$folder} //= {};
    my $gone = $d->{gone}{$folder} //= {};
    my $truth = $TRUTH{$user}{$folder} //= {};

    # The device's own commands, applied to its model as it sends them: a
    # successful Change or Delete gets no Response.
    my (@xml, %pending, @order, %deleting);
    for my $c (@{ $o{cmds} // [] }) {
        my ($kind, $sid) = @$c;
        my $marker = new_marker();
        if ($kind eq 'add') {
            my $cid = 'c' . ++$CLIENT_ID;
            $pending{$cid} = $marker;
            push @order, $cid;
            push @xml, "<Add><ClientId>$cid</ClientId>" . appdata($folder, $marker) . '</Add>';
        } elsif ($kind eq 'change') {
            $model->{$sid} = $marker;
            push @xml, "<Change><ServerId>$sid</ServerId>" . appdata($folder, $marker) . '</Change>';
        } else {
            delete $model->{$sid};
            $deleting{$sid} = 1;
            push @xml, "<Delete><ServerId>$sid</ServerId></Delete>";
        }
    }
    my $inner = "<SyncKey>$key</SyncKey><CollectionId>$id</CollectionId>";
    $inner .= '<GetChanges/>' unless $key eq '0';
    $inner .= "<WindowSize>$o{window}</WindowSize>" if $o{window} && $key ne '0';
    $inner .= '<Commands>' . join('', @xml) . '</Commands>' if @xml;
    my $r = $t->request(cmd => 'Sync', user => $user, password => $PASSWORD, device => $d->{name},
                        xml => qq{<Sync xmlns="AirSync:"><Collections><Collection>$inner</Collection></Collections></Sync>});
    my $a = parse_answer($r->{xml});
    my %res = (r => $r, answer => $a, added => []);
    my $what = "Sync($d->{name}, $folder, key $key" . ($o{window} ? ", window $o{window}" : '') . ')';
    if ($r->{status} != 200) {
        fail("$what answers 200");
        diag("HTTP $r->{status} $r->{reason}");
        return \%res;
    }
    $res{what} = $what;
    check_valid(\%res) if $o{validate};
    return \%res unless length $r->{body};   # nothing new: same key
    if (($a->{status} // '') ne '1' || !defined $a->{key}) {
        fail("$what answers Status 1 with a SyncKey");
        diag($r->{xml});
        if (($a->{status} // '') eq '3') {   # as a device does: start over
            delete $d->{key}{$folder};
            $d->{model}{$folder} = {};
        }
        return \%res;
    }
    $d->{key}{$folder} = $a->{key};
    if ($ENV{CONVERGE_TRACE}) {   # one line per answer, to follow an item
        note("$what sent " . (join(' ', map { "$_->[0]" . ($_->[1] ? " $_->[1]" : '') } @{ $o{cmds} // [] }) || '-')
             . ' | replies ' . (join(' ', map { "$_->{kind} " . ($_->{client_id} ? "$_->{client_id}=" : '') . ($_->{sid} // '') . " $_->{status}" } @{ $a->{responses} }) || '-')
             . ' | got ' . describe(@{ $a->{commands} }) . ($a->{more} ? ' +MoreAvailable' : ''));
    }

    # Replies to the client's commands.
    my %answered;
    for my $resp (@{ $a->{responses} }) {
        my ($kind, $sid, $status) = @$resp{qw(kind sid status)};
        $status //= '';
        if ($kind eq 'Add') {
            my $cid = $resp->{client_id} // '';
            my $marker = delete $pending{$cid};
            if (!defined $marker) {
                fail("$what: a Response to an Add it did not send ($cid)");
            } elsif ($status eq '1' && defined $sid) {
                violation($d, 'add_held', "$folder: its Add $cid came back as $sid, which it already holds")
                    if exists $model->{$sid};
                $model->{$sid} = $marker;
                $truth->{$sid} = 1 if $o{truth};
                $answered{$cid} = $sid;
            } else {
                fail("$what: the client Add $cid is answered Status $status");
            }
        } elsif ($kind eq 'Change') {
            # Status 8: another device deleted it; the item stays in the
            # model, because the server must still send the Delete (MS-ASCMD
            # Status 8: the client syncs again). Status 7 (conflict, server
            # wins): the server's version follows as a Change. Either way
            # the item is held until the server says otherwise.
            $STATS{"change_status_$status"}++;
            if ($status ne '8' && $status ne '7') {
                fail("$what: the Change of $sid is answered Status $status");
            }
        } elsif ($kind eq 'Delete') {
            # Status 8: another device deleted it first. The device has
            # dropped it (it meant to), and the server learnt that from this
            # very request: a Delete for it afterwards is one for an item
            # the device no longer holds. Counted apart (delete_echo), as
            # the one judgement call here: phones shrug such a Delete off,
            # but nothing is to be sent for items a device does not hold.
            $STATS{"delete_status_$status"}++;
            delete $deleting{$sid};
            if ($status eq '8') {
                $gone->{$sid} = 1;
            } else {
                fail("$what: the Delete of $sid is answered Status $status");
            }
        } else {
            fail("$what: an unexpected $kind Response");
        }
    }
    for my $cid (sort keys %pending) {
        fail("$what: the client Add $cid gets a Response");
    }
    if ($o{truth}) {
        delete $truth->{$_} for keys %deleting;   # no Response: done
    }
    # the acknowledged Adds, in the order they were sent: [ServerId, marker]
    $res{added} = [ map { [ $answered{$_}, $model->{ $answered{$_} } ] } grep { $answered{$_} } @order ];

    # The server's changes, applied strictly: a Change or a Delete for an
    # item the device does not hold cannot be applied (a phone drops it);
    # an Add for one it holds would be a duplicate.
    for my $c (@{ $a->{commands} }) {
        my ($kind, $sid) = @$c{qw(kind sid)};
        if ($kind eq 'Add') {
            violation($d, 'add_held', "$folder: Add $sid, which it already holds") if exists $model->{$sid};
            $model->{$sid} = $c->{marker};
        } elsif ($kind eq 'Change') {
            if (exists $model->{$sid}) {
                $model->{$sid} = $c->{marker};
            } else {
                violation($d, 'change_unknown', "$folder: Change $sid, which it never got");
            }
        } else {
            if (exists $model->{$sid}) {
                delete $model->{$sid};
            } elsif (delete $gone->{$sid}) {
                violation($d, 'delete_echo', "$folder: Delete $sid, which it deleted itself (Status 8)");
            } else {
                violation($d, 'delete_unknown', "$folder: Delete $sid, which it does not hold");
            }
        }
    }
    return \%res;
}

# The schema check of a non-empty answer (a process each: a sample only).
sub check_valid {
    my ($p) = @_;
    return unless length $p->{r}{body};
    $VALIDATED++;
    $t->valid_ok('Sync', $p->{r}, "$p->{what}: the answer is valid against the MS-ASCMD schema");
}

# Syncs until an answer has no MoreAvailable; returns the answers. With
# validate => N, the schema checks every Nth answer and the last.
sub drain {
    my ($d, $folder, $window, %o) = @_;
    my @pages;
    for my $i (0 .. ($o{max} // 200) - 1) {
        my $p = step($d, $folder, window => $window);
        push @pages, $p;
        check_valid($p) if $o{validate} && ($i % $o{validate} == 0 || !$p->{answer}{more});
        return \@pages unless $p->{answer}{more};
    }
    fail("$d->{name} $folder: syncing at window $window comes to an end");
    return \@pages;
}

# SyncKey 0 for the folder (forgetting what the device had).
sub init {
    my ($d, $folder) = @_;
    delete $d->{key}{$folder};
    $d->{model}{$folder} = {};
    my $p = step($d, $folder);
    fail("SyncKey 0 of $d->{name} $folder gives a key") unless $d->{key}{$folder};
    return $p;
}

# The answer is the empty one ("nothing new": 200, no body).
sub empty_ok {
    my ($p, $name) = @_;
    ok(!length $p->{r}{body}, $name) or diag('got: ' . describe(@{ $p->{answer}{commands} }) . "\n$p->{r}{xml}");
}

sub commands_of { my ($pages) = @_; return map { @{ $_->{answer}{commands} } } @$pages }
sub describe { return join(' ', map { "$_->{kind} $_->{sid}" } @_) || '(nothing)' }

# Two ServerId -> marker maps are equal; names the differences.
sub same_items {
    my ($got, $want, $name) = @_;
    my @diff;
    for my $sid (sort keys %$want) {
        if (!exists $got->{$sid}) { push @diff, "missing $sid ($want->{$sid})" }
        elsif ($got->{$sid} ne $want->{$sid}) { push @diff, "$sid is $got->{$sid}, not $want->{$sid}" }
    }
    push @diff, map { "extra $_ ($got->{$_})" } grep { !exists $want->{$_} } sort keys %$got;
    ok(!@diff, $name) or diag(scalar(@diff) . " differences: " . join('; ', @diff[0 .. ($#diff < 9 ? $#diff : 9)]));
}

my $T0 = time;

# --- A1: an Add sent as a Change -------------------------------------------

for my $w (@WINDOWS) {
    my $user = "seq1w$w";
    my ($A, $B) = (device($user, 'PHONEA'), device($user, 'PHONEB'));
    for my $d ($A, $B) { init($d, 'Contacts'); drain($d, 'Contacts', 512) }
    my $added = step($A, 'Contacts', cmds => [['add'], ['add']])->{added};
    my ($x1, $x2) = map { $_->[0] } @$added;
    ok($x1 && $x2, "window $w: device A adds X1 and X2") or next;
    step($A, 'Contacts', cmds => [['change', $x1]]);

    my $pages = drain($B, 'Contacts', $w, validate => 1);
    my @got = commands_of($pages);
    is(describe(grep { $_->{sid} eq $x1 } @got), "Add $x1", "window $w: device B gets X1 (added, then changed) as exactly one Add, no Change");
    is(describe(grep { $_->{sid} eq $x2 } @got), "Add $x2", "window $w: device B gets X2 as exactly one Add");
    is(scalar @got, 2, "window $w: ... and nothing else") or diag(describe(@got));
    same_items($B->{model}{Contacts}, $A->{model}{Contacts}, "window $w: device B ends with both, X1 as changed");
    empty_ok(step($B, 'Contacts', window => $w), "window $w: then device B's next Sync is empty");
}

# --- A2: the initial sync ends early ---------------------------------------

for my $w (@WINDOWS) {
    my $user = "seq2w$w";
    my $A = device($user, 'PHONEA');
    init($A, 'Contacts');
    drain($A, 'Contacts', 512);
    my @sids = map { $_->[0] } @{ step($A, 'Contacts', cmds => [ map { ['add'] } 1 .. 30 ])->{added} };
    is(scalar @sids, 30, "window $w: device A adds 30 contacts") or next;
    my %live = map { $sids[$_] => 1 } 3, 9, 15, 21, 27;   # five of them stay, spread over the log
    step($A, 'Contacts', cmds => [ map { ['delete', $_] } grep { !$live{$_} } @sids ]);
    step($A, 'Contacts', cmds => [ ['change', $sids[9]], ['change', $sids[21]] ]);
    is(scalar keys %{ $A->{model}{Contacts} }, 5, "window $w: ... deletes 25 and changes two of the other five");

    my $C = device($user, 'PHONEC');
    init($C, 'Contacts');
    my $pages = drain($C, 'Contacts', $w, validate => 1, max => 60);
    my @more = map { $_->{answer}{more} } @$pages;
    ok(!$more[-1], "window $w: the initial sync of a new device ends (an answer without MoreAvailable)");
    is(scalar(grep { !length $_->{r}{body} } @$pages), 0, "window $w: ... and no answer on the way is empty (MoreAvailable promised more)");
    my $after = step($C, 'Contacts', window => $w);
    my @got = (commands_of($pages), commands_of([$after]));
    is_deeply([ sort map { $_->{sid} } grep { $_->{kind} eq 'Add' } @got ], [ sort keys %live ],
              "window $w: the new device gets exactly the five live contacts as Adds")
        or diag(scalar(@$pages) . ' answers, MoreAvailable: ' . join(',', @more) . '; then ' . describe(commands_of([$after])));
    is(scalar(grep { $_->{kind} eq 'Delete' } @got), 0, "window $w: ... no Delete (it never had the deleted ones)");
    is(scalar(grep { $_->{kind} eq 'Change' } @got), 0, "window $w: ... no Change (it gets the changed ones as Adds)");
    same_items($C->{model}{Contacts}, $A->{model}{Contacts}, "window $w: ... with their current contents");
    empty_ok($after, "window $w: after the answer without MoreAvailable, the next Sync is empty");
    is(scalar(@$pages), $w == 1 ? 5 : 1, "window $w: in " . ($w == 1 ? 5 : 1) . " answer(s)");
}

# --- A3: Deletes for items never had ---------------------------------------

for my $w (@WINDOWS) {
    my $user = "seq3w$w";
    my ($A, $B) = (device($user, 'PHONEA'), device($user, 'PHONEB'));
    init($A, 'Contacts');
    drain($A, 'Contacts', 512);
    step($A, 'Contacts', cmds => [['add'], ['add']]);   # P1, P2: B has them
    init($B, 'Contacts');
    drain($B, 'Contacts', 512);
    is(scalar keys %{ $B->{model}{Contacts} }, 2, "window $w: device B has the two contacts there are");
    my ($x) = map { $_->[0] } @{ step($A, 'Contacts', cmds => [['add']])->{added} };
    ok($x, "window $w: device A adds X") or next;
    step($A, 'Contacts', cmds => [['delete', $x]]);

    my $pages = drain($B, 'Contacts', $w, validate => 1);
    my @got = commands_of($pages);
    is(describe(grep { $_->{sid} eq $x } @got), '(nothing)', "window $w: device B gets no Delete for X, which it never had");
    empty_ok($pages->[0], "window $w: ... its Sync is empty");

    my $D = device($user, 'PHONED');
    init($D, 'Contacts');
    $pages = drain($D, 'Contacts', $w, validate => 1);
    my $after = step($D, 'Contacts', window => $w);
    @got = (commands_of($pages), commands_of([$after]));
    is(scalar(grep { $_->{kind} eq 'Delete' } @got), 0, "window $w: a new device gets no Delete at all") or diag(describe(@got));
    same_items($D->{model}{Contacts}, $A->{model}{Contacts}, "window $w: ... and the two contacts");
    empty_ok($after, "window $w: ... and then an empty Sync");
}

# --- B: the randomized run -------------------------------------------------

note(sprintf 'sequences: %.1f s, %d answers checked against the schema', time - $T0, $VALIDATED);
($T0, $VALIDATED) = (time, 0);
note("randomized run: CONVERGE_SEED=$SEED CONVERGE_ROUNDS=$ROUNDS");
srand($SEED);
my @FOLDER_NAMES = ('Contacts', 'Calendar');
my @devices = map { device('random', "PHONE$_") } 1 .. 4;
my %paging;   # "device folder" -> 1 while its last answer said MoreAvailable
my $interleaved = 0;
my $answers = 0;
for my $round (1 .. $ROUNDS) {
    my $d = $devices[int rand @devices];
    my $folder = $FOLDER_NAMES[int rand @FOLDER_NAMES];
    unless (defined $d->{key}{$folder}) {
        init($d, $folder);
        next;
    }
    my $window = (1, 2, 5, 512)[int rand 4];
    my (@cmds, %used);
    for (1 .. int rand 4) {
        my @held = grep { !$used{$_} } sort keys %{ $d->{model}{$folder} };
        my $p = rand;
        if (!@held || $p < 0.5) {
            push @cmds, ['add'];
        } else {
            my $sid = $held[int rand @held];
            $used{$sid} = 1;
            push @cmds, [$p < 0.8 ? 'change' : 'delete', $sid];
        }
    }
    $STATS{commands} += @cmds;
    if (@cmds) {   # a write between two windows of another device's paged sync
        $interleaved += grep { $paging{$_} && $_ ne "$d->{name} $folder" && /\Q $folder\E$/ } keys %paging;
    }
    my $p = step($d, $folder, window => $window, cmds => \@cmds, truth => 1,
                 validate => ($answers % 10 == 0));
    $answers++ if length $p->{r}{body};
    $paging{"$d->{name} $folder"} = $p->{answer}{more};
}

# Everyone syncs to the end; then a new device from SyncKey 0.
for my $d (@devices) {
    for my $folder (@FOLDER_NAMES) {
        init($d, $folder) unless defined $d->{key}{$folder};
        drain($d, $folder, (1, 2, 5, 512)[int rand 4], validate => 4);
        empty_ok(step($d, $folder, window => 512), "device $d->{name}, $folder: after the last answer, the next Sync is empty");
    }
}
my $new = device('random', 'PHONENEW');
for my $folder (@FOLDER_NAMES) {
    init($new, $folder);
    drain($new, $folder, 5, validate => 4);
    empty_ok(step($new, $folder, window => 5), "new device, $folder: after the last answer, the next Sync is empty");
    same_items({ map { $_ => 1 } keys %{ $new->{model}{$folder} } }, $TRUTH{random}{$folder},
               "new device, $folder: exactly the items added and not deleted ("
               . scalar(keys %{ $TRUTH{random}{$folder} }) . ')');
    # the truth as this file tracks it, against the store itself
    my ($rc, $out) = $t->easctl('export', '--user', 'random', '--folder', folder_id('random', $folder));
    my $stored = () = $out =~ /^BEGIN:(?:VCARD|VEVENT)/mg;
    is($stored, scalar(keys %{ $TRUTH{random}{$folder} }), "the store holds as many in $folder ($stored) as were added and not deleted");
    for my $d (@devices) {
        same_items($d->{model}{$folder}, $new->{model}{$folder},
                   "device $d->{name}, $folder: the same ServerIds and contents as the new device");
    }
}
for my $d (@devices, $new) {
    for my $v (@VIOLATION_KINDS) {
        my $n = $d->{viol}{ $v->[0] };
        is($n, 0, "device $d->{name}: $n $v->[1]");
    }
}
cmp_ok($interleaved, '>', 0, "writes landed between two windows of another device's paged sync ($interleaved write/paging pairs)");
note(join ', ', "$STATS{commands} client commands", map { "$_: $STATS{$_}" } grep { /status/ } sort keys %STATS);
note(sprintf 'randomized run: %.1f s, %d answers checked against the schema', time - $T0, $VALIDATED);

$t->stop;
done_testing;
