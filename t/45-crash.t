# Crash safety: SIGKILL at random points, in every round, of the nginx
# workers while devices write (Sync Add/Change/Delete of contacts,
# MoveItems, SendMail to a local user, FolderCreate/FolderDelete) and an
# MTA delivers over LMTP, of eas-deliver processes mid-delivery, and of an
# easctl mail import mid-run. Then each writer retries what was not
# acknowledged, as its real counterpart would (the same SyncKey and
# ClientIds, the same SendMail ClientId, the MTA its message, the
# administrator the import). After each round easctl check finds the
# store consistent, and every other round (and after the last):
#   - a fresh device sees exactly what was acknowledged, nothing lost and
#     nothing twice: contacts with their last acknowledged FileAs, the
#     folders created and not deleted, every delivered, imported and sent
#     message once, each moved message once and in its destination;
#   - the writing device, going on from its key, is sent nothing back.
# CRASH_POINTS rounds (each one kill point; 30 by default, `make crash`
# runs 1000), CRASH_SEED for another sequence, CRASH_VIEW_EVERY to look
# through a fresh device every N rounds (2; 25 in long runs, whose
# mailboxes grow to thousands of messages).
use strict;
use warnings;
use lib 't/lib';
use EasTest;
use CrashTest;
use File::Path qw(make_path);
use MIME::Base64 qw(encode_base64);
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep usleep time);
use Test::More;

my $points = $ENV{CRASH_POINTS} // 30;
my $view_every = $ENV{CRASH_VIEW_EVERY} // ($points > 100 ? 25 : 2);
my $seed = $ENV{CRASH_SEED} // 20261207;
srand($seed);
my $t0 = time;

my $t = EasTest->new(lmtp => 1);
$t->add_user('alice', 'secret', 'alice@example.org');
$t->add_user('bob', 'secret', 'bob@example.org');
$t->start;
my $dir = $t->dir;

# --- requests, built and sent without Test::More (children send them) ---

sub sync_xml {
    my ($key, $collection, $commands) = @_;
    return qq{<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>$key</SyncKey>}
         . qq{<CollectionId>$collection</CollectionId><GetChanges/><WindowSize>100</WindowSize>}
         . ($commands ? "<Commands>$commands</Commands>" : '')
         . qq{</Collection></Collections></Sync>};
}

sub contact_data {
    my ($name) = @_;
    return qq{<ApplicationData><FileAs xmlns="Contacts:">$name</FileAs>}
         . qq{<LastName xmlns="Contacts:">$name</LastName></ApplicationData>};
}

sub folder_sync_zero {
    my ($device, $user) = @_;
    return $t->request(cmd => 'FolderSync', device => $device, user => $user // 'alice',
        xml => '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>');
}

sub mail {
    my ($subject, $id, $to) = @_;
    return EasTest::crlf("From: Sender <s\@example.com>\nTo: $to\nSubject: $subject\n"
        . "Message-ID: <$id\@crash.example.com>\n\nBody of $subject.\n");
}

# Acknowledged answers [command, body], checked by eas-validate at the end
# (the first 6 of each command: the rest have the same shape).
my @to_validate;
my %validating;

# A child running `fn` (which returns the line to report, 'fail' when not
# acknowledged) and writing its answer's body aside. Leaves by _exit.
sub child {
    my ($name, $fn) = @_;
    my $pid = fork // die "fork: $!";
    return $pid if $pid;
    my ($line, $body) = eval { $fn->() };
    $line //= 'fail';
    EasTest::write_file("$dir/$name.report", $line);
    EasTest::write_file("$dir/$name.body", $body // '');
    POSIX::_exit(0);
}

sub report {
    my ($name) = @_;
    return -e "$dir/$name.report" ? EasTest::read_file("$dir/$name.report") : 'fail';
}

# Runs a program in a child of its own (stdin from the file \$in when the
# last argument is such a reference); returns its pid.
sub spawn {
    my (@cmd) = @_;
    my $in = ref $cmd[-1] ? pop @cmd : undef;
    my $pid = fork // die "fork: $!";
    return $pid if $pid;
    open STDIN, '<', $$in or POSIX::_exit(126) if $in;
    open STDOUT, '>', '/dev/null';
    open STDERR, '>', '/dev/null';
    exec(@cmd) or POSIX::_exit(127);
}

sub exit_code {
    my ($pid) = @_;
    waitpid($pid, 0);
    return WIFEXITED($?) ? WEXITSTATUS($?) : -1;
}

# --- easctl check itself: no store is exit 2 (and none is made) ---

{
    my $none = "$dir/no-store";
    my $out = `$EasTest::BUILD/easctl --store $none check 2>&1`;
    is($? >> 8, 2, 'easctl check of a missing store exits 2') or diag $out;
    like($out, qr/does not exist/, '... saying why');
    ok(!-e $none, '... and makes no store there');
}

# --- the world: folders, what each writer believes was acknowledged ---

my $folders = EasTest::folder_adds($t->folder_sync('0', device => 'SETUP')->{xml});
my ($inbox, $contacts) = map { $folders->{$_}{id} } 'Inbox', 'Contacts';
my $r = $t->folder_sync('0', device => 'SETUP');
my $hkey = EasTest::tag($r->{xml}, 'SyncKey');
$r = $t->request(cmd => 'FolderCreate', device => 'SETUP',
    xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$hkey</SyncKey><ParentId>0</ParentId><DisplayName>Projects</DisplayName><Type>12</Type></FolderCreate>});
