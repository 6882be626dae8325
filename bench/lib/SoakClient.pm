# One simulated phone of the soak (bench/soak.pl): a child process that
# speaks mixed device traffic to the server until its deadline and writes
# what happened to its own log, one line per event:
#   req KIND HTTP_STATUS SECONDS PROTOCOL_STATUS   one request (or LMTP dialogue)
#   ack SUBJECT USER                                a message the server took
#                                                   (LMTP 250 or SendMail 200)
#   why KIND START_TIME TEXT                        what a failed exchange said
# The parent reads these logs after the run; a child shares nothing else.
# Requests are encoded by libwbxml's xml2wbxml through EasTest (an encoder
# independent of the server's).
package SoakClient;
use strict;
use warnings;
use IO::Handle;
use MIME::Base64 qw(encode_base64);
use POSIX ();
use Time::HiRes qw(time sleep);

# The weights of the kinds of traffic: what a busy phone repeats most
# (its Sync, its Ping) against what happens now and then.
my @MIX = ([sync_contacts => 25], [sync_inbox => 15], [ping => 10], [folder_sync => 10],
           [fetch => 15], [send_mail => 12], [lmtp => 13]);

# Forks the client number $n of user $user (a hash: name, password, email)
# sending to @$others (users of the same kind); returns its pid.
sub start {
    my ($t, $n, $user, $others, $deadline, $log_path, $think) = @_;
    my $pid = fork // die "fork: $!";
    return $pid if $pid;
    srand($n * 7919 + $$);
    my $self = bless { t => $t, n => $n, user => $user, others => $others,
                       device => "SOAK$n", seq => 0, think => $think, mine => {},
                       inbox_ids => [] }, __PACKAGE__;
    open $self->{log}, '>', $log_path or POSIX::_exit(1);
    $self->{log}->autoflush(1);
    # Leaves by _exit: a plain exit would run EasTest's DESTROY and stop nginx.
    eval { $self->run($deadline); 1 } or print { $self->{log} } "died $@";
    POSIX::_exit(0);
}

sub run {
    my ($self, $deadline) = @_;
    my $total = 0;
    $total += $_->[1] for @MIX;
    while (time < $deadline) {
        $self->hierarchy unless $self->{inbox};
        my $pick = rand $total;
        my $kind;
        for (@MIX) { $kind = $_->[0]; last if ($pick -= $_->[1]) < 0 }
        $self->$kind($deadline);
        sleep rand(2 * $self->{think}) if $self->{think};
    }
}

sub note {
    my ($self, @fields) = @_;
    print { $self->{log} } join(' ', @fields), "\n";
}

sub post {
    my ($self, $kind, $cmd, $xml, $status_re) = @_;
    my $r = $self->{t}->request(cmd => $cmd, user => $self->{user}{name},
        password => $self->{user}{password}, device => $self->{device}, xml => $xml);
    my $status = $r->{xml} =~ $status_re ? $1 : '-';
    $self->note('req', $kind, $r->{status}, sprintf('%.4f', $r->{elapsed}), $status);
    $self->note('why', $kind, sprintf('%.3f', time - $r->{elapsed}), $r->{content} =~ s/\s+/ /gr)
        if $r->{status} == 599;
    return ($r, $status);
}

# FolderSync from 0: the device's folder ids (a new device, or one whose
# keys went wrong).
sub hierarchy {
    my ($self) = @_;
    my ($r) = $self->post('folder_sync', 'FolderSync',
        '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>', qr{<Status>(\d+)</Status>});
    return unless $r->{status} == 200;
    my $f = EasTest::folder_adds($r->{xml});
    $self->{fs_key} = EasTest::tag($r->{xml}, 'SyncKey');
    $self->{inbox} = $f->{Inbox}{id};
    $self->{contacts} = $f->{Contacts}{id};
    $self->{key} = { $self->{inbox} => 0, $self->{contacts} => 0 };
}

sub folder_sync {
    my ($self) = @_;
    my $key = $self->{fs_key} // 0;
    my ($r, $status) = $self->post('folder_sync', 'FolderSync',
        qq{<FolderSync xmlns="FolderHierarchy:"><SyncKey>$key</SyncKey></FolderSync>}, qr{<Status>(\d+)</Status>});
    if ($status eq '1') {
        $self->{fs_key} = EasTest::tag($r->{xml}, 'SyncKey');
    } else {
        delete $self->{inbox};  # start over at the next turn
    }
}

