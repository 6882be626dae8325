package PostfixTest;

# A private Postfix instance for the integration tests: Debian's binaries
# with their own config, queue and data directories in a temporary
# directory, smtpd on a free loopback port, the log in a file
# (maillog_file: the Debian 12 chroot of fresh-check has no syslog).
# Nothing in /etc/postfix or /var/spool/postfix is read or written: every
# command gets `-c` and main.cf names every directory. Postfix's master
# runs as root, so only root can use this. Core Perl modules only.

use strict;
use warnings;

use File::Temp qw(tempdir);
use IO::Socket::INET;
use JSON::PP ();
use Test::More;
use Time::HiRes qw(sleep time);

use EasTest;

our $POSTFIX = '/usr/sbin/postfix';
our $POSTQUEUE = '/usr/sbin/postqueue';
our %RUNNING;  # master pid => instance, for END

# Why this machine cannot run it, or undef.
sub unavailable {
    return 'Postfix is not installed (make test-deps installs it)' unless -x $POSTFIX;
    return "Postfix's master runs as root only" unless $> == 0;
    return undef;
}

# Options: main (main.cf lines after the base), master (master.cf lines
# after the base services).
sub new {
    my ($class, %opt) = @_;
    my $dir = tempdir('eas-postfix-XXXXXX', TMPDIR => 1, CLEANUP => !$ENV{EAS_KEEP});
    # The daemons run as the mail owner (postfix) and chdir into the queue.
    chmod 0755, $dir or die "chmod $dir: $!";
    my $self = bless {
        dir    => $dir,
        port   => EasTest::free_port(),
        main   => $opt{main} // '',
        master => $opt{master} // '',
    }, $class;
    mkdir "$dir/$_" or die "mkdir $dir/$_: $!" for qw(conf queue data bin);
    my ($uid, $gid) = (getpwnam 'postfix')[2, 3];
    chown $uid, $gid, "$dir/data" or die "chown $dir/data: $!";
    return $self;
}

sub dir { $_[0]{dir} }
sub port { $_[0]{port} }
sub conf_dir { "$_[0]{dir}/conf" }

# Replaces the lines after the base of main.cf (main) or master.cf
# (master); the next start puts them to work.
sub configure {
    my ($self, %opt) = @_;
    $self->{$_} = $opt{$_} for grep { exists $opt{$_} } qw(main master);
}

# Under SAN=1 the commands pipe(8) runs (eas-deliver) must write their
# sanitizer reports where EasTest looks; Postfix passes a program only
# the environment it is told to.
sub sanitizer_environment {
    return '' unless $EasTest::SAN;
    my $lines = '';
    for my $name (qw(import_environment export_environment)) {
        chomp(my $default = `postconf -d -h $name`);
        $lines .= "$name = $default ASAN_OPTIONS UBSAN_OPTIONS\n";
    }
    return $lines;
}

sub write_config {
    my ($self) = @_;
    my $d = $self->{dir};
    EasTest::write_file("$d/conf/main.cf", <<"MAIN");
# Written by t/lib/PostfixTest.pm for one test run.
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.postfix-test.example
mydestination =
alias_maps =
alias_database =
maillog_file = $d/postfix.log
maillog_file_prefixes = $d
${\ sanitizer_environment()}$self->{main}
MAIN
    # Debian's master.cf without the chroot (that would need /etc files
    # copied into the queue directory) and with smtpd on our port only.
    EasTest::write_file("$d/conf/master.cf", <<"MASTER");
127.0.0.1:$self->{port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
$self->{master}
MASTER
}

sub command {
    my ($self, $program, @args) = @_;
    my $cmd = join ' ', map { quotemeta } $program, '-c', $self->conf_dir, @args;
    my $out = `$cmd 2>&1`;
    return ($? >> 8, $out);
}

sub start {
    my ($self) = @_;
    $self->write_config;
    my ($rc, $out) = $self->command($POSTFIX, 'start');
    die "postfix did not start: $out\n" . $self->log if $rc;
    $self->{running} = 1;
    $self->{master_pid} = $self->master_pid;
    $RUNNING{$self->{master_pid}} = $self;
    wait_until(10, sub { IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $self->{port}) })
        or die "postfix is not listening on $self->{port}\n" . $self->log;
    return $self;
}