my $projects = EasTest::tag($r->{xml}, 'ServerId');
ok($inbox && $contacts && $projects, "Inbox $inbox, Contacts $contacts, Projects $projects");
my $bob_inbox = EasTest::folder_adds(folder_sync_zero('SETUP', 'bob')->{xml})->{Inbox}{id};
ok($bob_inbox, "bob's Inbox $bob_inbox");

# Messages to move, one a round: imported before the kills start.
make_path("$dir/seed");
EasTest::write_file("$dir/seed/$_.eml", mail("move $_", "move-$_", 'alice@example.org')) for 1 .. $points;
my ($rc, $out) = $t->easctl('import', '--user', 'alice', "$dir/seed");
is($rc, 0, "$points messages to move imported") or diag $out;
my %move_sid;  # N => ServerId in the Inbox
{
    my $key = EasTest::tag($t->sync_collection('MOVER', $inbox, '0')->{xml}, 'SyncKey');
    for (1 .. 1000) {
        my $s = $t->request(cmd => 'Sync', device => 'MOVER', xml => sync_xml($key, $inbox));
        (my $xml = $s->{xml}) =~ s/ xmlns="[^"]*"//g;
        for my $add ($xml =~ m{<Add>(.*?)</Add>}gs) {
            my ($n) = (EasTest::tag($add, 'Subject') // '') =~ /^move (\d+)$/ or next;
            $move_sid{$n} = EasTest::tag($add, 'ServerId');
        }
        $key = EasTest::tag($xml, 'SyncKey');
        last unless $xml =~ /<MoreAvailable/;
    }
}
is(scalar(keys %move_sid), $points, 'MOVER holds every message to move');

my $wkey = EasTest::tag($t->sync_collection('WRITER', $contacts, '0')->{xml}, 'SyncKey');
my %contact;        # N => {sid, name}: the contacts WRITER was told exist
my %moved;          # N => 1: moved to Projects (acknowledged, or found moved)
my %sent;           # round => 1: SendMail to bob acknowledged
my %crash_folder;   # name => 1: created and not deleted, as acknowledged
my %delivered;      # subject => 1: LMTP 250, eas-deliver or import exit 0
my $next_contact = 0;
my ($kills, $retries, $checks_failed) = (0, 0, 0);
my %cut;  # what => how often its first attempt was not acknowledged

# One Sync of WRITER's: the adds, change and delete of @ops; its outcome
# ('ok NEWKEY' and the ClientId => ServerId pairs), or fail.
sub writer_sync {
    my ($key, $commands) = @_;
    my $s = $t->request(cmd => 'Sync', device => 'WRITER', xml => sync_xml($key, $contacts, $commands));
    return 'fail' unless $s->{status} == 200;
    (my $xml = $s->{xml}) =~ s/ xmlns="[^"]*"//g;
    return 'fail' unless (EasTest::tag($xml, 'Status') // '') eq '1';
    my $new = EasTest::tag($xml, 'SyncKey') // return 'fail';
    my %sid = $xml =~ m{<Add><ClientId>([^<]+)</ClientId><ServerId>([^<]+)</ServerId><Status>1</Status></Add>}g;
    return (join(' ', 'ok', $new, %sid), $s->{body});
}

sub move_once {
    my ($n) = @_;
    my $s = $t->request(cmd => 'MoveItems', device => 'MOVER',
        xml => "<MoveItems xmlns=\"Move:\"><Move><SrcMsgId>$move_sid{$n}</SrcMsgId>"
             . "<SrcFldId>$inbox</SrcFldId><DstFldId>$projects</DstFldId></Move></MoveItems>");
    return 'fail' unless $s->{status} == 200;
    my $status = EasTest::tag($s->{xml}, 'Status') // '';
    return ("status $status", $s->{body});
}