# One Sync of a collection (GetChanges after the first), with $commands:
# the answer's XML without namespaces, or undef when it failed (the
# device starts over from 0, as a phone does after Status 3).
sub sync {
    my ($self, $kind, $coll, $commands) = @_;
    my $key = $self->{key}{$coll};
    my $inner = "<SyncKey>$key</SyncKey><CollectionId>$coll</CollectionId>";
    $inner .= '<GetChanges/><WindowSize>50</WindowSize>' unless $key eq '0';
    $inner .= "<Commands>$commands</Commands>" if $commands && $key ne '0';
    my ($r, $status) = $self->post($kind, 'Sync',
        qq{<Sync xmlns="AirSync:"><Collections><Collection>$inner</Collection></Collections></Sync>},
        qr{<Collection>(?:<Class>[^<]*</Class>)?<SyncKey>[^<]*</SyncKey><CollectionId>[^<]*</CollectionId><Status>(\d+)</Status>});
    # A Sync with nothing new may answer with an empty body (MS-ASCMD 2.2.2.20).
    return '' if $r->{status} == 200 && !length $r->{body};
    if ($status ne '1') {
        $self->{key}{$coll} = 0;
        $self->{mine} = {} if $coll eq ($self->{contacts} // '');
        $self->{inbox_ids} = [] if $coll eq ($self->{inbox} // '');
        return undef;
    }
    (my $xml = $r->{xml}) =~ s/ xmlns="[^"]*"//g;
    $self->{key}{$coll} = EasTest::tag($xml, 'SyncKey');
    return $xml;
}

# Contacts: one Add, and a Change and a Delete of contacts this device
# added (other devices of the user touch only their own).
sub sync_contacts {
    my ($self) = @_;
    my $coll = $self->{contacts} // return;
    my $n = ++$self->{seq};
    my $commands = '';
    if ($self->{key}{$coll} ne '0') {
        $commands = "<Add><ClientId>c$n</ClientId>" . contact("Soak$self->{n}", "N$n") . '</Add>';
        my @mine = sort keys %{ $self->{mine} };
        # The first a Change, the last a Delete: never both on one item.
        if (@mine) {
            my $id = splice @mine, rand @mine, 1;
            $commands .= "<Change><ServerId>$id</ServerId>" . contact("Soak$self->{n}", "Changed$n") . '</Change>';
        }
        if (@mine >= 2) {
            my $id = $mine[rand @mine];
            $commands .= "<Delete><ServerId>$id</ServerId></Delete>";
            delete $self->{mine}{$id};
        }
    }
    my $xml = $self->sync('sync_contacts', $coll, $commands) // return;
    $self->{mine}{$1} = 1 while $xml =~ m{<Add><ClientId>c\d+</ClientId><ServerId>([^<]+)</ServerId><Status>1</Status></Add>}g;
}

sub contact {
    my ($first, $last) = @_;
    return qq{<ApplicationData><FileAs xmlns="Contacts:">$last, $first</FileAs>}
         . qq{<FirstName xmlns="Contacts:">$first</FirstName><LastName xmlns="Contacts:">$last</LastName>}
         . qq{<Email1Address xmlns="Contacts:">\L$first.$last\E\@example.net</Email1Address></ApplicationData>};
}

# The Inbox: remembers the newest ids for ItemOperations.
sub sync_inbox {
    my ($self) = @_;
    my $coll = $self->{inbox} // return;
    my $xml = $self->sync('sync_inbox', $coll) // return;
    my $ids = $self->{inbox_ids};
    push @$ids, $xml =~ m{<Add><ServerId>([^<]+)</ServerId>}g;
    splice @$ids, 0, @$ids - 50 if @$ids > 50;
}

sub fetch {
    my ($self) = @_;
    my @ids = @{ $self->{inbox_ids} };
    return $self->sync_inbox unless @ids;
    my $id = $ids[rand @ids];
    $self->post('fetch', 'ItemOperations',
        qq{<ItemOperations xmlns="ItemOperations:"><Fetch><Store>Mailbox</Store>}
      . qq{<CollectionId xmlns="AirSync:">$self->{inbox}</CollectionId><ServerId xmlns="AirSync:">$id</ServerId>}
      . qq{<Options><BodyPreference xmlns="AirSyncBase:"><Type>1</Type></BodyPreference></Options></Fetch></ItemOperations>},
        qr{<Fetch><Status>(\d+)</Status>});
}

# A Ping on the Inbox and Contacts with a short heartbeat (never past the
# deadline): answered at the heartbeat, or sooner when mail arrives.
sub ping {
    my ($self, $deadline) = @_;
    return unless $self->{inbox} && $self->{contacts};
    my $hb = 5 + int rand 11;
    return if time + $hb + 2 > $deadline;
    my $t = $self->{t};
    my $t0 = time;
    my $h = $t->ping_start(user => $self->{user}{name}, password => $self->{user}{password},
        device => $self->{device},
        xml => qq{<Ping xmlns="Ping:"><HeartbeatInterval>$hb</HeartbeatInterval><Folders>}
             . qq{<Folder><Id>$self->{inbox}</Id><Class>Email</Class></Folder>}
             . qq{<Folder><Id>$self->{contacts}</Id><Class>Contacts</Class></Folder></Folders></Ping>});
    my $r = $t->ping_finish($h, $hb + 30);
    my $status = EasTest::tag($r->{xml}, 'Status') // '-';
    $self->note('req', 'ping', $r->{status} || 599, sprintf('%.4f', time - $t0), $status);
    $self->note('why', 'ping', sprintf('%.3f', $t0), 'no complete answer') unless $r->{status};
}

sub subject {
    my ($self) = @_;
    return sprintf 'soakm-%d-%d', $self->{n}, ++$self->{seq};
}

sub message {
    my ($self, $to, $subject) = @_;
    return EasTest::crlf("From: $self->{user}{email}\nTo: $to->{email}\nSubject: $subject\n"
        . "Message-ID: <$subject\@soak.example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
        . "Soak message $subject from device $self->{device}.\n");
}

sub send_mail {
    my ($self) = @_;
    my $to = $self->{others}[rand @{ $self->{others} }];
    my $subject = $self->subject;
    my ($r, $status) = $self->post('send_mail', 'SendMail',
        qq{<SendMail xmlns="ComposeMail:"><ClientId>$subject</ClientId><MIME>}
      . encode_base64($self->message($to, $subject), '') . '</MIME></SendMail>',
        qr{<Status>(\d+)</Status>});
    # Success is 200 with an empty body (MS-ASCMD 2.2.2.16).
    $self->note('ack', $subject, $to->{name}) if $r->{status} == 200 && !length $r->{body};
}

# One LMTP transaction on a connection of its own, as an MTA delivers.
sub lmtp {
    my ($self) = @_;
    my $t = $self->{t};
    my $to = $self->{others}[rand @{ $self->{others} }];
    my $subject = $self->subject;
    my $t0 = time;
    my $c;
    my $reply = eval {
        $c = $t->lmtp_connect;
        die "greeting $c->{greeting}\n" unless $c->{greeting} =~ /^220/;
        $t->lmtp_send($c, "LHLO soak\r\n");
        # 421 may answer LHLO or any of the pipelined commands (the
        # session idled as its worker left at a reload).
        my $hello = $t->lmtp_read($c, 1)->[0] // '';
        return $hello if $hello =~ /^421/;
        die "no LHLO reply\n" unless $hello =~ /^250/;
        $t->lmtp_send($c, "MAIL FROM:<$self->{user}{email}>\r\nRCPT TO:<$to->{email}>\r\nDATA\r\n");
        my $r = $t->lmtp_read($c, 3, 30);
        my ($bye) = grep { /^421/ } @$r;
        return $bye if $bye;
        die "no DATA go-ahead: @$r\n" unless @$r == 3 && $r->[2] =~ /^354/;
        $t->lmtp_send($c, $self->message($to, $subject) . ".\r\n");
        my $done = $t->lmtp_read($c, 1, 60)->[0] // 'none';
        $t->lmtp_send($c, "QUIT\r\n");
        $done;
    } // "error $@";
    # A worker leaving at a reload answers an idle session 421 and closes
    # it: the pipelined commands then meet a closed socket. An MTA keeps
    # the message and retries; so is it counted (not a failure).
    if ($reply =~ /^error/ && $c) {
        my $left = eval { $t->lmtp_read($c, 5, 2) } // [];
        my ($bye) = grep { /^421/ } @$left;
        $reply = $bye if $bye;
    }
    my ($code) = $reply =~ /^(\d{3})/;
    $self->note('req', 'lmtp', $code // 599, sprintf('%.4f', time - $t0), $code // '-');
    $self->note('why', 'lmtp', sprintf('%.3f', $t0), $reply =~ s/\s+/ /gr) unless ($code // '') eq '250';
    $self->note('ack', $subject, $to->{name}) if ($code // '') eq '250';
}

1;