sub master_pid {
    my ($self) = @_;
    open my $fh, '<', "$self->{dir}/queue/pid/master.pid" or return $self->{master_pid};
    my $pid = <$fh>;
    $pid =~ s/\D//g if defined $pid;
    return $pid || $self->{master_pid};
}

# `postqueue -f`: every queued message is tried again now.
sub flush {
    my ($self) = @_;
    my ($rc, $out) = $self->command($POSTQUEUE, '-f');
    die "postqueue -f: $out" if $rc;
}

# The queue as `postqueue -j` lists it: one hash per message (queue_name,
# queue_id, recipients with their delay_reason).
sub queue {
    my ($self) = @_;
    my ($rc, $out) = $self->command($POSTQUEUE, '-j');
    die "postqueue -j: $out" if $rc;
    return [map { JSON::PP::decode_json($_) } grep { /^\{/ } split /\n/, $out];
}

sub log {
    my ($self) = @_;
    open my $fh, '<', "$self->{dir}/postfix.log" or return '';
    local $/;
    return scalar <$fh>;
}

# The log lines about one queued message.
sub log_of {
    my ($self, $queue_id) = @_;
    return join "\n", grep { /\b\Q$queue_id\E: / } split /\n/, $self->log;
}

# One SMTP transaction on smtpd: MAIL FROM $from, RCPT TO each of @$to,
# DATA $message (CRLF lines). Returns {replies => [...], rcpt => [code per
# recipient], queue_id => what the final 250 named (undef if refused)}.
sub smtp_send {
    my ($self, $from, $to, $message) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $self->{port})
        or die "connect to smtpd: $!";
    binmode $s;
    my $c = { sock => $s, buf => '' };
    my @replies;
    my $say = sub {
        my ($line) = @_;
        EasTest->lmtp_send($c, $line) if defined $line;
        my $reply = EasTest->lmtp_read($c, 1, 30)->[0] // '';
        push @replies, $reply;
        return $reply;
    };
    $say->(undef) =~ /^220 / or die "smtpd greeting: @replies";
    $say->("EHLO client.postfix-test.example\r\n");
    $say->("MAIL FROM:<$from>\r\n");
    my @rcpt = map { ($say->("RCPT TO:<$_>\r\n") =~ /^(\d{3})/)[0] // '---' } @$to;
    my $queue_id;
    if (grep { $_ eq '250' } @rcpt) {
        (my $stuffed = $message) =~ s/^\./../mg;
        $say->("DATA\r\n") =~ /^354 / or die "DATA: @replies";
        ($queue_id) = $say->("$stuffed.\r\n") =~ /^250 .*queued as (\w+)/;
    }
    $say->("QUIT\r\n");
    close $s;
    return { replies => \@replies, rcpt => \@rcpt, queue_id => $queue_id };
}

# Calls $check every 0.2 s until it returns true or $timeout seconds pass;
# its last value.
sub wait_until {
    my ($timeout, $check) = @_;
    my $deadline = time + $timeout;
    while (1) {
        my $v = $check->();
        return $v if $v || time > $deadline;
        sleep 0.2;
    }
}

# `postfix stop`, then whatever of its process group is left is killed: no
# Postfix process outlives the test.
sub stop {
    my ($self) = @_;
    return unless $self->{running};
    $self->{running} = 0;
    my $pid = $self->master_pid;
    $self->command($POSTFIX, 'stop');
    return unless $pid;
    delete $RUNNING{$pid};
    # master runs in a session of its own: its process group is its pid.
    wait_until(5, sub { !kill 0, $pid });
    kill 'KILL', -$pid if kill 0, -$pid;
}

# A test that dies stops its Postfix here: this END runs before File::Temp's
# (which would delete the configuration `postfix stop` reads).
END {
    local $?;
    $_->stop for values %RUNNING;
}

sub DESTROY {
    my ($self) = @_;
    local $?;
    $self->stop;
}

1;
