# A small SMTP server for tests that relay mail out (eas_smtp_relay): one
# connection at a time in a child process, each message it takes kept as a
# file ("MAIL FROM:<..>\nRCPT TO:<..>,<..>\n" then the data, dot-unstuffed).
# Its answer to RCPT is read from a file before each connection: 250
# (default), 451 (try later), 550 (refused), or by-name (550 for a local
# part starting "no-", 451 for one starting "later-", 250 for others).
package SmtpSink;
use strict;
use warnings;
use IO::Socket::INET;
use MIME::Base64 ();
use Socket qw(MSG_PEEK MSG_DONTWAIT);
use POSIX ();
use Time::HiRes ();
use EasTest;

my @running;  # sinks to stop when the test ends
END { local $?; $_->stop for @running }  # keep the exit status from waitpid

# port: where it listens; dir: where it keeps messages (created).
sub new {
    my ($class, %o) = @_;
    mkdir $o{dir};
    my $self = bless { port => $o{port}, dir => $o{dir}, pid => undef,
                       stall_ms => $o{stall_ms} // 0 }, $class;
    push @running, $self;
    return $self;
}

sub mode { EasTest::write_file("$_[0]{dir}/mode", $_[1]) }

sub start {
    my ($self) = @_;
    my $dir = $self->{dir};
    my $listen = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $self->{port},
                                       Listen => 5, ReuseAddr => 1) or die "sink: $!";
    $self->{pid} = fork // die "fork: $!";
    return if $self->{pid};
    my ($n, $conn) = (0, 0);
    open my $journal, '>>', "$dir/journal" or die "journal: $!";
    $journal->autoflush(1);
    my $note = sub { printf $journal "%.6f %s\n", Time::HiRes::time(), $_[0] };
    my $stall = sub { Time::HiRes::sleep(rand($self->{stall_ms}) / 1000) if $self->{stall_ms} };
    while (my $c = $listen->accept) {
        $c->autoflush(1);
        $conn++;
        $note->("open $conn");
        my $mode = -e "$dir/mode" ? EasTest::read_file("$dir/mode") : '250';
        print $c "220 sink ESMTP\r\n";
        my ($from, @rcpt, $data, $accepted);
        while (defined(my $line = <$c>)) {
            if ($accepted) {  # the first command after a 250 for a message
                $accepted = 0;
                $note->("next $conn " . ($line =~ /^(\w+)/ ? uc $1 : '?'));
                $stall->();
            }
            if ($line =~ /^(EHLO|HELO)/i) { print $c "250-sink\r\n250 8BITMIME\r\n" }
            elsif ($line =~ /^MAIL FROM:\s*<([^>]*)>/i) { $from = $1; @rcpt = (); print $c "250 ok\r\n" }
            elsif ($line =~ /^RCPT TO:\s*<([^>]*)>/i) {
                my $to = $1;
                my $answer = $mode ne 'by-name' ? $mode
                           : $to =~ /^no-/ ? '550' : $to =~ /^later-/ ? '451' : '250';
                if ($answer eq '550') { print $c "550 5.1.1 <$to>: no such user here\r\n" }
                elsif ($answer eq '451') { print $c "451 4.3.0 <$to>: try again later\r\n" }
                else { push @rcpt, $to; print $c "250 ok\r\n" }
            }
            elsif ($line =~ /^DATA/i) {
                print $c "354 go\r\n";
                $data = '';
                my $ended;
                while (defined(my $l = <$c>)) { $ended = 1, last if $l eq ".\r\n"; $l =~ s/^\.//; $data .= $l }
                my $id = $data =~ /^Message-ID:\s*<([^>]*)>/mi ? $1 : '-';
                if (!$ended) { $note->("cut $conn $id in DATA"); last }
                $stall->();
                if (!client_there($c)) { $note->("drop $conn $id"); last }
                $n++;
                # Written aside, then renamed: a reader never sees half a message.
                EasTest::write_file("$dir/.part.$$.$n", "MAIL FROM:<$from>\nRCPT TO:<" . join('>,<', @rcpt) . ">\n$data");
                rename "$dir/.part.$$.$n", "$dir/msg.$$.$n" or die "rename: $!";
                $note->("accept $conn $id");
                print $c "250 2.0.0 queued as $n\r\n";
                $accepted = 1;
            }
            elsif ($line =~ /^QUIT/i) { print $c "221 bye\r\n"; last }
            else { print $c "250 ok\r\n" }
        }
        close $c;
        $note->("close $conn");
    }
    POSIX::_exit(0);
}

# Whether the peer of $c is still connected (it sends nothing while it
# waits for an answer): a peek that finds the end of the stream says not.
sub client_there {
    my ($c) = @_;
    my $got = recv($c, my $byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return $!{EAGAIN} || $!{EWOULDBLOCK} if !defined $got;
    return length $byte > 0;
}

# The journal's lines, each [time, event, connection, message id or
# command]: open, accept, drop, cut (in DATA), next (the command after a
# 250), close.
sub journal {
    my ($self) = @_;
    my $file = "$self->{dir}/journal";
    return [] unless -e $file;
    return [map { [split ' ', $_, 4] } split /\n/, EasTest::read_file($file)];
}

sub stop {
    my ($self) = @_;
    return unless $self->{pid};
    kill 'KILL', $self->{pid};
    waitpid $self->{pid}, 0;
    $self->{pid} = undef;
}

# Every message taken so far, oldest first.
sub received { [map { EasTest::read_file($_) } sort glob("$_[0]{dir}/msg.*")] }

sub count { scalar @{ $_[0]->received } }

# Message $n (1-based) once the sink has it; '' when it does not come
# within 15 seconds.
sub message {
    my ($self, $n) = @_;
    my $end = Time::HiRes::time() + 15;
    until ($self->count >= $n) {
        return '' if Time::HiRes::time() > $end;
        Time::HiRes::sleep(0.2);
    }
    return $self->received->[$n - 1];
}

# A test server whose eas_smtp_relay is a sink, both started, with users
# [login, address, display name] (password "secret"): (EasTest, SmtpSink).
# A hash first adds directives to the http block ({http => '...'}).
sub server_with_sink {
    my ($class, @users) = @_;
    my %o = ref $users[0] eq 'HASH' ? %{ shift @users } : ();
    my $port = EasTest::free_port();
    my $t = EasTest->new(http => "eas_smtp_relay 127.0.0.1:$port retry=1s timeout=5s;\n" . ($o{http} // ''));
    for my $u (@users) {
        my ($rc, $out) = $t->easctl('user', 'add', $u->[0], '--password', 'secret', '--email', $u->[1],
                                    defined $u->[2] ? ('--display-name', $u->[2]) : ());
        die "easctl user add $u->[0]: $out" if $rc;
    }
    $t->start;
    my $sink = $class->new(port => $port, dir => $t->dir . '/sink');
    $sink->start;
    return ($t, $sink);
}

# The first MIME leaf of a message whose Content-Type matches $type:
# (its header, its body with base64 undone and folded lines joined).
sub part {
    my ($message, $type) = @_;
    for my $part (split /\r?\n--[^\r\n]+/, $message) {
        my ($head, $body) = split /\r?\n\r?\n/, $part, 2;
        next unless defined $body && $head =~ m{^Content-Type:\s*\Q$type\E}mi;
        $body = MIME::Base64::decode_base64($body) if $head =~ /^Content-Transfer-Encoding:\s*base64/mi;
        $body =~ s/\r\n[ \t]//g;
        return ($head, $body);
    }
    return ('', '');
}

1;