sub send_once {
    my ($round) = @_;
    my $mime = encode_base64(mail("crash send $round", "send-$round", 'bob@example.org'), '');
    my $s = $t->request(cmd => 'SendMail', device => 'SENDER',
        xml => "<SendMail xmlns=\"ComposeMail:\"><ClientId>send-$round</ClientId><MIME>$mime</MIME></SendMail>");
    # 14.1: success is 200 with an empty body; 118 (MessagePreviouslySent)
    # when the ClientId was used, which a retry may hear.
    return 'fail' unless $s->{status} == 200;
    return 'ok' unless length $s->{body};
    my $status = EasTest::tag($s->{xml}, 'Status') // '';
    return $status eq '118' ? 'previously sent' : 'fail';
}

# FolderCreate (or FolderDelete of) `name` after a FolderSync 0, as a
# device that lost its hierarchy key would; 'ok', 'absent' (delete of a
# folder not there) or fail.
sub folder_once {
    my ($op, $name) = @_;
    my $fs = folder_sync_zero('FOLDERS');
    return 'fail' unless $fs->{status} == 200;
    my $key = EasTest::tag($fs->{xml}, 'SyncKey') // return 'fail';
    my $there = EasTest::folder_adds($fs->{xml})->{$name};
    my $s;
    if ($op eq 'create') {
        return 'ok' if $there;  # a retry after a create that was kept
        $s = $t->request(cmd => 'FolderCreate', device => 'FOLDERS',
            xml => qq{<FolderCreate xmlns="FolderHierarchy:"><SyncKey>$key</SyncKey><ParentId>0</ParentId><DisplayName>$name</DisplayName><Type>12</Type></FolderCreate>});
    } else {
        return 'absent' unless $there;
        $s = $t->request(cmd => 'FolderDelete', device => 'FOLDERS',
            xml => qq{<FolderDelete xmlns="FolderHierarchy:"><SyncKey>$key</SyncKey><ServerId>$there->{id}</ServerId></FolderDelete>});
    }
    return 'fail' unless $s->{status} == 200 && (EasTest::tag($s->{xml}, 'Status') // '') eq '1';
    return ('ok', $s->{body});
}

sub retry_until {
    my ($what, $fn) = @_;
    $cut{ (split ' ', $what)[0] }++;
    for (1 .. 20) {
        my @r = $fn->();
        return @r if $r[0] ne 'fail';
        ++$retries;
        CrashTest::wait_for_workers($t);
    }
    fail("$what: still not acknowledged after 20 retries");
    return ('fail');
}

sub note_validate {
    my ($cmd, $body) = @_;
    push @to_validate, [$cmd, $body] if defined $body && length $body && $validating{$cmd}++ < 6;
}

sub deliver_cmd { ("$EasTest::BUILD/eas-deliver", '--store', $t->store, '-d', 'alice') }

# --- the rounds ---

for my $round (1 .. $points) {
    # What each writer does this round.
    my @adds = map { ++$next_contact } 1 .. 2;
    my @live = sort { $a <=> $b } keys %contact;
    my $change = @live ? $live[int rand @live] : undef;
    my @others = grep { !defined $change || $_ != $change } @live;
    my $delete = @others > 2 ? $others[int rand @others] : undef;
    my $commands = join '', map { "<Add><ClientId>c$_</ClientId>" . contact_data("crash contact $_") . '</Add>' } @adds;
    $commands .= "<Change><ServerId>$contact{$change}{sid}</ServerId>" . contact_data("crash contact $change v$round") . '</Change>'
        if defined $change;
    $commands .= "<Delete><ServerId>$contact{$delete}{sid}</ServerId></Delete>" if defined $delete;
    my $folder_op = $round % 2 ? 'create' : 'delete';
    my $folder_name = 'crash folder ' . ($round % 2 ? $round : $round - 1);
    my @lmtp_ids = map { "$round-$_" } 1 .. 2;
    my %lmtp_n = map { $lmtp_ids[$_] => $_ + 1 } 0 .. $#lmtp_ids;
    EasTest::write_file("$dir/deliver-$round.eml", mail("crash deliver $round", "deliver-$round", 'alice@example.org'));
    make_path("$dir/import-$round");
    EasTest::write_file("$dir/import-$round/$_.eml", mail("crash import $round-$_", "import-$round-$_", 'alice@example.org'))
        for 1 .. 3;

    # All at once; then the kill.
    my %pid;
    $pid{writer} = child("writer-$round", sub { writer_sync($wkey, $commands) });
    $pid{mover} = child("mover-$round", sub { move_once($round) });
    $pid{sender} = child("sender-$round", sub { send_once($round) });
    $pid{folders} = child("folders-$round", sub { folder_once($folder_op, $folder_name) });
    $pid{lmtp} = CrashTest::lmtp_client($t, "$dir/lmtp-$round", sub { mail("crash lmtp $round-$_[0]", "lmtp-$round-$_[0]", 'alice@example.org') },
        'alice@example.org', 1 .. 2);
    my $deliver = spawn(deliver_cmd(), \"$dir/deliver-$round.eml");
    my $import = spawn("$EasTest::BUILD/easctl", '--store', $t->store, 'import', '--user', 'alice', "$dir/import-$round");

    usleep(int(rand(50_000)));  # 0-50 ms: before, during or after the commits
    my @victims;
    push @victims, CrashTest::workers($t) if rand() < 0.8;
    push @victims, $deliver if rand() < 0.5;
    push @victims, $import if rand() < 0.5;
    @victims = CrashTest::workers($t) unless @victims;
    $kills += kill 'KILL', @victims;

    waitpid($_, 0) for values %pid;
    my $deliver_rc = exit_code($deliver);
    my $import_rc = exit_code($import);
    CrashTest::wait_for_workers($t);

    # Each writer learns what happened, retrying what was not acknowledged.
    my @w = split ' ', report("writer-$round");
    @w = split ' ', (retry_until("Sync of round $round", sub { writer_sync($wkey, $commands) }))[0] if $w[0] ne 'ok';
    note_validate('Sync', EasTest::read_file("$dir/writer-$round.body")) if report("writer-$round") =~ /^ok/;
    if ($w[0] eq 'ok') {
        my (undef, $new, %sid) = @w;
        $wkey = $new;
        for my $n (@adds) {
            $contact{$n} = { sid => $sid{"c$n"}, name => "crash contact $n" } if $sid{"c$n"};
            fail("round $round: Add c$n acknowledged without its ServerId") unless $sid{"c$n"};
        }
        $contact{$change}{name} = "crash contact $change v$round" if defined $change;
        delete $contact{$delete} if defined $delete;
    }

    # 3: moved. On a retry also 1: the source is gone, moved by the first
    # attempt, whose answer was lost; on the first attempt 1 is a loss.
    my $move = report("mover-$round");
    fail("round $round: MoveItems answered $move") if $move ne 'fail' && $move ne 'status 3';
    if ($move eq 'fail') {
        $move = (retry_until("MoveItems of round $round", sub { move_once($round) }))[0];
        fail("round $round: MoveItems retried answered $move") unless $move =~ /^status [13]$/;
    }
    $moved{$round} = 1;
    note_validate('MoveItems', EasTest::read_file("$dir/mover-$round.body"));

    # On the first attempt 118 would be a ClientId taken for another message.
    my $send = report("sender-$round");
    fail("round $round: SendMail answered $send") if $send eq 'previously sent';
    retry_until("SendMail of round $round", sub { send_once($round) }) if $send eq 'fail';
    $sent{$round} = 1;

    # A folder acknowledged in the round before is there to delete.
    my $f = report("folders-$round");
    fail("round $round: $folder_name, acknowledged, is gone") if $f eq 'absent';
    $f = (retry_until("Folder$folder_op of round $round", sub { folder_once($folder_op, $folder_name) }))[0] if $f eq 'fail';
    if ($folder_op eq 'create') { $crash_folder{$folder_name} = 1 } else { delete $crash_folder{$folder_name} }
    note_validate("Folder\u$folder_op", EasTest::read_file("$dir/folders-$round.body"));

    my (%ok, %failed);
    CrashTest::lmtp_report("$dir/lmtp-$round", \%ok, \%failed);
    if (%failed) {
        my @again = sort keys %failed;
        retry_until("LMTP of round $round", sub {
            waitpid(CrashTest::lmtp_client($t, "$dir/lmtp-$round-retry", sub { mail("crash lmtp $round-$_[0]", "lmtp-$round-$_[0]", 'alice@example.org') },
                'alice@example.org', @again), 0);
            my (%o2, %f2);
            CrashTest::lmtp_report("$dir/lmtp-$round-retry", \%o2, \%f2);
            return %f2 ? 'fail' : 'ok';
        });
    }
    $delivered{"crash lmtp $round-$_"} = 1 for 1 .. 2;
    retry_until("eas-deliver of round $round", sub { exit_code(spawn(deliver_cmd(), \"$dir/deliver-$round.eml")) == 0 ? 'ok' : 'fail' })
        if $deliver_rc != 0;
    $delivered{"crash deliver $round"} = 1;
    retry_until("easctl import of round $round", sub {
        exit_code(spawn("$EasTest::BUILD/easctl", '--store', $t->store, 'import', '--user', 'alice', "$dir/import-$round")) == 0 ? 'ok' : 'fail' })
        if $import_rc != 0;
    $delivered{"crash import $round-$_"} = 1 for 1 .. 3;

    $checks_failed++ unless CrashTest::store_check_ok($t, "round $round: easctl check finds the store consistent");
    look($round) if $round % $view_every == 0 || $round == $points;
}

# --- the clients' view ---

sub differences {
    my ($what, $want, $got) = @_;
    my @lost = grep { !$got->{$_} } sort keys %$want;
    my @twice = grep { $got->{$_} > 1 } sort keys %$got;
    my @extra = grep { !$want->{$_} } sort keys %$got;
    my $text = '';
    $text .= "$what lost: @lost\n" if @lost;
    $text .= "$what twice: @twice\n" if @twice;
    $text .= "$what there without acknowledgement: @extra\n" if @extra;
    return $text;
}

sub look {
    my ($round) = @_;
    my $device = "LOOK$round";
    my $pages = 10 + 8 * $round / 100;
    my $problems = '';

    my %want_contacts = map { $contact{$_}{name} => 1 } keys %contact;
    my $got = $t->subject_counts($device, $contacts, qr/^(crash contact .*)$/, field => 'FileAs', pages => $pages);
    $problems .= differences('contacts', \%want_contacts, $got);

    my $fs = folder_sync_zero($device);
    my %got_folders;
    $got_folders{$1}++ while $fs->{xml} =~ m{<DisplayName>(crash folder \d+)</DisplayName>}g;
    $problems .= differences('folders', \%crash_folder, \%got_folders);

    my $in = $t->subject_counts($device, $inbox, qr/^(crash .*|move \d+)$/, pages => $pages);
    my $pr = $t->subject_counts($device, $projects, qr/^(move \d+)$/, pages => $pages);
    my %want_inbox = %delivered;
    $want_inbox{"move $_"} = 1 for grep { !$moved{$_} } 1 .. $points;
    $problems .= differences('Inbox', \%want_inbox, $in);
    $problems .= differences('Projects', { map { ("move $_" => 1) } keys %moved }, $pr);

    my $bob = $t->subject_counts($device, $bob_inbox, qr/^(crash send \d+)$/, user => 'bob', pages => $pages);
    $problems .= differences("bob's Inbox", { map { ("crash send $_" => 1) } keys %sent }, $bob);

    # The writing device, going on from its key: everything it has is its
    # own, so nothing comes back to it.
    my $w = $t->request(cmd => 'Sync', device => 'WRITER', xml => sync_xml($wkey, $contacts));
    (my $wxml = $w->{xml}) =~ s/ xmlns="[^"]*"//g;
    $problems .= "WRITER's Sync answered $w->{status}, Status " . (EasTest::tag($wxml, 'Status') // '') . "\n"
        unless $w->{status} == 200 && (EasTest::tag($wxml, 'Status') // '1') eq '1';
    $problems .= "WRITER was sent back: $1\n" while $wxml =~ m{<(Add|Change|Delete)>}g;
    my $next = EasTest::tag($wxml, 'SyncKey');
    $wkey = $next if defined $next;

    is($problems, '', "round $round: a fresh device sees exactly what was acknowledged");
}

ok($kills >= $points, "$kills processes killed at $points kill points");
my $cut_total = 0;
$cut_total += $_ for values %cut;
# The kills must land while things are written, not only between them.
ok($cut_total >= $points / 3, "$cut_total operations cut off and retried ("
   . join(', ', map { "$_ $cut{$_}" } sort keys %cut) . ')');
is($checks_failed, 0, 'easctl check was clean after every round');
my $took = time - $t0;
diag(sprintf "%d kill points, %d processes killed, %d operations cut off, %d retries, %d rounds with problems, %.1f s (seed %d)",
     $points, $kills, $cut_total, $cut_total + $retries, $checks_failed, $took, $seed);

for my $v (@to_validate) {
    my ($ok, $msg) = $t->validate(@$v);
    ok($ok, "acknowledged $v->[0] answer is valid against the schema") or diag $msg;
}

$t->stop(allow => qr/worker process \d+ exited on signal 9$/);
done_testing;
